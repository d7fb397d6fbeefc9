"""Command line: a thin Click layer over `pipeline.batch`, `pipeline.api` and the writers.

Library errors become one-line messages here, as sqlite-utils does: a usage error (a bad
option, an output folder that cannot be used, a broken rules folder, a scheduler that
cannot be reached) exits 2 with one line, a failed input exits 1 after every other input
is written, Ctrl-C exits 130 with complete files.
"""
from __future__ import annotations

import json
import os
import sys
import warnings
from pathlib import Path

import click

from . import __version__
# the modules that do the work (spaCy, pandas, the PDF libraries) are imported by the commands
# that need them: `--help` and `--version` load none of them
from .options import DEFAULT_TIMEOUT, FORMATS, OCR_ENGINES, OCR_MODES, PDF_ENGINES, check_confidence, check_timeout


class OneLineErrors(click.Group):
    """Usage errors as one line on stderr and exit status 2 (no usage block, no traceback)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else "report-pipeline"
            click.echo(f"Error: {exc.format_message()} (see '{command} --help')", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("interrupted", err=True)
            sys.exit(130)
        sys.exit(rv if isinstance(rv, int) else 0)


def usage_error(message: str) -> click.UsageError:
    return click.UsageError(" ".join(message.split()))


# -- options shared by several commands ---------------------------------------------------------

def _check_models(ctx, param, value):
    from .rules import RulesError, validate_rules

    try:
        validate_rules(str(value) if value else None)
    except RulesError as exc:
        raise click.BadParameter(" ".join(str(exc).split()), ctx=ctx, param=param)
    return value


def models_option(f):
    return click.option(
        "--models", "models_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
        envvar="REPORT_PIPELINE_MODELS", callback=_check_models,
        help="Rules folder to use instead of the project's models/ (also: REPORT_PIPELINE_MODELS); "
             "checked before any file is read.")(f)


def pdf_engine_option(f):
    return click.option(
        "--pdf-engine", type=click.Choice(PDF_ENGINES), default="pdfplumber", show_default=True,
        help="PDF reader: pdfplumber (pdfminer) or pdfium (pypdfium2, much faster); the same document model.")(f)


def _check_confidence(ctx, param, value):
    try:
        return check_confidence(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param)


def confidence_option(f):
    return click.option(
        "--min-confidence", type=float, default=None, callback=_check_confidence,
        help="Keep only rows whose confidence is at least this (0 to 1), for every kind; default: the "
             "per-kind thresholds of models/common/confidence.json.")(f)


def password_option(f):
    return click.option("--password", default=None, help="Password for encrypted PDFs (used for every PDF).")(f)


def _check_timeout(ctx, param, value):
    try:
        return check_timeout(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param)


def _check_out(ctx, param, value):
    if value is None or not str(value).strip():
        raise click.BadParameter("the output folder name is empty", ctx=ctx, param=param)
    return Path(value)


def _default_inputs(inputs: tuple[Path, ...]) -> tuple[Path, ...]:
    if inputs:
        return inputs
    if not Path("input").is_dir():
        raise usage_error("no INPUT given and no input/ folder here")
    return (Path("input"),)


# -- commands ---------------------------------------------------------------------------------------

@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="report-pipeline")
def main() -> None:
    """Turn event and conference reports into data: projects, URLs, figures,
    recommendations and metadata, as CSV and JSON (see README.md)."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="output", show_default=True,
              callback=_check_out, help="Folder the CSV, JSON and other output files are written to.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the CPU count; never more than the files to process or twice "
                   "the CPU count; 1 runs in this process).")
@click.option("--force", is_flag=True, help="Process every input again, not only new or changed ones.")
@click.option("--format", "formats", default="csv,json", show_default=True,
              help="Comma-separated outputs: csv, json, xlsx (report-data.xlsx), sqlite (report-data.sqlite), "
                   "parquet (parquet/*.parquet, needs pyarrow). JSON per document is always written.")
@click.option("--bom", is_flag=True, help="Write CSV files with a UTF-8 byte order mark (for Excel).")
@pdf_engine_option
@click.option("--ocr", type=click.Choice(OCR_MODES), default="auto", show_default=True,
              help="OCR of PDF pages: auto (pages without a usable text layer, named in the document's "
                   "warnings), off, or force (every page).")
@click.option("--ocr-engine", type=click.Choice(OCR_ENGINES), default="auto", show_default=True,
              help="tesseract (the tesseract program, with its eng and fra data) or rapidocr (the [ocr] extra); "
                   "auto: tesseract when installed, else rapidocr.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Run the per-file work in local processes or on Dask (extra [dask]).")
@click.option("--scheduler", default=None,
              help="Dask scheduler address (tcp://HOST:PORT), with --executor dask; default: a local cluster.")
@models_option
@password_option
@click.option("--passwords", "passwords_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help='JSON file mapping file names, paths or glob patterns to PDF passwords, '
                                 'e.g. {"minutes-2024.pdf": "secret", "board/*.pdf": "other"}.')
@click.option("--timeout", type=float, default=DEFAULT_TIMEOUT, show_default=True, callback=_check_timeout,
              help="Seconds one file may take before it is reported as a `timeout` error (0: no limit).")
@confidence_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but failures.")
def extract(inputs: tuple[Path, ...], out_dir: Path, jobs: int | None, force: bool, formats: str, bom: bool,
            pdf_engine: str, ocr: str, ocr_engine: str, executor: str, scheduler: str | None,
            models_dir: Path | None, password: str | None,
            passwords_file: Path | None, timeout: float | None, min_confidence: float | None, quiet: bool) -> None:
    """Extract data from INPUT files or folders (default: input/).

    Folders are searched recursively for .md, .markdown, .txt, .pdf, .docx, .pptx, .odt,
    .html and .htm files. Runs are incremental: only new or changed inputs are processed (see
    manifest.json in the output folder). Exit status: 0 when every input was processed,
    1 when at least one failed (see errors.csv; the others are still written), 2 on a
    usage error, 130 when interrupted.
    """
    inputs = _default_inputs(inputs)
    from .batch import SchedulerError, run_batch
    from .inputs import discover_inputs
    from .outdir import OutputFolderError

    found = discover_inputs(inputs)
    if not found.files and not found.errors:
        raise usage_error("no report files found in " + ", ".join(str(p) for p in inputs))
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}",
                                 param_hint="--format")
    if scheduler and executor != "dask":
        raise usage_error("--scheduler needs --executor dask")
    tty = sys.stderr.isatty() and not quiet
    bar = None

    def start(total: int) -> None:
        nonlocal bar
        if tty and total:
            bar = click.progressbar(length=total, label="extracting", file=sys.stderr, show_pos=True, show_eta=True)
            bar.__enter__()

    counts = {"pages": 0, "failed": 0, "done": 0}
    named: set[str] = set()

    def progress(source: str, status: str, pages: int) -> None:
        counts["pages"] += pages
        counts["failed"] += status != "ok"
        counts["done"] += 1
        if bar is not None:
            bar.label = f"extracting ({counts['pages']} pages, {counts['failed']} failed)"
            bar.update(1)
        elif status != "ok":
            click.echo(f"{source}: {status}", err=True)
            named.add(source)
        elif not quiet:
            click.echo(f"{source}: ok ({pages} pages)" if pages else f"{source}: ok")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            summary = run_batch(
                inputs, out_dir, jobs=jobs or os.cpu_count() or 1, force=force,
                models_dir=str(models_dir) if models_dir else None, password=password,
                passwords=_load_passwords(passwords_file), timeout=timeout, executor=executor, scheduler=scheduler,
                formats=chosen, bom=bom, pdf_engine=pdf_engine, min_confidence=min_confidence,
                ocr=ocr, ocr_engine=ocr_engine, on_file=progress, on_start=start)
        except OutputFolderError as exc:
            raise usage_error(f"--out: {exc}")
        except SchedulerError as exc:
            raise usage_error(f"--scheduler: {exc}")
        except OSError as exc:  # the disk filled up, the folder went away: nothing half-written
            click.echo(f"Error: cannot write the outputs to {out_dir}: {exc.strerror or exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            if bar is not None:
                bar.render_finish()
            click.echo(f"interrupted: {counts['done']} file(s) finished and kept in {out_dir}; "
                       "run the same command again to finish", err=True)
            sys.exit(130)
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    for warning in summary.result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for e in summary.result.errors:  # name every failure not named yet (the bar only counted them)
        if e.source not in named:
            click.echo(f"{e.source}: {e.error}", err=True)
    if summary.result.errors:
        click.echo(f"{len(summary.result.errors)} input(s) failed; see {out_dir / 'errors.csv'}", err=True)
    if not quiet:
        click.echo(summary.line() + f"; output in {out_dir}")
    sys.exit(0 if summary.ok else 1)


def _batch(inputs: tuple[Path, ...], models_dir: Path | None, pdf_engine: str, password: str | None,
           min_confidence: float | None = None):
    """The batch result (`model.BatchResult`) of the inputs, for check and evaluate."""
    from .batch import extract_paths

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return extract_paths(_default_inputs(inputs), models_dir=str(models_dir) if models_dir else None,
                             pdf_engine=pdf_engine, password=password, min_confidence=min_confidence)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--expected", "expected_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder of expected CSV outputs (as `extract` writes them).")
@click.option("--update", is_flag=True, help="Rewrite the expected outputs with the current ones.")
@models_option
@pdf_engine_option
@password_option
@confidence_option
def check(inputs: tuple[Path, ...], expected_dir: Path, update: bool, models_dir: Path | None, pdf_engine: str,
          password: str | None, min_confidence: float | None) -> None:
    """Extract INPUT (default: input/) and compare every table with the expected outputs.

    Rows are matched on their natural keys; the report lists rows added, removed and
    changed cells (old -> new) per table. Exit status 1 on any difference, 0 otherwise.
    """
    from .check import diff_tables, format_diffs
    from .writers import table_rows, write_outputs

    result = _batch(inputs, models_dir, pdf_engine, password, min_confidence)
    if update:
        try:
            write_outputs(result, expected_dir, formats=("csv",), documents_json=False)
        except OSError as exc:
            raise usage_error(f"--expected: cannot write to {expected_dir}: {exc.strerror or exc}")
        (expected_dir / "datapackage.json").unlink(missing_ok=True)  # the tables are what is compared
        click.echo(f"expected outputs written to {expected_dir}")
        return
    diffs = diff_tables(table_rows(result), expected_dir)
    click.echo(format_diffs(diffs))
    sys.exit(1 if any(not d.empty for d in diffs) else 0)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--gold", "gold_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of NAME.gold.json annotations (format: see README, 'Gold files').")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary instead of the table.")
@click.option("--verbose", "-v", is_flag=True, help="List every miss and every false positive.")
@models_option
@pdf_engine_option
@password_option
@confidence_option
def evaluate(inputs: tuple[Path, ...], gold_dir: Path, as_json: bool, verbose: bool, models_dir: Path | None,
             pdf_engine: str, password: str | None, min_confidence: float | None) -> None:
    """Extract INPUT (default: input/) and score it against gold annotations: precision,
    recall and F1 per kind, project-URL and figure-unit accuracy, section recall, metadata."""
    from .evaluate import evaluate as score_against_gold
    from .evaluate import format_table
    from .writers import table_rows

    ev = score_against_gold(table_rows(_batch(inputs, models_dir, pdf_engine, password, min_confidence)), gold_dir)
    if as_json:
        out = ev.summary()
        if verbose:
            out["misses"] = {k: t.misses for k, t in ev.kinds.items()}
            out["extras"] = {k: t.extras for k, t in ev.kinds.items()}
        click.echo(json.dumps(out, ensure_ascii=False))
    else:
        click.echo(format_table(ev, verbose=verbose))


@main.command()
@click.argument("path", metavar="FILE|OUT", type=click.Path(exists=True, path_type=Path))
@click.option("--project", "project", metavar="ID",
              help="List every mention of this project (its project_id, or a name giving that id) over "
                   "all documents of the output folder OUT, each with its sentence.")
@models_option
@pdf_engine_option
@password_option
@confidence_option
def inspect(path: Path, project: str | None, models_dir: Path | None, pdf_engine: str, password: str | None,
            min_confidence: float | None) -> None:
    """Show FILE's section tree with pages, then every extracted row with its section, the
    text it came from, its evidence and confidence, to see why something was or was not
    extracted (`--min-confidence 0` shows the rows below the thresholds too). With --project ID,
    read the output folder OUT instead and show that project in every document."""
    if project is not None:
        from .inspect import NotAnOutputFolder, describe_project, project_mentions

        if not path.is_dir():
            raise click.BadParameter(f"{path} is a file; --project reads an output folder", param_hint="FILE|OUT")
        try:
            found = project_mentions(path, project)
        except NotAnOutputFolder as exc:
            raise click.BadParameter(f"{path} is not an output folder of this tool ({exc})", param_hint="FILE|OUT")
        except (OSError, ValueError) as exc:
            click.echo(f"Error: {path}: {_reason(exc)}", err=True)
            sys.exit(1)
        if not found:
            click.echo(f"no project {project!r} in {path}", err=True)
            sys.exit(1)
        click.echo(describe_project(project, found))
        return
    from .inspect import describe

    if path.is_dir():
        raise click.BadParameter(f"{path} is a folder; give a report file (or --project ID with an output folder)",
                                 param_hint="FILE|OUT")
    result = _batch((path,), models_dir, pdf_engine, password, min_confidence)
    for e in result.errors:
        click.echo(f"{e.source}: {e.error}: {e.message}", err=True)
        sys.exit(1)
    click.echo(describe(result.reports[0]))


def _reason(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


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
