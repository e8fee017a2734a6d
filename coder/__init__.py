"""coder: code safeguarding practice reviews for practice themes, with evidence and provenance."""

from __future__ import annotations

from coder.errors import (
    CodebookError, CoderError, IngestError, ModelError, StoreError, UsageError, VerificationError,
)
from coder.codebook import Code, Codebook, load_codebook
from coder.ingest import IngestResult, expand_paths, ingest, ingest_paths
from coder.pipeline import RunResult, run
from coder.rules import RuleCoder
from coder.store import Store
from coder.types import Coding, Document, Footnote, PageSpan, Provenance, Section, Segment

__version__ = "0.1.0"

from coder.models import load_default_model, make_coder, reports_to_text  # noqa: E402

__all__ = [
    "load_default_model", "make_coder", "reports_to_text", "Code", "Codebook", "Coding", "Provenance", "RuleCoder", "RunResult", "load_codebook", "run",
    "CodebookError", "CoderError", "Document", "Footnote", "IngestError", "IngestResult", "ModelError",
    "PageSpan", "Section", "Segment", "StoreError", "UsageError", "VerificationError", "__version__",
    "expand_paths", "ingest", "ingest_paths",
]
