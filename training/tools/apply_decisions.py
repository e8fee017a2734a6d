"""Write the final project-written labels: first-pass records with reconciled codes where the
two passes disagreed.

Usage: python training/tools/apply_decisions.py PART   (part1 or part2; run from the repo root)
Reads training/written/first_pass/PART.jsonl, second_pass/PART.jsonl and
reconciled/PART_decisions.jsonl; writes training/written/PART.jsonl.
"""

from __future__ import annotations

import sys
from pathlib import Path

from passes import read_jsonl, reconcile, write_jsonl

BASE = Path("training/written")


def main(part: str) -> None:
    second = {r["id"]: r["codes"] for r in read_jsonl(BASE / "second_pass" / f"{part}.jsonl")}
    decided = {r["id"]: r["codes"] for r in read_jsonl(BASE / "reconciled" / f"{part}_decisions.jsonl")}
    rows, changed = reconcile(read_jsonl(BASE / "first_pass" / f"{part}.jsonl"), second, decided, lambda r: r["id"])
    write_jsonl(BASE / f"{part}.jsonl", rows)
    print(f"{part}: {len(rows)} paragraphs, {changed} reconciled")


if __name__ == "__main__":
    main(sys.argv[1])
