"""Turn positioned PDF lines into blocks: the clean-up both PDF engines share.

Steps, in order: drop running headers, footers and page numbers (lines in the page margins that
repeat across pages); set footnotes apart; recognise contents pages; find headings from font
size, weight and numbering; rebuild paragraphs across line and page breaks.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from coder.ingest.lines import Block, Line, PageLines
from coder.ingest.normalise import clean, join_hyphenated
from coder.types import Footnote

MARGIN_ZONE = 0.12  # share of the page height, top and bottom, where running lines live
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—(]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I
)
_LEADER = re.compile(r"(?:\.{3,}|…+|_{3,}|\s)\s*(?:\d{1,3}|[ivx]{1,5})$")
_CONTENTS_TITLE = re.compile(r"^(?:table of )?contents?$", re.I)
_BULLET = re.compile(r"^(?:[•◼▪●○◦■□▫➢►▶✓✔\uf0b7\uf0a7-]|o(?=\s)|\*(?=\s)|\(?[a-z]\)|\(?[ivx]{1,4}\))\s*")
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,3}){1,3}\.?\s+\S|^\d{1,3}\.\s+[A-Z(“\"']")
_DOTTED = re.compile(r"^\d{1,2}(?:\.\d{1,3}){1,3}\.?\s")
_HEADING_NUMBER = re.compile(r"^(?:(?:section|part|chapter)\s+)?(\d{1,2}(?:\.\d{1,2}){0,3})[.:)]?\s+\S", re.I)
_FOOTNOTE_MARK = re.compile(r"^(?:\d{1,3}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*\S")
_TERMINAL = (".", "!", "?", ":", ";", "\"", "”", "’", ")")


@dataclass(frozen=True, slots=True)
class Layout:
    blocks: list[Block]
    footnotes: list[Footnote]
    removed_running: int  # header, footer and page-number lines dropped


def build_blocks(pages: list[PageLines]) -> Layout:
    """Clean the lines of every page and rebuild them into blocks in reading order."""
    running = _running_keys(pages)
    body_size = _body_size(pages)
    removed = 0
    kept: list[PageLines] = []
    footnotes: list[Footnote] = []
    for page in pages:
        lines = [ln for ln in page.lines if not _is_running(ln, page, running)]
        removed += len(page.lines) - len(lines)
        lines = [ln for ln in lines if not _is_detached_marker(ln, body_size)]
        lines, notes = _split_footnotes(lines, page, body_size)
        footnotes.extend(notes)
        kept.append(PageLines(page.number, page.width, page.height, tuple(lines)))
    vocabulary = _vocabulary(kept)
    pitch = _typical_pitch(kept, body_size)
    heading_sizes = _heading_sizes(kept, body_size)
    blocks: list[Block] = []
    lowest: int | None = None  # index in ``blocks`` of the previous page's bottom-most block
    for page in kept:
        if _is_contents_page(page):
            blocks.extend(_contents_blocks(page))
            lowest = None
            continue
        page_blocks, page_lowest = _page_blocks(page, body_size, pitch, heading_sizes, vocabulary)
        if not page_blocks:
            continue
        start = len(blocks)
        merged_into = _append_across_pages(blocks, lowest, page_blocks, vocabulary)
        positions = list(range(start, len(blocks)))
        if merged_into is not None:
            positions.insert(0, merged_into)
        lowest = positions[page_lowest]
    return Layout(blocks, footnotes, removed)


def _key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def _in_margin(line: Line, page: PageLines) -> bool:
    return line.bottom < page.height * MARGIN_ZONE or line.top > page.height * (1 - MARGIN_ZONE)


def _running_keys(pages: list[PageLines]) -> set[str]:
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_key(ln.text) for ln in page.lines if _in_margin(ln, page)})
    needed = max(2, int(0.3 * len(pages)))
    return {key for key, n in counts.items() if n >= needed}


def _is_running(line: Line, page: PageLines, running: set[str]) -> bool:
    if not _in_margin(line, page):
        return False
    return _key(line.text) in running or bool(_PAGE_NUMBER.match(line.text.strip()))


def _body_size(pages: list[PageLines]) -> float:
    weights: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 11.0


def _is_detached_marker(line: Line, body: float) -> bool:
    """A raised footnote marker that came out as a line of its own ("26" in small type)."""
    text = line.text.strip()
    return text.isdigit() and len(text) <= 3 and line.size <= body * 0.85


def _split_footnotes(lines: list[Line], page: PageLines, body: float) -> tuple[list[Line], list[Footnote]]:
    """Set apart the small-type lines below the last body line that start with a note marker."""
    body_bottom = max((ln.bottom for ln in lines if ln.size > body * 0.88), default=0.0)
    floor = max(body_bottom, page.height * 0.5)

    def in_notes(line: Line) -> bool:
        return line.size <= body * 0.88 and line.top > floor

    tail = sorted(filter(in_notes, lines), key=lambda ln: ln.bottom)
    if not tail or not _FOOTNOTE_MARK.match(tail[0].text):
        return lines, []
    notes: list[Footnote] = []
    for line in tail:
        mark = re.match(r"^(\d{1,3}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*", line.text)
        if mark or not notes:
            label = mark.group(1) if mark else ""
            notes.append(Footnote(label, clean(line.text[mark.end():] if mark else line.text), page.number))
        else:
            last = notes[-1]
            notes[-1] = Footnote(last.label, f"{last.text} {clean(line.text)}", last.page)
    return [ln for ln in lines if not in_notes(ln)], notes


def _vocabulary(pages: list[PageLines]) -> set[str]:
    words: set[str] = set()
    for page in pages:
        for line in page.lines:
            words.update(w.strip(".,;:()[]'\"“”‘’").lower() for w in line.text.split())
    return words


def _typical_pitch(pages: list[PageLines], body: float) -> float:
    pitches = [
        b.bottom - a.bottom
        for page in pages
        for a, b in zip(page.lines, page.lines[1:])
        if a.size == body == b.size and 0 < b.bottom - a.bottom < 2.2 * body
    ]
    return median(pitches) if pitches else body * 1.2


def _heading_sizes(pages: list[PageLines], body: float) -> list[float]:
    """Heading font sizes, largest first; sizes seen only on the first page (a title or cover)
    are left out so that the body's top headings still rank as level 1."""
    first: set[float] = set()
    later: set[float] = set()
    for page in pages:
        for line in page.lines:
            if _heading_evidence(line, body):
                (first if page.number == 1 else later).add(line.size)
    return sorted(later or first, reverse=True)


def _heading_evidence(line: Line, body: float) -> str:
    text = line.text.strip()
    words = len(text.split())
    if not 1 <= words <= 22 or len(text) > 170 or not any(c.isalpha() for c in text):
        return ""
    if text.endswith((",", ";")) or _PAGE_NUMBER.match(text) or _BULLET.match(text):
        return ""
    if line.size >= body * 1.12:
        return "font size"
    if line.bold and line.size >= body * 0.95 and not (text.endswith(".") and words > 8):
        return "bold"
    return ""


def _is_contents_page(page: PageLines) -> bool:
    texts = [ln.text.strip() for ln in page.lines]
    if len(texts) < 3:
        return False
    titled = any(_CONTENTS_TITLE.match(t) for t in texts[:4])
    leaders = sum(1 for t in texts if _LEADER.search(t) and len(t.split()) <= 16)
    return (titled and leaders >= 3) or leaders >= max(6, 0.7 * len(texts))


def _contents_blocks(page: PageLines) -> list[Block]:
    blocks: list[Block] = []
    for line in page.lines:
        text = clean(line.text)
        if _CONTENTS_TITLE.match(text):
            blocks.append(Block("heading", text, page.number, page.number, 1, "contents title"))
        elif blocks and blocks[-1].kind == "contents" and not _LEADER.search(blocks[-1].text):
            previous = blocks[-1]  # a contents entry wrapped onto a second line
            blocks[-1] = Block("contents", f"{previous.text} {text}", page.number, page.number)
        else:
            blocks.append(Block("contents", text, page.number, page.number))
    return blocks


def _page_blocks(
    page: PageLines, body: float, pitch: float, heading_sizes: list[float], vocabulary: set[str]
) -> tuple[list[Block], int]:
    """The page's blocks in stream order, and the index of the block whose last line is lowest."""
    blocks: list[Block] = []
    lowest, lowest_bottom = 0, float("-inf")
    right = max((ln.x1 for ln in page.lines if ln.size == body), default=page.width)
    previous: Line | None = None
    evidences = _page_evidence(page.lines, body)
    for line, evidence in zip(page.lines, evidences):
        text = clean(line.text)
        if not text:
            continue
        if line.table_row:
            blocks.append(Block("table_row", text, page.number, page.number))
        elif evidence:
            level = _heading_level(text, line.size, heading_sizes)
            if previous is not None and blocks and blocks[-1].kind == "heading" and _continues_heading(previous, line, text):
                last = blocks[-1]
                blocks[-1] = Block("heading", f"{last.text} {text}", last.page_start, page.number, last.level, last.how)
            else:
                blocks.append(Block("heading", text, page.number, page.number, level, evidence))
        elif previous is None or not blocks or blocks[-1].kind in {"heading", "table_row"} or _starts_block(previous, line, text, body, pitch, right):
            kind = "list_item" if _BULLET.match(text) else "paragraph"
            blocks.append(Block(kind, text, page.number, page.number))
        else:
            last = blocks[-1]
            joined = join_hyphenated(last.text, text, vocabulary) or f"{last.text} {text}"
            blocks[-1] = Block(last.kind, joined, last.page_start, page.number)
        previous = line
        if line.bottom > lowest_bottom:
            lowest, lowest_bottom = len(blocks) - 1, line.bottom
    return blocks, lowest


def _page_evidence(lines: tuple[Line, ...], body: float) -> list[str]:
    """Heading evidence per line, withdrawn from runs of bold lines too long to be a heading
    (a bold call-out box or a bold paragraph is body text)."""
    evidence = ["" if ln.table_row else _heading_evidence(ln, body) for ln in lines]
    run: list[int] = []
    for index in range(len(lines) + 1):
        if index < len(lines) and evidence[index] == "bold" and (not run or 0 < lines[index].bottom - lines[run[-1]].bottom < 2 * body):
            run.append(index)
            continue
        if run and sum(len(lines[i].text.split()) for i in run) > 24:
            for i in run:
                evidence[i] = ""
        run = [index] if index < len(lines) and evidence[index] == "bold" else []
    return evidence


def _heading_level(text: str, size: float, heading_sizes: list[float]) -> int:
    number = _HEADING_NUMBER.match(text)
    if number:
        return min(number.group(1).count(".") + 1, 4)
    if size > heading_sizes[0] if heading_sizes else True:
        return 1
    rank = heading_sizes.index(size) + 1 if size in heading_sizes else len(heading_sizes)
    return max(1, min(rank, 3))


def _continues_heading(previous: Line, line: Line, text: str) -> bool:
    return (
        abs(previous.size - line.size) < 0.6
        and 0 < line.bottom - previous.bottom <= previous.size * 1.6
        and not _HEADING_NUMBER.match(text)
        and not previous.text.rstrip().endswith((".", ":", "?"))
    )


def _starts_block(previous: Line, line: Line, text: str, body: float, pitch: float, right: float) -> bool:
    step = line.bottom - previous.bottom
    if step <= 0 or step > max(pitch * 1.3, previous.size * 1.45):
        return True  # a blank line's worth of space, or a jump back up (a new column)
    if abs(line.size - previous.size) > 1.0:
        return True
    if _BULLET.match(text):
        return True
    ended = previous.text.rstrip().endswith(_TERMINAL)
    if _DOTTED.match(text) or (ended and _NUMBERED.match(text)):
        return True
    # A line that stops well short of the margin after a full stop ends its paragraph.
    return ended and previous.x1 < right - 0.25 * (right - previous.x0)


def _append_across_pages(blocks: list[Block], lowest: int | None, page_blocks: list[Block], vocabulary: set[str]) -> int | None:
    """Join the page's first block to the block that ended lowest on the previous page (the
    stream may end with a call-out box drawn at the top) when the sentence runs on."""
    candidates = [i for i in (lowest, len(blocks) - 1) if i is not None and i >= 0]
    for index in dict.fromkeys(candidates):
        if _continues_across(blocks[index], page_blocks[0]):
            last, first = blocks[index], page_blocks.pop(0)
            joined = join_hyphenated(last.text, first.text, vocabulary) or f"{last.text} {first.text}"
            blocks[index] = Block(last.kind, joined, last.page_start, first.page_end)
            blocks.extend(page_blocks)
            return index
    blocks.extend(page_blocks)
    return None


def _continues_across(last: Block, first: Block) -> bool:
    if last.kind not in {"paragraph", "list_item"} or first.kind != "paragraph":
        return False
    if _DOTTED.match(first.text) or _NUMBERED.match(first.text):
        return False
    return not last.text.endswith(_TERMINAL) or first.text[:1].islower()
