"""Commands over the corpus store: query, stats, attributes, export, verify, agreement.

Registered on the main app by cli.py; like it, they only parse, call the library and print.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

import coder
from coder.errors import CoderError, StoreError

DEFAULT_DB = Path(os.environ.get("CODER_DB", "out/coder.db"))
DbOption = Annotated[Path, typer.Option("--db", help="Corpus database (default: out/coder.db or $CODER_DB).")]
CodebookOption = Annotated[Path | None, typer.Option(
    help="The codebook the database was coded with (default: codebooks/safeguarding.yaml).")]

def _console() -> Console:
    # Piped output has no terminal width; give tables room rather than wrapping every word.
    import sys

    return Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 240)

stats_app = typer.Typer(help="Corpus figures: prevalence, co-occurrence, matrix.", no_args_is_help=True)
export_app = typer.Typer(help="Export codings: xlsx, csv, jsonl, training, qdpx.", no_args_is_help=True)
verify_app = typer.Typer(help="Import reviewers' verification sheets.", no_args_is_help=True)
attributes_app = typer.Typer(help="Document attributes (review type, year, area, your own).", no_args_is_help=True)


class Output(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


def open_store(db: Path) -> coder.Store:
    if not db.is_file():
        raise StoreError(f"No database at {db}; code some reviews first with `coder run INPUTS --out {db.parent}` "
                         "or pass --db.")
    return coder.Store(db)


@contextmanager
def errors_to_exit() -> Iterator[None]:
    """A CoderError inside becomes a one-line error on stderr and exit code 2."""
    try:
        yield
    except CoderError as error:
        Console(stderr=True, highlight=False, soft_wrap=True).print(f"error: {error}", markup=False)
        raise typer.Exit(code=2) from None


@contextmanager
def store_session(db: Path) -> Iterator[coder.Store]:
    """Open the database for one command, with errors_to_exit around it."""
    with errors_to_exit(), open_store(db) as store:
        yield store


def store_codebook(store: coder.Store, path: Path | None) -> coder.Codebook:
    """The codebook to read the store with; one that lacks codes the store holds would silently
    drop them from queries, figures and checks, so that is an error naming what was used."""
    book = coder.load_codebook(path)
    used = store.codebooks_used()
    unknown = sorted({code for codes in used.values() for code in codes} - set(book.ids))
    if unknown:
        raise coder.UsageError(
            f"The database holds codes that codebook {book.identity} does not define ({', '.join(unknown[:6])}"
            f"{', …' if len(unknown) > 6 else ''}); it was coded with {', '.join(used)}. "
            "Pass that codebook with --codebook FILE.")
    return book


def emit(rows: list[dict[str, Any]], fmt: Output, out: Path | None, columns: list[str] | None = None) -> None:
    """Print or write rows as a table, CSV, JSON or XLSX."""
    from coder.files import write_text_atomic
    from coder.outputs import csv_text, write_csv

    columns = columns or (list(rows[0]) if rows else [])
    if fmt is Output.csv:
        if out is None:
            typer.echo(csv_text(columns, rows), nl=False)
        else:
            write_csv(out, columns, rows)
    elif fmt is Output.json:
        text = json.dumps(rows, ensure_ascii=False, indent=1, default=str)
        write_text_atomic(out, text) if out else typer.echo(text)
    elif fmt is Output.xlsx:
        from coder.tables import write_table_xlsx

        write_table_xlsx(out or Path("query.xlsx"), columns, rows)
    else:
        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*(str(row.get(c, "")) for c in columns))
        _console().print(table)
    if out is not None or fmt is Output.xlsx:
        typer.echo(f"Wrote {len(rows)} row(s) to {out or 'query.xlsx'}", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(stats_app, name="stats")
    app.add_typer(export_app, name="export")
    app.add_typer(verify_app, name="verify")
    app.add_typer(attributes_app, name="attributes")
    app.command("query")(query_cli)
    app.command("agreement")(agreement_cli)


def query_cli(
    codes: Annotated[list[str], typer.Argument(help="Code ids to find (any of them).")],
    db: DbOption = DEFAULT_DB,
    codebook: CodebookOption = None,
    polarity: Annotated[str | None, typer.Option(help="shortfall, good_practice, recommendation or context.")] = None,
    section: Annotated[str | None, typer.Option(help="Section type, e.g. analysis or learning.")] = None,
    doc_type: Annotated[str | None, typer.Option(help="Review type: rapid_review, lcspr, scr, sar, dhr, other.")] = None,
    year: Annotated[int | None, typer.Option(help="Review year.")] = None,
    min_confidence: Annotated[float | None, typer.Option(help="Lowest confidence to show (0–1).")] = None,
    text: Annotated[str | None, typer.Option(help="Only paragraphs containing this phrase (full-text search).")] = None,
    verified_only: Annotated[bool, typer.Option("--verified-only", help="Only codings a reviewer confirmed or changed.")] = False,
    format: Annotated[Output, typer.Option("--format", "-f")] = Output.table,
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of the terminal.")] = None,
) -> None:
    """Find paragraphs carrying codes across all documents, with where they are and the evidence.

    Example:  coder query hidden_men --section analysis --polarity shortfall
    """
    from coder.records import row_from_store

    with store_session(db) as store:
        book = store_codebook(store, codebook)
        unknown = [c for c in codes if c not in book]
        if unknown:
            raise coder.UsageError(f"Unknown code(s) {', '.join(unknown)}; see `coder codebook check` for the list.")
        rows = store.coding_rows(codes=codes, polarity=polarity, section_type=section, review_type=doc_type,
                                 year=year, min_confidence=min_confidence, text=text, verified_only=verified_only)
    shown = []
    for record in rows:
        row = row_from_store(record, book)
        shown.append({"document": row.document, "section": row.section[-60:], "page": row.page,
                      "para": row.paragraph_number, "code": row.code, "polarity": row.polarity,
                      "confidence": row.confidence, "evidence": row.evidence, "decision": record["decision"] or ""})
    emit(shown, format, out, ["document", "section", "page", "para", "code", "polarity", "confidence", "evidence", "decision"])
    typer.echo(f"{len(shown)} coding(s)", err=True)


@stats_app.command("prevalence")
def prevalence_cli(
    db: DbOption = DEFAULT_DB,
    codebook: CodebookOption = None,
    by: Annotated[str | None, typer.Option(help="Group by doc-type, year, area or an attribute name.")] = None,
    format: Annotated[Output, typer.Option("--format", "-f")] = Output.table,
    out: Annotated[Path | None, typer.Option(help="Write to this file.")] = None,
) -> None:
    """Documents and paragraphs per code, as counts and % of documents (reviews applied).

    Example:  coder stats prevalence --by doc-type
    """
    from coder.stats import prevalence

    with store_session(db) as store:
        rows = prevalence(store, store_codebook(store, codebook), by=by)
    emit(rows, format, out)


@stats_app.command("cooccurrence")
def cooccurrence_cli(
    db: DbOption = DEFAULT_DB,
    codebook: CodebookOption = None,
    unit: Annotated[str, typer.Option(help="paragraphs or documents.")] = "paragraphs",
    out: Annotated[Path, typer.Option(help="CSV file to write.")] = Path("cooccurrence.csv"),
) -> None:
    """Code × code counts over paragraphs or documents, as a CSV matrix.

    Example:  coder stats cooccurrence --unit documents --out cooc.csv
    """
    from coder.stats import cooccurrence

    with store_session(db) as store:
        rows = cooccurrence(store, store_codebook(store, codebook), unit=unit)
    emit(rows, Output.csv, out)


@stats_app.command("matrix")
def matrix_cli(
    db: DbOption = DEFAULT_DB,
    codebook: CodebookOption = None,
    out: Annotated[Path, typer.Option(help="CSV file to write (for R, SPSS or Excel).")] = Path("matrix.csv"),
) -> None:
    """Documents × codes presence (0/1) with document attributes, as CSV.

    Example:  coder stats matrix --out matrix.csv
    """
    from coder.stats import matrix

    with store_session(db) as store:
        book = store_codebook(store, codebook)
        rows = matrix(store, book)
    columns = sorted({k for r in rows for k in r}, key=lambda k: (k in book, k))
    emit(rows, Output.csv, out, columns)


@attributes_app.command("import")
def attributes_import_cli(
    csv_file: Annotated[Path, typer.Argument(help="CSV: first column names the document, then attribute columns.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Add or overwrite document attributes (review_type, year, area or your own columns).

    Example:  coder attributes import reviews.csv
    """
    from coder.attributes import read_attributes_csv

    with store_session(db) as store:
        count = store.set_attributes(read_attributes_csv(csv_file, store))
    typer.echo(f"Set {count} attribute value(s).")


@export_app.command("xlsx")
def export_xlsx_cli(
    out: Annotated[Path, typer.Argument(help="Workbook to write.")],
    db: DbOption = DEFAULT_DB,
    codebook: CodebookOption = None,
    code: Annotated[list[str] | None, typer.Option(help="Only these codes (repeatable).")] = None,
    document: Annotated[list[str] | None, typer.Option(help="Only these documents: id, path or file name.")] = None,
    band: Annotated[list[str] | None, typer.Option(help="Only these confidence bands: accept, review, low.")] = None,
    sample: Annotated[int | None, typer.Option(help="A random sample of this many rows, for quality assurance.")] = None,
    seed: Annotated[int, typer.Option(help="Seed for the random sample.")] = 0,
) -> None:
    """Write a verification workbook from the store, for the chosen subset.

    Example:  coder export xlsx qa.xlsx --band review --sample 50 --seed 7
    """
    from coder.verify import export_sheet

    with store_session(db) as store:
        ids = [store.find_document(d) for d in document or []]
        if None in ids:
            unknown = [d for d, i in zip(document or [], ids) if i is None]
            raise coder.UsageError(f"No single document matches {', '.join(map(repr, unknown))} in {db}; give its id, "
                                   "path or file name.")
        path, rows = export_sheet(store, out, store_codebook(store, codebook), sample=sample, seed=seed, codes=code or (),
                                  documents=ids, bands=band or ())
    typer.echo(f"Wrote {rows} row(s) to {path}")


def _flat_command(fmt: str, example: str):
    def command(out: Annotated[Path, typer.Argument()], db: DbOption = DEFAULT_DB) -> None:
        _export_flat(out, db, fmt)

    command.__doc__ = f"All codings with provenance and latest review, as {fmt.upper()}.\n\n    Example:  {example}\n    "
    return command


export_app.command("csv")(_flat_command("csv", "coder export csv codings.csv"))
export_app.command("jsonl")(_flat_command("jsonl", "coder export jsonl codings.jsonl"))


def _export_flat(out: Path, db: Path, fmt: str) -> None:
    from coder.exports import export_flat

    with store_session(db) as store:
        count = export_flat(store, out, fmt)
    typer.echo(f"Wrote {count} coding(s) to {out}")


@export_app.command("training")
def export_training_cli(out: Annotated[Path, typer.Argument()], db: DbOption = DEFAULT_DB) -> None:
    """Verified codings in the training format, ready for `coder train`.

    Example:  coder export training verified.jsonl
    """
    from coder.exports import export_training

    with store_session(db) as store:
        count = export_training(store, out)
    typer.echo(f"Wrote {count} verified paragraph(s) to {out}")


@export_app.command("qdpx")
def export_qdpx_cli(out: Annotated[Path, typer.Argument()], db: DbOption = DEFAULT_DB,
                    codebook: CodebookOption = None) -> None:
    """A REFI-QDA project for NVivo, ATLAS.ti, MAXQDA and QualCoder.

    Example:  coder export qdpx corpus.qdpx
    """
    from coder.exports import export_qdpx

    with store_session(db) as store:
        export_qdpx(store, out, store_codebook(store, codebook))
    typer.echo(f"Wrote {out}")


@verify_app.command("import")
def verify_import_cli(
    sheet: Annotated[Path, typer.Argument(help="A returned verification workbook.")],
    reviewer: Annotated[str, typer.Option(help="Who reviewed it (name or initials).")],
    db: DbOption = DEFAULT_DB,
    codebook: CodebookOption = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Import the valid rows and list the rest.")] = False,
) -> None:
    """Read reviewers' decisions; every row is checked and nothing is imported if any is invalid.

    Example:  coder verify import qa-returned.xlsx --reviewer JS
    """
    from coder.verify import import_sheet

    with store_session(db) as store:
        result = import_sheet(store, sheet, store_codebook(store, codebook), reviewer=reviewer, skip_invalid=skip_invalid)
    for problem in result.problems:
        typer.echo(f"skipped: {problem}", err=True)
    already = " (already imported)" if result.decided and not result.added else ""
    typer.echo(f"{result.decided} decision(s) in {result.rows} row(s); {result.added} new review(s) stored{already}.")


def agreement_cli(db: DbOption = DEFAULT_DB) -> None:
    """Human–machine agreement per code, and agreement between reviewers of the same rows.

    Example:  coder agreement
    """
    from coder.agreement import between_reviewers, human_machine

    with store_session(db) as store:
        machine, humans = human_machine(store), between_reviewers(store)
    fmt = lambda v: "" if v is None else f"{v:.2f}"  # noqa: E731
    emit([{"code": r.code, "reviewed": r.reviewed, "kept": r.confirmed, "rejected": r.rejected, "recoded": r.recoded,
           "precision": fmt(r.precision), "polarity agreement": fmt(r.polarity_agreement),
           "polarity kappa": fmt(r.polarity_kappa)} for r in machine], Output.table, None)
    if humans:
        emit([{"reviewers": " & ".join(h.reviewers), "shared rows": h.shared_rows, "Cohen's kappa": fmt(h.kappa),
               "Krippendorff's alpha": fmt(h.alpha)} for h in humans], Output.table, None)
    else:
        typer.echo("No rows were reviewed by two or more reviewers.")
