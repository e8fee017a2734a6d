"""REFI-QDA codebook exchange: a round trip keeps ids, hierarchy, definitions and criteria."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from coder.codebook import load_codebook
from coder.errors import CodebookError
from coder.refi import NS, code_guid, codebook_to_yaml, export_qdc, import_qdc

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


def test_refi_export_structure(tmp_path):
    codebook = load_codebook(MINI)
    path = export_qdc(codebook, tmp_path / "mini.qdc")
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{NS}}}CodeBook"
    groups = root.find(f"{{{NS}}}Codes").findall(f"{{{NS}}}Code")
    assert [(g.get("name"), g.get("isCodable")) for g in groups] == [("Practice themes", "false"), ("Family circumstances", "false")]
    first = groups[0].find(f"{{{NS}}}Code")
    assert first.get("guid") == code_guid("mini", "information_sharing") and first.get("isCodable") == "true"


@pytest.mark.parametrize("source", [MINI, None], ids=["mini", "safeguarding"])
def test_refi_round_trip_keeps_codes(tmp_path, source):
    original = load_codebook(source)
    back = import_qdc(export_qdc(original, tmp_path / "mini.qdc"))
    assert back.ids == original.ids
    for code in original:
        assert (back[code.id].label, back[code.id].group, back[code.id].definition) == (code.label, code.group, code.definition)
        assert (back[code.id].aliases, back[code.id].include, back[code.id].exclude, back[code.id].parent) == \
            (code.aliases, code.include, code.exclude, code.parent)
    assert back.allowed_polarities("domestic_abuse") == ("context",)
    if source is None:  # the default codebook has criteria on every code
        assert all(c.include and c.exclude for c in back)
    yaml_path = tmp_path / "back.yaml"
    yaml_path.write_text(codebook_to_yaml(back))
    assert load_codebook(yaml_path).ids == original.ids


def test_refi_import_foreign_qdc_with_nesting(tmp_path):
    path = tmp_path / "team.qdc"
    path.write_text(
        f'<?xml version="1.0"?><CodeBook xmlns="{NS}" origin="QualCoder"><Codes>'
        '<Code guid="11111111-1111-1111-1111-111111111111" name="Agencies" isCodable="false">'
        '<Code guid="22222222-2222-2222-2222-222222222222" name="Police response" isCodable="true">'
        "<Description>How the police responded.</Description>"
        '<Code guid="33333333-3333-3333-3333-333333333333" name="Arrest" isCodable="true"/></Code></Code>'
        '<Code guid="44444444-4444-4444-4444-444444444444" name="Loose code" isCodable="true"/>'
        "</Codes></CodeBook>")
    book = import_qdc(path)
    assert book.ids == ("police_response", "arrest", "loose_code")
    assert book["arrest"].parent == "police_response" and book["police_response"].group == "agencies"
    assert book["police_response"].definition == "How the police responded."
    assert book["loose_code"].group == "imported"


def test_refi_import_rejects_non_qdc(tmp_path):
    path = tmp_path / "x.qdc"
    path.write_text("<html></html>")
    with pytest.raises(CodebookError, match="no <Codes> element"):
        import_qdc(path)
