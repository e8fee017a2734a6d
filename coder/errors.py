"""The one exception hierarchy. Messages say what was wrong, the value seen, what is valid and how to fix it."""

from __future__ import annotations


class CoderError(Exception):
    """Base class for every error coder raises on purpose. The CLI catches exactly this."""


class IngestError(CoderError):
    """A document could not be read or turned into text.

    ``reason`` is a short machine-friendly tag (``encrypted``, ``scanned``, ``corrupt``…) so a batch
    summary can group failures; the message is the one line a researcher reads.
    """

    def __init__(self, path: object, reason: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.reason = reason
        self.message = message

    def __reduce__(self) -> tuple[object, ...]:
        # Worker processes send errors back pickled; rebuild from the original arguments.
        return (type(self), (self.path, self.reason, self.message))


class UsageError(CoderError, ValueError):
    """An argument or option had a value that cannot work."""


class CodebookError(CoderError, ValueError):
    """The codebook file is missing, malformed, or inconsistent. Lists every problem found."""

    def __init__(self, path: object, problems: list[str]) -> None:
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"Codebook {path} has {len(problems)} problem(s):\n{listing}\n"
            "Fix them in the YAML file and run `coder codebook check` again."
        )
        self.path = str(path)
        self.problems = list(problems)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.problems))


class ModelError(CoderError, ValueError):
    """A saved model is missing, unreadable, or was built for another codebook."""


class StoreError(CoderError):
    """The corpus database cannot be opened or is inconsistent."""


class VerificationError(CoderError, ValueError):
    """A returned verification sheet cannot be trusted. Lists every bad row."""

    def __init__(self, path: object, problems: list[str]) -> None:
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path}: {len(problems)} problem(s) in the verification sheet:\n{listing}")
        self.path = str(path)
        self.problems = list(problems)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.problems))
