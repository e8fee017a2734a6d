"""Kill `coder run` with SIGKILL part-way through a corpus, run it again: it resumes and the store
is consistent (every stored document has its codings and state; nothing is duplicated)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COUNT = 30


def make_corpus(folder: Path, report_pdf: Path) -> None:
    data = report_pdf.read_bytes()
    for number in range(COUNT):
        # Trailing bytes after %%EOF are ignored by readers but give each file its own hash.
        (folder / f"review-{number:02}.pdf").write_bytes(data + f"\n% copy {number}\n".encode())


def stored_documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as connection:
            return connection.execute("SELECT COUNT(*) FROM document_state").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def run(folder: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "run", str(folder), "--out", str(out),
                             "--no-model"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_resume_after_kill(tmp_path, report_pdf):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    folder.mkdir()
    make_corpus(folder, report_pdf)
    db = out / "coder.db"
    process = run(folder, out)
    deadline = time.monotonic() + 120
    while stored_documents(db) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = stored_documents(db)
    assert 0 < killed_at < COUNT, "the run should have been killed part-way"
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = connection.execute("SELECT COUNT(*) FROM documents WHERE id NOT IN (SELECT document_id FROM document_state)").fetchone()[0]
        assert orphans == 0  # a document is stored with its codings and state, or not at all
    second = run(folder, out)
    output = second.communicate(timeout=300)[0].decode()
    assert second.returncode == 0, output
    assert f"{COUNT - killed_at} document(s) coded, {killed_at} unchanged" in output
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == COUNT
        per_document = connection.execute("SELECT COUNT(*) FROM codings GROUP BY document_id").fetchall()
        assert len(per_document) == COUNT and len({n for (n,) in per_document}) == 1  # same text, same codings
        duplicates = connection.execute("SELECT COUNT(*) - COUNT(DISTINCT key) FROM codings").fetchone()[0]
        assert duplicates == 0
