"""Coding benchmark: paragraphs per second for rules alone and hybrid, training time, model size on
disk and peak memory. Usage: python bench/coding.py [--repeat 3]

Paragraphs are those of the fictional corpus sources plus the project-written training text
(about 2,400), coded as one batch; the baseline in the same run is spaCy's tokenizer alone over
the same texts, the floor any matcher-based coder pays.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coder.codebook import load_codebook  # noqa: E402
from coder.hybrid import HybridCoder  # noqa: E402
from coder.labelled import read_labelled  # noqa: E402
from coder.models import load_default_model  # noqa: E402
from coder.rules import tokenizer_pipeline  # noqa: E402
from coder.training import SHIPPED_TRAINING_DATA, load_labelled, train  # noqa: E402
from timing import timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    codebook = load_codebook()
    paths = sorted((ROOT / "tests" / "data" / "corpus" / "labels").glob("*.jsonl")) + [ROOT / "training/written/part1.jsonl",
                                                                   ROOT / "training/written/part2.jsonl"]
    items = [(i.id, i.text, i.section) for i in read_labelled(paths)]
    nlp = tokenizer_pipeline()
    tokenizer, _ = timed(lambda: list(nlp.tokenizer.pipe(t for _, t, _ in items)), args.repeat)
    rules = HybridCoder(codebook, None)
    rules.code_texts(items[:10])
    rules_time, _ = timed(lambda: rules.code_texts(items), args.repeat)
    results = {"paragraphs": len(items), "tokenizer_paragraphs_per_s": round(len(items) / tokenizer),
               "rules_paragraphs_per_s": round(len(items) / rules_time),
               "rules_time_vs_tokenizer": round(rules_time / tokenizer, 2)}
    model = load_default_model(codebook)
    if model is not None:
        hybrid = HybridCoder(codebook, model, rules=rules.rules)
        hybrid_time, _ = timed(lambda: hybrid.code_texts(items), args.repeat)
        results.update({"hybrid_paragraphs_per_s": round(len(items) / hybrid_time),
                        "hybrid_time_vs_rules": round(hybrid_time / rules_time, 2)})
        size = sum(p.stat().st_size for p in (ROOT / "models" / "default").iterdir())
        results["model_size_mb"] = round(size / 1e6, 2)
    train_items = load_labelled([ROOT / p for p in SHIPPED_TRAINING_DATA], codebook, split="train")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        train(train_items, codebook, Path(folder) / "bench", name="bench")
        results["training_seconds"] = round(time.perf_counter() - start, 1)
        results["training_paragraphs"] = len(train_items)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
