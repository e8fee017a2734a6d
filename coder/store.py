"""The corpus store: one SQLite file holding documents, sections, segments, codings, runs and
human reviews. All SQL in the project lives in this module.

Every document is written in one transaction with its codings, so a run killed part-way leaves
whole documents or none, and the next run resumes by skipping what is already coded with the same
codebook and model. Reviews are append-only: a later decision supersedes, never erases.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from coder.errors import StoreError
from coder.records import band
from coder.types import Coding, Document

REVIEW_TYPES = ("rapid_review", "lcspr", "scr", "sar", "dhr", "other")

MIGRATIONS: tuple[str, ...] = (
    # 1: the initial schema
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE documents (
        id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, path TEXT NOT NULL, title TEXT NOT NULL,
        format TEXT NOT NULL, engine TEXT NOT NULL, page_count INTEGER NOT NULL, text TEXT NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]', review_type TEXT, year INTEGER, area TEXT,
        ingested_at TEXT NOT NULL
    );
    CREATE TABLE attributes (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, name TEXT NOT NULL,
        value TEXT, PRIMARY KEY (document_id, name)
    );
    CREATE TABLE sections (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
        title TEXT NOT NULL, level INTEGER NOT NULL, type TEXT NOT NULL, type_reason TEXT NOT NULL,
        parent INTEGER, number TEXT, start INTEGER NOT NULL, end INTEGER NOT NULL,
        page_start INTEGER, page_end INTEGER, PRIMARY KEY (document_id, idx)
    );
    CREATE TABLE segments (
        id TEXT PRIMARY KEY, document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, section_idx INTEGER NOT NULL, section_path TEXT NOT NULL,
        section_type TEXT NOT NULL, kind TEXT NOT NULL, number TEXT, start INTEGER NOT NULL,
        end INTEGER NOT NULL, text TEXT NOT NULL, page_start INTEGER, page_end INTEGER
    );
    CREATE INDEX segments_document ON segments(document_id, idx);
    CREATE VIRTUAL TABLE segments_fts USING fts5(text, content='segments', content_rowid='rowid');
    CREATE TRIGGER segments_ai AFTER INSERT ON segments BEGIN
        INSERT INTO segments_fts(rowid, text) VALUES (new.rowid, new.text);
    END;
    CREATE TRIGGER segments_ad AFTER DELETE ON segments BEGIN
        INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    END;
    CREATE TABLE runs (
        id TEXT PRIMARY KEY, started TEXT NOT NULL, finished TEXT, command TEXT NOT NULL,
        tool_version TEXT NOT NULL, codebook TEXT NOT NULL, codebook_sha256 TEXT NOT NULL,
        model TEXT, settings TEXT NOT NULL DEFAULT '{}', status TEXT NOT NULL DEFAULT 'running'
    );
    CREATE TABLE document_state (
        document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        codebook_sha256 TEXT NOT NULL, model TEXT NOT NULL, run_id TEXT NOT NULL REFERENCES runs(id),
        coded_at TEXT NOT NULL
    );
    CREATE TABLE codings (
        key TEXT PRIMARY KEY, segment_id TEXT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, code TEXT NOT NULL,
        polarity TEXT NOT NULL, confidence REAL NOT NULL, band TEXT NOT NULL, start INTEGER NOT NULL,
        end INTEGER NOT NULL, evidence TEXT NOT NULL, source TEXT NOT NULL, rules TEXT NOT NULL,
        model TEXT, probability REAL, codebook TEXT NOT NULL, codebook_sha256 TEXT NOT NULL,
        tool_version TEXT NOT NULL, run_id TEXT NOT NULL REFERENCES runs(id)
    );
    CREATE INDEX codings_code ON codings(code);
    CREATE INDEX codings_document ON codings(document_id);
    CREATE TABLE exports (
        id TEXT PRIMARY KEY, created TEXT NOT NULL, keys TEXT NOT NULL, settings TEXT NOT NULL
    );
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, segment_id TEXT NOT NULL,
        code TEXT NOT NULL, machine_polarity TEXT NOT NULL, machine_source TEXT NOT NULL,
        decision TEXT NOT NULL, corrected_code TEXT, corrected_polarity TEXT, reviewer TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '', export_id TEXT, sheet_sha256 TEXT NOT NULL,
        sheet_row INTEGER NOT NULL, imported_at TEXT NOT NULL,
        UNIQUE (key, reviewer, sheet_sha256)
    );
    CREATE INDEX reviews_key ON reviews(key);
    CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews BEGIN
        SELECT RAISE(ABORT, 'reviews are append-only');
    END;
    CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews BEGIN
        SELECT RAISE(ABORT, 'reviews are append-only');
    END;
    """,
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# A coding's review is its latest: reviews are append-only, so a later decision supersedes.
_LATEST_REVIEW = "LEFT JOIN reviews r ON r.id = (SELECT MAX(id) FROM reviews WHERE key = c.key)"

class Store:
    """Every read and write of the corpus database goes through this class."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"Cannot open database {self.path}: {error}; check the path and permissions.") from None
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as error:
            self.db.close()
            raise StoreError(f"{self.path} is not a coder database ({error}); pass another --db path.") from None
        self._migrate()

    # ---- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path} is not a coder database ({error}).") from None
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} has schema version {version}, newer than this coder knows "
                             f"({len(MIGRATIONS)}); upgrade coder.")
        for number in range(version, len(MIGRATIONS)):
            extra = f"INSERT INTO meta VALUES ('database_id', '{uuid.uuid4().hex}');" if number == 0 else ""
            script = f"BEGIN; {MIGRATIONS[number]} {extra} PRAGMA user_version = {number + 1}; COMMIT;"
            try:
                self.db.executescript(script)  # the schema change and its version commit together
            except sqlite3.Error as error:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise StoreError(f"Upgrading {self.path} to schema {number + 1} failed: {error}") from None

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    @property
    def database_id(self) -> str:
        return self.db.execute("SELECT value FROM meta WHERE key = 'database_id'").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic batch: everything inside commits together or not at all."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- runs -----------------------------------------------------------------------------
    def start_run(self, *, command: str, tool_version: str, codebook: str, codebook_sha256: str,
                  model: str, settings: dict[str, Any]) -> str:
        run_id = uuid.uuid4().hex[:12]
        self.db.execute("INSERT INTO runs (id, started, command, tool_version, codebook, codebook_sha256, model, settings)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (run_id, _now(), command, tool_version, codebook, codebook_sha256, model, json.dumps(settings)))
        return run_id

    def finish_run(self, run_id: str, status: str = "finished") -> None:
        self.db.execute("UPDATE runs SET finished = ?, status = ? WHERE id = ?", (_now(), status, run_id))

    def runs(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM runs ORDER BY started")]

    # ---- documents and codings ------------------------------------------------------------
    def is_coded(self, sha256: str, codebook_sha256: str, model: str, engine: str) -> bool:
        """True when this exact file is already coded with this codebook and model (and, for a
        PDF, read with this engine: asking for another engine means reading it again)."""
        row = self.db.execute(
            "SELECT 1 FROM document_state s JOIN documents d ON d.id = s.document_id "
            "WHERE d.sha256 = ? AND s.codebook_sha256 = ? AND s.model = ? AND (d.format != 'pdf' OR d.engine = ?)",
            (sha256, codebook_sha256, model, engine)).fetchone()
        return row is not None

    def save_coded_document(self, document: Document, codings: Sequence[Coding], *, run_id: str,
                            attributes: dict[str, Any] | None = None) -> None:
        """Replace the document, its structure and its machine codings in one transaction; the
        document's coding state (codebook and coder) is the run's."""
        with self.transaction():
            self._upsert_document(document, attributes or {})
            self.db.execute("DELETE FROM codings WHERE document_id = ?", (document.id,))
            self.db.executemany(
                "INSERT INTO codings VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(c.key, c.segment_id, document.id, c.code, c.polarity, c.confidence, band(c.confidence), c.start,
                  c.end, c.evidence, c.provenance.source, json.dumps(list(c.provenance.rules)), c.provenance.model,
                  c.provenance.probability, c.provenance.codebook, c.provenance.codebook_sha256,
                  c.provenance.tool_version, run_id) for c in codings])
            self.db.execute("INSERT OR REPLACE INTO document_state "
                            "SELECT ?, codebook_sha256, model, id, ? FROM runs WHERE id = ?",
                            (document.id, _now(), run_id))

    def _upsert_document(self, document: Document, attributes: dict[str, Any]) -> None:
        row = self.db.execute("SELECT engine FROM documents WHERE id = ?", (document.id,)).fetchone()
        exists = row is not None
        stored = [r[0] for r in self.db.execute("SELECT id FROM segments WHERE document_id = ? ORDER BY idx",
                                                (document.id,))] if exists else []
        if exists and row["engine"] == document.engine and stored == [g.id for g in document.segments]:
            # Same bytes read the same way into the same structure: keep it, and the user's attributes.
            self.db.execute("UPDATE documents SET path = ? WHERE id = ?", (document.path, document.id))
            return
        if exists:
            # Read again into another structure (another engine, a newer layout): replace the text
            # and structure, keep the user's attributes; reviews are keyed by text, never deleted.
            self.db.execute("DELETE FROM segments WHERE document_id = ?", (document.id,))
            self.db.execute("DELETE FROM sections WHERE document_id = ?", (document.id,))
            self.db.execute("UPDATE documents SET path = ?, title = ?, format = ?, engine = ?, page_count = ?, "
                            "text = ?, warnings = ? WHERE id = ?",
                            (document.path, document.title, document.format, document.engine, document.page_count,
                             document.text, json.dumps(list(document.warnings)), document.id))
        else:
            self.db.execute(
                "INSERT INTO documents (id, sha256, path, title, format, engine, page_count, text, warnings, "
                "review_type, year, area, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (document.id, document.sha256, document.path, document.title, document.format, document.engine,
                 document.page_count, document.text, json.dumps(list(document.warnings)),
                 attributes.get("review_type"), attributes.get("year"), attributes.get("area"), _now()))
        self.db.executemany(
            "INSERT INTO sections VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(document.id, s.index, s.title, s.level, s.type, s.type_reason, s.parent, s.number, s.start, s.end,
              s.page_start, s.page_end) for s in document.sections])
        self.db.executemany(
            "INSERT INTO segments VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(g.id, document.id, g.index, g.section, json.dumps(list(g.section_path)), g.section_type, g.kind,
              g.number, g.start, g.end, g.text, g.page_start, g.page_end) for g in document.segments])

    def documents(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT id, sha256, path, title, format, page_count, review_type, year, area "
                               "FROM documents ORDER BY path").fetchall()
        attributes: dict[str, dict[str, str]] = {}
        for row in self.db.execute("SELECT document_id, name, value FROM attributes"):
            attributes.setdefault(row["document_id"], {})[row["name"]] = row["value"]
        return [{**dict(r), "attributes": attributes.get(r["id"], {})} for r in rows]

    def document_summary(self, document_id: str) -> dict[str, Any]:
        """What documents.csv says of a document read in an earlier run (footnotes are not stored)."""
        row = self.db.execute("""
            SELECT d.id AS document_id, d.format, d.engine, d.page_count AS pages,
                   (SELECT COUNT(*) FROM sections WHERE document_id = d.id) AS sections,
                   (SELECT COUNT(*) FROM segments WHERE document_id = d.id) AS paragraphs, d.warnings, d.title
            FROM documents d WHERE d.id = ?""", (document_id,)).fetchone()
        summary = dict(row) if row else {"document_id": document_id}
        if row:
            summary["warnings"] = " | ".join(json.loads(row["warnings"]))
        return summary

    def document_text(self, document_id: str) -> str:
        return self.db.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()[0]

    def counts(self) -> dict[str, int]:
        tables = ("documents", "sections", "segments", "codings", "reviews", "runs")
        return {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}

    # ---- attributes -----------------------------------------------------------------------
    def set_attributes(self, rows: Iterable[tuple[str, dict[str, Any]]]) -> int:
        """Set attributes per document id; review_type, year and area go to their own columns."""
        changed = 0
        with self.transaction():
            for document_id, values in rows:
                for name, value in values.items():
                    if name in ("review_type", "year", "area", "title"):
                        self.db.execute(f"UPDATE documents SET {name} = ? WHERE id = ?", (value, document_id))
                    else:
                        self.db.execute("INSERT OR REPLACE INTO attributes VALUES (?, ?, ?)", (document_id, name, value))
                    changed += 1
        return changed

    def find_document(self, reference: str) -> str | None:
        """A document id from an id, an id prefix, a sha256, a path or a file name."""
        row = self.db.execute(
            "SELECT id FROM documents WHERE id = ? OR sha256 = ? OR path = ? OR path LIKE ? OR id LIKE ? LIMIT 2",
            (reference, reference, reference, f"%/{reference}", f"{reference}%")).fetchall()
        return row[0]["id"] if len(row) == 1 else None

    # ---- queries --------------------------------------------------------------------------
    def coding_rows(self, *, codes: Sequence[str] = (), polarity: str | None = None, section_type: str | None = None,
                    review_type: str | None = None, year: int | None = None, min_confidence: float | None = None,
                    text: str | None = None, documents: Sequence[str] = (), bands: Sequence[str] = (),
                    verified_only: bool = False, keys: Sequence[str] = ()) -> list[dict[str, Any]]:
        """Codings joined with their segment and document, filtered; with the latest review if any.
        ``section_path`` and ``rules`` are lists."""
        where, params = ["1 = 1"], []
        for column, values in (("c.code", codes), ("c.document_id", documents), ("c.band", bands), ("c.key", keys)):
            if values:
                where.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        for clause, value in (("c.polarity = ?", polarity), ("g.section_type = ?", section_type),
                              ("d.review_type = ?", review_type), ("d.year = ?", year),
                              ("c.confidence >= ?", min_confidence)):
            if value is not None:
                where.append(clause)
                params.append(value)
        if text:
            where.append("g.rowid IN (SELECT rowid FROM segments_fts WHERE segments_fts MATCH ?)")
            params.append(_fts_phrase(text))
        if verified_only:
            where.append("r.decision IN ('confirm', 'change')")
        sql = f"""
            SELECT c.*, g.text AS paragraph, g.start AS paragraph_start, g.idx AS paragraph_index,
                   g.number AS paragraph_number, g.section_path, g.section_type, g.page_start, g.page_end,
                   d.path, d.title, d.review_type, d.year, d.area,
                   r.decision, r.corrected_code, r.corrected_polarity, r.reviewer, r.comment
            FROM codings c JOIN segments g ON g.id = c.segment_id JOIN documents d ON d.id = c.document_id
            {_LATEST_REVIEW}
            WHERE {' AND '.join(where)}
            ORDER BY d.path, g.idx, c.code"""
        try:
            rows = [dict(r) for r in self.db.execute(sql, params)]
        except sqlite3.OperationalError as error:
            raise StoreError(f"Query failed: {error}; check the --text phrase.") from None
        for row in rows:  # stored as JSON lists; callers get lists
            row["section_path"], row["rules"] = json.loads(row["section_path"]), json.loads(row["rules"])
        return rows

    def codebooks_used(self) -> dict[str, list[str]]:
        """Each codebook identity the stored codings were made with, and the codes they use."""
        used: dict[str, list[str]] = {}
        for row in self.db.execute("SELECT DISTINCT codebook, code FROM codings ORDER BY codebook, code"):
            used.setdefault(row["codebook"], []).append(row["code"])
        return used

    def coded(self) -> list[tuple[str, str, str]]:
        """Every (document id, segment id, code) the corpus holds, human reviews applied: rejected
        codings left out, changed ones under their corrected code."""
        return [tuple(row) for row in self.db.execute(f"""
                SELECT c.document_id, c.segment_id, COALESCE(NULLIF(r.corrected_code, ''), c.code)
                FROM codings c {_LATEST_REVIEW}
                WHERE r.decision IS NULL OR r.decision != 'reject'""")]

    # ---- exports and reviews --------------------------------------------------------------
    def record_export(self, keys: Sequence[str], settings: dict[str, Any]) -> str:
        export_id = uuid.uuid4().hex[:12]
        self.db.execute("INSERT INTO exports VALUES (?, ?, ?, ?)", (export_id, _now(), json.dumps(list(keys)),
                                                                     json.dumps(settings)))
        return export_id

    def export_keys(self, export_id: str) -> list[str] | None:
        row = self.db.execute("SELECT keys FROM exports WHERE id = ?", (export_id,)).fetchone()
        return json.loads(row["keys"]) if row else None

    def codings_by_key(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        keys = list(keys)
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            for row in self.db.execute(f"SELECT * FROM codings WHERE key IN ({','.join('?' * len(chunk))})", chunk):
                found[row["key"]] = dict(row)
        return found

    def add_reviews(self, reviews: Sequence[dict[str, Any]]) -> int:
        """Append reviews in one transaction; rows already imported from the same sheet are skipped."""
        before = self.db.total_changes
        with self.transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO reviews (key, segment_id, code, machine_polarity, machine_source, decision, "
                "corrected_code, corrected_polarity, reviewer, comment, export_id, sheet_sha256, sheet_row, imported_at) "
                "VALUES (:key, :segment_id, :code, :machine_polarity, :machine_source, :decision, :corrected_code, "
                ":corrected_polarity, :reviewer, :comment, :export_id, :sheet_sha256, :sheet_row, :imported_at)",
                [{**r, "imported_at": _now()} for r in reviews])
        return self.db.total_changes - before

    def reviews(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM reviews ORDER BY id")]

    def verified_paragraphs(self) -> list[dict[str, Any]]:
        """Each paragraph whose codings were all reviewed, with its text, section type and the codes
        humans confirmed or corrected (latest decision per coding, whoever made it), for training.
        A paragraph with an unreviewed coding is left out: training reads every code a labelled
        paragraph lacks as absent, and nobody has said so of that one."""
        rows = self.db.execute("""
            SELECT g.id, g.text, g.section_type, r.code, r.decision, r.corrected_code, r.corrected_polarity,
                   r.machine_polarity
            FROM reviews r JOIN segments g ON g.id = r.segment_id
            WHERE r.id IN (SELECT MAX(id) FROM reviews GROUP BY key)
              AND NOT EXISTS (SELECT 1 FROM codings c WHERE c.segment_id = g.id
                              AND c.key NOT IN (SELECT key FROM reviews))
            ORDER BY g.id""").fetchall()
        paragraphs: dict[str, dict[str, Any]] = {}
        for row in rows:
            entry = paragraphs.setdefault(row["id"], {"id": row["id"], "text": row["text"],
                                                      "section": row["section_type"], "codes": {}})
            if row["decision"] == "reject":
                continue
            code = row["corrected_code"] or row["code"]
            entry["codes"][code] = row["corrected_polarity"] or row["machine_polarity"]
        return list(paragraphs.values())


def _fts_phrase(text: str) -> str:
    """Quote the user's words as one FTS5 phrase so punctuation cannot break the query."""
    return '"' + text.replace('"', '""') + '"'
