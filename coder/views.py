"""Ways to show an ingested Document: a JSON structure for other tools, a text tree for people."""

from __future__ import annotations

from collections import Counter
from typing import Any

from coder.types import Document


def document_to_dict(document: Document) -> dict[str, Any]:
    """The whole extracted structure: document fields, sections and paragraphs."""
    return {
        "id": document.id,
        "path": document.path,
        "sha256": document.sha256,
        "format": document.format,
        "engine": document.engine,
        "title": document.title,
        "page_count": document.page_count,
        "warnings": list(document.warnings),
        "sections": [
            {
                "index": s.index, "title": s.title, "level": s.level, "type": s.type,
                "type_reason": s.type_reason, "parent": s.parent, "number": s.number,
                "pages": [s.page_start, s.page_end], "start": s.start, "end": s.end,
            }
            for s in document.sections
        ],
        "paragraphs": [
            {
                "id": g.id, "kind": g.kind, "number": g.number, "text": g.text,
                "pages": [g.page_start, g.page_end], "section": g.section,
                "section_path": list(g.section_path), "section_type": g.section_type,
                "start": g.start, "end": g.end, "sentences": [list(s) for s in g.sentences],
            }
            for g in document.segments
        ],
        "footnotes": [{"label": f.label, "text": f.text, "page": f.page} for f in document.footnotes],
    }


def render_tree(document: Document, *, words: int = 8) -> str:
    """The section tree with types, page ranges and paragraph counts, and each paragraph's first words."""
    counts = Counter(g.section for g in document.segments)
    lines = [
        f"{document.title}",
        f"{document.path} | {document.format} via {document.engine} | {document.page_count} page(s) | "
        f"{len(document.sections)} section(s) | {len(document.segments)} paragraph(s) | "
        f"{len(document.footnotes)} footnote(s)",
    ]
    lines.extend(f"warning: {w}" for w in document.warnings)
    by_section: dict[int, list[str]] = {}
    for g in document.segments:
        first = " ".join(g.text.split()[:words])
        number = f"{g.number} " if g.number and not g.text.startswith(g.number) else ""
        by_section.setdefault(g.section, []).append(f"{_pages(g.page_start, g.page_end)} {number}{first}…")
    for section in document.sections:
        indent = "  " * (section.level - 1)
        lines.append(
            f"{indent}# {section.title}  [{section.type}] {_pages(section.page_start, section.page_end)} "
            f"({counts.get(section.index, 0)} paragraph(s))"
        )
        lines.extend(f"{indent}    {entry}" for entry in by_section.get(section.index, []))
    return "\n".join(lines)


def _pages(start: int | None, end: int | None) -> str:
    if start is None:
        return "p.-"
    return f"p.{start}" if end in (None, start) else f"pp.{start}-{end}"
