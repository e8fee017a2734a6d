"""`coder code-text`: records from other systems in, one JSON line of codings per record out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from coder.codebook import load_codebook
from coder.errors import UsageError
from coder.hybrid import HybridCoder
from coder.textio import code_records, read_records

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


def test_textio_reads_json_lines_and_csv_with_line_breaks_in_quoted_fields():
    jsonl = '{"id": "a", "text": "The GP was never told."}\n\n{"text": "No id here.", "section": "background"}\n'
    assert read_records(io.StringIO(jsonl)) == [
        {"id": "a", "text": "The GP was never told.", "section": "analysis"},
        {"id": "3", "text": "No id here.", "section": "background"}]
    table = 'id,text\nn1,"First line\nsecond line"\n,Unnamed row\n'
    assert read_records(io.StringIO(table)) == [
        {"id": "n1", "text": "First line\nsecond line", "section": "analysis"},
        {"id": "4", "text": "Unnamed row", "section": "analysis"}]


def test_textio_reports_every_bad_line_at_once_including_repeated_ids_and_short_rows():
    jsonl = '{"id": 1, "text": "a"}\nnot json\n{"text": "b"}\n{"id": "x"}\n{"id": "1", "text": "c"}\n'
    with pytest.raises(UsageError) as caught:
        read_records(io.StringIO(jsonl), name="notes.jsonl")
    message = str(caught.value)
    assert message.startswith("notes.jsonl: 3 bad line(s)")
    for expected in ("line 2: not JSON", "line 4: needs a \"text\" field", "line 5: id '1' is already used on line 1"):
        assert expected in message
    assert "line 3" not in message  # a record without id takes its line number, which is free here
    with pytest.raises(UsageError, match=r"line 3: has fewer columns than the header"):
        read_records(io.StringIO("id,text\na,fine\nb\n"))
    with pytest.raises(UsageError, match=r"line 3: id 'a' is already used on line 2"):
        read_records(io.StringIO("id,text\na,one\na,two\n"))


def test_textio_codes_each_record_apart():
    coder = HybridCoder(load_codebook(MINI), None)
    records = read_records(io.StringIO('id,text\np1,The GP was never told that she had moved.\np2,Nothing of note.\n'))
    lines = [json.loads(line) for line in code_records(coder, records)]
    assert [line["id"] for line in lines] == ["p1", "p2"]
    assert list(lines[0]["codes"]) == ["information_sharing"] and lines[1]["codes"] == {}
    assert lines[0]["codes"]["information_sharing"]["evidence"] == "The GP was never told that she had moved."


def test_textio_cli_names_a_missing_file_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from cli import app

    result = CliRunner().invoke(app, ["code-text", str(tmp_path / "nope.jsonl"), "--no-model",
                                      "--codebook", str(MINI)])
    assert result.exit_code == 2
    assert "No file" in result.output and "nope.jsonl" in result.output and "Traceback" not in result.output
