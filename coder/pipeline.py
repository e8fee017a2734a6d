"""The main job: ingest every input, code every paragraph into the corpus store, write the
verification outputs.

Documents stream one at a time (memory stays flat). Each document is stored with its codings in
one transaction, and a file already coded with the same codebook and model is skipped by its
content hash, so an interrupted run resumes where it stopped and re-runs never duplicate rows.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from coder.attributes import guess_attributes
from coder.codebook import Codebook, load_codebook
from coder.ingest import IngestResult, expand_paths, ingest_paths
from coder.outputs import DOCUMENT_COLUMNS, document_row, write_csv
from coder.records import CodingRow, row_from_store
from coder.store import Store
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
    out_dir: Path | None
    database: Path
    documents: int = 0
    skipped: int = 0  # already coded with this codebook and model
    failed: list[IngestResult] = field(default_factory=list)
    codings: int = 0
    paragraphs: int = 0
    pages: int = 0
    files: list[Path] = field(default_factory=list)


def coder_identity(coder: Any) -> str:
    """What a stored coding state records about the coder: 'rules' or the model id."""
    model = getattr(coder, "model", None)
    return f"{coder.name}:{model.model_id}" if model is not None and coder.name != "rules" else "rules"


def code_into_store(
    inputs: Iterable[str | Path], store: Store, *, codebook: Codebook, coder: DocumentCoder, engine: str = "pdfium",
    jobs: int = 1, on_result: Callable[[IngestResult | Path], None] | None = None, command: str = "code",
) -> tuple[RunResult, list[dict[str, Any]]]:
    """Ingest and code what is new or changed; return the result and one documents.csv row per file."""
    from coder import __version__

    identity = coder_identity(coder)
    run_id = store.start_run(command=command, tool_version=__version__, codebook=codebook.identity,
                             codebook_sha256=codebook.sha256, model=identity, settings={"engine": engine})
    result = RunResult(run_id=run_id, out_dir=None, database=store.path)
    rows: list[dict[str, Any]] = []
    try:  # from here on, an interruption (even while hashing) marks the run interrupted
        todo = []
        for path in expand_paths(inputs):
            digest = _sha256(path)
            if digest and store.is_coded(digest, codebook.sha256, identity, engine):
                result.skipped += 1
                rows.append({"path": str(path), "status": "ok", "reason": "unchanged, already coded",
                             **store.document_summary(digest[:16])})
                if on_result is not None:
                    on_result(path)
            else:
                todo.append(path)
        for item in ingest_paths(todo, engine=engine, jobs=jobs):
            rows.append(document_row(item))
            if item.document is None:
                result.failed.append(item)
            else:
                document = item.document
                store.save_coded_document(document, coder.code_document(document), run_id=run_id,
                                          attributes=guess_attributes(document))
                result.documents += 1
                result.pages += document.page_count
                result.paragraphs += len(document.segments)
            if on_result is not None:
                on_result(item)
    except BaseException:
        store.finish_run(run_id, "interrupted")
        raise
    store.finish_run(run_id)
    return result, rows


def run(
    inputs: Iterable[str | Path],
    out_dir: str | Path,
    *,
    codebook: Codebook | str | Path | None = None,
    coder: DocumentCoder | None = None,
    database: str | Path | None = None,
    engine: str = "pdfium",
    jobs: int = 1,
    on_result: Callable[[IngestResult | Path], None] | None = None,
) -> RunResult:
    """Code ``inputs`` into the store (``out_dir/coder.db`` unless ``database`` is given) and write
    codings.xlsx, codings.csv and documents.csv for those inputs to ``out_dir``.

    Files that cannot be read are listed in documents.csv with their reason and do not stop the run.
    """
    if not isinstance(codebook, Codebook):
        codebook = load_codebook(codebook)
    if coder is None:
        from coder.models import make_coder

        coder = make_coder(codebook)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with Store(database or out / "coder.db") as store:
        result, documents = code_into_store(inputs, store, codebook=codebook, coder=coder, engine=engine, jobs=jobs,
                                            on_result=on_result, command="run")
        result.out_dir = out
        ids = [str(d["document_id"]) for d in documents if d.get("document_id")]
        rows = [row_from_store(r, codebook) for r in store.coding_rows(documents=ids)] if ids else []
        run_info = {
            "run_id": result.run_id, "database": str(store.path), "database_id": store.database_id,
            "codebook": codebook.identity, "codebook_sha256": codebook.sha256, "coder": coder_identity(coder),
            "engine": engine, "documents_coded": result.documents, "documents_unchanged": result.skipped,
            "documents_failed": len(result.failed), "codings": len(rows), "python": platform.python_version(),
        }
        result.files = write_outputs(out, rows, documents, codebook=codebook, run_info=run_info)
    result.codings = len(rows)
    return result


def write_outputs(out: Path, rows: list[CodingRow], documents: list[dict[str, Any]], *, codebook: Codebook,
                  run_info: dict[str, Any]) -> list[Path]:
    """The verification workbook plus the same rows as CSV, and the documents table."""
    from coder import __version__

    ok = [d for d in documents if d["status"] == "ok"]
    matrix_documents = [{"document_id": d["document_id"], "document": Path(str(d["path"])).name} for d in ok]
    return [
        write_workbook(out / "codings.xlsx", rows, codebook=codebook, documents=matrix_documents,
                       run_info={"tool_version": __version__, **run_info}),
        write_csv(out / "codings.csv", CODING_COLUMNS, (_csv_row(r) for r in rows)),
        write_csv(out / "documents.csv", DOCUMENT_COLUMNS, documents),
    ]


def _sha256(path: Path) -> str | None:
    try:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def _csv_row(row: CodingRow) -> dict[str, object]:
    values = {name: getattr(row, name) for name in CODING_COLUMNS}
    start, end = row.evidence_start, row.evidence_end
    values["paragraph"] = f"{row.paragraph[:start]}«{row.paragraph[start:end]}»{row.paragraph[end:]}"
    return values
