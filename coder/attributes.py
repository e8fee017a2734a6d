"""Document attributes: guessed from the review's own front page, or imported from a CSV."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from coder.errors import UsageError
from coder.store import REVIEW_TYPES, Store
from coder.types import Document

_TYPES = (
    ("rapid_review", re.compile(r"\brapid review\b", re.I)),
    ("lcspr", re.compile(r"\blocal child safeguarding practice review\b|\bLCSPR\b", re.I)),
    ("scr", re.compile(r"\bserious case review\b", re.I)),
    ("sar", re.compile(r"\bsafeguarding adults? review\b", re.I)),
    ("dhr", re.compile(r"\bdomestic homicide review\b", re.I)),
)
_AREA = re.compile(r"\b((?:[A-Z][a-z]+ ){1,3})(?:Safeguarding Children (?:Partnership|Board)|Local Safeguarding Children Board|"
                   r"Safeguarding Adults Board|Community Safety Partnership)")
_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")


def guess_attributes(document: Document) -> dict[str, Any]:
    """Review type, year and area from the title and the first pages (None where not found)."""
    front = f"{document.title}\n{document.text[:2500]}"
    # The title decides when it names a type; otherwise the type named earliest on the front pages
    # (an LCSPR's introduction often mentions the rapid review that preceded it).
    review_type = next((name for name, pattern in _TYPES if pattern.search(document.title)), None)
    if review_type is None:
        found = [(m.start(), name) for name, pattern in _TYPES if (m := pattern.search(front))]
        review_type = min(found)[1] if found else None
    years = [int(y) for y in _YEAR.findall(front)]
    area = _AREA.search(front)
    return {"review_type": review_type, "year": max(years) if years else None,
            "area": area.group(1).strip().removesuffix(" Local") if area else None}


def read_attributes_csv(path: str | Path, store: Store) -> list[tuple[str, dict[str, Any]]]:
    """Rows of (document id, attributes) from a CSV whose first column names the document (id, path
    or file name). Raises UsageError listing every problem at once."""
    path = Path(path)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or len(reader.fieldnames) < 2:
            raise UsageError(f"{path}: needs a document column and at least one attribute column")
        key_column = reader.fieldnames[0]
        rows, problems = [], []
        for number, row in enumerate(reader, start=2):
            document_id = store.find_document((row.get(key_column) or "").strip())
            if document_id is None:
                problems.append(f"line {number}: no single document matches {row.get(key_column)!r} "
                                "(use the id, path or file name from documents.csv)")
                continue
            values = {k: (v or "").strip() for k, v in row.items() if k != key_column and k}
            if values.get("review_type") and values["review_type"] not in REVIEW_TYPES:
                problems.append(f"line {number}: review_type {values['review_type']!r} is not one of {', '.join(REVIEW_TYPES)}")
            if values.get("year"):
                if not values["year"].isdigit():
                    problems.append(f"line {number}: year {values['year']!r} is not a number")
                else:
                    values["year"] = int(values["year"])  # type: ignore[assignment]
            rows.append((document_id, {k: v for k, v in values.items() if v != ""}))
    if problems:
        raise UsageError(f"{path}: {len(problems)} problem(s); nothing imported:\n" + "\n".join(f"  - {p}" for p in problems))
    return rows
