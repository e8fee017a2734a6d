"""The pdfplumber engine: slower, character-exact, and reads ruled tables as rows.

It yields the same layout lines as the PDFium engine, so the shared clean-up applies; table
regions become one line per row with cells joined by " | ".
"""

from __future__ import annotations

import io
from pathlib import Path

from coder.errors import IngestError
from coder.ingest.lines import Line, PageLines


def read_plumber(path: Path, data: bytes) -> list[PageLines]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect:
        raise IngestError(path, "encrypted", "is password-protected (encrypted); ask for an unlocked copy") from None
    except (PDFSyntaxError, Exception) as error:  # pdfminer raises many unrelated types for damage
        if "password" in str(error).lower() or type(error).__name__ == "PdfminerException" and "Password" in repr(error):
            raise IngestError(path, "encrypted", "is password-protected (encrypted); ask for an unlocked copy") from None
        raise IngestError(path, "corrupt", f"damaged or truncated PDF ({type(error).__name__}); re-export it") from None
    with pdf:
        return [_page(page, number) for number, page in enumerate(pdf.pages, start=1)]


def _page(page, number: int) -> PageLines:
    tables = [t for t in page.find_tables() if len(t.rows) > 1]
    boxes = [t.bbox for t in tables]

    def outside(obj: dict) -> bool:
        return not any(x0 <= obj["x0"] and obj["x1"] <= x1 and top <= obj["top"] and obj["bottom"] <= bottom
                       for x0, top, x1, bottom in boxes)

    filtered = page.filter(outside) if boxes else page
    lines = [_line(row) for row in filtered.extract_text_lines(return_chars=True, strip=True) if row["text"].strip()]
    for table in tables:
        lines.extend(_table_lines(page, table))
    lines.sort(key=lambda ln: (ln.bottom, ln.x0))
    return PageLines(number, float(page.width), float(page.height), tuple(lines))


def _line(row: dict) -> Line:
    chars = [c for c in row["chars"] if c["text"].strip()]
    sizes = [round(c["size"], 1) for c in chars] or [0.0]
    size = max(set(sizes), key=sizes.count)
    bold = bool(chars) and all(_is_bold(c["fontname"]) for c in chars)
    baseline = max(c["bottom"] for c in chars) if chars else row["bottom"]
    return Line(row["text"], row["x0"], row["x1"], row["top"], baseline, size, bold)


def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return any(part in name for part in ("bold", "black", "heavy", "semibold", "demi"))


def _table_lines(page, table) -> list[Line]:
    lines = []
    for row, cells in zip(table.rows, table.extract()):
        texts = [" ".join((cell or "").split()) for cell in cells]
        if not any(texts):
            continue
        x0, top, x1, bottom = row.bbox
        chars = page.crop(row.bbox).chars
        size = round(chars[0]["size"], 1) if chars else 10.0
        bold = bool(chars) and all(_is_bold(c["fontname"]) for c in chars if c["text"].strip())
        lines.append(Line(" | ".join(texts), x0, x1, top, top + size, size, bold, table_row=True))
    return lines
