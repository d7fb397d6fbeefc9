"""Command line: a thin Click layer over `pipeline.api` and `pipeline.writers`."""
from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import click

from . import __version__
from .api import DEFAULT_TIMEOUT, discover_inputs, extract_paths
from .writers import write_outputs


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="report-pipeline")
def main() -> None:
    """Turn event and conference reports into data: projects, URLs, figures,
    recommendations and metadata, as CSV and JSON (see README.md)."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder the CSV, JSON and datapackage.json files are written to.")
@click.option("--models", "models_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Rules folder to use instead of the project's models/ "
                                 "(also: REPORT_PIPELINE_MODELS).")
@click.option("--password", default=None, help="Password for encrypted PDFs (used for every PDF).")
@click.option("--passwords", "passwords_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help='JSON file mapping file names, paths or glob patterns to PDF passwords, '
                                 'e.g. {"minutes-2024.pdf": "secret", "board/*.pdf": "other"}.')
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds one file may take before it is reported as a `timeout` error (0: no limit).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def extract(inputs: tuple[Path, ...], out_dir: Path, models_dir: Path | None, password: str | None,
            passwords_file: Path | None, timeout: float, quiet: bool) -> None:
    """Extract data from INPUT files or folders (default: input/).

    Folders are searched recursively for .md, .markdown, .txt, .pdf, .docx, .html and
    .htm files. Exit status: 0 when every input was processed, 1 when at least one
    failed (see errors.csv; the others are still written), 2 on a usage error.
    """
    if not inputs:
        default = Path("input")
        if not default.is_dir():
            raise click.UsageError("no INPUT given and no input/ folder here")
        inputs = (default,)
    if not discover_inputs(inputs):
        raise click.UsageError("no report files found in " + ", ".join(str(p) for p in inputs))

    def progress(source: str, status: str) -> None:
        if status != "ok":
            click.echo(f"{source}: {status}", err=True)
        elif not quiet:
            click.echo(f"{source}: ok")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = extract_paths(inputs, models_dir=str(models_dir) if models_dir else None, on_file=progress,
                               password=password, passwords=_load_passwords(passwords_file), timeout=timeout)
    write_outputs(result, out_dir)
    if not quiet:
        click.echo(f"{len(result.reports)} ok, {len(result.errors)} failed; output in {out_dir}")
    sys.exit(0 if result.ok else 1)


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
