"""End to end through the command line: run, query, export, review, import, agreement, train, stats."""

from __future__ import annotations

import csv
import json

from openpyxl import load_workbook
from typer.testing import CliRunner

from cli import app

runner = CliRunner()


def invoke(*args: str, stdout_only: bool = False) -> str:
    """The command's output; ``stdout_only`` leaves out the counts and notes printed on stderr."""
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout if stdout_only else result.output


def test_cli_store_full_loop(tmp_path, report_pdf, review_docx):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "t.pdf").write_bytes(report_pdf.read_bytes())
    (inputs / "r.docx").write_bytes(review_docx.read_bytes())
    out = tmp_path / "out"
    db = out / "coder.db"
    first = invoke("run", inputs, "--out", out, "--no-model")
    assert "2 document(s) coded, 0 unchanged" in first and db.exists()
    assert "0 document(s) coded, 2 unchanged" in invoke("run", inputs, "--out", out, "--no-model")

    rows = json.loads(invoke("query", "hidden_men", "information_sharing", "--db", db, "--format", "json", stdout_only=True))
    assert rows and {r["code"] for r in rows} <= {"hidden_men", "information_sharing"}

    def csv_rows(*args: str) -> list[dict]:
        return list(csv.DictReader(invoke("query", *args, "--db", db, "--format", "csv", stdout_only=True).splitlines()))

    found = csv_rows("hidden_men", "--text", "partner")
    assert found and {r["code"] for r in found} == {"hidden_men"}
    assert all(r["document"] and r["section"] and r["para"] for r in found)
    assert csv_rows("hidden_men", "--text", "zebra crossing") == []

    sheet = tmp_path / "sheet.xlsx"
    invoke("export", "xlsx", sheet, "--db", db)
    workbook = load_workbook(sheet)
    codings = workbook["Codings"]
    header = [c.value for c in codings[1]]
    for row in codings.iter_rows(min_row=2):
        row[header.index("decision")].value = "confirm"
    workbook.save(tmp_path / "back.xlsx")
    imported = invoke("verify", "import", tmp_path / "back.xlsx", "--reviewer", "JS", "--db", db)
    assert "new review(s) stored" in imported
    assert "already imported" in invoke("verify", "import", tmp_path / "back.xlsx", "--reviewer", "JS", "--db", db)
    assert "precision" in invoke("agreement", "--db", db)

    invoke("export", "training", tmp_path / "verified.jsonl", "--db", db)
    assert (tmp_path / "verified.jsonl").read_text().count('"origin": "verified"') >= 1
    invoke("export", "qdpx", tmp_path / "p.qdpx", "--db", db)
    invoke("export", "csv", tmp_path / "all.csv", "--db", db)
    assert list(csv.DictReader((tmp_path / "all.csv").open()))[0]["decision"] == "confirm"

    prevalence = invoke("stats", "prevalence", "--db", db, "--format", "csv", stdout_only=True)
    assert prevalence.startswith("group,code,label,documents")
    invoke("stats", "matrix", "--db", db, "--out", tmp_path / "m.csv")
    invoke("stats", "cooccurrence", "--db", db, "--out", tmp_path / "c.csv")
    assert len(list(csv.reader((tmp_path / "m.csv").open()))) == 3


def test_cli_store_commands_need_a_database(tmp_path):
    result = runner.invoke(app, ["query", "hidden_men", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "No database at" in result.output


def test_cli_store_commands_read_the_store_with_the_codebook_it_was_coded_with(tmp_path):
    from pathlib import Path

    mini = (Path(__file__).parent / "fixtures" / "mini.yaml").read_text()
    own = tmp_path / "own.yaml"
    own.write_text(mini.replace("id: information_sharing", "id: my_sharing"))
    (tmp_path / "a.md").write_text("# Findings\n\nThe GP was never told that she had moved.\n")
    db = tmp_path / "c.db"
    invoke("code", tmp_path / "a.md", "--db", db, "--codebook", own, "--no-model")
    for command in (["query", "my_sharing"], ["stats", "prevalence"], ["stats", "matrix", "--out", tmp_path / "m.csv"],
                    ["export", "xlsx", tmp_path / "s.xlsx"]):
        refused = runner.invoke(app, [str(a) for a in (*command, "--db", db)])
        assert refused.exit_code == 2 and "does not define (my_sharing)" in refused.output
        assert "Pass that codebook with --codebook FILE" in refused.output
    rows = json.loads(invoke("query", "my_sharing", "--db", db, "--codebook", own, "--format", "json", stdout_only=True))
    assert [r["code"] for r in rows] == ["my_sharing"]
    prevalence = json.loads(invoke("stats", "prevalence", "--db", db, "--codebook", own, "-f", "json", stdout_only=True))
    assert any(r.get("code") == "my_sharing" and r.get("documents") == 1 for r in prevalence)


def test_cli_store_export_names_a_document_it_cannot_find(tmp_path):
    (tmp_path / "a.md").write_text("# Findings\n\nInformation sharing between the GP and the school was poor.\n")
    db = tmp_path / "c.db"
    invoke("code", tmp_path / "a.md", "--db", db, "--no-model")
    refused = runner.invoke(app, ["export", "xlsx", str(tmp_path / "s.xlsx"), "--db", str(db), "--document", "zz.pdf"])
    assert refused.exit_code == 2 and "No single document matches 'zz.pdf'" in refused.output
    assert not (tmp_path / "s.xlsx").exists()
    wrote = invoke("export", "xlsx", tmp_path / "s.xlsx", "--db", db, "--document", "a.md")
    assert wrote.startswith("Wrote ") and not wrote.startswith("Wrote 0 ")
