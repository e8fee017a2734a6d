"""Merge two labelling passes and the reconciliation decisions into the final seed labels.

Usage: python training/tools/reconcile.py training/seeds/passA training/seeds/passB \
           training/seeds/reconciled_decisions.jsonl training/seeds/labels.jsonl
Where the passes agree their labels stand; where they disagree the decision file must say.
"""

from __future__ import annotations

import sys
from pathlib import Path

from passes import load, read_jsonl, reconcile, write_jsonl


def main(first: str, second: str, decisions_path: str, target: str) -> None:
    a, b = load(Path(first)), load(Path(second))
    if set(a) != set(b):
        raise SystemExit("the passes cover different lines")
    decisions = {(r["source"], r["line"]): r["codes"] for r in read_jsonl(Path(decisions_path))}
    records = [{"source": source, "line": line, "codes": dict(sorted(a[(source, line)].items()))}
               for source, line in sorted(a)]
    rows, changed = reconcile(records, b, decisions,
                              lambda r: (r["source"], r["line"]))
    write_jsonl(Path(target), rows)
    print(f"{len(rows)} paragraphs, {changed} reconciled")


if __name__ == "__main__":
    main(*sys.argv[1:5])
