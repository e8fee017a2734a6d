"""Core value types.

Every offset in this package is a half-open ``[start, end)`` *character* index into
``Document.text`` (Python ``str`` indices, never bytes or tokens), so that
``document.text[segment.start:segment.end] == segment.text`` always holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

DocumentFormat = Literal["pdf", "docx", "text"]
SectionType = Literal[
    "front_matter",
    "introduction",
    "background",
    "chronology",
    "analysis",
    "good_practice",
    "learning",
    "recommendations",
    "family_views",
    "conclusion",
    "back_matter",
    "other",
]
SECTION_TYPES: tuple[str, ...] = SectionType.__args__  # type: ignore[attr-defined]
SegmentKind = Literal["paragraph", "list_item", "table_row", "contents"]


@dataclass(frozen=True, slots=True)
class PageSpan:
    """Where one printed page's body text lies in ``Document.text``."""

    number: int  # 1-based, as a PDF viewer counts pages
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote or endnote, kept apart from the body text."""

    label: str
    text: str
    page: int | None


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and everything under it, down to the next heading of the same or higher level."""

    index: int
    title: str
    level: int  # 1 = top-level heading
    type: SectionType
    type_reason: str  # how the type was decided, for a researcher checking it
    parent: int | None  # index of the enclosing section
    path: tuple[str, ...]  # heading trail from the top level down to this section
    number: str | None  # the heading's own number ("4.2"), when printed
    start: int  # start of the heading in Document.text
    end: int  # end of the last text the section covers (nested sections included)
    page_start: int | None
    page_end: int | None


@dataclass(frozen=True, slots=True)
class Segment:
    """A paragraph (or list item, or table row): the unit that gets coded."""

    id: str  # f"{document sha256[:16]}:{start}", stable while the file's bytes do not change
    index: int
    section: int  # index of the innermost section holding the segment
    section_path: tuple[str, ...]
    section_type: SectionType
    kind: SegmentKind
    number: str | None  # the review's own paragraph number ("3.85"), when printed
    start: int
    end: int
    text: str
    page_start: int | None
    page_end: int | None
    sentences: tuple[tuple[int, int], ...]  # absolute offsets of each sentence


@dataclass(frozen=True, slots=True)
class Document:
    """A source report after ingestion."""

    id: str  # sha256[:16] of the file's bytes
    path: str
    sha256: str
    format: DocumentFormat
    engine: str
    title: str
    text: str
    page_count: int
    pages: tuple[PageSpan, ...] = ()
    sections: tuple[Section, ...] = ()
    segments: tuple[Segment, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def section_of(self, segment: Segment) -> Section:
        return self.sections[segment.section]

    def iter_segments(self, *, kinds: tuple[str, ...] | None = None) -> Iterator[Segment]:
        for segment in self.segments:
            if kinds is None or segment.kind in kinds:
                yield segment


CodingSource = Literal["rule", "model", "hybrid", "human"]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who or what said so, with which codebook and tool version."""

    source: CodingSource
    codebook: str  # name@version#hash8
    codebook_sha256: str
    tool_version: str
    rules: tuple[str, ...] = ()  # "code_id/pattern_id" of every rule that fired
    model: str | None = None  # model id ("default@<hash8>")
    probability: float | None = None  # the model's calibrated probability


@dataclass(frozen=True, slots=True)
class Coding:
    """'This paragraph carries this code', with the words that justify it."""

    segment_id: str
    code: str
    polarity: str
    confidence: float
    start: int  # evidence span: character offsets into the document (or the coded text)
    end: int
    evidence: str
    provenance: Provenance

    @property
    def key(self) -> str:
        """Stable per paragraph and code, so re-coding replaces rather than duplicates."""
        return f"{self.segment_id}|{self.code}"
