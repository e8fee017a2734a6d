"""Run every example in a codebook as a test: positives must be coded, negatives must not."""

from __future__ import annotations

from dataclasses import dataclass

from coder.codebook import Codebook
from coder.rules import RuleCoder


@dataclass(frozen=True, slots=True)
class ExampleResult:
    code: str
    kind: str  # positive | negative
    text: str
    expected_polarity: str | None
    coded_polarity: str | None  # None when the rules did not code it with this code

    @property
    def passed(self) -> bool:
        return (self.coded_polarity is not None) == (self.kind == "positive")

    @property
    def polarity_agrees(self) -> bool:
        return self.kind == "negative" or self.coded_polarity == self.expected_polarity


def check_examples(codebook: Codebook, coder: RuleCoder | None = None) -> list[ExampleResult]:
    """Code each example as a paragraph of an analysis section and compare with what it should get."""
    coder = coder or RuleCoder(codebook)
    cases = [(code.id, "positive", ex.text, ex.polarity) for code in codebook for ex in code.examples.positive]
    cases += [(code.id, "negative", text, None) for code in codebook for text in code.examples.negative]
    items = [(str(i), text, "analysis") for i, (_, _, text, _) in enumerate(cases)]
    coded: dict[tuple[str, str], str] = {}
    for coding in coder.code_texts(items):
        coded[(coding.segment_id, coding.code)] = coding.polarity
    return [ExampleResult(code, kind, text, polarity, coded.get((str(i), code)))
            for i, (code, kind, text, polarity) in enumerate(cases)]
