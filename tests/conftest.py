"""Shared fixtures: generated review files (PDF, DOCX, text) and the paths of shared material."""

from __future__ import annotations

from pathlib import Path

import pytest

from docxgen import write_review_docx
from pdfgen import write_report
from realdoc_checks import real_pdfs

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REALDOCS = SHARED / "realdocs"
SEEDS = SHARED / "seeds"
CORPUS = ROOT / "corpus"  # the six published reviews `make demo` codes
CORPUS_DATA = ROOT / "tests" / "data" / "corpus"  # their sources and the labels of the evaluation set


@pytest.fixture(scope="session")
def report_pdf(tmp_path_factory) -> Path:
    return write_report(tmp_path_factory.mktemp("pdf") / "lcspr-child-t.pdf")


@pytest.fixture(scope="session")
def review_docx(tmp_path_factory) -> Path:
    return write_review_docx(tmp_path_factory.mktemp("docx") / "rapid-review-baby-r.docx",
                             footnote="Working Together to Safeguard Children 2023, chapter 5.")


@pytest.fixture(scope="session")
def realdocs() -> list[Path]:
    if not REALDOCS.is_dir():
        pytest.skip("../shared/realdocs is absent")
    return real_pdfs()
