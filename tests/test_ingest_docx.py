"""Word documents: styles, numbering, tables row by row, footnotes apart."""

from __future__ import annotations

import coder


def test_ingest_docx_headings_from_styles_and_types(review_docx):
    document = coder.ingest(review_docx)
    assert document.format == "docx" and document.title == "Rapid review: Baby R"
    titles = [(s.title, s.type, s.level) for s in document.sections]
    assert titles == [
        ("Rapid review: Baby R", "front_matter", 1),
        ("1. Case background", "background", 1),
        ("Key episodes", "chronology", 1),
        ("Learning", "learning", 1),
        ("Good practice", "good_practice", 2),
    ]


def test_ingest_docx_tables_read_row_by_row(review_docx):
    rows = [g.text for g in coder.ingest(review_docx).segments if g.kind == "table_row"]
    assert rows == ["Date | Agency | Event", "3 May | Midwifery | Booking visit", "9 June | GP | Missed six-week check"]


def test_ingest_docx_generated_numbering_becomes_paragraph_numbers(review_docx):
    document = coder.ingest(review_docx)
    learning = [g for g in document.segments if g.section_type == "learning"]
    assert [g.number for g in learning] == ["1", "2"]
    assert learning[0].text == "1. Practitioners should ask who else lives in the home."
    assert [g.number for g in document.segments if g.section_type == "background"] == ["1.1", "1.2"]


def test_ingest_docx_footnotes_and_headers_kept_out_of_body(review_docx):
    document = coder.ingest(review_docx)
    assert [f.text for f in document.footnotes] == ["Working Together to Safeguard Children 2023, chapter 5."]
    assert "Working Together" not in document.text
    assert "OFFICIAL-SENSITIVE" not in document.text


def test_ingest_text_markdown_headings(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Findings\n\nThe school did not escalate.\n\n## Recommendations\n\n- Escalate within a week.\n- Record the decision.\n")
    document = coder.ingest(path)
    assert [(s.title, s.type, s.level) for s in document.sections] == [
        ("Findings", "analysis", 1), ("Recommendations", "recommendations", 2)]
    assert [g.kind for g in document.segments] == ["paragraph", "list_item", "list_item"]
