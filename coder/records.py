"""Flat rows for one coding: what the workbook, CSV and later the store all show."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coder.codebook import Codebook

BANDS = (("accept", 0.8), ("review", 0.5), ("low", 0.0))


def band(confidence: float) -> str:
    """accept (≥ 0.8), review (≥ 0.5) or low: drives the workbook's colouring and sorting."""
    return next(name for name, floor in BANDS if confidence >= floor)


@dataclass(frozen=True, slots=True)
class CodingRow:
    key: str
    document_id: str
    document: str
    title: str
    section: str
    section_type: str
    page: str
    paragraph_number: str
    paragraph_index: int
    code: str
    label: str
    polarity: str
    confidence: float
    band: str
    source: str
    provenance: str
    evidence: str
    paragraph: str
    evidence_start: int  # offsets of the evidence inside ``paragraph``
    evidence_end: int


def row_from_store(row: dict[str, Any], codebook: Codebook) -> CodingRow:
    """A CodingRow from a ``Store.coding_rows`` record."""
    pages = "" if row["page_start"] is None else (
        str(row["page_start"]) if row["page_end"] in (None, row["page_start"]) else f"{row['page_start']}-{row['page_end']}")
    rules = ", ".join(row["rules"])
    detail = "; ".join(p for p in (rules, f"{row['model']} p={row['probability']:.2f}" if row["model"] else "") if p)
    label = codebook[row["code"]].label if row["code"] in codebook else row["code"]
    return CodingRow(
        key=row["key"], document_id=row["document_id"], document=Path(row["path"]).name, title=row["title"],
        section=" > ".join(row["section_path"]), section_type=row["section_type"], page=pages,
        paragraph_number=row["paragraph_number"] or "", paragraph_index=row["paragraph_index"], code=row["code"],
        label=label, polarity=row["polarity"], confidence=row["confidence"], band=row["band"], source=row["source"],
        provenance=detail, evidence=row["evidence"], paragraph=row["paragraph"],
        evidence_start=row["start"] - row["paragraph_start"], evidence_end=row["end"] - row["paragraph_start"],
    )
