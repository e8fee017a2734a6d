"""The batch interface for text from other systems: JSONL or CSV in, JSONL codings out."""

from __future__ import annotations

import csv
import io
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
    records: list[dict[str, str]] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}

    def add(number: int, record_id: str, body: str, section: str) -> None:
        # codings are keyed by id, so two records with one id would swap or merge their codes
        if record_id in first_line:
            problems.append(f"line {number}: id {record_id!r} is already used on line {first_line[record_id]}")
            return
        first_line[record_id] = number
        records.append({"id": record_id, "text": body, "section": section})

    if text.lstrip().startswith("{"):
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
            add(number, str(record.get("id", number)), str(record["text"]), str(record.get("section", "analysis")))
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))  # quoted fields may hold line breaks
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise UsageError(f"{name}: CSV needs a 'text' column (and ideally 'id'); found {reader.fieldnames}")
        for row in reader:
            number = reader.line_num
            if row["text"] is None:
                problems.append(f"line {number}: has fewer columns than the header, so no text")
                continue
            add(number, row.get("id") or str(number), row["text"], row.get("section") or "analysis")
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
