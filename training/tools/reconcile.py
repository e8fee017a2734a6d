"""Merge two labelling passes and the reconciliation decisions into the final seed labels.

Usage: python training/tools/reconcile.py training/seeds/passA training/seeds/passB \
           training/seeds/reconciled_decisions.jsonl training/seeds/labels.jsonl
Where the passes agree their labels stand; where they disagree the decision file must say.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pass_agreement import load


def main(first: str, second: str, decisions_path: str, target: str) -> None:
    a, b = load(Path(first)), load(Path(second))
    decisions = {}
    for line in Path(decisions_path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            decisions[(record["source"], record["line"])] = record["codes"]
    missing = [k for k in a if a[k] != b.get(k) and k not in decisions]
    if missing or set(a) != set(b):
        raise SystemExit(f"undecided disagreements: {missing[:5]}… or passes cover different lines")
    rows = []
    for key in sorted(a):
        codes = decisions.get(key, a[key]) if a[key] != b[key] else a[key]
        rows.append(json.dumps({"source": key[0], "line": key[1], "codes": dict(sorted(codes.items()))}))
    Path(target).write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} paragraphs, {sum(1 for k in a if a[k] != b[k])} reconciled")


if __name__ == "__main__":
    main(*sys.argv[1:5])
