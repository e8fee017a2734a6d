"""coder: code safeguarding practice reviews for practice themes, with evidence and provenance.

Everything the command line does is here: ``ingest`` / ``ingest_paths`` read reviews,
``load_codebook`` and ``RuleCoder`` / ``HybridCoder`` code them, ``run`` is the main job, ``Store``
is the corpus database, and ``coder.verify``, ``coder.stats``, ``coder.exports``,
``coder.agreement`` and ``coder.training`` hold the rest.

The names below are imported on first use, so ``import coder`` (and every ingestion worker
process) does not pay for spaCy, scikit-learn and openpyxl until they are needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from coder.errors import (
    CodebookError, CoderError, IngestError, ModelError, StoreError, UsageError, VerificationError,
)
from coder.types import Coding, Document, Footnote, PageSpan, Provenance, Section, Segment

__version__ = "0.1.0"

# Eager, and after the submodule import: ``coder.ingest`` must stay the function, not the package
# of the same name (which is light: its readers import their libraries when used).
from coder.ingest import IngestResult, expand_paths, ingest, ingest_paths  # noqa: E402

_LAZY = {
    "Classifier": "coder.classify", "load_model": "coder.classify",
    "Code": "coder.codebook", "Codebook": "coder.codebook", "load_codebook": "coder.codebook",
    "HybridCoder": "coder.hybrid",
    "load_default_model": "coder.models", "make_coder": "coder.models", "reports_to_text": "coder.models",
    "RunResult": "coder.pipeline", "run": "coder.pipeline",
    "RuleCoder": "coder.rules",
    "Store": "coder.store",
}

if TYPE_CHECKING:
    from coder.classify import Classifier, load_model
    from coder.codebook import Code, Codebook, load_codebook
    from coder.hybrid import HybridCoder
    from coder.models import load_default_model, make_coder, reports_to_text
    from coder.pipeline import RunResult, run
    from coder.rules import RuleCoder
    from coder.store import Store


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'coder' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "Classifier", "Code", "Codebook", "CodebookError", "CoderError", "Coding", "Document", "Footnote",
    "HybridCoder", "IngestError", "IngestResult", "ModelError", "PageSpan", "Provenance", "RuleCoder",
    "RunResult", "Section", "Segment", "Store", "StoreError", "UsageError", "VerificationError", "__version__",
    "expand_paths", "ingest", "ingest_paths", "load_codebook", "load_default_model", "load_model",
    "make_coder", "reports_to_text", "run",
]
