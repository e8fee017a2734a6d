"""Write the fictional corpus's final labels from two passes and the reconciliation decisions.

Usage (from the repo root): python training/tools/reconcile_corpus.py
Reads tests/data/corpus/labels/first_pass/<doc>.jsonl (the writer's labels), tests/data/corpus/labels/second_pass/all.jsonl
(a blind second pass) and tests/data/corpus/labels/reconciled/decisions.jsonl; writes tests/data/corpus/labels/<doc>.jsonl.
"""

from __future__ import annotations

import json
from pathlib import Path

LABELS = Path("tests/data/corpus/labels")


def main() -> None:
    second = {(r["doc"], r["index"]): r["codes"] for r in map(json.loads, (LABELS / "second_pass" / "all.jsonl").read_text().splitlines())}
    decided = {(r["doc"], r["index"]): r["codes"]
               for r in map(json.loads, (LABELS / "reconciled" / "decisions.jsonl").read_text().splitlines())}
    changed = 0
    for path in sorted((LABELS / "first_pass").glob("*.jsonl")):
        rows = []
        for record in map(json.loads, path.read_text().splitlines()):
            key = (record["doc"], record["index"])
            if record["codes"] != second[key]:
                if key not in decided:
                    raise SystemExit(f"{key}: passes disagree and no decision was recorded")
                record = {**record, "codes": dict(sorted(decided[key].items()))}
                changed += 1
            rows.append(json.dumps(record, ensure_ascii=False))
        (LABELS / path.name).write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{changed} paragraphs reconciled")


if __name__ == "__main__":
    main()
