"""The verification round-trip: export, review in Excel (simulated), import, agreement, training."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from coder.agreement import between_reviewers, human_machine
from coder.codebook import load_codebook
from coder.errors import UsageError, VerificationError
from coder.exports import PROJECT_NS, export_flat, export_qdpx, export_training
from coder.hybrid import HybridCoder
from coder.labelled import read_labelled
from coder.pipeline import code_into_store
from coder.store import Store
from coder.verify import export_sheet, import_sheet

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"
TEXT = ("# Findings\n\nThe GP was not told about the domestic abuse.\n\n"
        "The nursery did not escalate its concerns.\n\n# Good practice\n\n"
        "Information sharing between the school and the police was effective.\n")


@pytest.fixture()
def setup(tmp_path):
    book = load_codebook(MINI)
    (tmp_path / "review.md").write_text(TEXT)
    store = Store(tmp_path / "c.db")
    code_into_store([tmp_path / "review.md"], store, codebook=book, coder=HybridCoder(book, None))
    sheet, rows = export_sheet(store, tmp_path / "sheet.xlsx", book)
    assert rows == 4
    return store, book, sheet, tmp_path


def review(sheet: Path, out: Path, decisions: dict[str, tuple], *, edit=None) -> Path:
    """Fill in the sheet as a reviewer would: decision, corrected code, corrected polarity, comment."""
    workbook = load_workbook(sheet)
    codings = workbook["Codings"]
    header = [c.value for c in codings[1]]
    for row in codings.iter_rows(min_row=2):
        code = row[header.index("code")].value
        if code in decisions:
            for column, value in zip(("decision", "corrected_code", "corrected_polarity", "comment"), decisions[code]):
                row[header.index(column)].value = value
    if edit:
        edit(codings, header)
    workbook.save(out)
    return out


DECISIONS = {"information_sharing": ("confirm",), "domestic_abuse": ("reject", None, None, "not stated"),
             "escalation_challenge": ("change", None, "recommendation")}


def test_verify_import_stores_decisions_and_reimport_is_a_no_op(setup):
    store, book, sheet, tmp = setup
    returned = review(sheet, tmp / "back.xlsx", DECISIONS)
    first = import_sheet(store, returned, book, reviewer="JS")
    assert (first.rows, first.decided, first.added) == (4, 4, 4)
    again = import_sheet(store, returned, book, reviewer="JS")
    assert again.added == 0 and len(store.reviews()) == 4
    rows = {r["code"]: r for r in store.coding_rows() if r["decision"]}
    assert rows["domestic_abuse"]["decision"] == "reject" and rows["domestic_abuse"]["comment"] == "not stated"
    assert rows["escalation_challenge"]["corrected_polarity"] == "recommendation"


def test_verify_later_decision_supersedes_without_erasing(setup):
    store, book, sheet, tmp = setup
    import_sheet(store, review(sheet, tmp / "one.xlsx", {"domestic_abuse": ("confirm",)}), book, reviewer="JS")
    import_sheet(store, review(sheet, tmp / "two.xlsx", {"domestic_abuse": ("reject",)}), book, reviewer="JS")
    assert [r["decision"] for r in store.reviews() if r["code"] == "domestic_abuse"] == ["confirm", "reject"]
    assert {r["decision"] for r in store.coding_rows(codes=["domestic_abuse"])} == {"reject"}
    assert store.coding_rows(codes=["domestic_abuse"], verified_only=True) == []


def test_verify_reports_every_invalid_row_and_imports_nothing(setup):
    store, book, sheet, tmp = setup

    def vandalise(codings, header):
        codings.cell(5, header.index("key") + 1).value = "edited-key"  # so its real key is missing too
        codings.append([c.value for c in codings[3]])  # a duplicated row

    bad = review(sheet, tmp / "bad.xlsx", {"information_sharing": ("maybe",),
                                           "domestic_abuse": ("change", "no_such_code", None),
                                           "escalation_challenge": ("change",)}, edit=vandalise)
    with pytest.raises(VerificationError) as excinfo:
        import_sheet(store, bad, book, reviewer="JS")
    problems = "\n".join(excinfo.value.problems)
    for fragment in ("was not in this export", "duplicates row", "missing from the sheet", "is not one of confirm",
                     "'no_such_code' is not a code", "'change' needs a corrected_code"):
        assert fragment in problems, fragment
    assert store.reviews() == []


def test_verify_skip_invalid_imports_the_valid_rows(setup):
    store, book, sheet, tmp = setup
    bad = review(sheet, tmp / "bad.xlsx", {"information_sharing": ("maybe",), "domestic_abuse": ("confirm",)})
    result = import_sheet(store, bad, book, reviewer="JS", skip_invalid=True)
    assert result.added == 1 and len(result.problems) == 2  # both information_sharing rows said "maybe"


def test_verify_refuses_sheet_from_another_database(setup):
    store, book, sheet, tmp = setup
    other = Store(tmp / "other.db")
    with pytest.raises(VerificationError, match="another database"):
        import_sheet(other, review(sheet, tmp / "x.xlsx", DECISIONS), book, reviewer="JS")


def test_verify_interrupted_import_leaves_store_unchanged(setup, monkeypatch):
    store, book, sheet, tmp = setup
    real = store.db

    class Failing:
        def __getattr__(self, name):
            return getattr(real, name)

        def executemany(self, sql, rows):
            rows = list(rows)
            real.execute(sql, rows[0])  # half the import is in the database when the interruption comes
            assert real.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1
            raise KeyboardInterrupt

    monkeypatch.setattr(store, "db", Failing())
    with pytest.raises(KeyboardInterrupt):
        import_sheet(store, review(sheet, tmp / "back.xlsx", DECISIONS), book, reviewer="JS")
    monkeypatch.undo()
    assert store.reviews() == [] and not store.db.in_transaction


def test_verify_agreement_machine_and_reviewers(setup):
    store, book, sheet, tmp = setup
    import_sheet(store, review(sheet, tmp / "a.xlsx", DECISIONS), book, reviewer="A")
    other = dict(DECISIONS, domestic_abuse=("confirm",))
    import_sheet(store, review(sheet, tmp / "b.xlsx", other), book, reviewer="B")
    machine = {r.code: r for r in human_machine(store)}
    assert machine["domestic_abuse"].reviewed == 2 and machine["domestic_abuse"].precision == 0.5
    assert machine["escalation_challenge"].polarity_agreement == 0.0
    pair, overall = between_reviewers(store)
    assert pair.reviewers == ("A", "B") and pair.shared_rows == 4 and pair.kappa is not None and pair.kappa < 1
    assert overall.alpha is not None and overall.alpha < 1


def test_verify_agreement_when_shared_rows_agree_and_another_row_differs(setup):
    # Only rows two reviewers decided count; a row one reviewer decided differently must not
    # make the shared rows look as if they held two outcomes (krippendorff refused that).
    store, book, sheet, tmp = setup
    import_sheet(store, review(sheet, tmp / "a.xlsx", {"domestic_abuse": ("confirm",),
                                                       "escalation_challenge": ("reject",)}), book, reviewer="A")
    import_sheet(store, review(sheet, tmp / "b.xlsx", {"domestic_abuse": ("confirm",)}), book, reviewer="B")
    pair, overall = between_reviewers(store)
    assert pair.shared_rows == 1 and overall.alpha == 1.0

def test_verify_export_training_round_trips_into_the_training_format(setup):
    store, book, sheet, tmp = setup
    import_sheet(store, review(sheet, tmp / "a.xlsx", DECISIONS), book, reviewer="A")
    assert export_training(store, tmp / "verified.jsonl") == 3
    items = {i.text: i.codes for i in read_labelled([tmp / "verified.jsonl"])}
    assert items["The GP was not told about the domestic abuse."] == {"information_sharing": "shortfall"}
    assert items["The nursery did not escalate its concerns."] == {"escalation_challenge": "recommendation"}


def test_verify_training_leaves_out_paragraphs_with_unreviewed_codings(setup):
    # The first paragraph has two codings; with only one reviewed, the other would become a
    # negative label that nobody gave.
    store, book, sheet, tmp = setup
    import_sheet(store, review(sheet, tmp / "a.xlsx", {"information_sharing": ("confirm",)}), book, reviewer="A")
    assert "The GP was not told about the domestic abuse." not in {p["text"] for p in store.verified_paragraphs()}
    import_sheet(store, review(sheet, tmp / "b.xlsx", {"domestic_abuse": ("confirm",)}), book, reviewer="A")
    found = {p["text"]: p["codes"] for p in store.verified_paragraphs()}
    assert set(found["The GP was not told about the domestic abuse."]) == {"information_sharing", "domestic_abuse"}

def test_verify_sample_export_is_reproducible(setup):
    store, book, _, tmp = setup
    keys = []
    for name in ("s1.xlsx", "s2.xlsx"):
        export_sheet(store, tmp / name, book, sample=2, seed=5)
        keys.append([r[0] for r in load_workbook(tmp / name)["Codings"].iter_rows(min_row=2, values_only=True)])
    assert keys[0] == keys[1] and len(keys[0]) == 2


def test_verify_flat_and_qdpx_exports(setup):
    store, book, sheet, tmp = setup
    import_sheet(store, review(sheet, tmp / "a.xlsx", DECISIONS), book, reviewer="A")
    assert export_flat(store, tmp / "c.jsonl", "jsonl") == 4
    first = json.loads((tmp / "c.jsonl").read_text().splitlines()[0])
    assert first["codebook"].startswith("mini@") and "rules" in first and "decision" in first
    path = export_qdpx(store, tmp / "p.qdpx", book)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        raw = archive.read("project.qde")
        project = ET.fromstring(raw)
        sources = {n: archive.read(n).decode() for n in names if n.startswith("Sources/")}
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "fixtures" / "refi-project-subset.xsd")))
    assert schema.validate(etree.fromstring(raw)), schema.error_log
    q = lambda tag: f"{{{PROJECT_NS}}}{tag}"  # noqa: E731
    assert [child.tag for child in project][:4] == [q("Users"), q("CodeBook"), q("Variables"), q("Sources")]
    code_guids = {c.get("guid") for c in project.iter(q("Code"))}
    users = {u.get("guid") for u in project.iter(q("User"))}
    source = project.find(f"{q('Sources')}/{q('TextSource')}")
    text = sources[f"Sources/{source.get('guid')}.txt"]
    selections = source.findall(q("PlainTextSelection"))
    assert len(selections) == 3  # the rejected coding is left out
    for selection in selections:
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        assert 0 <= start < end <= len(text) and text[start:end].strip()
        assert selection.get("creatingUser") in users
        assert selection.find(f"{q('Coding')}/{q('CodeRef')}").get("targetGUID") in code_guids


def test_verify_export_refuses_unknown_bands_and_empty_samples_all_at_once(setup):
    store, book, _, tmp = setup
    with pytest.raises(UsageError, match=r"band 'bogus' is not one of accept, review, low; sample must be at least 1"):
        export_sheet(store, tmp / "x.xlsx", book, bands=["review", "bogus"], sample=0)
    assert not (tmp / "x.xlsx").exists()
