"""`coder run`: the verification workbook, CSVs, formula safety, atomic writes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

import coder
from coder.codebook import load_codebook
from coder.workbook import DECISIONS

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


@pytest.fixture(scope="module")
def run_output(tmp_path_factory, report_pdf, review_docx):
    inputs = tmp_path_factory.mktemp("inputs")
    (inputs / "a.pdf").write_bytes(report_pdf.read_bytes())
    (inputs / "b.docx").write_bytes(review_docx.read_bytes())
    (inputs / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    (inputs / "formula.txt").write_text(
        "# Findings\n\n=HYPERLINK(\"http://x\") The GP was not told about the domestic abuse.\n\n"
        "@risk The school did not escalate its concerns.\n")
    out = tmp_path_factory.mktemp("out")
    result = coder.run([inputs], out)  # the default codebook, which codes the PDF and DOCX reviews too
    return result, out


def test_pipeline_writes_all_outputs_and_counts(run_output):
    result, out = run_output
    assert {p.name for p in result.files} == {"codings.xlsx", "codings.csv", "documents.csv"}
    assert result.documents == 3 and len(result.failed) == 1
    assert result.failed[0].error.reason == "corrupt"
    assert not list(out.glob(".*.tmp")), "no temporary files left behind"


def test_pipeline_codings_sheet_layout(run_output):
    result, out = run_output
    sheet = load_workbook(out / "codings.xlsx")["Codings"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["key", "document"] and header[-5:] == ["decision", "corrected_code", "corrected_polarity", "reviewer", "comment"]
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref
    assert sheet.column_dimensions["A"].hidden
    validations = {str(v.sqref).split(":")[0][:1]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert validations["O"] == f'"{",".join(DECISIONS)}"'
    assert validations["P"].startswith("=Codebook!$A$2")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == result.codings > 0
    codes = {r[header.index("code")] for r in rows}
    assert {"information_sharing", "domestic_abuse", "escalation_challenge"} <= codes


def test_pipeline_text_is_never_a_formula(run_output):
    _, out = run_output
    sheet = load_workbook(out / "codings.xlsx")["Codings"]
    for column in ("M", "N"):  # evidence and paragraph
        cells = [c for c in sheet[column][1:] if isinstance(c.value, str) and c.value.startswith(("=", "@"))]
        assert cells and all(c.data_type == "s" for c in cells), column
    with (out / "codings.csv").open() as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not any(cell.startswith(("=", "@", "+")) for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    # the same holds for CSV printed by `coder query`
    from typer.testing import CliRunner

    from cli import app

    printed = CliRunner().invoke(app, ["query", "information_sharing", "--db", str(out / "coder.db"), "--format", "csv"])
    cells = [cell for row in csv.reader(printed.stdout.splitlines()) for cell in row]
    assert printed.exit_code == 0 and any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not any(cell.startswith(("=", "@", "+")) for cell in cells)


def test_pipeline_evidence_marked_in_paragraph(run_output):
    _, out = run_output
    with (out / "codings.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert {row["document"] for row in rows} == {"a.pdf", "b.docx", "formula.txt"}
    for row in rows:
        assert "«" + row["evidence"].lstrip("'") + "»" in row["paragraph"].lstrip("'")


def test_pipeline_other_sheets(run_output):
    result, out = run_output
    workbook = load_workbook(out / "codings.xlsx")
    assert workbook.sheetnames == ["Codings", "Codebook", "Matrix", "Prevalence", "Run"]
    matrix = list(workbook["Matrix"].iter_rows(values_only=True))
    assert matrix[0][:2] == ("document_id", "document") and len(matrix) == 1 + result.documents
    assert all(v in (0, 1) for row in matrix[1:] for v in row[2:])
    prevalence = workbook["Prevalence"]
    assert prevalence._charts and prevalence["A1"].value == "code"
    run = dict(workbook["Run"].iter_rows(min_row=2, values_only=True))
    assert run["codebook"] == load_codebook().identity and run["documents_failed"] == "1"


def test_pipeline_documents_csv_lists_failure_reason(run_output):
    _, out = run_output
    with (out / "documents.csv").open() as handle:
        rows = {Path(r["path"]).name: r for r in csv.DictReader(handle)}
    assert rows["broken.pdf"]["status"] == "failed" and rows["broken.pdf"]["reason"] == "corrupt"
    assert rows["a.pdf"]["status"] == "ok" and rows["a.pdf"]["pages"] == "4"


def test_pipeline_atomic_write_keeps_old_file_on_failure(tmp_path):
    from coder.files import write_atomic

    target = tmp_path / "codings.xlsx"
    target.write_text("previous run")

    def crash(tmp: Path) -> None:
        tmp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, crash)
    assert target.read_text() == "previous run"
    assert list(tmp_path.iterdir()) == [target]


def test_pipeline_database_may_live_in_a_folder_that_does_not_exist_yet(tmp_path):
    (tmp_path / "a.md").write_text("# Findings\n\nThe GP was not told about the domestic abuse.\n")
    database = tmp_path / "new" / "deeper" / "corpus.db"
    result = coder.run([tmp_path / "a.md"], tmp_path / "out", codebook=MINI, database=database)
    assert result.documents == 1 and database.is_file() and result.database == database


def test_pipeline_documents_csv_describes_unchanged_files_as_fully_as_new_ones(tmp_path):
    (tmp_path / "a.md").write_text("# Findings\n\nThe GP was not told about the domestic abuse.\n\n## Notes\n\nMore text.\n")

    def documents() -> dict[str, str]:
        coder.run([tmp_path / "a.md"], tmp_path / "out", codebook=MINI)
        with open(tmp_path / "out" / "documents.csv", newline="") as handle:
            (row,) = csv.DictReader(handle)
        return row

    first, second = documents(), documents()
    assert second["reason"] == "unchanged, already coded" and first["reason"] == ""
    for column in ("document_id", "format", "engine", "pages", "sections", "paragraphs", "title"):
        assert second[column] == first[column] != "", column
