"""Measure agreement between two independent labelling passes of the seed paragraphs.

Usage: python training/tools/pass_agreement.py FIRST SECOND  (folders or files of JSON Lines)
e.g.   python training/tools/pass_agreement.py training/seeds/passA training/seeds/passB
Prints per-code Cohen's kappa on presence, overall micro agreement, and polarity agreement where
both passes chose the code. Writes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from passes import load

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from coder.evaluate import score  # noqa: E402


def main(first: str, second: str) -> None:
    a, b = load(Path(first)), load(Path(second))
    keys = sorted(set(a) & set(b), key=str)
    codes = sorted({c for k in keys for c in (*a[k], *b[k])})
    print(f"paragraphs in both passes: {len(keys)} (only A: {len(set(a) - set(b))}, only B: {len(set(b) - set(a))})")
    # pass B scored against pass A: F1 between passes is the micro agreement, kappa is per code
    report = score("passes", {str(k): a[k] for k in keys}, {str(k): b[k] for k in keys}, codes)
    print(f"{'code':28} {'A':>4} {'B':>4} {'both':>4} {'kappa':>6}")
    for row in report.codes:
        print(f"{row.code:28} {row.support:4} {row.predicted:4} {row.true_positives:4} {row.kappa:6.2f}")
    print(f"micro agreement (Dice/F1 between passes): {report.micro_f1:.3f}")
    print(f"polarity agreement where both coded: {report.polarity_agreement or 0:.3f}")
    exact = sum(a[k] == b[k] for k in keys)
    print(f"paragraphs with identical labels: {exact}/{len(keys)} = {exact / len(keys):.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
