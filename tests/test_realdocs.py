"""Real public-sector PDFs (../shared/realdocs): furniture removed, headings found, no broken sentences."""

from __future__ import annotations

import pytest

import coder
from realdoc_checks import measure


@pytest.fixture(scope="module")
def documents(realdocs):
    """Each real PDF read once by the default engine, shared by the tests below."""
    return {path: coder.ingest(path) for path in realdocs}


def test_realdocs_quality_per_file(documents):
    failures = []
    for path, document in documents.items():
        quality = measure(path, document=document)
        if (quality.running_leaks or quality.page_break_splits or quality.page_number_paragraphs
                or quality.sections < 3 or quality.typed_sections == 0):
            failures.append(quality)
    assert failures == []


def test_realdocs_contents_pages_are_front_matter(documents):
    contents = [(path.name, s.type) for path, d in documents.items() for s in d.sections if s.title.lower() == "contents"]
    assert contents and all(kind == "front_matter" for _, kind in contents)


def test_realdocs_pdfplumber_reads_the_same_words_as_pdfium(documents):
    path = next((p for p in documents if p.name.startswith("coventry")), None)
    if path is None:
        pytest.skip("the coventry review is not among ../shared/realdocs")
    words = set(coder.ingest(path, engine="pdfplumber").text.split())
    reference = set(documents[path].text.split())
    assert len(words & reference) / len(reference) > 0.95
