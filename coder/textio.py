"""The batch interface for text from other systems: JSONL or CSV in, JSONL codings out."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO

from coder.errors import UsageError
from coder.hybrid import HybridCoder


def read_records(handle: IO[str], *, name: str = "input") -> list[dict[str, str]]:
    """Read ``{"id", "text"[, "section"]}`` records from JSON Lines, or a CSV with id and text columns.

    Raises:
        UsageError: listing every malformed line at once.
    """
    text = handle.read()
    stripped = text.lstrip()
    records, problems = [], []
    if stripped.startswith("{"):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(f"line {number}: not JSON ({error.msg})")
                continue
            if not isinstance(record, dict) or "text" not in record:
                problems.append(f"line {number}: needs a \"text\" field")
                continue
            records.append({"id": str(record.get("id", number)), "text": str(record["text"]),
                            "section": str(record.get("section", "analysis"))})
    else:
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise UsageError(f"{name}: CSV needs a 'text' column (and ideally 'id'); found {reader.fieldnames}")
        for number, row in enumerate(reader, start=2):
            records.append({"id": row.get("id") or str(number), "text": row["text"],
                            "section": row.get("section") or "analysis"})
    if problems:
        raise UsageError(f"{name}: {len(problems)} bad line(s):\n" + "\n".join(f"  - {p}" for p in problems))
    return records


def code_records(coder: HybridCoder, records: list[dict[str, str]]) -> Iterator[str]:
    """One JSON line per record: ``{"id", "codes": {code: {polarity, confidence, source, evidence}}}``."""
    found: dict[str, dict[str, dict[str, object]]] = {r["id"]: {} for r in records}
    for coding in coder.code_texts([(r["id"], r["text"], r["section"]) for r in records]):
        found[coding.segment_id][coding.code] = {
            "polarity": coding.polarity, "confidence": coding.confidence, "source": coding.provenance.source,
            "evidence": coding.evidence, "rules": list(coding.provenance.rules),
            "probability": coding.provenance.probability,
        }
    for record in records:
        yield json.dumps({"id": record["id"], "codes": found[record["id"]]}, ensure_ascii=False)
