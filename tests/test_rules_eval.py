"""The rule coder on its evaluation set (tests/data/README.md): seed prose by reference and every
paragraph of the fictional corpus. The issue asks for micro-F1 of at least 0.75 there without
fitting each sentence; the part floors guard against regressions, and the figures themselves are
printed by `coder evaluate` and reported in the closing notes."""

from __future__ import annotations

import json

import pytest

from coder.codebook import load_codebook
from coder.evaluate import rule_outcomes
from coder.labelled import read_labelled
from coder.rules import RuleCoder
from coder.types import SECTION_TYPES
from coder.training import SHIPPED_TRAINING_DATA, compare, load_labelled
from conftest import CORPUS_DATA, ROOT, SEEDS

SEED_EVAL = ROOT / "tests/data/seed_eval.jsonl"
CORPUS_LABELS = sorted((CORPUS_DATA / "labels").glob("*.jsonl"))


@pytest.fixture(scope="module")
def book():
    return load_codebook()


@pytest.fixture(scope="module")
def evaluation(book):
    """The whole evaluation set: both parts need the seeds, which are read by reference."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is absent")
    return load_labelled([SEED_EVAL, *CORPUS_LABELS], book)


def test_rules_eval_fictional_corpus(book):
    items = load_labelled(CORPUS_LABELS, book)
    assert len(items) >= 250
    rules = compare(items, book, None)[0]
    assert rules.micro_f1 >= 0.77 and rules.polarity_agreement >= 0.85


def test_rules_eval_seed_prose(book):
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is absent")
    items = load_labelled([SEED_EVAL], book)
    assert len(items) == 234
    rules = compare(items, book, None)[0]
    assert rules.micro_f1 >= 0.79


def test_rules_reach_the_issue_target_on_the_whole_evaluation_set(book, evaluation):
    assert len(evaluation) == 517
    assert compare(evaluation, book, None)[0].micro_f1 >= 0.75


def test_rules_eval_set_is_large_enough():
    records = [json.loads(line) for line in SEED_EVAL.read_text().splitlines()]
    assert len(list(read_labelled(CORPUS_LABELS))) + len(records) >= 300


def test_rules_eval_seed_part_is_held_out_from_the_model(evaluation):
    # the loader's own ids decide the split the model trains on, so ask them
    seed = [i for i in evaluation if i.origin == "seed"]
    assert len(seed) == len(SEED_EVAL.read_text().splitlines()) and all(i.split == "test" for i in seed)


def test_no_pattern_is_right_only_inside_the_evaluation_set(book, evaluation):
    # The issue asks for the rules to reach their score "without fitting each sentence". A pattern
    # that fits a sentence is right there and nowhere else: every pattern that takes part in a
    # right coding of the evaluation set must also take part in one outside it.
    held = {i.id for i in evaluation}
    outside = [i for i in load_labelled([ROOT / p for p in SHIPPED_TRAINING_DATA], book) if i.id not in held]
    coder = RuleCoder(book)
    right_inside, _ = rule_outcomes(coder.code_texts([(i.id, i.text, i.section) for i in evaluation]),
                                    {i.id: i.codes for i in evaluation})
    right_outside, _ = rule_outcomes(coder.code_texts([(i.id, i.text, i.section) for i in outside]),
                                     {i.id: i.codes for i in outside})
    assert len(outside) > 3000 and right_inside
    assert sorted(rule for rule in right_inside if not right_outside[rule]) == []


def test_development_reviews_are_valid_labelled_data_with_a_blind_second_pass(book):
    items = load_labelled([ROOT / "training/dev/reviews.jsonl"], book)
    second = [json.loads(line) for line in (ROOT / "training/dev/second_pass.jsonl").read_text().splitlines()]
    assert len(items) == len(second) == 236
    assert [i.id for i in items] == [r["id"] for r in second]
    assert {c for r in second for c in r["codes"]} <= set(book.ids)
    assert sum(1 for i in items if not i.codes) >= 40  # uncoded paragraphs are part of the test
    check = load_labelled([ROOT / "training/dev/check.jsonl"], book)
    fresh = load_labelled([ROOT / "training/dev/fresh.jsonl"], book)
    assert len(check) == 239 and len(fresh) == 181
    assert not {i.id for i in check} & {i.id for i in items} and not {i.id for i in fresh} & {i.id for i in items + check}
    assert {i.section for i in fresh} <= set(SECTION_TYPES) and sum(1 for i in fresh if not i.codes) >= 15
