"""The corpus store: schema, idempotent re-runs, resume after a crash, queries and statistics."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

import coder
from coder.codebook import load_codebook
from coder.errors import StoreError
from coder.hybrid import HybridCoder
from coder.pipeline import code_into_store
from coder.stats import cooccurrence, matrix, prevalence
from coder.store import Store

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"
TEXTS = {
    "a.md": "# Findings\n\nThe GP was not told about the domestic abuse.\n\nThe nursery did not escalate its concerns.\n",
    "b.md": "# Good practice\n\nInformation sharing between the school and the police was effective.\n",
    "c.md": "# Background\n\nThere was domestic abuse between the parents.\n",
}


@pytest.fixture()
def corpus(tmp_path) -> Path:
    folder = tmp_path / "reviews"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text)
    return folder


@pytest.fixture()
def book():
    return load_codebook(MINI)


def code(store, corpus, book, coder_=None):
    result, _ = code_into_store([corpus], store, codebook=book, coder=coder_ or HybridCoder(book, None))
    return result


def test_store_schema_versioned_with_wal(tmp_path):
    store = Store(tmp_path / "c.db")
    assert store.schema_version == 1
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    identity = store.database_id
    store.close()
    assert Store(tmp_path / "c.db").database_id == identity


def test_store_refuses_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "x.db"
    path.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a coder database"):
        Store(path)


def test_store_rerun_skips_unchanged_and_never_duplicates(tmp_path, corpus, book):
    store = Store(tmp_path / "c.db")
    first = code(store, corpus, book)
    counts = store.counts()
    second = code(store, corpus, book)
    assert (first.documents, first.skipped) == (3, 0) and (second.documents, second.skipped) == (0, 3)
    assert {k: v for k, v in store.counts().items() if k != "runs"} == {k: v for k, v in counts.items() if k != "runs"}
    (corpus / "b.md").write_text(TEXTS["b.md"] + "\nThe GP was never told about the school's concerns.\n")
    third = code(store, corpus, book)
    assert (third.documents, third.skipped) == (1, 2)
    assert store.counts()["documents"] == 4  # the changed file is a new document (new content hash)


def test_store_recodes_when_codebook_changes(tmp_path, corpus, book):
    store = Store(tmp_path / "c.db")
    code(store, corpus, book)
    changed_path = tmp_path / "changed.yaml"
    changed_path.write_text(MINI.read_text().replace('version: "0.1"', 'version: "0.2"'))
    changed = load_codebook(changed_path)
    result = code(store, corpus, changed)
    assert result.documents == 3 and result.skipped == 0
    codebooks = {r["codebook"] for r in store.coding_rows()}
    assert codebooks == {changed.identity}


def test_store_resumes_after_a_crash_mid_corpus(tmp_path, corpus, book):
    store = Store(tmp_path / "c.db")

    class Crashing(HybridCoder):
        calls = 0

        def code_document(self, document, **kwargs):
            Crashing.calls += 1
            if Crashing.calls == 2:
                raise KeyboardInterrupt  # as if the user pressed Ctrl-C during the second file
            return super().code_document(document, **kwargs)

    with pytest.raises(KeyboardInterrupt):
        code(store, corpus, book, Crashing(book, None))
    assert store.counts()["documents"] == 1
    assert store.runs()[-1]["status"] == "interrupted"
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    resumed = code(store, corpus, book)
    assert (resumed.documents, resumed.skipped) == (2, 1)
    reference = Store(tmp_path / "fresh.db")
    code(reference, corpus, book)
    assert {k: v for k, v in store.counts().items() if k != "runs"} == {k: v for k, v in reference.counts().items() if k != "runs"}


def test_store_marks_a_run_interrupted_while_it_is_still_hashing_files(tmp_path, corpus, book, monkeypatch):
    import coder.pipeline

    def interrupted(path):
        raise KeyboardInterrupt

    monkeypatch.setattr(coder.pipeline, "_sha256", interrupted)
    store = Store(tmp_path / "c.db")
    with pytest.raises(KeyboardInterrupt):
        code(store, corpus, book)
    assert [r["status"] for r in store.runs()] == ["interrupted"]


def test_store_query_filters_and_full_text(tmp_path, corpus, book):
    store = Store(tmp_path / "c.db")
    code(store, corpus, book)
    assert {r["code"] for r in store.coding_rows(codes=["domestic_abuse"])} == {"domestic_abuse"}
    assert len(store.coding_rows(codes=["domestic_abuse"])) == 2
    assert [r["section_type"] for r in store.coding_rows(codes=["information_sharing"], polarity="good_practice")] == ["good_practice"]
    found = store.coding_rows(text="nursery")
    assert [r["code"] for r in found] == ["escalation_challenge"]
    assert store.coding_rows(text='odd "quote (chars') == []


def test_store_cooccurrence_refuses_an_unknown_unit(tmp_path, corpus, book):
    store = Store(tmp_path / "c.db")
    code(store, corpus, book)
    with pytest.raises(coder.UsageError, match="unit must be paragraphs or documents; got 'paragraph'"):
        cooccurrence(store, book, unit="paragraph")


def test_store_statistics(tmp_path, corpus, book):
    store = Store(tmp_path / "c.db")
    code(store, corpus, book)
    rows = {r["code"]: r for r in prevalence(store, book)}
    assert rows["domestic_abuse"]["documents"] == 2 and rows["domestic_abuse"]["percent_documents"] == 66.7
    assert rows["information_sharing"]["paragraphs"] == 2
    cooc = {r["code"]: r for r in cooccurrence(store, book)}
    assert cooc["information_sharing"]["domestic_abuse"] == 1 == cooc["domestic_abuse"]["information_sharing"]
    grid = {Path(r["path"]).name: r for r in matrix(store, book)}
    assert len(grid) == 3 and all(r[c] in (0, 1) for r in grid.values() for c in book.ids)
    assert (grid["a.md"]["domestic_abuse"], grid["b.md"]["domestic_abuse"], grid["c.md"]["domestic_abuse"]) == (1, 0, 1)
    assert grid["b.md"]["information_sharing"] == 1 and grid["c.md"]["information_sharing"] == 0


def test_store_statistics_apply_human_reviews(tmp_path, corpus, book):
    store = Store(tmp_path / "c.db")
    code(store, corpus, book)
    (background,) = [r for r in store.coding_rows(codes=["domestic_abuse"]) if r["path"].endswith("c.md")]
    (finding,) = [r for r in store.coding_rows(codes=["escalation_challenge"])]
    reviewed = {"machine_polarity": "context", "machine_source": "rule", "corrected_polarity": None, "comment": "",
                "reviewer": "JS", "export_id": "e", "sheet_sha256": "h"}
    store.add_reviews([{**reviewed, "key": background["key"], "segment_id": background["segment_id"],
                        "code": "domestic_abuse", "decision": "reject", "corrected_code": None, "sheet_row": 2},
                       {**reviewed, "key": finding["key"], "segment_id": finding["segment_id"], "code": "escalation_challenge",
                        "decision": "change", "corrected_code": "information_sharing", "sheet_row": 3}])
    rows = {r["code"]: r for r in prevalence(store, book)}
    assert rows["domestic_abuse"]["documents"] == 1  # the rejected coding no longer counts
    assert rows["escalation_challenge"]["documents"] == 0 and rows["information_sharing"]["paragraphs"] == 3
    grid = {Path(r["path"]).name: r for r in matrix(store, book)}
    assert grid["c.md"]["domestic_abuse"] == 0 and grid["a.md"]["escalation_challenge"] == 0


def test_store_attributes_import(tmp_path, corpus, book):
    from coder.attributes import read_attributes_csv

    store = Store(tmp_path / "c.db")
    code(store, corpus, book)
    csv_path = tmp_path / "attrs.csv"
    csv_path.write_text("document,review_type,year,lead_agency\na.md,lcspr,2023,police\nb.md,scr,2019,health\n")
    store.set_attributes(read_attributes_csv(csv_path, store))
    by_type = {r["group"] for r in prevalence(store, book, by="doc-type")}
    assert by_type == {"lcspr", "scr", "unknown"}
    assert {r["group"] for r in prevalence(store, book, by="lead_agency")} == {"police", "health", "unknown"}
    bad = tmp_path / "bad.csv"
    bad.write_text("document,review_type,year\nmissing.md,lcspr,2023\na.md,novel,20x3\n")
    with pytest.raises(coder.UsageError) as excinfo:
        read_attributes_csv(bad, store)
    message = str(excinfo.value)
    assert "line 2: no single document" in message and "'novel'" in message and "'20x3'" in message


def test_store_reviews_are_append_only(tmp_path):
    store = Store(tmp_path / "c.db")
    store.db.execute("INSERT INTO reviews (key, segment_id, code, machine_polarity, machine_source, decision, reviewer, "
                     "sheet_sha256, sheet_row, imported_at) VALUES ('k','s','c','shortfall','rule','confirm','JS','h',2,'t')")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("UPDATE reviews SET decision = 'reject'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("DELETE FROM reviews")


def test_store_replaces_the_structure_when_the_same_bytes_are_read_into_another(tmp_path, corpus, book):
    # Another engine or a newer layout can split the same file differently; the old segments must
    # give way to the new ones (their codings used to fail the segment foreign key).
    store = Store(tmp_path / "c.db")
    rules = HybridCoder(book, None)
    document = coder.ingest(corpus / "a.md")
    run = store.start_run(command="code", tool_version="t", codebook=book.identity, codebook_sha256=book.sha256,
                          model="rules", settings={})
    store.save_coded_document(document, rules.code_document(document), run_id=run, attributes={"year": 2020})
    store.set_attributes([(document.id, {"area": "Northmoor"})])
    reread = replace(document, engine="pdfplumber", segments=document.segments[-1:])
    assert [g.id for g in reread.segments] != [g.id for g in document.segments]
    store.save_coded_document(reread, rules.code_document(reread), run_id=run)
    stored = [r[0] for r in store.db.execute("SELECT id FROM segments WHERE document_id = ? ORDER BY idx", (document.id,))]
    assert stored == [g.id for g in reread.segments]
    assert {r["segment_id"] for r in store.coding_rows()} == {reread.segments[0].id}
    row = store.db.execute("SELECT engine, area, year FROM documents WHERE id = ?", (document.id,)).fetchone()
    assert tuple(row) == ("pdfplumber", "Northmoor", 2020)


def test_store_reads_a_pdf_again_when_another_engine_is_asked_for(tmp_path, report_pdf, book):
    store = Store(tmp_path / "c.db")
    rules = HybridCoder(book, None)

    def run(engine: str):
        return code_into_store([report_pdf], store, codebook=book, coder=rules, engine=engine)[0]

    assert run("pdfium").documents == 1 and run("pdfium").skipped == 1
    again = run("pdfplumber")
    assert (again.documents, again.skipped) == (1, 0)
    assert store.db.execute("SELECT engine FROM documents").fetchall()[0][0] == "pdfplumber"
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
