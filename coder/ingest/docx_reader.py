"""Read Word documents: headings from styles and outline levels, numbered paragraphs, tables row
by row, and footnotes kept apart from the body."""

from __future__ import annotations

import io
import re
from pathlib import Path

from coder.errors import IngestError
from coder.ingest.lines import Block
from coder.ingest.normalise import clean
from coder.types import Footnote

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)
_TOC_STYLE = re.compile(r"^toc\s*(heading|\d)?$", re.I)
_NUMBERED_HEADING = re.compile(r"^(?:(?:section|part|appendix)\s+)?\d{1,2}(?:\.\d{1,2}){0,2}[.:]?\s+[A-Z]")
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def read_docx(path: Path, data: bytes) -> tuple[list[Block], list[Footnote], str, int]:
    """Return the blocks, footnotes, title and page count (from the file's own statistics)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise IngestError(path, "corrupt", f"damaged Word document ({type(error).__name__}: {error}); re-save it as .docx") from None
    except Exception as error:  # lxml raises its own XMLSyntaxError for malformed parts
        raise IngestError(path, "corrupt", f"damaged Word document ({type(error).__name__}); re-save it as .docx") from None
    numbering = _Numbering(document)
    blocks: list[Block] = []
    deepest = 0
    for element in document.element.body.iterchildren():
        if element.tag == f"{W}p":
            block = _paragraph_block(docx.text.paragraph.Paragraph(element, document), numbering, deepest)
            if block is not None:
                if block.kind == "heading" and block.how.startswith("style"):
                    deepest = max(deepest, block.level)
                blocks.append(block)
        elif element.tag == f"{W}tbl":
            blocks.extend(_table_blocks(docx.table.Table(element, document)))
    title = (document.core_properties.title or "").strip()
    return blocks, _footnotes(document), title, _page_count(document)


def _paragraph_block(paragraph, numbering: _Numbering, deepest: int) -> Block | None:
    text = clean(paragraph.text)
    style = paragraph.style.name if paragraph.style is not None else ""
    label = numbering.label(paragraph)
    if not text:
        return None
    if _TOC_STYLE.match(style):
        return Block("contents", text)
    level, how = _heading_level(paragraph, style)
    if label and label != "•" and not text.startswith(label):
        text = f"{label} {text}"
    if level:
        return Block("heading", text, level=level, how=how)
    words = len(text.split())
    if words <= 14 and not text.endswith((".", ",", ";")) and _all_bold(paragraph):
        return Block("heading", text, level=min(deepest + 1, 4) if deepest else 1, how="bold short line")
    if words <= 10 and not text.endswith((".", ",", ";", ":")) and _NUMBERED_HEADING.match(text):
        return Block("heading", text, level=text.split()[0].rstrip(".:").count(".") + 1, how="numbering")
    if label == "•" or style.lower().startswith("list"):
        return Block("list_item", text)
    return Block("paragraph", text)


def _heading_level(paragraph, style: str) -> tuple[int, str]:
    if style.lower() == "title":
        return 1, "style Title"
    style_obj = paragraph.style
    while style_obj is not None:
        match = _HEADING_STYLE.match(style_obj.name or "")
        if match:
            return int(match.group(1)), f"style {style}"
        style_obj = style_obj.base_style
    outline = paragraph._p.find(f"{W}pPr/{W}outlineLvl")
    if outline is not None and outline.get(f"{W}val", "9").isdigit() and int(outline.get(f"{W}val")) < 9:
        return int(outline.get(f"{W}val")) + 1, "outline level"
    return 0, ""


def _all_bold(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    return bool(runs) and all(r.bold or (r.bold is None and style_bold) for r in runs)


def _table_blocks(table) -> list[Block]:
    blocks = []
    for row in table.rows:
        seen, cells = set(), []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a merged cell is repeated once per grid column it spans
            seen.add(id(cell._tc))
            cells.append(clean(" ".join(p.text for p in cell.paragraphs)))
        if any(cells):
            blocks.append(Block("table_row", " | ".join(cells)))
    return blocks


def _footnotes(document) -> list[Footnote]:
    notes = []
    for part in document.part.package.iter_parts():
        if str(part.partname) not in {"/word/footnotes.xml", "/word/endnotes.xml"}:
            continue
        from lxml import etree

        root = etree.fromstring(part.blob)
        for note in root:
            if note.get(f"{W}type") in {"separator", "continuationSeparator", "continuationNotice"}:
                continue
            text = clean(" ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in note.iter(f"{W}p")))
            if text:
                notes.append(Footnote(note.get(f"{W}id", ""), text, None))
    return notes


def _page_count(document) -> int:
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            match = re.search(rb"<(?:\w+:)?Pages>(\d+)<", part.blob)
            return int(match.group(1)) if match else 0
    return 0


class _Numbering:
    """Work out the labels Word generates for numbered paragraphs ("3.2", "a)", bullets)."""

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for abstract in root.findall(f"{W}abstractNum"):
            aid = abstract.get(f"{W}abstractNumId")
            for lvl in abstract.findall(f"{W}lvl"):
                ilvl = int(lvl.get(f"{W}ilvl", "0"))
                fmt = _val(lvl.find(f"{W}numFmt"), "decimal")
                text = _val(lvl.find(f"{W}lvlText"), "")
                start = int(_val(lvl.find(f"{W}start"), "1"))
                self.levels[(aid, ilvl)] = (fmt, text, start)
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.abstract_of[num.get(f"{W}numId")] = ref.get(f"{W}val")

    def label(self, paragraph) -> str:
        num_pr = paragraph._p.find(f"{W}pPr/{W}numPr")
        if num_pr is None and paragraph.style is not None:
            num_pr = paragraph.style.element.find(f"{W}pPr/{W}numPr")
        if num_pr is None:
            return ""
        num_id = _val(num_pr.find(f"{W}numId"), "")
        ilvl = int(_val(num_pr.find(f"{W}ilvl"), "0"))
        aid = self.abstract_of.get(num_id)
        if aid is None or num_id == "0" or (aid, ilvl) not in self.levels:
            return ""
        fmt, pattern, _start = self.levels[(aid, ilvl)]
        if fmt == "bullet" or fmt == "none":
            return "•" if fmt == "bullet" else ""
        counters = self.counters.setdefault(aid, [0] * 9)
        if counters[ilvl] == 0:
            counters[ilvl] = self.levels[(aid, ilvl)][2]
        else:
            counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        def render(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            level_fmt = self.levels.get((aid, level), ("decimal", "", 1))[0]
            return _format(counters[level] or self.levels.get((aid, level), ("", "", 1))[2], level_fmt)
        return re.sub(r"%(\d)", render, pattern).strip()


def _val(element, default: str) -> str:
    return element.get(f"{W}val", default) if element is not None else default


def _format(number: int, fmt: str) -> str:
    if fmt in {"lowerLetter", "upperLetter"}:
        letter = chr(ord("a") + (number - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in {"lowerRoman", "upperRoman"}:
        out, rest = "", number
        for value, numeral in _ROMAN:
            while rest >= value:
                out, rest = out + numeral, rest - value
        return out.upper() if fmt == "upperRoman" else out
    return str(number)
