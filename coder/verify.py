"""The verification round-trip: export coding sheets from the store, import reviewers' decisions.

Import validates every row first and reports every problem at once; nothing is written unless the
whole sheet is valid (or ``skip_invalid`` is asked for). Reviews are appended, keyed by coding,
reviewer and the sheet's hash, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coder.codebook import POLARITIES, Codebook
from coder.errors import UsageError, VerificationError
from coder.records import BANDS, row_from_store
from coder.store import Store
from coder.workbook import DECISIONS, MACHINE_COLUMNS, REVIEW_COLUMNS, write_workbook


def export_sheet(store: Store, path: str | Path, codebook: Codebook, *, sample: int | None = None, seed: int = 0,
                 **filters: Any) -> tuple[Path, int]:
    """Write a verification workbook for the codings matching ``filters`` (see Store.coding_rows);
    ``sample`` draws that many rows at random with ``seed`` for quality assurance."""
    problems = [f"band {b!r} is not one of {', '.join(name for name, _ in BANDS)}"
                for b in filters.get("bands") or () if b not in dict(BANDS)]
    if sample is not None and sample < 1:
        problems.append(f"sample must be at least 1; got {sample}")
    if problems:
        raise UsageError("Cannot export: " + "; ".join(problems) + ".")
    rows = store.coding_rows(**filters)
    if sample is not None and sample < len(rows):
        rows = random.Random(seed).sample(rows, sample)  # the workbook puts them in reading order
    keys = [r["key"] for r in rows]
    export_id = store.record_export(keys, {"filters": {k: v for k, v in filters.items() if v}, "sample": sample,
                                            "seed": seed})
    documents = {(r["document_id"], Path(r["path"]).name) for r in rows}
    run_info = {"database_id": store.database_id, "export_id": export_id, "codebook": codebook.identity,
                "codebook_sha256": codebook.sha256, "rows": len(rows), "sample": sample or "", "seed": seed}
    write_workbook(path, [row_from_store(r, codebook) for r in rows], codebook=codebook,
                   documents=[{"document_id": i, "document": n} for i, n in sorted(documents, key=lambda d: d[1])],
                   run_info=run_info)
    return Path(path), len(rows)


@dataclass
class ImportResult:
    path: Path
    rows: int  # rows in the sheet
    decided: int  # rows with a decision
    added: int  # reviews newly stored (0 when the same sheet was imported before)
    problems: list[str] = field(default_factory=list)  # reported and skipped (skip_invalid)


def import_sheet(store: Store, path: str | Path, codebook: Codebook, *, reviewer: str,
                 skip_invalid: bool = False) -> ImportResult:
    """Validate and store the decisions in a returned verification workbook.

    Raises:
        VerificationError: listing every invalid row, unless ``skip_invalid`` (then they are skipped).
    """
    from openpyxl import load_workbook

    path = Path(path)
    if not reviewer.strip():
        raise VerificationError(path, ["--reviewer is empty; give the name or initials of who reviewed the sheet"])
    data = path.read_bytes()  # one read: the hash recorded is of exactly what was parsed
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError or its own errors for damaged files
        raise VerificationError(path, [f"cannot be read as an Excel workbook ({type(error).__name__}: {error})"]) from None
    if "Codings" not in workbook.sheetnames or "Run" not in workbook.sheetnames:
        raise VerificationError(path, [f"sheets Codings and Run are needed; found {workbook.sheetnames}"])
    run = {str(k): str(v) for k, v in workbook["Run"].iter_rows(min_row=2, values_only=True) if k}
    sheet_rows = list(workbook["Codings"].iter_rows(values_only=True))
    workbook.close()
    fatal, export_keys = _check_origin(store, run)
    if fatal:
        raise VerificationError(path, fatal)
    header = [str(c) if c is not None else "" for c in sheet_rows[0]] if sheet_rows else []
    expected = [name for name, _ in MACHINE_COLUMNS] + list(REVIEW_COLUMNS)
    if header[: len(expected)] != expected:
        raise VerificationError(path, [f"the Codings header was changed; expected columns {expected}, found {header}"])
    column = {name: index for index, name in enumerate(header)}
    reviews, problems = _validate_rows(store, codebook, sheet_rows[1:], column, export_keys, reviewer.strip(),
                                       hashlib.sha256(data).hexdigest(), run["export_id"])
    if problems and not skip_invalid:
        raise VerificationError(path, problems)
    added = store.add_reviews(reviews)
    return ImportResult(path, len(sheet_rows) - 1, len(reviews), added, problems)


def _check_origin(store: Store, run: dict[str, str]) -> tuple[list[str], list[str]]:
    database_id, export_id = run.get("database_id"), run.get("export_id")
    if database_id != store.database_id:
        return [f"the sheet was exported from another database ({database_id}), not {store.path} "
                f"({store.database_id}); import it into the database it came from"], []
    keys = store.export_keys(export_id or "")
    if keys is None:
        return [f"export {export_id!r} is not recorded in {store.path}; export a fresh sheet with `coder export xlsx`"], []
    return [], keys


def _validate_rows(store: Store, codebook: Codebook, rows: list[tuple], column: dict[str, int], export_keys: list[str],
                   reviewer: str, sheet_sha256: str, export_id: str) -> tuple[list[dict[str, Any]], list[str]]:
    def cell(row: tuple, name: str) -> str:
        value = row[column[name]] if column[name] < len(row) else None
        return "" if value is None else str(value).strip()

    exported = set(export_keys)
    stored = store.codings_by_key(exported)
    seen: dict[str, int] = {}
    reviews, problems = [], []
    for number, row in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in row):
            continue
        key, decision = cell(row, "key"), cell(row, "decision").lower()
        where = f"row {number}"
        if key in seen:
            problems.append(f"{where}: duplicates row {seen[key]} (key {key}); delete the copy")
            continue
        seen[key] = number
        if key not in exported:
            problems.append(f"{where}: key {key!r} was not in this export (was the hidden key column edited?)")
            continue
        if key not in stored:
            problems.append(f"{where}: coding {key} is no longer in the database (re-coded since export?); export again")
            continue
        if not decision:
            continue
        machine = stored[key]
        corrected_code, corrected_polarity = cell(row, "corrected_code"), cell(row, "corrected_polarity")
        row_problems = _check_decision(where, decision, corrected_code, corrected_polarity, machine["code"], codebook)
        if row_problems:
            problems.extend(row_problems)
            continue
        reviews.append({
            "key": key, "segment_id": machine["segment_id"], "code": machine["code"],
            "machine_polarity": machine["polarity"], "machine_source": machine["source"], "decision": decision,
            "corrected_code": corrected_code or None, "corrected_polarity": corrected_polarity or None,
            "reviewer": cell(row, "reviewer") or reviewer, "comment": cell(row, "comment"),
            "export_id": export_id, "sheet_sha256": sheet_sha256, "sheet_row": number,
        })
    missing = [k for k in export_keys if k not in seen]
    if missing:
        problems.append(f"{len(missing)} exported row(s) are missing from the sheet (deleted?), e.g. {missing[0]}; "
                        "restore them or leave their decision blank")
    return reviews, problems


def _check_decision(where: str, decision: str, corrected_code: str, corrected_polarity: str, code: str,
                    codebook: Codebook) -> list[str]:
    problems = []
    if decision not in DECISIONS:
        return [f"{where}: decision {decision!r} is not one of {', '.join(DECISIONS)}"]
    if decision == "change" and not (corrected_code or corrected_polarity):
        problems.append(f"{where}: 'change' needs a corrected_code or a corrected_polarity")
    if decision != "change" and (corrected_code or corrected_polarity):
        problems.append(f"{where}: a corrected code or polarity was given with '{decision}'; use 'change'")
    if corrected_code and corrected_code not in codebook:
        problems.append(f"{where}: corrected_code {corrected_code!r} is not a code of {codebook.identity}")
    if corrected_polarity:
        target = corrected_code if corrected_code in codebook else code
        allowed = codebook.allowed_polarities(target) if target in codebook else POLARITIES
        if corrected_polarity not in allowed:
            problems.append(f"{where}: corrected_polarity {corrected_polarity!r} is not allowed for {target}; "
                            f"allowed: {', '.join(allowed)}")
    return problems
