"""A generated four-page report: furniture removed, structure found, both engines agree."""

from __future__ import annotations

import pytest

import coder


@pytest.fixture(scope="module", params=["pdfium", "pdfplumber"])
def report(request, report_pdf):
    return coder.ingest(report_pdf, engine=request.param)


def test_ingest_pdf_records_source_facts(report, report_pdf):
    import hashlib

    assert report.sha256 == hashlib.sha256(report_pdf.read_bytes()).hexdigest()
    assert report.id == report.sha256[:16]
    assert report.page_count == 4 and report.format == "pdf"
    assert report.path == str(report_pdf)


def test_ingest_pdf_removes_running_header_footer_and_page_numbers(report):
    for segment in report.segments:
        assert "Northmoor SCP | LCSPR" not in segment.text
        assert "Page " not in segment.text
    assert "Northmoor SCP | LCSPR" not in report.text


def test_ingest_pdf_finds_numbered_headings_with_types(report):
    body = [(s.title, s.type, s.level) for s in report.sections if s.number]
    assert body == [
        ("1. Introduction", "introduction", 1),
        ("2. Background", "background", 1),
        ("3. Analysis", "analysis", 1),
        ("4. Recommendations", "recommendations", 1),
    ]


def test_ingest_pdf_contents_page_is_not_headings(report):
    contents = [s for s in report.sections if s.title == "Contents"]
    assert len(contents) == 1 and contents[0].type == "front_matter"
    entries = [g for g in report.segments if g.kind == "contents"]
    assert len(entries) == 4
    assert sum(1 for s in report.sections if s.title.startswith("3. Analysis")) == 1


def test_ingest_pdf_keeps_paragraph_numbers_and_pages(report):
    numbered = {g.number: g for g in report.segments if g.number}
    assert list(numbered) == ["1.1", "1.2", "2.1", "2.2", "3.1", "4.1"]
    assert numbered["1.1"].page_start == 3
    assert numbered["4.1"].section_type == "recommendations"


def test_ingest_pdf_rebuilds_paragraph_across_page_break_and_hyphen(report):
    paragraph = next(g for g in report.segments if g.number == "2.2")
    assert (paragraph.page_start, paragraph.page_end) == (3, 4)
    assert paragraph.text.endswith("health visitor only learned of them after the admission.")
    assert "multi-agency meeting" in paragraph.text
    assert "\n" not in paragraph.text


def test_ingest_pdf_keeps_footnotes_out_of_body(report):
    assert [(f.label, f.page) for f in report.footnotes] == [("1", 3)]
    assert report.footnotes[0].text.startswith("Terms of reference are set out")
    assert all("Appendix A." not in g.text for g in report.segments)


def test_ingest_pdf_offsets_and_sentences_point_into_text(report):
    for segment in report.segments:
        assert report.text[segment.start:segment.end] == segment.text
        assert segment.id == f"{report.sha256[:16]}:{segment.start}"
        section = report.sections[segment.section]
        assert section.start <= segment.start and segment.end <= section.end
        assert segment.sentences[0][0] == segment.start and segment.sentences[-1][1] <= segment.end
    analysis = next(g for g in report.segments if g.number == "3.1")
    assert [report.text[a:b] for a, b in analysis.sentences][1] == "Nobody asked about the partner's history."


def test_ingest_pdf_engines_produce_the_same_paragraphs(report_pdf):
    fast = coder.ingest(report_pdf, engine="pdfium")
    exact = coder.ingest(report_pdf, engine="pdfplumber")
    assert [g.text for g in fast.segments] == [g.text for g in exact.segments]
    assert [s.title for s in fast.sections] == [s.title for s in exact.sections]


def test_ingest_pdf_ids_are_stable_across_runs(report_pdf):
    first, second = coder.ingest(report_pdf), coder.ingest(report_pdf)
    assert [g.id for g in first.segments] == [g.id for g in second.segments]


def test_ingest_rejects_unknown_engine(report_pdf):
    with pytest.raises(coder.UsageError, match="pdfium, pdfplumber"):
        coder.ingest(report_pdf, engine="ocr")
