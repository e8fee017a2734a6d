"""Every kind of bad file gets one clear line naming the file and the reason; batches go on."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

import coder
from coder.errors import IngestError


def scanned_pdf(path: Path) -> Path:
    page = canvas.Canvas(str(path), invariant=1)
    page.rect(50, 50, 400, 600, fill=1)  # an image-like page with no text layer
    page.showPage()
    page.rect(60, 60, 300, 300, fill=1)
    page.save()
    return path


def encrypted_pdf(path: Path) -> Path:
    page = canvas.Canvas(str(path), encrypt="secret-password", invariant=1)
    page.drawString(72, 720, "Confidential review text.")
    page.save()
    return path


def bomb_docx(path: Path, review_docx: Path) -> Path:
    with zipfile.ZipFile(review_docx) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("word/media/padding.xml", b" " * 20_000_000)  # ~20 MB that packs to ~20 KB
    return path


CASES = {
    "zero-byte.pdf": ("empty", lambda p, d: _put(p, b"")),
    "truncated.pdf": ("corrupt", lambda p, d: _put(p, d["pdf"][: len(d["pdf"]) // 3])),
    "garbage.pdf": ("corrupt", lambda p, d: _put(p, b"%PDF-1.7\n" + b"\x00\x13garbage" * 200)),
    "scanned.pdf": ("scanned", lambda p, d: scanned_pdf(p)),
    "locked.pdf": ("encrypted", lambda p, d: encrypted_pdf(p)),
    "saved-page.pdf": ("mislabelled", lambda p, d: _put(p, ("<!DOCTYPE html><html><body>Error 404</body></html>").encode())),
    "not-a-pdf.pdf": ("corrupt", lambda p, d: _put(p, b"\x01\x02binary junk" * 50)),
    "photo.pdf": ("mislabelled", lambda p, d: _put(p, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)),
    "truncated.docx": ("corrupt", lambda p, d: _put(p, d["docx"][: len(d["docx"]) // 2])),
    "sheet.docx": ("unsupported", lambda p, d: _xlsx(p)),
    "old-word.doc": ("unsupported", lambda p, d: _put(p, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)),
    "blank.txt": ("empty", lambda p, d: _put(p, ("   \n\n  \n").encode())),
    "binary.bin": ("unsupported", lambda p, d: _put(p, bytes(range(256)) * 4)),
    "bomb.docx": ("bomb", lambda p, d: bomb_docx(p, d["docx_path"])),
}


def _put(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _xlsx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return path


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory, report_pdf, review_docx) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    sources = {"pdf": report_pdf.read_bytes(), "docx": review_docx.read_bytes(), "docx_path": review_docx}
    return {name: make(folder / name, sources) for name, (_, make) in CASES.items()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_ingest_bad_input_gets_one_line_reason(bad_files, name):
    with pytest.raises(IngestError) as excinfo:
        coder.ingest(bad_files[name])
    error = excinfo.value
    assert error.reason == CASES[name][0]
    message = str(error)
    assert "\n" not in message and message.startswith(str(bad_files[name]))


def test_ingest_scanned_pdf_says_ocr_is_needed(bad_files):
    with pytest.raises(IngestError, match="OCR"):
        coder.ingest(bad_files["scanned.pdf"])


def test_ingest_html_saved_as_pdf_real_file():
    from conftest import REALDOCS

    path = REALDOCS / "NOT_A_PDF_birmingham_2012-10-19_html_saved_as.pdf"
    if not path.exists():
        pytest.skip("../shared/realdocs is absent")
    with pytest.raises(IngestError, match="HTML web page"):
        coder.ingest(path)


def test_ingest_refuses_oversized_input(report_pdf):
    with pytest.raises(IngestError) as excinfo:
        coder.ingest(report_pdf, max_bytes=1000)
    assert excinfo.value.reason == "too_large" and "limit" in str(excinfo.value)


def test_ingest_reads_docx_with_pdf_name_and_warns(tmp_path, review_docx):
    path = tmp_path / "misnamed.pdf"
    path.write_bytes(review_docx.read_bytes())
    document = coder.ingest(path)
    assert document.format == "docx"
    assert any("named '.pdf'" in w for w in document.warnings)


@pytest.mark.parametrize("jobs", [1, 2])
def test_ingest_paths_batch_continues_past_failures(bad_files, report_pdf, review_docx, jobs):
    paths = [bad_files["locked.pdf"], report_pdf, bad_files["zero-byte.pdf"], review_docx]
    results = list(coder.ingest_paths(paths, jobs=jobs))
    assert [r.path for r in results] == [str(p) for p in paths]
    assert [r.ok for r in results] == [False, True, False, True]
    assert [getattr(r.error, "reason", None) for r in results] == ["encrypted", None, "empty", None]


def test_ingest_pdf_with_blank_page_warns(tmp_path):
    path = tmp_path / "half-scanned.pdf"
    page = canvas.Canvas(str(path), invariant=1)
    page.drawString(72, 720, "The review panel met on three occasions.")
    page.showPage()
    page.rect(50, 50, 100, 100, fill=1)
    page.save()
    document = coder.ingest(path)
    assert document.warnings == ("page 2 has no text layer (a scanned image?); OCR it to include its text",)
