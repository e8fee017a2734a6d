"""The bundled fictional corpus: PDF and DOCX renderings give back the structure of their sources,
and `corpus/` holds each review once, exactly as `corpus/build.py` publishes it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import coder
from coder.section_types import classify_heading
from conftest import CORPUS, CORPUS_DATA, ROOT

SOURCES = sorted((CORPUS_DATA / "src").glob("*.md"))


def _build_module():
    import importlib.util
    import sys

    if "corpus_build" not in sys.modules:
        spec = importlib.util.spec_from_file_location("corpus_build", ROOT / "corpus" / "build.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["corpus_build"] = module  # dataclasses look their module up while being built
        spec.loader.exec_module(module)
    return sys.modules["corpus_build"]


@pytest.fixture(scope="session")
def rendering(tmp_path_factory):
    """The review in the requested format: the published file, or a fresh rendering of the other format."""
    build, folder = _build_module(), tmp_path_factory.mktemp("renderings")

    def get(source: Path, kind: str) -> Path:
        published = CORPUS / f"{source.stem}.{kind}"
        return published if published.exists() else build.render(source, kind, folder)
    return get


def test_corpus_folder_holds_each_review_once_as_published(tmp_path):
    build = _build_module()
    reviews = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".pdf", ".docx"))
    assert reviews == sorted(f"{s.stem}.{build.PUBLISHED_AS.get(s.stem, 'pdf')}" for s in SOURCES)
    assert {p.suffix for p in CORPUS.iterdir() if p.is_file()} <= {".pdf", ".docx", ".md", ".py"}
    assert [p for p in coder.expand_paths([CORPUS]) if p.suffix not in (".pdf", ".docx")] == []
    # the build is deterministic, so the committed files are exactly what the sources give
    for name in reviews:
        stem, kind = name.rsplit(".", 1)
        fresh = build.render(CORPUS_DATA / "src" / f"{stem}.md", kind, tmp_path)
        assert fresh.read_bytes() == (CORPUS / name).read_bytes(), f"{name} is stale: run make corpus"


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
def test_corpus_rendering_keeps_headings_and_paragraphs(source, kind, rendering):
    headings, paragraphs, meta = source_structure(source)
    document = coder.ingest(rendering(source, kind))
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
def test_corpus_pdf_has_cover_contents_and_typed_sections(source, rendering):
    headings, _, meta = source_structure(source)
    document = coder.ingest(rendering(source, "pdf"))
    assert 2 <= document.page_count <= 15
    cover = [s for s in document.sections if s.page_start == 1]
    assert cover and all(s.type == "front_matter" and s.type_reason == "on the cover page" for s in cover)
    assert meta["title"] in " ".join(s.title for s in cover)
    assert any(s.title.lower() == "contents" and s.type == "front_matter" for s in document.sections)
    expected = {h: classify_heading(h)[0] for h in headings}
    for section in document.sections:
        if expected.get(section.title):
            assert section.type == expected[section.title], section.title
    assert {s.type for s in document.sections} >= {"introduction", "analysis", "recommendations"} or \
        {s.type for s in document.sections} >= {"introduction", "analysis", "learning"}
