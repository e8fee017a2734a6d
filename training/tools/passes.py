"""Shared by the labelling tools: read passes and JSON Lines, and merge two passes with the
reconciliation decisions."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load(place: Path) -> dict[object, dict[str, str]]:
    """Labels keyed by paragraph: (source, line) for seed references, id for written paragraphs."""
    labels: dict[object, dict[str, str]] = {}
    for path in sorted(place.glob("*.jsonl")) if place.is_dir() else [place]:
        for record in read_jsonl(path):
            labels[record["id"] if "id" in record else (record["source"], record["line"])] = record["codes"]
    return labels


def reconcile(first: list[dict[str, Any]], second: dict[Hashable, dict[str, str]], decisions: dict[Hashable, dict[str, str]],
              key: Callable[[dict[str, Any]], Hashable]) -> tuple[list[dict[str, Any]], int]:
    """First-pass records, with the decided codes wherever the passes disagree; and how many changed.
    Every disagreement needs a decision: an undecided one stops the merge."""
    merged, changed = [], 0
    for record in first:
        k = key(record)
        if k not in second:
            raise SystemExit(f"{k}: missing from the second pass")
        if record["codes"] != second[k]:
            if k not in decisions:
                raise SystemExit(f"{k}: passes disagree and no decision was recorded")
            record = {**record, "codes": dict(sorted(decisions[k].items()))}
            changed += 1
        merged.append(record)
    return merged, changed


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
