"""A plain XLSX table (query results), written atomically with text kept as text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from coder.files import write_atomic
from coder.workbook import set_text


def write_table_xlsx(path: str | Path, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Results"
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([None] * len(columns))
        for index, column in enumerate(columns, start=1):
            set_text(sheet.cell(sheet.max_row, index), row.get(column))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return write_atomic(path, workbook.save)
