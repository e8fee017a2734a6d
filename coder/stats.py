"""Corpus figures from the store: prevalence, co-occurrence and the documents × codes matrix."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

from coder.codebook import Codebook
from coder.errors import UsageError
from coder.store import Store


def _group_of(document: dict[str, Any], by: str | None) -> str:
    if by is None:
        return "all"
    if by in ("doc-type", "review_type"):
        return str(document.get("review_type") or "unknown")
    if by == "year":
        return str(document.get("year") or "unknown")
    if by == "area":
        return str(document.get("area") or "unknown")
    return str(document["attributes"].get(by, "unknown"))


def prevalence(store: Store, codebook: Codebook, *, by: str | None = None) -> list[dict[str, Any]]:
    """Documents and paragraphs per code (human reviews applied), with % of documents, per group."""
    documents = store.documents()
    groups: dict[str, set[str]] = defaultdict(set)
    for document in documents:
        groups[_group_of(document, by)].add(document["id"])
    coded = store.coded()
    per_document = _presence(coded, "documents")
    per_segment: dict[str, set[tuple[str, str]]] = defaultdict(set)  # code -> (document, segment)
    for document_id, segment_id, code in coded:
        per_segment[code].add((document_id, segment_id))
    rows = []
    for group, members in sorted(groups.items()):
        for code in codebook.ids:
            count = len(per_document.get(code, set()) & members)
            paragraphs = sum(1 for document_id, _ in per_segment.get(code, ()) if document_id in members)
            rows.append({"group": group, "code": code, "label": codebook[code].label, "documents": count,
                         "documents_total": len(members),
                         "percent_documents": round(100 * count / len(members), 1) if members else 0.0,
                         "paragraphs": paragraphs})
    return rows


def cooccurrence(store: Store, codebook: Codebook, *, unit: str = "paragraphs") -> list[dict[str, Any]]:
    """Code × code counts: how many paragraphs (or documents) carry both codes."""
    if unit not in ("paragraphs", "documents"):
        raise UsageError(f"unit must be paragraphs or documents; got {unit!r}")
    presence = _presence(store.coded(), "segments" if unit == "paragraphs" else "documents")
    by_unit: dict[str, set[str]] = defaultdict(set)
    for code, units in presence.items():
        for item in units:
            by_unit[item].add(code)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for codes in by_unit.values():
        for code in codes:
            counts[(code, code)] += 1
        for a, b in combinations(sorted(codes), 2):
            counts[(a, b)] += 1
            counts[(b, a)] += 1
    return [{"code": a, **{b: counts.get((a, b), 0) for b in codebook.ids}} for a in codebook.ids]


def matrix(store: Store, codebook: Codebook) -> list[dict[str, Any]]:
    """One row per document, one 0/1 column per code, plus the document attributes."""
    presence = _presence(store.coded(), "documents")
    rows = []
    for document in store.documents():
        rows.append({"document_id": document["id"], "path": document["path"], "title": document["title"],
                     "review_type": document["review_type"] or "", "year": document["year"] or "",
                     "area": document["area"] or "", **document["attributes"],
                     **{code: int(document["id"] in presence.get(code, ())) for code in codebook.ids}})
    return rows


def _presence(coded: list[tuple[str, str, str]], unit: str) -> dict[str, set[str]]:
    """For each code, the documents (or segments) carrying it."""
    position = 0 if unit == "documents" else 1
    found: dict[str, set[str]] = defaultdict(set)
    for row in coded:
        found[row[2]].add(row[position])
    return found
