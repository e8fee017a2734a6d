"""The default PDF engine: PDFium's text layer through pypdfium2, read a line at a time.

Speed comes from asking PDFium for each page's text in one call and then sampling a few
characters per line for position, size and weight, instead of querying every character.
"""

from __future__ import annotations

import ctypes
import math
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from coder.errors import IngestError
from coder.ingest.lines import Line, PageLines

_BOLD_NAME_PARTS = ("bold", "black", "heavy", "semibold", "demi")


def read_pdfium(path: Path, data: bytes) -> list[PageLines]:
    """Return the lines of every page, in PDFium's (content stream) reading order."""
    pdf = _open(path, data)
    try:
        return [_read_page(pdf, index) for index in range(len(pdf))]
    finally:
        pdf.close()


def _open(path: Path, data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        text = str(error).lower()
        if "password" in text:
            raise IngestError(
                path, "encrypted",
                "is password-protected (encrypted); ask the publisher for an unlocked copy or remove the password",
            ) from None
        raise IngestError(path, "corrupt", f"damaged or truncated PDF ({error}); re-download or re-export it") from None


def _read_page(pdf: pdfium.PdfDocument, index: int) -> PageLines:
    page = pdf[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            lines = _lines(textpage, height)
        finally:
            textpage.close()
    finally:
        page.close()
    return PageLines(index + 1, width, height, tuple(lines))


def _lines(textpage: pdfium.PdfTextPage, height: float) -> list[Line]:
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    handle = textpage.raw
    lines: list[Line] = []
    offset = 0
    for raw_line in text.split("\r\n"):
        start, end = offset, offset + len(raw_line)
        offset = end + 2
        stripped = raw_line.strip()
        if not stripped or end > count:
            continue
        first = start + (len(raw_line) - len(raw_line.lstrip()))
        last = start + len(raw_line.rstrip()) - 1
        line = _measure(handle, stripped, first, last, height)
        if line is not None:
            lines.append(line)
    return lines


def _measure(handle: object, text: str, first: int, last: int, height: float) -> Line | None:
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    boxes = []
    for index in (first, last):
        if raw.FPDFText_GetCharBox(handle, index, left, right, bottom, top):
            boxes.append((left.value, right.value, bottom.value, top.value))
    if not boxes:
        return None
    originx, originy = ctypes.c_double(), ctypes.c_double()
    raw.FPDFText_GetCharOrigin(handle, first, originx, originy)
    middle = (first + last) // 2
    # The median of three samples ignores an odd-sized bullet glyph or footnote marker.
    size = sorted(_font_size(handle, i) for i in (first, middle, last))[1]
    bold = all(_is_bold(handle, i) for i in {first, middle, last})
    x0 = min(b[0] for b in boxes)
    x1 = max(b[1] for b in boxes)
    baseline = height - originy.value
    return Line(text, x0, x1, baseline - size, baseline, round(size, 1), bold)


def _font_size(handle: object, index: int) -> float:
    # Word and many exporters set text at "1 Tf" and scale it through the text matrix, so the
    # nominal size is useless alone; the printed size is nominal size times the vertical scale.
    matrix = raw.FS_MATRIX()
    nominal = raw.FPDFText_GetFontSize(handle, index)
    if raw.FPDFText_GetMatrix(handle, index, matrix):
        return nominal * math.hypot(matrix.c, matrix.d)
    return nominal


def _is_bold(handle: object, index: int) -> bool:
    weight = raw.FPDFText_GetFontWeight(handle, index)
    if weight >= 600:
        return True
    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    length = raw.FPDFText_GetFontInfo(handle, index, buffer, 128, flags)
    name = buffer.value.decode("latin-1").lower() if length else ""
    # Flag bit 19 (ForceBold) is set by some producers instead of a bold font name.
    return any(part in name for part in _BOLD_NAME_PARTS) or bool(flags.value & (1 << 18))
