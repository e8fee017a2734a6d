"""Files the batch commands write: one JSON structure per document and a documents table."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path

from coder.files import write_text_atomic
from coder.ingest import IngestResult
from coder.views import document_to_dict

DOCUMENT_COLUMNS = ("path", "status", "reason", "document_id", "format", "engine", "pages", "sections",
                    "paragraphs", "footnotes", "warnings", "title")


def save_document_json(result: IngestResult, folder: str | Path) -> Path:
    """Write the document's whole structure to ``folder/<file stem>-<id>.json``."""
    assert result.document is not None
    document = result.document
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(document.path).stem)[:80]
    target = Path(folder) / f"{stem}-{document.id[:8]}.json"
    return write_text_atomic(target, json.dumps(document_to_dict(document), ensure_ascii=False, indent=1))


def document_row(result: IngestResult) -> dict[str, object]:
    """One row of documents.csv: what was read, or why it was not."""
    document = result.document
    if document is None:
        reason = getattr(result.error, "reason", "error")
        return {"path": result.path, "status": "failed", "reason": reason, "warnings": str(result.error)}
    return {
        "path": result.path, "status": "ok", "reason": "", "document_id": document.id,
        "format": document.format, "engine": document.engine, "pages": document.page_count,
        "sections": len(document.sections), "paragraphs": len(document.segments),
        "footnotes": len(document.footnotes), "warnings": " | ".join(document.warnings),
        "title": document.title,
    }


def csv_text(columns: Iterable[str], rows: Iterable[dict[str, object]]) -> str:
    """Rows as CSV text; cells that a spreadsheet would run as formulas are quoted as text."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def write_csv(path: str | Path, columns: Iterable[str], rows: Iterable[dict[str, object]]) -> Path:
    """Write rows to CSV atomically, formula-safe (see ``csv_text``)."""
    return write_text_atomic(path, csv_text(columns, rows))


def safe_cell(value: object) -> object:
    """Prefix text that starts like a formula (= + - @, tab, CR) so spreadsheets show it as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
