"""Write the final project-written labels: first-pass records with reconciled codes where the
two passes disagreed.

Usage: python training/tools/apply_decisions.py PART   (part1 or part2; run from the repo root)
Reads training/written/first_pass/PART.jsonl, second_pass/PART.jsonl and
reconciled/PART_decisions.jsonl; writes training/written/PART.jsonl.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

BASE = Path("training/written")


def main(part: str) -> None:
    first = [json.loads(line) for line in (BASE / "first_pass" / f"{part}.jsonl").read_text().splitlines() if line]
    second = {r["id"]: r["codes"] for r in map(json.loads, (BASE / "second_pass" / f"{part}.jsonl").read_text().splitlines()) if r}
    decided = {r["id"]: r["codes"] for r in map(json.loads, (BASE / "reconciled" / f"{part}_decisions.jsonl").read_text().splitlines()) if r}
    rows, changed = [], 0
    for record in first:
        if record["codes"] != second[record["id"]]:
            if record["id"] not in decided:
                raise SystemExit(f"{record['id']}: passes disagree and no decision was recorded")
            record = {**record, "codes": dict(sorted(decided[record["id"]].items()))}
            changed += 1
        rows.append(json.dumps(record, ensure_ascii=False))
    (BASE / f"{part}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{part}: {len(rows)} paragraphs, {changed} reconciled")


if __name__ == "__main__":
    main(sys.argv[1])
