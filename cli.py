"""The `coder` command line: parse arguments, call the library, print results. Nothing else."""

from __future__ import annotations

import json
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import coder
from coder.errors import CoderError
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


@contextmanager
def errors_to_exit() -> Iterator[None]:
    try:
        yield
    except CoderError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(code=2) from None


def progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True)


@app.command("ingest")
def ingest_cli(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders of reviews (.pdf, .docx, .txt, .md).")],
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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
