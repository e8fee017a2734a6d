"""The layout lines both PDF engines produce, so everything after extraction is shared."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line: its text, where it sits on the page, and how it is set."""

    text: str
    x0: float
    x1: float
    top: float  # distance from the top of the page to the top of the line, in points
    bottom: float  # distance from the top of the page to the baseline
    size: float  # font size in points
    bold: bool
    table_row: bool = False  # a whole table row, cells joined by " | " (pdfplumber engine)


@dataclass(frozen=True, slots=True)
class PageLines:
    number: int  # 1-based
    width: float
    height: float
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Block:
    """A reader's output unit: a heading, a paragraph, a list item, a table row or a contents entry.

    Every reader (PDF engines, DOCX, plain text) produces blocks in reading order; the structure
    step turns them into one Document, so all formats end up with the same shape.
    """

    kind: str  # heading | paragraph | list_item | table_row | contents
    text: str
    page_start: int | None = None
    page_end: int | None = None
    level: int = 0  # headings only: 1 = top level
    how: str = ""  # headings only: the evidence ("font size", "bold", "style Heading 2", …)
