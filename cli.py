"""The `coder` command line: parse arguments, call the library, print results. Nothing else."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import cli_store
import coder
from cli_store import errors_to_exit
from coder.errors import UsageError
from coder.labelled import SPLITS
from coder.outputs import DOCUMENT_COLUMNS, document_row, save_document_json, write_csv
from coder.views import document_to_dict, render_tree

app = typer.Typer(help="Code safeguarding practice reviews for practice themes.", no_args_is_help=True,
                  add_completion=False, rich_markup_mode=None)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Engine(str, Enum):
    pdfium = "pdfium"
    pdfplumber = "pdfplumber"


class Format(str, Enum):
    text = "text"
    json = "json"


def progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True)


def reporter(bar: Progress, *, total: int):
    """A per-file callback: advance the bar, print one line for each file that failed."""
    task = bar.add_task("coding", total=total)

    def advance(result: coder.IngestResult | Path) -> None:
        if isinstance(result, coder.IngestResult) and not result.ok:
            bar.console.print(f"failed: {result.error}", markup=False)
        bar.advance(task)

    return advance


# Folders are searched; their README files (notes about the folder) and hidden files are not reviews.
INPUTS_HELP = "Files and folders of reviews (.pdf, .docx, .txt, .md); in folders, README and hidden files are skipped."


@app.command("ingest")
def ingest_cli(
    paths: Annotated[list[Path], typer.Argument(help=INPUTS_HELP)],
    engine: Annotated[Engine, typer.Option(help="PDF engine: pdfium (fast) or pdfplumber (hard layouts, tables).")] = Engine.pdfium,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes.")] = 1,
    out: Annotated[Path | None, typer.Option(help="Folder for one JSON structure per document and documents.csv.")] = None,
) -> None:
    """Read reviews into documents, sections and paragraphs; report every file that cannot be read.

    Example:  coder ingest corpus/ --jobs 2 --out out/
    """
    with errors_to_exit():
        files = coder.expand_paths(paths)
        rows, failed = [], 0
        with progress() as bar:
            task = bar.add_task("ingesting", total=len(files))
            for result in coder.ingest_paths(files, engine=engine.value, jobs=jobs):
                rows.append(document_row(result))
                if result.ok and out is not None:
                    save_document_json(result, out / "documents")
                if not result.ok:
                    failed += 1
                    bar.console.print(f"failed: {result.error}", markup=False)
                bar.advance(task)
        if out is not None:
            write_csv(out / "documents.csv", DOCUMENT_COLUMNS, rows)
    ok = [r for r in rows if r["status"] == "ok"]
    pages = sum(int(r.get("pages") or 0) for r in ok)
    paragraphs = sum(int(r.get("paragraphs") or 0) for r in ok)
    typer.echo(f"{len(ok)} of {len(rows)} file(s) read ({pages} pages, {paragraphs} paragraphs); {failed} failed.")
    if failed:
        raise typer.Exit(code=1)


@app.command("inspect")
def inspect_cli(
    file: Annotated[Path, typer.Argument(help="One review file.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="text: a readable tree; json: the whole structure.")] = Format.text,
    engine: Annotated[Engine, typer.Option(help="PDF engine.")] = Engine.pdfium,
) -> None:
    """Show what was extracted from one file: sections with types and pages, and each paragraph's first words.

    Example:  coder inspect corpus/lcspr-child-a.pdf --format json
    """
    with errors_to_exit():
        document = coder.ingest(file, engine=engine.value)
    if format is Format.json:
        typer.echo(json.dumps(document_to_dict(document), ensure_ascii=False, indent=1))
    else:
        typer.echo(render_tree(document))


@app.command("run")
def run_cli(
    inputs: Annotated[list[Path], typer.Argument(help=INPUTS_HELP)],
    out: Annotated[Path, typer.Option(help="Folder for codings.xlsx, codings.csv and documents.csv.")] = Path("out"),
    codebook: Annotated[Path | None, typer.Option(help="Codebook YAML (default: codebooks/safeguarding.yaml).")] = None,
    model: Annotated[Path | None, typer.Option(help="Model folder (default: models/default when it fits the codebook).")] = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="Code with the rules alone.")] = False,
    db: Annotated[Path | None, typer.Option(help="Corpus database (default: OUT/coder.db).")] = None,
    engine: Annotated[Engine, typer.Option(help="PDF engine.")] = Engine.pdfium,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes for reading files.")] = 1,
) -> None:
    """Code every paragraph of the inputs and write a verification workbook for researchers.

    Unchanged files already coded with the same codebook and model are skipped, so an interrupted
    run resumes where it stopped.

    Example:  coder run corpus/ --out out/
    """
    with errors_to_exit(), progress() as bar:
        book = coder.load_codebook(codebook)
        document_coder = coder.make_coder(book, model=model, use_model=not no_model)
        advance = reporter(bar, total=len(coder.expand_paths(inputs)))
        result = coder.run(inputs, out, codebook=book, coder=document_coder, database=db, engine=engine.value,
                           jobs=jobs, on_result=advance)
    typer.echo(f"{result.documents} document(s) coded, {result.skipped} unchanged, {len(result.failed)} failed; "
               f"{result.codings} codings. Database {result.database}. Wrote {', '.join(str(p) for p in result.files)}")
    if result.failed:
        raise typer.Exit(code=1)


@app.command("code")
def code_cli(
    inputs: Annotated[list[Path], typer.Argument(help=INPUTS_HELP)],
    db: Annotated[Path, typer.Option(help="Corpus database to code into.")] = cli_store.DEFAULT_DB,
    codebook: Annotated[Path | None, typer.Option(help="Codebook YAML (default: codebooks/safeguarding.yaml).")] = None,
    model: Annotated[Path | None, typer.Option(help="Model folder (default: models/default when it fits).")] = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="Code with the rules alone.")] = False,
    engine: Annotated[Engine, typer.Option(help="PDF engine.")] = Engine.pdfium,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes for reading files.")] = 1,
) -> None:
    """Code reviews into the corpus database only (no workbook); skips files already coded.

    Example:  coder code more-reviews/ --db out/coder.db
    """
    from coder.pipeline import code_into_store

    with errors_to_exit(), progress() as bar:
        book = coder.load_codebook(codebook)
        document_coder = coder.make_coder(book, model=model, use_model=not no_model)
        advance = reporter(bar, total=len(coder.expand_paths(inputs)))
        with coder.Store(db) as store:
            result, _ = code_into_store(inputs, store, codebook=book, coder=document_coder, engine=engine.value,
                                        jobs=jobs, on_result=advance)
    typer.echo(f"{result.documents} document(s) coded, {result.skipped} unchanged, {len(result.failed)} failed. "
               f"Database {db}.")
    if result.failed:
        raise typer.Exit(code=1)


class ReportFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


Split = Enum("Split", {name: name for name in SPLITS}, type=str)  # the splits coder.training knows


@app.command("train")
def train_cli(
    out: Annotated[Path, typer.Option(help="Model folder to write, e.g. models/mine.")],
    data: Annotated[list[Path] | None, typer.Argument(help="Labelled JSON Lines files (training format).")] = None,
    db: Annotated[Path | None, typer.Option(help="Also train on the verified codings in this corpus database.")] = None,
    codebook: Annotated[Path | None, typer.Option(help="Codebook YAML.")] = None,
    split: Annotated[Split, typer.Option(help="Train on this split of the data (test is held out).")] = Split.all,
) -> None:
    """Train the classifier from labelled paragraphs and save it with per-code metrics.

    Example:  coder train training/seeds/labels.jsonl training/written/part*.jsonl --split train --out models/default
    Example:  coder train --db out/coder.db --out models/ours   (the verified codings)
    """
    from coder.classify import MIN_POSITIVES
    from coder.training import load_labelled, train, verified_items

    with errors_to_exit():
        book = coder.load_codebook(codebook)
        items = load_labelled(data or [], book, split=split.value)
        if db is not None:
            with cli_store.open_store(db) as store:
                items += verified_items(store)
        with progress() as bar:
            task = bar.add_task("training", total=len(book))
            model = train(items, book, out, name=out.name,
                          progress=lambda done, total, code: bar.update(task, completed=done, description=code))
    counts = sorted(model.counts_.items(), key=lambda kv: -kv[1])
    typer.echo(f"Trained on {len(items)} paragraphs; {len(model.models_)} codes modelled, "
               f"{len(model.rules_only_)} rules-only (fewer than {MIN_POSITIVES} positives).")
    typer.echo("Positives per code: " + ", ".join(f"{c} {n}" for c, n in counts))
    typer.echo(f"Wrote {out}")


@app.command("evaluate")
def evaluate_cli(
    data: Annotated[list[Path], typer.Argument(help="Labelled JSON Lines files to score against.")],
    model: Annotated[Path | None, typer.Option(help="Model folder (default: models/default).")] = None,
    codebook: Annotated[Path | None, typer.Option(help="Codebook YAML.")] = None,
    split: Annotated[Split, typer.Option(help="Score this split of the data.")] = Split.all,
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
    min_support: Annotated[int, typer.Option(help="Only list codes with at least this many expected positives.")] = 1,
) -> None:
    """Precision, recall, F1 and kappa per code for rules alone, model alone and hybrid, side by side.

    Example:  coder evaluate tests/data/seed_eval.jsonl --format table
    """
    from coder.evaluate import report_table
    from coder.training import calibration, compare, load_labelled

    with errors_to_exit():
        book = coder.load_codebook(codebook)
        items = load_labelled(data, book, split=split.value)
        classifier = coder.load_default_model(book, model)
        reports = compare(items, book, classifier)
    if format is ReportFormat.table:
        typer.echo(f"{len(items)} paragraphs")
        typer.echo(report_table(reports, min_support=min_support))
        if classifier is not None:
            bins, error = calibration(classifier, items)
            typer.echo(f"calibration (model probabilities, codes pooled): expected calibration error {error:.3f}")
            for row in bins:
                typer.echo(f"  p {row['bin']}: mean {row['mean_probability']:.3f} observed {row['observed_rate']:.3f} "
                           f"n={row['count']}")
    else:
        typer.echo(coder.reports_to_text(reports, format.value))


@app.command("code-text")
def code_text_cli(
    file: Annotated[str, typer.Argument(help="JSONL ({\"id\", \"text\"} per line) or CSV (id,text); - for stdin.")] = "-",
    model: Annotated[Path | None, typer.Option(help="Model folder (default: models/default).")] = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="Rules alone.")] = False,
    codebook: Annotated[Path | None, typer.Option(help="Codebook YAML.")] = None,
) -> None:
    """Code plain texts from other systems and write JSON Lines codings to stdout.

    Example:  coder code-text notes.jsonl > codings.jsonl
    """
    import sys

    from coder.textio import code_records, read_records

    with errors_to_exit():
        book = coder.load_codebook(codebook)
        document_coder = coder.make_coder(book, model=model, use_model=not no_model)
        if file != "-" and not Path(file).is_file():
            raise UsageError(f"No file {file!r}; give a JSONL or CSV file, or - to read standard input.")
        handle = sys.stdin if file == "-" else open(file, encoding="utf-8")
        with handle:
            records = read_records(handle, name=file)
        for line in code_records(document_coder, records):
            typer.echo(line)


codebook_app = typer.Typer(help="Check, export and import codebooks.", no_args_is_help=True)
app.add_typer(codebook_app, name="codebook")


@codebook_app.command("check")
def codebook_check_cli(
    file: Annotated[Path | None, typer.Argument(help="Codebook YAML (default: codebooks/safeguarding.yaml).")] = None,
) -> None:
    """Validate a codebook and run every example as a test: positives must be coded, negatives must not.

    Example:  coder codebook check codebooks/safeguarding.yaml
    """
    from rich.table import Table

    from coder.codebook_check import check_examples

    with errors_to_exit():
        book = coder.load_codebook(file)
        results = check_examples(book)
    failures = [r for r in results if not r.passed]
    if failures:
        table = Table("code", "example", "text", "problem", title="Examples that failed")
        for r in failures:
            problem = "not coded" if r.kind == "positive" else f"coded ({r.coded_polarity})"
            table.add_row(r.code, r.kind, r.text[:90], problem)
        Console(highlight=False, soft_wrap=True).print(table)
    mismatched = sum(1 for r in results if r.passed and not r.polarity_agrees)
    typer.echo(f"{book.identity}: {len(book)} codes, {len(results)} examples, {len(failures)} failed, "
               f"{mismatched} coded with another polarity than expected.")
    if failures:
        raise typer.Exit(code=1)


@codebook_app.command("export")
def codebook_export_cli(
    out: Annotated[Path, typer.Argument(help="Where to write the .qdc file.")],
    file: Annotated[Path | None, typer.Option("--codebook", help="Codebook YAML.")] = None,
) -> None:
    """Write the codebook as a REFI-QDA .qdc file for NVivo, ATLAS.ti, MAXQDA or QualCoder.

    Example:  coder codebook export safeguarding.qdc
    """
    from coder.refi import export_qdc

    with errors_to_exit():
        path = export_qdc(coder.load_codebook(file), out)
    typer.echo(f"Wrote {path}")


@codebook_app.command("import")
def codebook_import_cli(
    qdc: Annotated[Path, typer.Argument(help="A REFI-QDA .qdc codebook.")],
    out: Annotated[Path, typer.Argument(help="Where to write the YAML codebook.")],
) -> None:
    """Turn a REFI-QDA .qdc codebook into a coder YAML codebook (add patterns and examples after).

    Example:  coder codebook import team-codes.qdc codebooks/team.yaml
    """
    from coder.files import write_text_atomic
    from coder.refi import codebook_to_yaml, import_qdc

    with errors_to_exit():
        book = import_qdc(qdc)
        write_text_atomic(out, codebook_to_yaml(book))
    typer.echo(f"Wrote {out}: {len(book)} codes in {len(book.groups)} group(s).")


cli_store.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
