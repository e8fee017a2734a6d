"""Real public-sector PDFs (../shared/realdocs): furniture removed, headings found, no broken sentences."""

from __future__ import annotations

import pytest

import coder
from realdoc_checks import measure


def test_realdocs_quality_per_file(realdocs):
    failures = []
    for path in realdocs:
        quality = measure(path)
        if quality.running_leaks or quality.page_break_splits or quality.page_number_paragraphs or quality.sections < 3:
            failures.append(quality)
        if quality.typed_sections == 0:
            failures.append(quality)
    assert failures == []


def test_realdocs_contents_pages_are_front_matter(realdocs):
    for path in realdocs:
        document = coder.ingest(path)
        for section in document.sections:
            if section.title.lower() == "contents":
                assert section.type == "front_matter", path.name


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_realdocs_engines_read_the_same_words(realdocs, engine):
    path = next(p for p in realdocs if p.name.startswith("coventry"))
    words = coder.ingest(path, engine=engine).text.split()
    reference = coder.ingest(path, engine="pdfium").text.split()
    overlap = len(set(words) & set(reference)) / len(set(reference))
    assert overlap > 0.95
