"""Writers: the contract's CSV tables, one JSON file per document, and datapackage.json.

Every file is written to a temporary name in the output folder and renamed into
place, so an interrupted run never leaves half a file. Nothing time-dependent is
written, so the same inputs give byte-identical outputs.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .api import BatchResult
from .model import DocumentInfo, Figure, Project, Recommendation, Report, Section, Url
from .numbers import format_number, to_number


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "string"  # Table Schema type: string, integer, number
    description: str = ""


def _cols(spec: str) -> list[Column]:
    out = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        out.append(Column(name, kind or "string"))
    return out


TABLES: dict[str, dict] = {
    "documents": {
        "columns": _cols("doc_id source sha256 format language title date_start:date date_end:date author "
                         "pages:integer n_sections:integer n_projects:integer n_urls:integer n_figures:integer "
                         "n_recommendations:integer warnings"),
        "key": ["doc_id"],
        "description": "One row per input document.",
    },
    "sections": {
        "columns": _cols("doc_id section_id parent_id level:integer heading page_start:integer page_end:integer "
                         "char_start:integer char_end:integer"),
        "key": ["doc_id", "section_id"],
        "description": "Sections found by segmentation; level is the depth in the section tree (1 = top).",
    },
    "projects": {
        "columns": _cols("doc_id project_id name description url mentions:integer section_id page:integer"),
        "key": ["doc_id", "project_id"],
        "description": "Distinct projects named in a document (acronym and full name merged).",
    },
    "urls": {
        "columns": _cols("doc_id url_id url domain project_id mentions:integer section_id page:integer"),
        "key": ["doc_id", "url_id"],
        "description": "Distinct URLs in a document.",
    },
    "figures": {
        "columns": _cols("doc_id figure_id value:number value_max:number unit qualifier per text sentence "
                         "section_id page:integer"),
        "key": ["doc_id", "figure_id"],
        "description": "Numeric figures in base units.",
    },
    "recommendations": {
        "columns": _cols("doc_id rec_id text kind section_id page:integer"),
        "key": ["doc_id", "rec_id"],
        "description": "Recommendations, conclusions and calls to action.",
    },
    "errors": {
        "columns": _cols("source error message"),
        "key": None,
        "description": "Inputs that could not be processed.",
    },
}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Spreadsheets must never run a cell as a formula: prefix a quote."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _cell(value, column: Column) -> str:
    if value is None or value == "":
        return ""
    if column.type in ("integer", "number"):
        return format_number(value)
    return safe_text(str(value))


def table_rows(result: BatchResult) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for report in result.reports:
        d = report.document
        rows["documents"].append({
            **vars(d), "n_sections": len(report.sections), "n_projects": len(report.projects),
            "n_urls": len(report.urls), "n_figures": len(report.figures),
            "n_recommendations": len(report.recommendations),
        })
        for kind, items in (("sections", report.sections), ("projects", report.projects), ("urls", report.urls),
                            ("figures", report.figures), ("recommendations", report.recommendations)):
            for item in items:
                rows[kind].append({"doc_id": d.doc_id, **vars(item)})
    rows["errors"] = [vars(e) for e in result.errors]
    return rows


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def csv_bytes(name: str, rows: list[dict]) -> bytes:
    columns = TABLES[name]["columns"]
    frame = pd.DataFrame([[_cell(r.get(c.name), c) for c in columns] for r in rows],
                         columns=[c.name for c in columns], dtype="string")
    return frame.to_csv(index=False, lineterminator="\n", na_rep="").encode("utf-8")


def _json_value(value):
    if isinstance(value, Decimal):
        return to_number(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == "":
        return None
    return value


def report_json(report: Report) -> bytes:
    doc = {k: _json_value(v) for k, v in vars(report.document).items()}
    out = {"document": doc}
    for kind in ("sections", "projects", "urls", "figures", "recommendations"):
        out[kind] = [{k: _json_value(v) for k, v in vars(item).items()} for item in getattr(report, kind)]
    return (json.dumps(out, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_report_json(data: bytes) -> Report:
    """The inverse of `report_json`: a Report from its JSON (numbers back to Decimal)."""
    raw = json.loads(data.decode("utf-8"))

    def dec(v):
        return None if v is None else Decimal(str(v))

    doc = DocumentInfo(**raw["document"])
    figures = [Figure(**{**f, "value": dec(f["value"]), "value_max": dec(f["value_max"])}) for f in raw["figures"]]
    return Report(document=doc, sections=[Section(**x) for x in raw["sections"]],
                  projects=[Project(**x) for x in raw["projects"]], urls=[Url(**x) for x in raw["urls"]],
                  figures=figures, recommendations=[Recommendation(**x) for x in raw["recommendations"]])


def datapackage() -> dict:
    resources = []
    for name, spec in TABLES.items():
        schema: dict = {
            "fields": [{"name": c.name, "type": c.type} for c in spec["columns"]],
            "missingValues": [""],
        }
        if spec["key"]:
            schema["primaryKey"] = spec["key"]
        if name not in ("documents", "errors"):
            schema["foreignKeys"] = [{"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}}]
        resources.append({
            "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "description": spec["description"], "schema": schema,
        })
    return {"name": "report-pipeline-output", "profile": "tabular-data-package", "resources": resources}


FORMATS = ("csv", "json", "xlsx", "sqlite", "parquet")


def write_outputs(result: BatchResult, out_dir: str | os.PathLike, formats=("csv", "json"),
                  bom: bool = False, json_written: Collection[str] = ()) -> list[Path]:
    """Write the batch into `out_dir` in the formats asked for; returns the paths written.

    The per-document JSON files are always written: they also serve as the cache of
    incremental runs. `json_written`: doc_ids whose JSON the caller has just written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    tables = table_rows(result)
    if "csv" in formats:
        for name, rows in tables.items():
            path = out / f"{name}.csv"
            data = csv_bytes(name, rows)
            atomic_write(path, (b"\xef\xbb\xbf" + data) if bom else data)
            written.append(path)
        path = out / "datapackage.json"
        atomic_write(path, (json.dumps(datapackage(), indent=2) + "\n").encode("utf-8"))
        written.append(path)
    json_dir = out / "json"
    keep = set()
    for report in result.reports:
        path = json_dir / f"{report.doc_id}.json"
        if report.doc_id not in json_written:
            data = report_json(report)
            if not path.exists() or path.read_bytes() != data:
                atomic_write(path, data)
        keep.add(path.name)
        written.append(path)
    if json_dir.is_dir():  # documents no longer in the batch leave no stale JSON behind
        for stale in json_dir.glob("*.json"):
            if stale.name not in keep:
                stale.unlink()
    if "xlsx" in formats:
        from .spreadsheets import xlsx_bytes
        path = out / "report-data.xlsx"
        atomic_write(path, xlsx_bytes(tables))
        written.append(path)
    if "sqlite" in formats:
        from .spreadsheets import write_sqlite
        path = out / "report-data.sqlite"
        write_sqlite(tables, path)
        written.append(path)
    if "parquet" in formats:
        from .spreadsheets import write_parquet
        written.extend(write_parquet(tables, out / "parquet"))
    return written
