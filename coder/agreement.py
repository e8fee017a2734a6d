"""Human–machine and human–human agreement from the stored reviews."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from coder.store import Store


@dataclass(frozen=True, slots=True)
class CodeAgreement:
    code: str
    reviewed: int
    confirmed: int  # machine code right (confirmed, or only its polarity changed)
    rejected: int
    recoded: int  # changed to another code
    precision: float  # share of reviewed machine codings whose code the reviewer kept
    polarity_agreement: float | None  # among kept codes, machine polarity equal to the reviewer's
    polarity_kappa: float | None  # Cohen's kappa, machine polarity vs reviewer polarity


@dataclass(frozen=True, slots=True)
class ReviewerAgreement:
    reviewers: tuple[str, ...]
    shared_rows: int
    kappa: float | None  # Cohen's kappa on the outcome (kept code+polarity, or rejected), two reviewers
    alpha: float | None  # Krippendorff's alpha (nominal) over all reviewers of those rows


def _outcome(review: dict[str, Any]) -> str:
    if review["decision"] == "reject":
        return "reject"
    code = review["corrected_code"] or review["code"]
    return f"{code}:{review['corrected_polarity'] or review['machine_polarity']}"


def latest_reviews(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    """The latest decision of each reviewer on each coding (later imports supersede earlier ones)."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for review in store.reviews():
        latest[(review["key"], review["reviewer"])] = review
    return latest


def human_machine(store: Store) -> list[CodeAgreement]:
    from sklearn.metrics import cohen_kappa_score

    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for review in latest_reviews(store).values():
        by_code[review["code"]].append(review)
    rows = []
    for code, reviews in sorted(by_code.items()):
        kept = [r for r in reviews if r["decision"] != "reject" and (r["corrected_code"] or code) == code]
        rejected = sum(r["decision"] == "reject" for r in reviews)
        machine = [r["machine_polarity"] for r in kept]
        human = [r["corrected_polarity"] or r["machine_polarity"] for r in kept]
        agreement = sum(m == h for m, h in zip(machine, human)) / len(kept) if kept else None
        kappa = None
        if kept and len(set(machine) | set(human)) > 1:
            kappa = float(cohen_kappa_score(machine, human))
        elif kept:
            kappa = 1.0
        rows.append(CodeAgreement(code, len(reviews), len(kept), rejected, len(reviews) - len(kept) - rejected,
                                  len(kept) / len(reviews), agreement, kappa))
    return rows


def between_reviewers(store: Store) -> list[ReviewerAgreement]:
    """Pairwise Cohen's kappa and, over all reviewers, Krippendorff's alpha on shared rows."""
    import krippendorff
    import numpy as np
    from sklearn.metrics import cohen_kappa_score

    outcomes: dict[str, dict[str, str]] = defaultdict(dict)  # reviewer -> key -> outcome
    for (key, reviewer), review in latest_reviews(store).items():
        outcomes[reviewer][key] = _outcome(review)
    reviewers = sorted(outcomes)
    results = []
    for a, b in combinations(reviewers, 2):
        shared = sorted(set(outcomes[a]) & set(outcomes[b]))
        if not shared:
            continue
        left, right = [outcomes[a][k] for k in shared], [outcomes[b][k] for k in shared]
        kappa = 1.0 if left == right else float(cohen_kappa_score(left, right))
        results.append(ReviewerAgreement((a, b), len(shared), kappa, None))
    keys = sorted({k for r in reviewers for k in outcomes[r]})
    multi = [k for k in keys if sum(k in outcomes[r] for r in reviewers) >= 2]
    if multi:  # keys two or more reviewers decided
        values = sorted({outcomes[r][k] for r in reviewers for k in multi if k in outcomes[r]})
        index = {v: i for i, v in enumerate(values)}
        data = np.array([[index[outcomes[r][k]] if k in outcomes[r] else np.nan for k in multi] for r in reviewers])
        alpha = 1.0 if len(values) == 1 else float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
        results.append(ReviewerAgreement(tuple(reviewers), len(multi), None, alpha))
    return results
