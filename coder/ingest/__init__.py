"""Read PDF, DOCX and plain-text reviews into Documents.

``ingest(path)`` reads one file; ``ingest_paths(paths, jobs=N)`` walks files and folders and
streams one result per file, in a stable order, so memory stays flat however large the corpus.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from coder.errors import CoderError, IngestError, UsageError
from coder.ingest.layout import build_blocks
from coder.ingest.sniff import FORMAT_BY_SUFFIX, MAX_FILE_BYTES, sniff
from coder.structure import assemble
from coder.types import Document

ENGINES = ("pdfium", "pdfplumber")
EXTENSIONS = tuple(FORMAT_BY_SUFFIX)


def ingest(path: str | Path, *, engine: str = "pdfium", max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read one review into a Document, deciding its format from its bytes, not its name.

    Raises:
        IngestError: the file is missing, empty, too large, damaged, encrypted, scanned (no text
            layer), or not a supported format; the message names the file and the reason.
        UsageError: ``engine`` is not one of ENGINES.
    """
    if engine not in ENGINES:
        raise UsageError(f"Unknown PDF engine {engine!r}; choose one of: {', '.join(ENGINES)}.")
    path = Path(path)
    sniffed = sniff(path, max_bytes=max_bytes)
    sha256 = hashlib.sha256(sniffed.data).hexdigest()
    notes = _name_mismatch(path, sniffed.format)
    if sniffed.format == "pdf":
        return _ingest_pdf(path, sniffed.data, sha256, engine, notes)
    if sniffed.format == "docx":
        from coder.ingest.docx_reader import read_docx

        blocks, footnotes, title, pages = read_docx(path, sniffed.data)
        if not blocks:
            raise IngestError(path, "empty", "the Word document has no text")
        return assemble(blocks, path=str(path), sha256=sha256, format="docx", engine="python-docx",
                        page_count=pages, title=title, footnotes=footnotes, warnings=notes)
    from coder.ingest.text_reader import read_text

    blocks = read_text(sniffed.data)
    if not blocks:
        raise IngestError(path, "empty", "the text file holds only white space")
    return assemble(blocks, path=str(path), sha256=sha256, format="text", engine="text", page_count=0, warnings=notes)


def _name_mismatch(path: Path, found: str) -> list[str]:
    expected = FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if expected is None or expected == found:
        return []
    return [f"named '{path.suffix}' but its content is {found.upper()}; read as {found.upper()}"]


def _ingest_pdf(path: Path, data: bytes, sha256: str, engine: str, notes: list[str]) -> Document:
    if engine == "pdfplumber":
        from coder.ingest.pdf_plumber import read_plumber

        pages = read_plumber(path, data)
    else:
        from coder.ingest.pdf_pdfium import read_pdfium

        pages = read_pdfium(path, data)
    if not pages:
        raise IngestError(path, "empty", "the PDF has no pages")
    blank = [p.number for p in pages if not p.lines]
    if len(blank) == len(pages):
        raise IngestError(
            path, "scanned",
            f"no text layer on any of its {len(pages)} page(s): a scanned image; run OCR (e.g. ocrmypdf) first",
        )
    warnings = notes + [f"page {n} has no text layer (a scanned image?); OCR it to include its text" for n in blank]
    layout = build_blocks(pages)
    title = _pdf_title(data)
    return assemble(layout.blocks, path=str(path), sha256=sha256, format="pdf", engine=engine,
                    page_count=len(pages), title=title, footnotes=layout.footnotes, warnings=warnings)


def _pdf_title(data: bytes) -> str:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return ""
    try:
        title = (pdf.get_metadata_dict().get("Title") or "").strip()
    finally:
        pdf.close()
    # Exporters often leave a template title ("Microsoft Word - draft3.docx"); not worth showing.
    lowered = title.lower()
    unhelpful = lowered.startswith(("microsoft word", "untitled")) or lowered.endswith((".doc", ".docx"))
    return "" if unhelpful or "template" in lowered or "draft" in lowered else title


@dataclass(frozen=True, slots=True)
class IngestResult:
    """One file's outcome in a batch: a Document, or the error that stopped it."""

    path: str
    document: Document | None = None
    error: CoderError | None = None

    @property
    def ok(self) -> bool:
        return self.document is not None


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given plus supported files found under folders, sorted so runs are repeatable."""
    found: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            found.extend(sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS
                                and p.stem.upper() != "README"  # a folder's own notes, not a review
                                and not any(part.startswith(".") for part in p.relative_to(item).parts)))
        else:
            found.append(item)
    return found


def _ingest_one(args: tuple[Path, str]) -> IngestResult:
    path, engine = args
    try:
        return IngestResult(str(path), document=ingest(path, engine=engine))
    except CoderError as error:
        return IngestResult(str(path), error=error)
    except Exception as error:  # noqa: BLE001 - a parser bug on one odd file must not end the batch
        reason = f"could not be read ({type(error).__name__}: {str(error)[:200]}); please report this file"
        return IngestResult(str(path), error=IngestError(path, "unreadable", reason))


def ingest_paths(paths: Iterable[str | Path], *, engine: str = "pdfium", jobs: int = 1) -> Iterator[IngestResult]:
    """Ingest every file under ``paths``, yielding results in input order; failures do not stop the batch.

    With ``jobs`` > 1 the files are read by that many worker processes; results still arrive in
    order and only a few documents are in memory at once.
    """
    if engine not in ENGINES:
        raise UsageError(f"Unknown PDF engine {engine!r}; choose one of: {', '.join(ENGINES)}.")
    if jobs < 1:
        raise UsageError(f"--jobs must be 1 or more; got {jobs}.")
    files = expand_paths(paths)
    work = [(p, engine) for p in files]
    if jobs == 1 or len(work) < 2:
        yield from map(_ingest_one, work)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_ingest_one, work, chunksize=1)
