"""Decide what a file really is from its bytes, and refuse what cannot be read safely."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from coder.errors import IngestError
from coder.types import DocumentFormat

# Generous for reviews (a 100-page report with images is rarely above 20 MB) yet far below
# what would exhaust a laptop's memory.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_DOCX_UNCOMPRESSED = 300 * 1024 * 1024
MAX_DOCX_RATIO = 200  # compressed XML rarely exceeds ~20:1; bombs reach thousands
MAX_DOCX_MEMBERS = 5000

# The file names a folder is searched for, and the format each name promises.
FORMAT_BY_SUFFIX: dict[str, DocumentFormat] = {".pdf": "pdf", ".docx": "docx", ".txt": "text", ".md": "text"}
SUPPORTED = ", ".join(FORMAT_BY_SUFFIX)


@dataclass(frozen=True, slots=True)
class Sniffed:
    format: DocumentFormat
    data: bytes


def sniff(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> Sniffed:
    """Read ``path`` and name its real format, raising IngestError with a one-line reason."""
    if not path.exists():
        raise IngestError(path, "missing", "file not found; check the path")
    if path.is_dir():
        raise IngestError(path, "unsupported", "is a folder, not a file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(path, "empty", "empty file (0 bytes); re-export or re-download it")
    if size > max_bytes:
        raise IngestError(
            path, "too_large",
            f"file is {size / 1e6:.0f} MB, above the {max_bytes / 1e6:.0f} MB limit; "
            "split it or raise the limit (max_bytes)",
        )
    data = path.read_bytes()
    head = data[:2048]
    suffix = path.suffix.lower()
    if b"%PDF-" in head[:1024]:
        return Sniffed("pdf", data)
    if head.startswith(b"PK\x03\x04"):
        _check_docx(path, data)
        return Sniffed("docx", data)
    if _looks_like_html(head):
        raise IngestError(
            path, "mislabelled",
            f"is an HTML web page saved with a '{suffix}' name, not a real document; "
            "download the actual file",
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(
            path, "unsupported",
            "is an old Word 97-2003 (.doc) or other OLE file; open it in Word and save as .docx",
        )
    image = _image_kind(head)
    if image:
        raise IngestError(
            path, "unsupported" if suffix not in {".pdf", ".docx"} else "mislabelled",
            f"is a {image} image, not a document; run OCR on it (e.g. ocrmypdf) to make a searchable PDF",
        )
    if head.startswith(b"{\\rtf"):
        raise IngestError(path, "unsupported", "is an RTF file; save it as .docx or PDF")
    if suffix in {".pdf", ".docx"}:
        raise IngestError(
            path, "corrupt",
            f"has a '{suffix}' name but its bytes are not a {suffix[1:].upper()} file "
            "(damaged or mislabelled); re-export it",
        )
    if _is_text(head):
        return Sniffed("text", data)
    raise IngestError(path, "unsupported", f"unsupported file type; supported: {SUPPORTED}")


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) and b"<html" in head.lower()


def _image_kind(head: bytes) -> str:
    signatures = {b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}
    return next((name for magic, name in signatures.items() if head.startswith(magic)), "")


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def _check_docx(path: Path, data: bytes) -> None:
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise IngestError(path, "corrupt", "damaged ZIP container (truncated or corrupt .docx); re-export it") from None
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if "word/document.xml" not in names:
            kind = "an Excel workbook" if "xl/workbook.xml" in names else (
                "a PowerPoint file" if "ppt/presentation.xml" in names else "a ZIP archive")
            raise IngestError(path, "unsupported", f"is {kind}, not a Word document; supported: {SUPPORTED}")
        if len(infos) > MAX_DOCX_MEMBERS:
            raise IngestError(path, "bomb", f"holds {len(infos)} parts (limit {MAX_DOCX_MEMBERS}); refused as unsafe")
        total = sum(info.file_size for info in infos)
        if total > MAX_DOCX_UNCOMPRESSED:
            raise IngestError(
                path, "bomb",
                f"would expand to {total / 1e6:.0f} MB (limit {MAX_DOCX_UNCOMPRESSED / 1e6:.0f} MB); "
                "refused as a possible decompression bomb",
            )
        for info in infos:
            if info.file_size > 1_000_000 and info.file_size > MAX_DOCX_RATIO * max(info.compress_size, 1):
                raise IngestError(
                    path, "bomb",
                    f"part {info.filename} expands {info.file_size // max(info.compress_size, 1)}:1 "
                    "(a decompression bomb); refused",
                )
