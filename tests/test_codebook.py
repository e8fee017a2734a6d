"""Loading codebooks: every problem reported at once, with its line and code id."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.codebook import load_codebook
from coder.errors import CodebookError

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


def test_codebook_loads_mini_and_behaves_like_a_mapping():
    codebook = load_codebook(MINI)
    assert codebook.ids == ("information_sharing", "escalation_challenge", "domestic_abuse")
    assert "domestic_abuse" in codebook and "neglect" not in codebook
    assert codebook["domestic_abuse"].group == "context"
    assert codebook.allowed_polarities("domestic_abuse") == ("context",)
    assert codebook.identity.startswith("mini@0.1#") and len(codebook.sha256) == 64


def test_codebook_hash_ignores_formatting_but_not_content(tmp_path):
    text = MINI.read_text()
    reformatted = tmp_path / "a.yaml"
    reformatted.write_text("# a comment\n" + text.replace("codebook: mini", "codebook:   mini"))
    changed = tmp_path / "b.yaml"
    changed.write_text(text.replace("Domestic abuse in the household.", "Domestic abuse at home."))
    original = load_codebook(MINI).sha256
    assert load_codebook(reformatted).sha256 == original
    assert load_codebook(changed).sha256 != original


def test_codebook_reports_every_problem_at_once(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "codebook: bad\nversion: '1'\ngroups:\n  - {id: practice, label: P}\ncodes:\n"
        "  - id: one\n    label: One\n    group: practice\n    definition: ''\n    colour: red\n"
        "  - id: two\n    label: Two\n    group: practice\n    definition: Fine.\n"
    )
    with pytest.raises(CodebookError) as excinfo:
        load_codebook(path)
    problems = excinfo.value.problems
    assert len(problems) == 2
    assert any(p.startswith("line 9 (code one)") and "definition is empty" in p for p in problems)
    assert any(p.startswith("line 10 (code one)") and "colour" in p and "Extra inputs" in p for p in problems)


def test_codebook_semantic_problems(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "codebook: bad\nversion: '1'\ngroups:\n  - {id: practice, label: P}\n"
        "  - {id: context, label: C, polarities: [context]}\ncodes:\n"
        "  - {id: a, label: A, group: practice, definition: x, parent: b}\n"
        "  - {id: b, label: B, group: practice, definition: x, parent: a}\n"
        "  - {id: d, label: D, group: practice, definition: x}\n"
        "  - {id: d, label: D2, group: nowhere, definition: x, parent: ghost}\n"
        "  - id: c\n    label: C\n    group: context\n    definition: x\n"
        "    examples: {positive: [{text: t, polarity: shortfall}]}\n"
        "    patterns:\n      - {id: p, phrases: [x]}\n      - {id: p, tokens: [{LEMMA: go}]}\n"
        "      - {id: q, near: [[x]]}\n      - {id: r}\n      - {id: s, tokens: [{LOWER: {WRONG: 1}}]}\n"
    )
    with pytest.raises(CodebookError) as excinfo:
        load_codebook(path)
    text = "\n".join(excinfo.value.problems)
    for expected in ("duplicate id", "group 'nowhere' is not defined", "parent 'ghost'", "loops back",
                     "polarity 'shortfall' not allowed", "pattern id 'p' used twice", "LEMMA",
                     "near needs at least two", "needs exactly one of phrases, near, tokens", "invalid token pattern"):
        assert expected in text, expected


@pytest.mark.parametrize("content,fragment", [
    ("codebook: [unclosed\n", "not valid YAML"),
    ("- just\n- a list\n", "must be a YAML mapping"),
])
def test_codebook_bad_yaml(tmp_path, content, fragment):
    path = tmp_path / "x.yaml"
    path.write_text(content)
    with pytest.raises(CodebookError, match=fragment):
        load_codebook(path)


def test_codebook_missing_file(tmp_path):
    with pytest.raises(CodebookError, match="file not found"):
        load_codebook(tmp_path / "absent.yaml")
