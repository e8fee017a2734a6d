"""The rule coder on the small test codebook: patterns, guards, polarity and evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.codebook import load_codebook
from coder.rules import RuleCoder, inflections, phrase_to_tokens, tokenizer_pipeline

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


@pytest.fixture(scope="module")
def rules():
    return RuleCoder(load_codebook(MINI))


def code(rules, text, section="analysis"):
    return {(c.code, c.polarity) for c in rules.code_texts([("p", text, section)])}


@pytest.mark.parametrize("word,forms", [
    ("share", {"share", "shares", "shared", "sharing"}),
    ("refer", {"referred", "referring", "refers"}),
    ("escalate", {"escalated", "escalating", "escalation"}),
    ("identify", {"identified", "identifies"}),
])
def test_rules_inflections_cover_regular_forms(word, forms):
    assert forms <= set(inflections(word))


def test_rules_phrase_compilation_marks_plain_phrases():
    nlp = tokenizer_pipeline()
    assert phrase_to_tokens("information sharing", nlp) == ([{"LOWER": "information"}, {"LOWER": "sharing"}], True)
    tokens, plain = phrase_to_tokens("not * share~", nlp)
    assert not plain and tokens[1] == {} and "shared" in tokens[2]["LOWER"]["IN"]


@pytest.mark.parametrize("text,expected", [
    ("The GP was not told about the referral.", {("information_sharing", "shortfall")}),
    ("Information sharing between the school and the health visitor was effective.", {("information_sharing", "good_practice")}),
    ("Agencies should share information about new partners.", {("information_sharing", "recommendation")}),
    ("For the partnership to review how agencies share information.", {("information_sharing", "recommendation")}),
    ("The family shared a flat with an aunt.", set()),
    ("The nursery did not escalate its concerns to a manager.", {("escalation_challenge", "shortfall")}),
    ("There was domestic abuse between the parents.", {("domestic_abuse", "context")}),
])
def test_rules_code_and_polarity(rules, text, expected):
    assert code(rules, text) == expected


@pytest.mark.parametrize("text", [
    "Nobody would escalate concerns while the risk was rising.",  # unless: risk
    "There was no history of domestic abuse.",  # negated fact
    "Domestic abuse was not an issue in this case. Information sharing was not an issue either.",  # not applicable
    'The panel read the report "Information sharing in a crisis" before meeting.',  # quoted title
    'Lessons are drawn in "Information Sharing Across Borders" (2019).',  # capitalised title
    "Smith, J. and Patel, R. (2019) Information sharing and domestic abuse. London: Example Press.",  # reference
])
def test_rules_guards_suppress_non_findings(rules, text):
    assert code(rules, text) == set()


def test_rules_scare_quotes_do_not_hide_findings(rules):
    # a short quoted phrase is emphasis, not a title: the finding inside it is coded, by the phrase alone
    for text in ("The “information sharing” meeting never happened.", 'The "information sharing" meeting never happened.'):
        (coding,) = rules.code_texts([("p", text, "analysis")])
        assert coding.code == "information_sharing" and coding.provenance.rules == ("information_sharing/phrase",)


@pytest.mark.parametrize("section,expected", [
    ("good_practice", "good_practice"), ("recommendations", "recommendation"), ("analysis", "shortfall"),
    ("chronology", "context"),
])
def test_rules_section_type_sets_polarity_without_cues(rules, section, expected):
    assert code(rules, "The school and the GP discussed information sharing at length.", section) == {
        ("information_sharing", expected)}


def test_rules_guarded_sections_are_not_coded(rules):
    assert code(rules, "Information sharing was poor.", "back_matter") == set()


def test_rules_evidence_is_the_sentence_with_offsets_and_provenance(rules):
    text = "Child K lived with her aunt. The GP was never told that she had moved."
    (coding,) = rules.code_texts([("seg", text, "analysis")], offsets=[100])
    assert coding.evidence == "The GP was never told that she had moved."
    assert (coding.start, coding.end) == (100 + text.index("The GP"), 100 + len(text))
    assert coding.provenance.rules == ("information_sharing/not-told",)
    assert coding.provenance.codebook.startswith("mini@0.1#") and coding.provenance.source == "rule"
    assert coding.key == "seg|information_sharing"


def test_rules_one_coding_per_code_and_more_rules_raise_confidence(rules):
    once = list(rules.code_texts([("a", "Information sharing was poor.", "analysis")]))
    twice = list(rules.code_texts([("b", "Information sharing was poor and the GP was never told.", "analysis")]))
    assert len(once) == len(twice) == 1
    assert twice[0].confidence > once[0].confidence
    assert len(twice[0].provenance.rules) == 2


def test_rules_weak_patterns_code_only_when_corroborated(rules):
    one = "Police were called to the flat late at night."
    assert code(rules, one) == set()
    assert code(rules, f"{one} The mother was treated as the victim of an assault.") == {("domestic_abuse", "context")}
    # the same weak pattern in two sentences corroborates itself; twice in one sentence does not
    assert code(rules, "He was charged with assault. A second assault followed.") == {("domestic_abuse", "context")}
    assert code(rules, "He was charged with assault and assault again.") == set()
    found = list(rules.code_texts([("p", f"{one} She was the victim.", "analysis")]))
    strong = list(rules.code_texts([("p", "There was domestic abuse.", "analysis")]))
    assert found[0].confidence < strong[0].confidence
    assert found[0].evidence == one
    assert set(found[0].provenance.rules) == {"domestic_abuse/incident-words", "domestic_abuse/victim-words"}


def test_rules_inflected_phrases_are_spelled_out_for_the_phrase_matcher_when_few(monkeypatch):
    import coder.rules
    from coder.rules import _spelled_out

    nlp = tokenizer_pipeline()
    variants = _spelled_out(phrase_to_tokens("share~ information", nlp)[0])
    assert ("shared", "information") in variants and ("sharing", "information") in variants
    assert _spelled_out(phrase_to_tokens("not * shared", nlp)[0]) is None  # a wildcard needs the token matcher
    assert _spelled_out(phrase_to_tokens("refer~ assess~ share~ record~", nlp)[0]) is None  # too many forms
    # both routes give the same codings: force every inflected phrase through the token matcher
    texts = ["Agencies should share information about new partners.", "The school shared information promptly.",
             "Nobody was sharing information, and concerns were escalated to a manager too late."]
    book = load_codebook(MINI)
    spelled = [code(RuleCoder(book), t) for t in texts]
    monkeypatch.setattr(coder.rules, "_spelled_out", lambda tokens: None)
    assert [code(RuleCoder(book), t) for t in texts] == spelled
    assert spelled[0] == {("information_sharing", "recommendation")} and spelled[1] == {("information_sharing", "good_practice")}


@pytest.mark.parametrize("text,expected", [
    ("Information sharing was effective, although the nursery never followed up its own concerns.", "good_practice"),
    ("Information sharing was poor, although the nursery's own response was effective.", "shortfall"),
])
def test_rules_nearest_cue_decides_polarity_when_a_sentence_has_both(rules, text, expected):
    (coding,) = [c for c in rules.code_texts([("p", text, "analysis")]) if c.code == "information_sharing"]
    assert coding.polarity == expected


def test_rule_outcomes_count_right_and_wrong_codings_per_pattern(rules):
    from coder.evaluate import rule_outcomes

    items = [("a", "Information sharing was poor and the GP was never told."),
             ("b", "The GP was never told that she had moved."), ("c", "Nothing of note.")]
    codings = rules.code_texts([(i, t, "analysis") for i, t in items])
    right, wrong = rule_outcomes(codings, {"a": {"information_sharing": "shortfall"}, "b": {}, "c": {}})
    assert right == {"information_sharing/phrase": 1, "information_sharing/not-told": 1}
    assert wrong == {"information_sharing/not-told": 1}
