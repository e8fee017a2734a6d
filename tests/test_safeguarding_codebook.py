"""The default codebook implements the shared specification and passes its own examples."""

from __future__ import annotations

import re

import pytest

from coder.codebook import load_codebook
from coder.codebook_check import check_examples
from conftest import SHARED


@pytest.fixture(scope="module")
def book():
    return load_codebook()


def spec_ids() -> dict[str, str]:
    path = SHARED / "codebook-spec.md"
    if not path.exists():
        pytest.skip("../shared/codebook-spec.md is absent")
    groups, current = {}, None
    for line in path.read_text().splitlines():
        heading = re.match(r"^## Group `(\w+)`", line)
        if heading:
            current = heading.group(1)
        row = re.match(r"^\| ([a-z_]+) \|", line)
        if row and current and row.group(1) != "id":
            groups[row.group(1)] = current
    return groups


def test_safeguarding_codebook_has_exactly_the_spec_codes_and_groups(book):
    expected = spec_ids()
    assert {c.id: c.group for c in book} == expected


def test_safeguarding_codebook_examples_and_definitions(book):
    for code in book:
        assert len(code.examples.positive) >= 3, code.id
        assert len(code.examples.negative) >= 2, code.id
        assert len(code.definition.split()) >= 8 and code.include and code.exclude and code.patterns, code.id
    assert book.allowed_polarities("neglect") == ("context",)
    assert set(book.allowed_polarities("hidden_men")) == {"shortfall", "good_practice", "recommendation", "context"}


def test_safeguarding_codebook_every_example_passes(book):
    failures = [(r.code, r.kind, r.text) for r in check_examples(book) if not r.passed]
    assert failures == []


def test_safeguarding_codebook_examples_are_not_copied_from_seeds(book):
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is absent")
    corpus = " ".join(" ".join(p.read_text().lower().split()) for p in seeds.glob("*.txt"))
    copied = []
    for code in book:
        for text in [e.text for e in code.examples.positive] + list(code.examples.negative):
            words = text.lower().split()
            runs = (" ".join(words[i:i + 8]) for i in range(max(len(words) - 7, 0)))
            if any(run in corpus for run in runs):
                copied.append(text)
    assert copied == []
