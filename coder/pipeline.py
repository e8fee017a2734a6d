"""The main job: ingest every input, code every paragraph, write the verification outputs.

Documents stream one at a time (memory stays flat); only the coding rows are kept for the
workbook, and every file is written atomically at the end.
"""

from __future__ import annotations

import platform
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from coder.codebook import Codebook, load_codebook
from coder.ingest import IngestResult, expand_paths, ingest_paths
from coder.outputs import DOCUMENT_COLUMNS, document_row, write_csv
from coder.records import CodingRow, coding_row
from coder.types import Coding, Document
from coder.workbook import write_workbook

CODING_COLUMNS = tuple(name for name in CodingRow.__dataclass_fields__ if name not in ("evidence_start", "evidence_end"))


class DocumentCoder(Protocol):
    """Anything that turns an ingested Document into codings (the rules, the model, the hybrid)."""

    name: str

    def code_document(self, document: Document) -> list[Coding]: ...


@dataclass
class RunResult:
    run_id: str
    out_dir: Path
    documents: int = 0
    failed: list[IngestResult] = field(default_factory=list)
    codings: int = 0
    paragraphs: int = 0
    pages: int = 0
    files: list[Path] = field(default_factory=list)


def run(
    inputs: Iterable[str | Path],
    out_dir: str | Path,
    *,
    codebook: Codebook | str | Path | None = None,
    coder: DocumentCoder | None = None,
    engine: str = "pdfium",
    jobs: int = 1,
    on_result: Callable[[IngestResult], None] | None = None,
    settings: dict[str, Any] | None = None,
) -> RunResult:
    """Ingest ``inputs``, code them, and write codings.xlsx, codings.csv and documents.csv to ``out_dir``.

    Files that cannot be read are listed in documents.csv with their reason and do not stop the run.
    """
    from coder import __version__

    if not isinstance(codebook, Codebook):
        codebook = load_codebook(codebook)
    if coder is None:
        from coder.models import make_coder

        coder = make_coder(codebook)
    out = Path(out_dir)
    result = RunResult(run_id=uuid.uuid4().hex[:12], out_dir=out)
    started = datetime.now(timezone.utc)
    rows: list[CodingRow] = []
    documents: list[dict[str, Any]] = []
    files = expand_paths(inputs)
    for item in ingest_paths(files, engine=engine, jobs=jobs):
        documents.append(document_row(item))
        if item.document is None:
            result.failed.append(item)
        else:
            rows.extend(_rows(item.document, coder, codebook))
            result.documents += 1
            result.pages += item.document.page_count
            result.paragraphs += len(item.document.segments)
        if on_result is not None:
            on_result(item)
    rows.sort(key=lambda r: (r.document, r.paragraph_index, r.code))
    result.codings = len(rows)
    run_info = {
        "run_id": result.run_id, "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"), "tool_version": __version__,
        "codebook": codebook.identity, "codebook_sha256": codebook.sha256, "coder": coder.name,
        "engine": engine, "inputs": ", ".join(map(str, files)), "documents_read": result.documents,
        "documents_failed": len(result.failed), "paragraphs": result.paragraphs, "codings": result.codings,
        "python": platform.python_version(), **(settings or {}),
    }
    ok_documents = [d for d in documents if d["status"] == "ok"]
    result.files = [
        write_workbook(out / "codings.xlsx", rows, codebook=codebook, documents=[
            {"document_id": d["document_id"], "document": Path(str(d["path"])).name} for d in ok_documents],
            run_info=run_info),
        write_csv(out / "codings.csv", CODING_COLUMNS, (_csv_row(r) for r in rows)),
        write_csv(out / "documents.csv", DOCUMENT_COLUMNS, documents),
    ]
    return result


def _rows(document: Document, coder: DocumentCoder, codebook: Codebook) -> list[CodingRow]:
    by_id = {segment.id: segment for segment in document.segments}
    return [coding_row(document, by_id[c.segment_id], c, codebook) for c in coder.code_document(document)]


def _csv_row(row: CodingRow) -> dict[str, object]:
    values = {name: getattr(row, name) for name in CODING_COLUMNS}
    start, end = row.evidence_start, row.evidence_end
    values["paragraph"] = f"{row.paragraph[:start]}«{row.paragraph[start:end]}»{row.paragraph[end:]}"
    return values
