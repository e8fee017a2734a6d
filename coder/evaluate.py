"""Agreement between predicted and expected codings: per code and overall."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coder.types import Coding


@dataclass(frozen=True, slots=True)
class CodeScore:
    code: str
    support: int  # expected positives
    predicted: int
    true_positives: int
    precision: float
    recall: float
    f1: float
    kappa: float  # Cohen's kappa on presence over all paragraphs
    polarity_agreement: float | None  # share of true positives with the expected polarity


@dataclass(frozen=True, slots=True)
class Report:
    name: str
    paragraphs: int
    codes: tuple[CodeScore, ...]
    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_f1: float  # over codes with at least one expected positive
    polarity_agreement: float | None

    def macro_f1_over(self, min_support: int) -> float:
        chosen = [c.f1 for c in self.codes if c.support >= min_support]
        return sum(chosen) / len(chosen) if chosen else 0.0


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def precision_recall_f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return p, r, _f1(p, r)


def kappa(tp: int, fp: int, fn: int, tn: int) -> float:
    n = tp + fp + fn + tn
    if not n:
        return 0.0
    observed = (tp + tn) / n
    expected = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def score(
    name: str,
    expected: Mapping[str, Mapping[str, str]],
    predicted: Mapping[str, Mapping[str, str]],
    codes: list[str],
) -> Report:
    """Compare ``predicted`` with ``expected`` ({paragraph id: {code: polarity}}) over ``expected``'s ids."""
    ids = list(expected)
    rows = []
    total_tp = total_fp = total_fn = polarity_hits = polarity_total = 0
    for code in codes:
        tp = fp = fn = same = 0
        for pid in ids:
            gold, guess = code in expected[pid], code in predicted.get(pid, {})
            tp += gold and guess
            fp += guess and not gold
            fn += gold and not guess
            if gold and guess:
                same += expected[pid][code] == predicted[pid][code]
        tn = len(ids) - tp - fp - fn
        p, r, f1 = precision_recall_f1(tp, fp, fn)
        rows.append(CodeScore(code, tp + fn, tp + fp, tp, p, r, f1, kappa(tp, fp, fn, tn),
                              _ratio(same, tp) if tp else None))
        total_tp, total_fp, total_fn = total_tp + tp, total_fp + fp, total_fn + fn
        polarity_hits, polarity_total = polarity_hits + same, polarity_total + tp
    micro_p, micro_r, micro_f1 = precision_recall_f1(total_tp, total_fp, total_fn)
    supported = [row.f1 for row in rows if row.support]
    return Report(name, len(ids), tuple(rows), micro_p, micro_r, micro_f1,
                  sum(supported) / len(supported) if supported else 0.0,
                  _ratio(polarity_hits, polarity_total) if polarity_total else None)

def rule_outcomes(codings: Iterable[Coding], expected: Mapping[str, Mapping[str, str]]) -> tuple[Counter, Counter]:
    """How many right and wrong codings each rule ("code/pattern") took part in: the evidence
    that a pattern states its theme, rather than matching the sentences it was written from."""
    right: Counter = Counter()
    wrong: Counter = Counter()
    for coding in codings:
        if coding.segment_id in expected:
            tally = right if coding.code in expected[coding.segment_id] else wrong
            tally.update(coding.provenance.rules)
    return right, wrong


def report_table(reports: list[Report], *, min_support: int = 1) -> str:
    """Side-by-side text table: per code P/R/F1/kappa for each report, then the averages."""
    names = [r.name for r in reports]
    header = f"{'code':28} {'supp':>5} " + " ".join(f"{n[:6] + ' P':>8} {'R':>5} {'F1':>5} {'κ':>5}" for n in names)
    lines = [header]
    for index, row in enumerate(reports[0].codes):
        if row.support < min_support:
            continue
        cells = " ".join(f"{r.codes[index].precision:8.2f} {r.codes[index].recall:5.2f} {r.codes[index].f1:5.2f} "
                         f"{r.codes[index].kappa:5.2f}" for r in reports)
        lines.append(f"{row.code:28} {row.support:5} {cells}")
    for label, getter in (("micro P/R/F1", lambda r: f"{r.micro_precision:.3f}/{r.micro_recall:.3f}/{r.micro_f1:.3f}"),
                          ("macro F1", lambda r: f"{r.macro_f1:.3f}"),
                          ("polarity agreement", lambda r: f"{r.polarity_agreement or 0:.3f}")):
        lines.append(f"{label:34} " + "  ".join(f"{n}: {getter(r)}" for n, r in zip(names, reports)))
    return "\n".join(lines)
