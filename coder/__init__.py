"""coder: code safeguarding practice reviews for practice themes, with evidence and provenance.

Everything the command line does is here: ``ingest`` / ``ingest_paths`` read reviews,
``load_codebook`` and ``RuleCoder`` / ``HybridCoder`` code them, ``run`` is the main job, ``Store``
is the corpus database, and ``coder.verify``, ``coder.stats``, ``coder.exports``,
``coder.agreement`` and ``coder.training`` hold the rest.
"""

from __future__ import annotations

__version__ = "0.1.0"

from coder.classify import Classifier, load_model  # noqa: E402
from coder.codebook import Code, Codebook, load_codebook  # noqa: E402
from coder.errors import (  # noqa: E402
    CodebookError, CoderError, IngestError, ModelError, StoreError, UsageError, VerificationError,
)
from coder.hybrid import HybridCoder  # noqa: E402
from coder.ingest import IngestResult, expand_paths, ingest, ingest_paths  # noqa: E402
from coder.models import load_default_model, make_coder, reports_to_text  # noqa: E402
from coder.pipeline import RunResult, run  # noqa: E402
from coder.rules import RuleCoder  # noqa: E402
from coder.store import Store  # noqa: E402
from coder.types import Coding, Document, Footnote, PageSpan, Provenance, Section, Segment  # noqa: E402

__all__ = [
    "Classifier", "Code", "Codebook", "CodebookError", "CoderError", "Coding", "Document", "Footnote",
    "HybridCoder", "IngestError", "IngestResult", "ModelError", "PageSpan", "Provenance", "RuleCoder",
    "RunResult", "Section", "Segment", "Store", "StoreError", "UsageError", "VerificationError", "__version__",
    "expand_paths", "ingest", "ingest_paths", "load_codebook", "load_default_model", "load_model",
    "make_coder", "reports_to_text", "run",
]
