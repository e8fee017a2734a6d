"""train, evaluate and code-text from the command line, on the small test codebook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from test_classify import synthetic

runner = CliRunner()
MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


@pytest.fixture(scope="module")
def data_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "labels.jsonl"
    path.write_text("\n".join(json.dumps({"id": i.id, "text": i.text, "section": i.section, "codes": i.codes})
                              for i in synthetic()) + "\n")
    return path


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory, data_file) -> Path:
    out = tmp_path_factory.mktemp("models") / "tiny"
    result = runner.invoke(app, ["train", str(data_file), "--codebook", str(MINI), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 codes modelled, 1 rules-only" in result.output and "information_sharing 40" in result.output
    return out


def test_cli_train_writes_model_with_meta(model_dir):
    meta = json.loads((model_dir / "meta.json").read_text())
    assert meta["rules_only"] == ["escalation_challenge"] and meta["n_examples"] == 110
    assert set(meta["metrics"]) == {"information_sharing", "domestic_abuse"}


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_cli_evaluate_reports_three_coders(model_dir, data_file, fmt):
    result = runner.invoke(app, ["evaluate", str(data_file), "--codebook", str(MINI), "--model", str(model_dir),
                                 "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        names = [r["name"] for r in json.loads(result.output)]
        assert names == ["rules", "model", "hybrid"]
    elif fmt == "csv":
        assert result.output.startswith("coder,code,support") and "hybrid,_micro" in result.output
    else:
        assert "rules: " in result.output and "hybrid: " in result.output


def test_cli_evaluate_rejects_unknown_codes(tmp_path, model_dir):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "1", "text": "x", "codes": {"nonexistent": "shortfall"}}) + "\n")
    result = runner.invoke(app, ["evaluate", str(bad), "--codebook", str(MINI), "--model", str(model_dir)])
    assert result.exit_code == 2 and "nonexistent" in result.output


def test_cli_code_text_jsonl_and_csv(tmp_path, model_dir):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "Nobody passed the clinic report to the school."}\n'
                      '{"id": "b", "text": "The family went on holiday in the spring."}\n')
    result = runner.invoke(app, ["code-text", str(source), "--codebook", str(MINI), "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    coding = lines[0]["codes"]["information_sharing"]
    assert coding["source"] == "model" and coding["polarity"] == "shortfall" and coding["evidence"]
    assert lines[1]["codes"] == {}
    csv_source = tmp_path / "in.csv"
    csv_source.write_text("id,text\nz,The nursery did not escalate its concerns.\n")
    result = runner.invoke(app, ["code-text", str(csv_source), "--codebook", str(MINI), "--no-model"])
    assert json.loads(result.output) == {"id": "z", "codes": {"escalation_challenge": {
        "polarity": "shortfall", "confidence": 0.8, "source": "rule",
        "evidence": "The nursery did not escalate its concerns.", "rules": ["escalation_challenge/escalate"],
        "probability": None}}}


def test_cli_code_text_reports_bad_lines(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "fine"}\n{not json\n{"id": "c"}\n')
    result = runner.invoke(app, ["code-text", str(source), "--codebook", str(MINI), "--no-model"])
    assert result.exit_code == 2 and "line 2: not JSON" in result.output and 'line 3: needs a "text"' in result.output
