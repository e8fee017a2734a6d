"""Labelled paragraphs: the one format for training data, evaluation sets and verified codings.

Each JSON Lines record carries ``codes`` ({code_id: polarity}) and its text in one of three ways:
- ``{"id", "text", "section"}``: the text itself (project-written data, exported verifications);
- ``{"source", "line"}``: a line of a seed document, read from the seeds folder at load time so
  that others' sentences are never committed;
- ``{"doc", "index", "start"}``: the index-th body paragraph of a fictional corpus source
  (``tests/data/corpus/src/<doc>.md``), checked against its first characters.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from coder.errors import UsageError
from coder.section_types import classify_heading

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
DEFAULT_CORPUS_SOURCES = REPO / "tests" / "data" / "corpus" / "src"


SPLITS = ("all", "train", "test")  # every labelled paragraph is in train or test; "all" is both


@dataclass(frozen=True, slots=True)
class Labelled:
    id: str
    text: str
    section: str
    codes: dict[str, str] = field(hash=False)
    origin: str  # seed | written | corpus | verified

    @property
    def split(self) -> str:
        """A fixed 80/20 train/test split by id hash, so every tool holds out the same paragraphs."""
        return "test" if int(hashlib.sha256(self.id.encode()).hexdigest()[:8], 16) % 5 == 0 else "train"


def seeds_dir() -> Path:
    return Path(os.environ.get("CODER_SEEDS", DEFAULT_SEEDS))


def read_labelled(paths: Iterable[str | Path]) -> Iterator[Labelled]:
    """Yield labelled paragraphs from JSON Lines files; seed references whose text is absent
    (../shared/seeds not there) are skipped, and the tests that need them skip too."""
    seed_lines: dict[str, list[str]] = {}
    corpus_blocks: dict[str, list[tuple[str, str]]] = {}
    for path in map(Path, paths):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            where = f"{path}:{number}"
            if "text" in record:
                yield Labelled(str(record["id"]), record["text"], record.get("section", "analysis"),
                               dict(record["codes"]), record.get("origin", "written"))
            elif "source" in record:
                text = _seed_line(record["source"], int(record["line"]), seed_lines)
                if text is None:
                    continue
                yield Labelled(f"{record['source']}:{record['line']}", text, "analysis", dict(record["codes"]), "seed")
            elif "doc" in record:
                if record["doc"] not in corpus_blocks:
                    corpus_blocks[record["doc"]] = corpus_paragraphs(record["doc"])
                blocks = corpus_blocks[record["doc"]]
                text, section = blocks[int(record["index"])]
                if not text.startswith(record["start"]):
                    raise UsageError(f"{where}: paragraph {record['index']} of {record['doc']} starts "
                                     f"{text[:40]!r}, not {record['start']!r}; the corpus source changed")
                yield Labelled(f"{record['doc']}#{record['index']}", text, section, dict(record["codes"]), "corpus")
            else:
                raise UsageError(f"{where}: a record needs 'text', 'source'+'line' or 'doc'+'index'; got keys {sorted(record)}")


def _seed_line(source: str, line: int, cache: dict[str, list[str]]) -> str | None:
    if source not in cache:
        path = seeds_dir() / source
        cache[source] = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    lines = cache[source]
    return lines[line - 1].strip() if 0 < line <= len(lines) else None


def corpus_paragraphs(doc: str, folder: Path = DEFAULT_CORPUS_SOURCES) -> list[tuple[str, str]]:
    """Body paragraphs (and bullet blocks) of a corpus source with their section type, in order."""
    text = (folder / f"{doc}.md").read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("\n---", 2)[-1]
    headings: list[tuple[int, str]] = []
    out: list[tuple[str, str]] = []
    for chunk in text.split("\n\n"):
        chunk = chunk.strip()
        if not chunk or chunk.startswith("|"):
            continue
        if chunk.startswith("#"):
            level = len(chunk) - len(chunk.lstrip("#"))
            headings = [h for h in headings if h[0] < level] + [(level, chunk.lstrip("#").strip())]
            continue
        lines = chunk.splitlines()
        if all(line.startswith("- ") for line in lines):  # a bullet list is one unit, items on lines
            out.append(("\n".join(line[2:].strip() for line in lines), _section_type(headings)))
        else:
            out.append((" ".join(chunk.split()), _section_type(headings)))
    return out


def _section_type(headings: list[tuple[int, str]]) -> str:
    for _, title in reversed(headings):
        found, _ = classify_heading(title)
        if found:
            return found
    return "other"
