"""Measure agreement between two independent labelling passes of the seed paragraphs.

Usage: python training/tools/pass_agreement.py FIRST SECOND  (folders or files of JSON Lines)
e.g.   python training/tools/pass_agreement.py training/seeds/passA training/seeds/passB
Prints per-code Cohen's kappa on presence, overall micro agreement, and polarity agreement where
both passes chose the code. Writes nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def load(place: Path) -> dict[object, dict[str, str]]:
    """Labels keyed by paragraph: (source, line) for seed references, id for written paragraphs."""
    labels: dict[object, dict[str, str]] = {}
    for path in sorted(place.glob("*.jsonl")) if place.is_dir() else [place]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                key = record["id"] if "id" in record else (record["source"], record["line"])
                labels[key] = record["codes"]
    return labels


def kappa(a: list[bool], b: list[bool]) -> float:
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def main(first: str, second: str) -> None:
    a, b = load(Path(first)), load(Path(second))
    keys = sorted(set(a) & set(b))
    codes = sorted({c for k in keys for c in (*a[k], *b[k])})
    print(f"paragraphs in both passes: {len(keys)} (only A: {len(set(a) - set(b))}, only B: {len(set(b) - set(a))})")
    both = only = 0
    polarity_same = polarity_both = 0
    print(f"{'code':28} {'A':>4} {'B':>4} {'both':>4} {'kappa':>6}")
    for code in codes:
        xa = [code in a[k] for k in keys]
        xb = [code in b[k] for k in keys]
        together = sum(x and y for x, y in zip(xa, xb))
        both += together
        only += sum(x != y for x, y in zip(xa, xb))
        for k in keys:
            if code in a[k] and code in b[k]:
                polarity_both += 1
                polarity_same += a[k][code] == b[k][code]
        print(f"{code:28} {sum(xa):4} {sum(xb):4} {together:4} {kappa(xa, xb):6.2f}")
    print(f"micro agreement (Dice/F1 between passes): {2 * both / (2 * both + only):.3f}")
    print(f"polarity agreement where both coded: {polarity_same}/{polarity_both} = {polarity_same / max(polarity_both, 1):.3f}")
    exact = sum(a[k] == b[k] for k in keys)
    print(f"paragraphs with identical labels: {exact}/{len(keys)} = {exact / len(keys):.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
