"""Command line: a thin Click layer over `pipeline.api` and `pipeline.writers`."""
from __future__ import annotations

import json
import os
import shutil
import sys
import warnings
from pathlib import Path

import click

from . import __version__
from .api import DEFAULT_TIMEOUT, BatchResult, discover_inputs, extract_file, extract_paths
from .batch import run_batch
from .check import diff_tables, format_diffs
from .errors import ReportError
from .evaluate import evaluate as score_against_gold
from .evaluate import format_table
from .writers import FORMATS, table_rows, write_outputs


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="report-pipeline")
def main() -> None:
    """Turn event and conference reports into data: projects, URLs, figures,
    recommendations and metadata, as CSV and JSON (see README.md)."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder the CSV, JSON and other output files are written to.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the machine's CPU count; 1 runs in this process).")
@click.option("--force", is_flag=True, help="Process every input again, not only new or changed ones.")
@click.option("--format", "formats", default="csv,json", show_default=True,
              help="Comma-separated outputs: csv, json, xlsx (report-data.xlsx), sqlite (report-data.sqlite), "
                   "parquet (parquet/*.parquet, needs pyarrow). JSON per document is always written.")
@click.option("--bom", is_flag=True, help="Write CSV files with a UTF-8 byte order mark (for Excel).")
@click.option("--pdf-engine", type=click.Choice(["pdfplumber", "pdfium"]), default="pdfplumber", show_default=True,
              help="PDF reader: pdfplumber (pdfminer) or pdfium (pypdfium2, much faster); the same document model.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Run the per-file work in local processes or on Dask (extra [dask]).")
@click.option("--scheduler", default=None, help="Dask scheduler address (tcp://HOST:PORT); default: a local cluster.")
@click.option("--models", "models_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Rules folder to use instead of the project's models/ "
                                 "(also: REPORT_PIPELINE_MODELS).")
@click.option("--password", default=None, help="Password for encrypted PDFs (used for every PDF).")
@click.option("--passwords", "passwords_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help='JSON file mapping file names, paths or glob patterns to PDF passwords, '
                                 'e.g. {"minutes-2024.pdf": "secret", "board/*.pdf": "other"}.')
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds one file may take before it is reported as a `timeout` error (0: no limit).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors and the summary line's absence.")
def extract(inputs: tuple[Path, ...], out_dir: Path, jobs: int | None, force: bool, formats: str, bom: bool,
            pdf_engine: str, executor: str, scheduler: str | None, models_dir: Path | None, password: str | None,
            passwords_file: Path | None, timeout: float, quiet: bool) -> None:
    """Extract data from INPUT files or folders (default: input/).

    Folders are searched recursively for .md, .markdown, .txt, .pdf, .docx, .html and
    .htm files. Runs are incremental: only new or changed inputs are processed (see
    manifest.json in the output folder). Exit status: 0 when every input was processed,
    1 when at least one failed (see errors.csv; the others are still written), 2 on a
    usage error.
    """
    if not inputs:
        default = Path("input")
        if not default.is_dir():
            raise click.UsageError("no INPUT given and no input/ folder here")
        inputs = (default,)
    if not discover_inputs(inputs):
        raise click.UsageError("no report files found in " + ", ".join(str(p) for p in inputs))
    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise click.BadParameter(f"unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)}",
                                 param_hint="--format")
    tty = sys.stderr.isatty() and not quiet
    bar = None

    def start(total: int) -> None:
        nonlocal bar
        if tty and total:
            bar = click.progressbar(length=total, label="extracting", file=sys.stderr, show_pos=True, show_eta=True)
            bar.__enter__()

    counts = {"pages": 0, "failed": 0}

    def progress(source: str, status: str, pages: int) -> None:
        counts["pages"] += pages
        counts["failed"] += status != "ok"
        if bar is not None:
            bar.label = f"extracting ({counts['pages']} pages, {counts['failed']} failed)"
            bar.update(1)
        elif status != "ok":
            click.echo(f"{source}: {status}", err=True)
        elif not quiet:
            click.echo(f"{source}: ok ({pages} pages)" if pages else f"{source}: ok")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            summary = run_batch(
                inputs, out_dir, jobs=jobs or os.cpu_count() or 1, force=force,
                models_dir=str(models_dir) if models_dir else None, password=password,
                passwords=_load_passwords(passwords_file), timeout=timeout, executor=executor, scheduler=scheduler,
                formats=chosen, bom=bom, pdf_engine=pdf_engine, on_file=progress, on_start=start)
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    if not quiet:
        click.echo(summary.line() + f"; output in {out_dir}")
    sys.exit(0 if summary.ok else 1)


def _batch(inputs: tuple[Path, ...], models_dir: Path | None) -> BatchResult:
    if not inputs:
        if not Path("input").is_dir():
            raise click.UsageError("no INPUT given and no input/ folder here")
        inputs = (Path("input"),)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return extract_paths(inputs, models_dir=str(models_dir) if models_dir else None)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--expected", "expected_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder of expected CSV outputs (as `extract` writes them).")
@click.option("--update", is_flag=True, help="Rewrite the expected outputs with the current ones.")
@click.option("--models", "models_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Rules folder to use instead of the project's models/.")
def check(inputs: tuple[Path, ...], expected_dir: Path, update: bool, models_dir: Path | None) -> None:
    """Extract INPUT (default: input/) and compare every table with the expected outputs.

    Rows are matched on their natural keys; the report lists rows added, removed and
    changed cells (old -> new) per table. Exit status 1 on any difference, 0 otherwise.
    """
    result = _batch(inputs, models_dir)
    tables = table_rows(result)
    if update:
        write_outputs(result, expected_dir, formats=("csv",))
        for extra in ("datapackage.json",):
            (expected_dir / extra).unlink(missing_ok=True)
        shutil.rmtree(expected_dir / "json", ignore_errors=True)
        click.echo(f"expected outputs written to {expected_dir}")
        return
    diffs = diff_tables(tables, expected_dir)
    click.echo(format_diffs(diffs))
    sys.exit(1 if any(not d.empty for d in diffs) else 0)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--gold", "gold_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of NAME.gold.json annotations (format: see README, 'Gold files').")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary instead of the table.")
@click.option("--verbose", "-v", is_flag=True, help="List every miss and every false positive.")
@click.option("--models", "models_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Rules folder to use instead of the project's models/.")
def evaluate(inputs: tuple[Path, ...], gold_dir: Path, as_json: bool, verbose: bool, models_dir: Path | None) -> None:
    """Extract INPUT (default: input/) and score it against gold annotations: precision,
    recall and F1 per kind, project-URL and figure-unit accuracy, section recall, metadata."""
    ev = score_against_gold(table_rows(_batch(inputs, models_dir)), gold_dir)
    if as_json:
        out = ev.summary()
        if verbose:
            out["misses"] = {k: t.misses for k, t in ev.kinds.items()}
            out["extras"] = {k: t.extras for k, t in ev.kinds.items()}
        click.echo(json.dumps(out, ensure_ascii=False))
    else:
        click.echo(format_table(ev, verbose=verbose))


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--password", default=None, help="Password for an encrypted PDF.")
def inspect(file: Path, password: str | None) -> None:
    """Show FILE's section tree with pages, then every extracted row with its section and
    the text it came from, to see why something was or was not extracted."""
    from .inspect import describe

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            report = extract_file(file, password=password)
        except ReportError as exc:
            click.echo(f"{file}: {exc.kind}: {exc.message}", err=True)
            sys.exit(1)
    click.echo(describe(report))


def _load_passwords(path: Path | None) -> dict[str, str] | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise click.BadParameter(f"{path}: {exc}", param_hint="--passwords")
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise click.BadParameter(f"{path}: expected a JSON object of name -> password", param_hint="--passwords")
    return data


if __name__ == "__main__":  # pragma: no cover
    main()
