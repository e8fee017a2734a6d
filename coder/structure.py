"""Assemble reader blocks into a Document: one text, a section tree with types, and segments."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from coder.ingest.lines import Block
from coder.section_types import classify_heading
from coder.types import Document, DocumentFormat, Footnote, PageSpan, Section, SectionType, Segment

if TYPE_CHECKING:
    from spacy.language import Language

SEPARATOR = "\n\n"
_PARAGRAPH_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,3}){1,3})\.?\s+\S|^(\d{1,3})[.)]\s+\S")
_HEADING_NUMBER = re.compile(r"^(?:(?:section|part|chapter|appendix)\s+)?(\d{1,2}(?:\.\d{1,2}){0,3}|[A-Z])[.:)]?\s+\S", re.I)
_BODY_TYPES = {"background", "chronology", "analysis", "good_practice", "learning", "family_views"}
_COVER_CHARS = 600  # a first page with less body text than this is a cover, not content


@lru_cache(maxsize=1)
def sentencizer() -> Language:
    """A blank English pipeline with a rule-based sentencizer: no model to download."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def assemble(
    blocks: Sequence[Block],
    *,
    path: str,
    sha256: str,
    format: DocumentFormat,
    engine: str,
    page_count: int,
    title: str = "",
    footnotes: Sequence[Footnote] = (),
    warnings: Sequence[str] = (),
) -> Document:
    """Build the Document text from blocks, then its sections, segments and page spans."""
    blocks = [b for b in blocks if b.text.strip()]
    starts: list[int] = []
    pieces: list[str] = []
    offset = 0
    for block in blocks:
        starts.append(offset)
        pieces.append(block.text)
        offset += len(block.text) + len(SEPARATOR)
    text = SEPARATOR.join(pieces)
    sections, owner = _sections(blocks, starts, len(text), page_count)
    segments = _segments(blocks, starts, sections, owner, sha256)
    doc_title = title.strip() or next((b.text for b in blocks if b.kind == "heading"), "") or path.rsplit("/", 1)[-1]
    return Document(
        id=sha256[:16], path=path, sha256=sha256, format=format, engine=engine, title=doc_title,
        text=text, page_count=page_count, pages=_pages(blocks, starts), sections=tuple(sections),
        segments=tuple(segments), footnotes=tuple(footnotes), warnings=tuple(warnings),
    )


def _sections(
    blocks: Sequence[Block], starts: list[int], text_length: int, page_count: int
) -> tuple[list[Section], list[int]]:
    """Return sections in order and, for every block, the index of its innermost section."""
    opened: list[dict] = []
    owner: list[int] = []
    stack: list[int] = []
    if not blocks or blocks[0].kind != "heading":
        first_page = blocks[0].page_start if blocks else None
        opened.append(dict(title="(opening text)", level=1, parent=None, start=0, page=first_page, number=None, how="no heading"))
        stack.append(0)
    for block, start in zip(blocks, starts):
        if block.kind == "heading":
            level = max(1, block.level)
            while stack and opened[stack[-1]]["level"] >= level:
                stack.pop()
            number = _HEADING_NUMBER.match(block.text)
            opened.append(dict(
                title=block.text, level=level, parent=stack[-1] if stack else None, start=start,
                page=block.page_start, number=number.group(1) if number and any(c.isdigit() for c in number.group(1)) else None,
                how=block.how,
            ))
            stack.append(len(opened) - 1)
        owner.append(stack[-1])
    ends = _section_ends(opened, blocks, starts, owner, text_length)
    last_pages = _last_pages(opened, blocks, owner)
    cover = _cover_text(blocks) < _COVER_CHARS and page_count > 3
    sections: list[Section] = []
    previous_top: Section | None = None
    for index, info in enumerate(opened):
        parent = sections[info["parent"]] if info["parent"] is not None else None
        section_type, reason = _section_type(info, parent, previous_top, cover)
        path = (parent.path if parent else ()) + (info["title"],)
        section = Section(
            index=index, title=info["title"], level=info["level"], type=section_type, type_reason=reason,
            parent=info["parent"], path=path, number=info["number"], start=info["start"], end=ends[index],
            page_start=info["page"], page_end=last_pages[index],
        )
        sections.append(section)
        if parent is None:
            previous_top = section
    return sections, owner


def _section_ends(opened: list[dict], blocks: Sequence[Block], starts: list[int], owner: list[int], text_length: int) -> list[int]:
    ends = [0] * len(opened)
    for block, start, index in zip(blocks, starts, owner):
        end = start + len(block.text)
        while index is not None:
            ends[index] = max(ends[index], end)
            index = opened[index]["parent"]
    return [e or min(text_length, o["start"]) for e, o in zip(ends, opened)]


def _last_pages(opened: list[dict], blocks: Sequence[Block], owner: list[int]) -> list[int | None]:
    pages: list[int | None] = [o["page"] for o in opened]
    for block, index in zip(blocks, owner):
        while index is not None:
            if block.page_end is not None:
                pages[index] = max(pages[index] or 0, block.page_end)
            index = opened[index]["parent"]
    return pages


def _cover_text(blocks: Sequence[Block]) -> int:
    return sum(len(b.text) for b in blocks if b.page_start == 1 and b.kind != "heading")


def _section_type(info: dict, parent: Section | None, previous_top: Section | None, cover: bool) -> tuple[SectionType, str]:
    if info["how"] == "contents title":
        return "front_matter", "contents page"
    if cover and info["page"] == 1:
        return "front_matter", "on the cover page"  # a cover title ("…Overview Report") names no section
    if info["how"] == "style Title":
        return "front_matter", "the document's title (Title style)"
    named, reason = classify_heading(info["title"])
    if named is not None:
        return named, reason
    if parent is not None:
        return parent.type, f"inherits from parent '{parent.title}'"
    early = info["page"] is None or info["page"] <= 2
    if early and (previous_top is None or previous_top.type == "front_matter"):
        return "front_matter", "before the first recognised heading"
    if previous_top.type in _BODY_TYPES:
        return previous_top.type, f"follows '{previous_top.title}'"
    return "other", "heading wording not recognised"


def _segments(
    blocks: Sequence[Block], starts: list[int], sections: list[Section], owner: list[int], sha256: str
) -> list[Segment]:
    chosen = [(b, s, o) for b, s, o in zip(blocks, starts, owner) if b.kind != "heading"]
    spans = _sentence_spans([b.text for b, _, _ in chosen])
    segments: list[Segment] = []
    for (block, start, section_index), sentence_spans in zip(chosen, spans):
        section = sections[section_index]
        number = _PARAGRAPH_NUMBER.match(block.text) if block.kind in {"paragraph", "list_item"} else None
        segments.append(Segment(
            id=f"{sha256[:16]}:{start}", index=len(segments), section=section_index,
            section_path=section.path, section_type=section.type, kind=block.kind,  # type: ignore[arg-type]
            number=(number.group(1) or number.group(2)) if number else None,
            start=start, end=start + len(block.text), text=block.text,
            page_start=block.page_start, page_end=block.page_end,
            sentences=tuple((start + a, start + b) for a, b in sentence_spans),
        ))
    return segments


def _sentence_spans(texts: list[str]) -> list[list[tuple[int, int]]]:
    nlp = sentencizer()
    result = []
    for doc in nlp.pipe(texts, batch_size=256):
        spans = [(sent.start_char, sent.end_char) for sent in doc.sents]
        result.append(spans or [(0, len(doc.text))])
    return result


def _pages(blocks: Sequence[Block], starts: list[int]) -> tuple[PageSpan, ...]:
    bounds: dict[int, list[int]] = {}
    for block, start in zip(blocks, starts):
        if block.page_start is None:
            continue
        for number in range(block.page_start, (block.page_end or block.page_start) + 1):
            low_high = bounds.setdefault(number, [start, start + len(block.text)])
            low_high[0] = min(low_high[0], start)
            low_high[1] = max(low_high[1], start + len(block.text))
    return tuple(PageSpan(n, lo, hi) for n, (lo, hi) in sorted(bounds.items()))
