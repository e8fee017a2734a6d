"""The bundled fictional corpus: PDF and DOCX renderings give back the structure of their sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import coder
from coder.section_types import classify_heading
from conftest import CORPUS

SOURCES = sorted((CORPUS / "src").glob("*.md"))


def source_structure(path: Path) -> tuple[list[str], list[str], dict]:
    """Headings and body paragraphs (each bullet its own item) of a corpus source, and its front matter."""
    text = path.read_text(encoding="utf-8")
    front, body = text.split("\n---", 1)
    meta = dict(line.split(": ", 1) for line in front.strip("-\n").splitlines() if ": " in line)
    headings, paragraphs = [], []
    for chunk in body.split("\n\n"):
        chunk = chunk.strip()
        if not chunk or chunk.startswith("|"):
            continue
        if chunk.startswith("#"):
            headings.append(chunk.lstrip("#").strip())
        else:
            paragraphs.extend(line[2:].strip() for line in chunk.splitlines()) if chunk.startswith("- ") \
                else paragraphs.append(" ".join(chunk.split()))
    return headings, paragraphs, {k: v.strip('"') for k, v in meta.items()}


def body(document: coder.Document) -> tuple[list[str], list[str]]:
    sections = [s for s in document.sections if s.type != "front_matter"]
    first = sections[0].start
    paragraphs = [g.text for g in document.segments if g.start >= first and g.kind in ("paragraph", "list_item")]
    return [s.title for s in sections], paragraphs


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_corpus_rendering_keeps_headings_and_paragraphs(source, kind):
    headings, paragraphs, meta = source_structure(source)
    document = coder.ingest(CORPUS / kind / f"{source.stem}.{kind}")
    found_headings, found_paragraphs = body(document)
    assert found_headings == headings
    if kind == "docx":
        assert found_paragraphs == paragraphs
    else:
        # PDF tables have no cell structure in the fast engine: their rows come out as text lines
        # and may be grouped differently; every real paragraph must be found whole.
        bullet = re.compile(r"^[•\-–]\s*")
        texts = {bullet.sub("", t) for t in found_paragraphs}
        assert [p for p in paragraphs if p not in texts] == []
        assert not any(meta["running_header"] in t for t in found_paragraphs)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_corpus_pdf_has_cover_contents_and_typed_sections(source):
    headings, _, meta = source_structure(source)
    document = coder.ingest(CORPUS / "pdf" / f"{source.stem}.pdf")
    assert 2 <= document.page_count <= 15
    assert any(s.title.lower() == "contents" and s.type == "front_matter" for s in document.sections)
    expected = {h: classify_heading(h)[0] for h in headings}
    for section in document.sections:
        if expected.get(section.title):
            assert section.type == expected[section.title], section.title
    assert {s.type for s in document.sections} >= {"introduction", "analysis", "recommendations"} or \
        {s.type for s in document.sections} >= {"introduction", "analysis", "learning"}
