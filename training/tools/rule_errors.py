"""Where the rules go wrong on the TRAINING split (never the held-out test split or corpus labels).

Usage:
  python training/tools/rule_errors.py                 # per-code P/R/F1 of the rules on the train split
  python training/tools/rule_errors.py CODE [N]        # plus N missed and N wrongly coded paragraphs
Set RULES_CODEBOOK=path to measure another codebook file. Set RULES_SPLIT=dev to look at the
held-out split of the project-written paragraphs instead (a development set: never the seed test
split, which is part of the rules' evaluation set, and never the corpus labels). Set
RULES_SPLIT=reviews for the four whole fictional reviews of training/dev/.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from coder.codebook import load_codebook  # noqa: E402
from coder.evaluate import score  # noqa: E402
from coder.hybrid import HybridCoder  # noqa: E402
from coder.training import load_labelled, predictions  # noqa: E402

DATA = ["training/seeds/labels.jsonl", "training/written/part1.jsonl", "training/written/part2.jsonl"]


def main() -> None:
    import os

    codebook = load_codebook(os.environ.get("RULES_CODEBOOK"))
    if os.environ.get("RULES_SPLIT") == "reviews":
        items = load_labelled(["training/dev/reviews.jsonl"], codebook)
    elif os.environ.get("RULES_SPLIT") == "dev":
        items = load_labelled(DATA[1:], codebook, split="test")
    else:
        items = load_labelled(DATA, codebook, split="train")
    predicted = predictions(HybridCoder(codebook, None), items)
    expected = {i.id: i.codes for i in items}
    report = score("rules", expected, predicted, list(codebook.ids))
    print(f"{os.environ.get('RULES_SPLIT', 'train')} split: {len(items)} paragraphs; micro P/R/F1 {report.micro_precision:.3f}/"
          f"{report.micro_recall:.3f}/{report.micro_f1:.3f}; macro F1 {report.macro_f1:.3f}")
    if len(sys.argv) == 1:
        for row in sorted(report.codes, key=lambda r: r.f1):
            print(f"{row.code:28} supp {row.support:4} pred {row.predicted:4} P {row.precision:.2f} R {row.recall:.2f} F1 {row.f1:.2f}")
        return
    code, limit = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15
    by_id = {i.id: i for i in items}
    missed = [i for i in items if code in i.codes and code not in predicted[i.id]]
    wrong = [by_id[pid] for pid, codes in predicted.items() if code in codes and code not in expected[pid]]
    print(f"{code}: {len(missed)} missed, {len(wrong)} wrongly coded")
    for title, chosen in (("MISSED", missed), ("WRONGLY CODED", wrong)):
        print(f"--- {title}")
        for item in chosen[:limit]:
            print(f"[{item.id}] {item.text[:400]}")


if __name__ == "__main__":
    main()
