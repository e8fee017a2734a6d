"""Build small Word documents for tests, including parts python-docx cannot write (footnotes)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx

FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def write_review_docx(path: Path, *, footnote: str | None = None) -> Path:
    document = docx.Document()
    document.core_properties.title = "Rapid review: Baby R"
    document.add_paragraph("Rapid review: Baby R", style="Title")
    document.add_heading("1. Case background", level=1)
    document.add_paragraph("1.1 Baby R lived with her mother and maternal grandmother in a one-bedroom flat.")
    document.add_paragraph("1.2 The father was not known to the midwife or the health visitor.")
    document.add_heading("Key episodes", level=1)
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("Date", "Agency", "Event"), ("3 May", "Midwifery", "Booking visit"),
                                       ("9 June", "GP", "Missed six-week check")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_heading("Learning", level=1)
    document.add_paragraph("Practitioners should ask who else lives in the home.", style="List Number")
    document.add_paragraph("Missed checks should prompt a call to the family.", style="List Number")
    bold = document.add_paragraph()
    bold.add_run("Good practice").bold = True
    document.add_paragraph("The health visitor followed up the missed check within a day.")
    header = document.sections[0].header.paragraphs[0]
    header.text = "OFFICIAL-SENSITIVE | Rapid review Baby R"
    document.save(path)
    if footnote:
        _add_footnotes(path, footnote)
    return path


def _add_footnotes(path: Path, text: str) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/footnotes.xml"] = FOOTNOTES_XML.format(text=text).encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/word/footnotes.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
    )
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdFoot1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/footnotes" Target="footnotes.xml"/></Relationships>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
