"""The verification workbook: one row per coding for researchers to confirm, reject or change.

Sheets: Codings (the work), Codebook, Matrix (documents × codes, 0/1), Prevalence (with a bar
chart) and Run (versions, hashes, settings). Written atomically; text is never a formula.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from coder.codebook import POLARITIES, Codebook
from coder.files import write_atomic
from coder.records import BANDS, CodingRow

DECISIONS = ("confirm", "reject", "change")
REVIEW_COLUMNS = ("decision", "corrected_code", "corrected_polarity", "reviewer", "comment")
MACHINE_COLUMNS = (
    ("key", 10), ("document", 28), ("section", 30), ("page", 7), ("paragraph_number", 10), ("code", 24),
    ("label", 26), ("polarity", 15), ("confidence", 11), ("band", 9), ("source", 8), ("provenance", 28),
    ("evidence", 60), ("paragraph", 90),
)
_BAND_FILLS = {"accept": "E2EFDA", "review": "FFF2CC", "low": "FCE4D6"}
_HEADER = Font(bold=True)
_BOLD = InlineFont(b=True)


def write_workbook(
    path: str | Path,
    rows: Sequence[CodingRow],
    *,
    codebook: Codebook,
    documents: Sequence[dict[str, Any]],
    run_info: dict[str, Any],
) -> Path:
    """Write the verification workbook to ``path`` atomically and return the path."""
    workbook = Workbook()
    _codings_sheet(workbook.active, rows, codebook)
    _codebook_sheet(workbook.create_sheet("Codebook"), codebook)
    documents_by_code, paragraphs_by_code = _presence(rows)
    _matrix_sheet(workbook.create_sheet("Matrix"), documents_by_code, codebook, documents)
    _prevalence_sheet(workbook.create_sheet("Prevalence"), documents_by_code, paragraphs_by_code, codebook, documents)
    _run_sheet(workbook.create_sheet("Run"), run_info)
    return write_atomic(path, workbook.save)


def set_text(cell: Any, value: object) -> None:
    """Store ``value``; strings are stored as text even when they start with = + - @."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


_BAND_ORDER = {name: rank for rank, (name, _) in enumerate(BANDS)}


def _codings_sheet(sheet: Any, rows: Sequence[CodingRow], codebook: Codebook) -> None:
    sheet.title = "Codings"
    # Most certain first, so a reviewer can confirm the accept band quickly and spend time on the
    # rest; within a band, the document's own order.
    rows = sorted(rows, key=lambda r: (_BAND_ORDER[r.band], r.document, r.paragraph_index, r.code))
    headers = [name for name, _ in MACHINE_COLUMNS] + list(REVIEW_COLUMNS)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = _HEADER
    for row in rows:
        values = [getattr(row, name) for name, _ in MACHINE_COLUMNS]
        sheet.append([None] * len(headers))
        index = sheet.max_row
        for column, value in enumerate(values, start=1):
            set_text(sheet.cell(index, column), value)
        sheet.cell(index, len(MACHINE_COLUMNS)).value = _marked(row)
        fill = PatternFill("solid", fgColor=_BAND_FILLS[row.band])
        for column in (8, 9, 10):
            sheet.cell(index, column).fill = fill
    widths = [w for _, w in MACHINE_COLUMNS] + [12, 24, 18, 14, 40]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in ("C", "M", "N"):
        for cell in sheet[column][1:]:
            cell.alignment = wrap
    sheet.column_dimensions["A"].hidden = True  # the stable key the import matches rows on
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    last = max(sheet.max_row, 2)
    first_review = len(MACHINE_COLUMNS) + 1
    _dropdown(sheet, f'"{",".join(DECISIONS)}"', first_review, last)
    _dropdown(sheet, f"=Codebook!$A$2:$A${len(codebook) + 1}", first_review + 1, last)
    _dropdown(sheet, f'"{",".join(POLARITIES)}"', first_review + 2, last)


def _dropdown(sheet: Any, formula: str, column: int, last_row: int) -> None:
    letter = get_column_letter(column)
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.add(f"{letter}2:{letter}{last_row}")
    sheet.add_data_validation(validation)


def _marked(row: CodingRow) -> CellRichText:
    text, start, end = row.paragraph, row.evidence_start, row.evidence_end
    if not (0 <= start < end <= len(text)):
        return CellRichText(text)
    parts = [text[:start], TextBlock(_BOLD, text[start:end]), text[end:]]
    return CellRichText([p for p in parts if p])


def _codebook_sheet(sheet: Any, codebook: Codebook) -> None:
    sheet.append(["id", "label", "group", "parent", "definition", "include", "exclude", "aliases"])
    for cell in sheet[1]:
        cell.font = _HEADER
    for code in codebook:
        sheet.append([code.id, code.label, code.group, code.parent or "", code.definition,
                      "; ".join(code.include), "; ".join(code.exclude), "; ".join(code.aliases)])
    for letter, width in zip("ABCDEFGH", (26, 30, 10, 14, 70, 50, 50, 30)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "B2"


def _presence(rows: Sequence[CodingRow]) -> tuple[dict[str, set[str]], dict[str, int]]:
    documents_by_code: dict[str, set[str]] = defaultdict(set)
    paragraphs_by_code: dict[str, int] = defaultdict(int)
    for row in rows:
        documents_by_code[row.code].add(row.document_id)
        paragraphs_by_code[row.code] += 1
    return documents_by_code, paragraphs_by_code


def _matrix_sheet(sheet: Any, documents_by_code: dict[str, set[str]], codebook: Codebook,
                  documents: Sequence[dict[str, Any]]) -> None:
    sheet.append(["document_id", "document"] + list(codebook.ids))
    for document in documents:
        sheet.append([document["document_id"], document["document"]] +
                     [int(document["document_id"] in documents_by_code.get(code, ())) for code in codebook.ids])
    sheet.freeze_panes = "C2"


def _prevalence_sheet(sheet: Any, documents_by_code: dict[str, set[str]], paragraphs_by_code: dict[str, int],
                      codebook: Codebook, documents: Sequence[dict[str, Any]]) -> None:
    total = max(len(documents), 1)
    sheet.append(["code", "label", "documents", "% of documents", "paragraphs"])
    ranked = sorted(codebook, key=lambda c: (-len(documents_by_code.get(c.id, ())), c.id))
    for code in ranked:
        count = len(documents_by_code.get(code.id, ()))
        sheet.append([code.id, code.label, count, round(100 * count / total, 1), paragraphs_by_code.get(code.id, 0)])
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Documents coded, per code"
    chart.y_axis.title = "documents"
    data = Reference(sheet, min_col=3, min_row=1, max_row=len(codebook) + 1)
    labels = Reference(sheet, min_col=2, min_row=2, max_row=len(codebook) + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    chart.height, chart.width = 22, 18
    sheet.add_chart(chart, "G2")
    sheet.column_dimensions["B"].width = 40


def _run_sheet(sheet: Any, run_info: dict[str, Any]) -> None:
    sheet.append(["key", "value"])
    for key, value in run_info.items():
        sheet.append([key, None])
        set_text(sheet.cell(sheet.max_row, 2), str(value))
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
