"""Write the fictional corpus's final labels from two passes and the reconciliation decisions.

Usage (from the repo root): python training/tools/reconcile_corpus.py
Reads tests/data/corpus/labels/first_pass/<doc>.jsonl (the writer's labels),
tests/data/corpus/labels/second_pass/all.jsonl (a blind second pass) and
tests/data/corpus/labels/reconciled/decisions.jsonl; writes tests/data/corpus/labels/<doc>.jsonl.
"""

from __future__ import annotations

from pathlib import Path

from passes import read_jsonl, reconcile, write_jsonl

LABELS = Path("tests/data/corpus/labels")


def main() -> None:
    def key(record):
        return record["doc"], record["index"]

    second = {key(r): r["codes"] for r in read_jsonl(LABELS / "second_pass" / "all.jsonl")}
    decided = {key(r): r["codes"] for r in read_jsonl(LABELS / "reconciled" / "decisions.jsonl")}
    changed = 0
    for path in sorted((LABELS / "first_pass").glob("*.jsonl")):
        rows, count = reconcile(read_jsonl(path), second, decided, key)
        write_jsonl(LABELS / path.name, rows)
        changed += count
    print(f"{changed} paragraphs reconciled")


if __name__ == "__main__":
    main()
