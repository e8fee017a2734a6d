"""Ingestion quality checks on real PDFs, shared by tests/test_realdocs.py and bench/quality.py.

The running-line check is independent of the layout code: it takes the first and last lines of
each page straight from PDFium's text, keeps those that repeat on most pages (digits folded),
and looks for them inside the extracted paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

import coder

REALDOCS = Path(__file__).resolve().parent.parent.parent / "shared" / "realdocs"
_DIGITS = re.compile(r"\d+")
_PAGE_ONLY = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_TERMINAL = (".", "!", "?", ":", ";", "\"", "”", "’", ")")


def real_pdfs() -> list[Path]:
    """The real PDFs under ../shared/realdocs (none when it is absent), without the mislabelled one."""
    return sorted(p for p in REALDOCS.glob("*.pdf") if not p.name.startswith("NOT_A_PDF"))


@dataclass(frozen=True)
class Quality:
    name: str
    pages: int
    sections: int
    typed_sections: int  # sections with a type other than "other"
    paragraphs: int
    running_lines: int  # distinct repeated header/footer lines found in the raw text
    running_leaks: int  # paragraphs that still contain one
    page_break_splits: int  # paragraphs cut mid-sentence at a page break
    page_number_paragraphs: int  # paragraphs that are only a page number ("12", "Page 3 of 9")
    footnotes: int


def _fold(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.split()).lower())


def repeated_page_lines(path: Path) -> set[str]:
    pdf = pdfium.PdfDocument(str(path))
    counts: Counter[str] = Counter()
    try:
        for index in range(len(pdf)):
            textpage = pdf[index].get_textpage()
            lines = [ln.strip() for ln in textpage.get_text_range().split("\r\n") if ln.strip()]
            counts.update({_fold(ln) for ln in lines[:2] + lines[-2:] if len(ln) >= 12})
        needed = max(3, len(pdf) // 2)
    finally:
        pdf.close()
    return {line for line, n in counts.items() if n >= needed}


def _leaked(line: str, segment: coder.Segment) -> bool:
    # A header leaks as a paragraph of its own, at a paragraph's edge, or inside a paragraph
    # rebuilt across a page break; the same words inside one page's prose are the author's.
    folded = _fold(segment.text)
    if line not in folded:
        return False
    spans_pages = segment.page_start != segment.page_end
    return folded == line or folded.startswith(line) or folded.endswith(line) or spans_pages


def page_break_splits(document: coder.Document) -> int:
    segments = document.segments
    return sum(
        1
        for first, second in zip(segments, segments[1:])
        if first.kind == second.kind == "paragraph"
        and first.page_end is not None and second.page_start is not None and second.page_start > first.page_end
        and not first.text.endswith(_TERMINAL) and second.text[:1].islower()
    )


def measure(path: Path, engine: str = "pdfium", document: coder.Document | None = None) -> Quality:
    """The checks for one file; pass ``document`` when the file has already been ingested."""
    document = document or coder.ingest(path, engine=engine)
    running = repeated_page_lines(path)
    leaks = sum(1 for g in document.segments if any(_leaked(line, g) for line in running))
    return Quality(
        name=path.name, pages=document.page_count, sections=len(document.sections),
        typed_sections=sum(1 for s in document.sections if s.type != "other"),
        paragraphs=len(document.segments), running_lines=len(running), running_leaks=leaks,
        page_break_splits=page_break_splits(document),
        page_number_paragraphs=sum(1 for g in document.segments if _PAGE_ONLY.match(g.text.strip())),
        footnotes=len(document.footnotes),
    )
