"""Train a model from labelled paragraphs and compare rules, model and hybrid on held-out ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from coder.classify import Classifier
from coder.codebook import Codebook
from coder.errors import UsageError
from coder.evaluate import Report, precision_recall_f1, score
from coder.hybrid import HybridCoder
from coder.rules import RuleCoder
from coder.labelled import SPLITS, Labelled, read_labelled


# What the shipped model (`make model`, models/default) trains on, relative to the repository.
SHIPPED_TRAINING_DATA = ("training/seeds/labels.jsonl", "training/written/part1.jsonl", "training/written/part2.jsonl",
                         "training/dev/reviews.jsonl")


def load_labelled(paths: Sequence[str | Path], codebook: Codebook, *, split: str = "all") -> list[Labelled]:
    """Read labelled files, keep one split, and check every code id against the codebook."""
    if split not in SPLITS:
        raise UsageError(f"split must be one of {', '.join(SPLITS)}; got {split!r}")
    items = [i for i in read_labelled(paths) if split == "all" or i.split == split]
    unknown = sorted({c for i in items for c in i.codes if c not in codebook})
    if unknown:
        raise UsageError(f"Labelled data uses codes not in codebook {codebook.identity}: {', '.join(unknown)}; "
                         "fix the labels or pass the codebook they were made with.")
    return items


def verified_items(store) -> list[Labelled]:
    """Paragraphs reviewers verified, straight from the store (the same shape `export training` writes)."""
    return [Labelled(p["id"], p["text"], p["section"], p["codes"], "verified") for p in store.verified_paragraphs()]


def train(items: Sequence[Labelled], codebook: Codebook, out: str | Path, *, name: str = "model",
          progress: Callable[[int, int, str], None] | None = None) -> Classifier:
    """Fit a Classifier on ``items`` and save it to ``out`` with cross-validated per-code metrics."""
    hits: dict[str, set[str]] = {}
    for coding in RuleCoder(codebook).code_texts([(i.id, i.text, i.section) for i in items]):
        hits.setdefault(coding.segment_id, set()).add(coding.code)
    model = Classifier(codebook).fit(items, rule_hits=hits, progress=progress)
    metrics = {}
    for code, (probabilities, target) in model.oof_.items():  # the model alone, at its own threshold
        chosen, positive = probabilities >= model.models_[code].alone, target == 1
        precision, recall, f1 = precision_recall_f1(int((chosen & positive).sum()), int((chosen & ~positive).sum()),
                                                    int((~chosen & positive).sum()))
        metrics[code] = {"cv_precision": round(precision, 3), "cv_recall": round(recall, 3), "cv_f1": round(f1, 3),
                         "positives": int(positive.sum())}
    model.save(out, name=name, metrics=metrics)
    return model


def predictions(coder: HybridCoder, items: Sequence[Labelled]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {i.id: {} for i in items}
    for coding in coder.code_texts([(i.id, i.text, i.section) for i in items]):
        found[coding.segment_id][coding.code] = coding.polarity
    return found


def compare(items: Sequence[Labelled], codebook: Codebook, model: Classifier | None) -> list[Report]:
    """Rules alone, model alone and hybrid on the same paragraphs (model rows only when given)."""
    expected = {i.id: dict(i.codes) for i in items}
    rules = HybridCoder(codebook, None)
    reports = [score("rules", expected, predictions(rules, items), list(codebook.ids))]
    if model is not None:
        for mode in ("model", "hybrid"):
            coder = HybridCoder(codebook, model, rules=rules.rules, mode=mode)
            reports.append(score(mode, expected, predictions(coder, items), list(codebook.ids)))
    return reports


def calibration(model: Classifier, items: Sequence[Labelled], *, bins: int = 10) -> tuple[list[dict[str, float]], float]:
    """Reliability of the model's probabilities on ``items`` (all modelled codes pooled): per
    probability bin the mean predicted probability, the observed rate and the count; and the
    expected calibration error (the count-weighted gap)."""
    import numpy as np

    probabilities = model.predict_proba([i.text for i in items], [i.section for i in items])
    predicted, observed = [], []
    for code, values in probabilities.items():
        predicted.extend(values.tolist())
        observed.extend(float(code in i.codes) for i in items)
    p, y = np.array(predicted), np.array(observed)
    edges = np.linspace(0, 1, bins + 1)
    rows, error = [], 0.0
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (p >= low) & ((p < high) if high < 1 else (p <= high))
        if inside.any():
            gap = abs(p[inside].mean() - y[inside].mean())
            error += gap * inside.sum() / len(p)
            rows.append({"bin": f"{low:.1f}-{high:.1f}", "mean_probability": round(float(p[inside].mean()), 3),
                         "observed_rate": round(float(y[inside].mean()), 3), "count": int(inside.sum())})
    return rows, round(float(error), 4)
