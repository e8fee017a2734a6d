"""The command line: exit codes, one line per failed file, JSON output, help text."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()


def test_cli_ingest_reports_failures_and_exits_non_zero(tmp_path, report_pdf, review_docx):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    result = runner.invoke(app, ["ingest", str(report_pdf), str(empty), str(review_docx), "--out", str(out)])
    assert result.exit_code == 1
    failed = [ln for ln in result.output.splitlines() if ln.startswith("failed:")]
    assert len(failed) == 1 and "empty.pdf" in failed[0] and "empty file" in failed[0]
    assert "2 of 3 file(s) read" in result.output
    rows = list(csv.DictReader((out / "documents.csv").open()))
    assert [r["status"] for r in rows] == ["ok", "failed", "ok"]
    assert len(list((out / "documents").glob("*.json"))) == 2


def test_cli_ingest_all_good_exits_zero(report_pdf):
    result = runner.invoke(app, ["ingest", str(report_pdf), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "1 of 1 file(s) read (4 pages" in result.output


def test_cli_inspect_json_has_whole_structure(report_pdf):
    result = runner.invoke(app, ["inspect", str(report_pdf), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["page_count"] == 4 and data["sha256"]
    section = next(s for s in data["sections"] if s["title"] == "3. Analysis")
    assert section["type"] == "analysis" and section["pages"] == [4, 4]
    paragraph = next(p for p in data["paragraphs"] if p["number"] == "2.2")
    assert paragraph["pages"] == [3, 4] and paragraph["section_path"] == ["2. Background"]


def test_cli_inspect_text_tree(report_pdf):
    result = runner.invoke(app, ["inspect", str(report_pdf)])
    assert result.exit_code == 0
    assert "# 2. Background  [background] pp.3-4 (2 paragraph(s))" in result.output
    assert "pp.3-4 2.2 The family had moved" in result.output


def test_cli_inspect_bad_file_exits_with_reason(tmp_path):
    path = tmp_path / "page.pdf"
    path.write_text("<html><body>Not found</body></html>")
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 2
    assert "HTML web page" in result.output


COMMANDS = [["ingest"], ["inspect"], ["run"], ["code"], ["train"], ["evaluate"], ["code-text"], ["query"],
            ["agreement"], ["codebook", "check"], ["codebook", "export"], ["codebook", "import"],
            ["stats", "prevalence"], ["stats", "cooccurrence"], ["stats", "matrix"], ["attributes", "import"],
            ["export", "xlsx"], ["export", "csv"], ["export", "jsonl"], ["export", "training"], ["export", "qdpx"],
            ["verify", "import"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_cli_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_cli_help_lists_every_command():
    def listed(*group: str) -> set[str]:
        output = runner.invoke(app, [*group, "--help"]).output
        return {line.split()[0] for line in output.split("Commands:", 1)[1].splitlines() if line.strip()}

    assert listed() == {command[0] for command in COMMANDS}
    for group in {command[0] for command in COMMANDS if len(command) == 2}:
        assert listed(group) == {command[1] for command in COMMANDS if command[0] == group}
