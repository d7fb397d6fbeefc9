"""Writers: the contract's CSV tables, one JSON file per document, and datapackage.json.

Every file is written to a temporary name in the output folder and renamed into
place (`outdir.atomic_write`), so an interrupted run never leaves half a file. Nothing
time-dependent is written, so the same inputs give byte-identical outputs. Writers
never delete: removing what an earlier run wrote is the batch's job (it has the manifest).
"""
from __future__ import annotations

import json
import os
from collections.abc import Collection
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .model import BatchResult, DocumentInfo, Figure, Mention, Project, Recommendation, Report, Section, Url
from .numbers import format_number, to_number
from .outdir import atomic_write
from .schema import TABLES, Column, column_description, table_rows
from .spreadsheets import datasette_metadata, write_parquet, write_sqlite, xlsx_bytes
from .options import FORMATS  # noqa: F401 (re-exported)

__all__ = ["FORMATS", "TABLES", "atomic_write", "csv_bytes", "datapackage", "output_names", "read_report_json",
           "report_json", "table_rows", "write_outputs"]


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
    for kind in ("sections", "projects", "urls", "figures", "recommendations", "mentions"):
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
                  figures=figures, recommendations=[Recommendation(**x) for x in raw["recommendations"]],
                  mentions=[Mention(**x) for x in raw["mentions"]])


def datapackage() -> dict:
    resources = []
    for name, spec in TABLES.items():
        schema: dict = {
            "fields": [{"name": c.name, "type": c.type, "description": column_description(name, c.name)}
                       for c in spec["columns"]],
            "missingValues": [""],
        }
        if spec["key"]:
            schema["primaryKey"] = spec["key"]
        if spec.get("references"):
            schema["foreignKeys"] = [{"fields": [column], "reference": {"resource": table, "fields": [column]}}
                                     for column, table in spec["references"].items()]
        resources.append({
            "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "description": spec["description"], "schema": schema,
        })
    return {"name": "report-pipeline-output", "profile": "tabular-data-package", "resources": resources}


XLSX_NAME = "report-data.xlsx"
INDEX_JSON_NAME = "projects_index.json"
DATASETTE_NAME = "metadata.json"  # `datasette report-data.sqlite -m metadata.json`
SQLITE_NAME = "report-data.sqlite"


def output_names(formats) -> list[str]:
    """The files a run writes for these formats, relative to the output folder (per-document
    JSON aside): what must be safe to replace before the run starts."""
    names = []
    if "csv" in formats:
        names += [f"{name}.csv" for name in TABLES] + ["datapackage.json"]
    if "json" in formats:
        names.append(INDEX_JSON_NAME)
    if "xlsx" in formats:
        names.append(XLSX_NAME)
    if "sqlite" in formats:
        names += [SQLITE_NAME, DATASETTE_NAME]
    if "parquet" in formats:
        names += [f"parquet/{name}.parquet" for name in TABLES]
    return names


def write_outputs(result: BatchResult, out_dir: str | os.PathLike, formats=("csv", "json"),
                  bom: bool = False, json_written: Collection[str] = (), documents_json: bool = True) -> list[Path]:
    """Write the batch into `out_dir` in the formats asked for; returns the paths written.

    The per-document JSON files are written unless `documents_json` is false: they also
    serve as the cache of incremental runs. `json_written`: doc_ids whose JSON the caller has
    just written with the same content. Nothing is deleted here.
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
    if "json" in formats:
        path = out / INDEX_JSON_NAME
        index = [{k: _json_value(v) for k, v in row.items()} for row in tables["projects_index"]]
        atomic_write(path, (json.dumps(index, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        written.append(path)
    if documents_json:
        for report in result.reports:
            path = out / "json" / f"{report.doc_id}.json"
            if report.doc_id not in json_written:
                data = report_json(report)
                if not path.exists() or path.read_bytes() != data:
                    atomic_write(path, data)
            written.append(path)
    if "xlsx" in formats:
        path = out / XLSX_NAME
        atomic_write(path, xlsx_bytes(tables))
        written.append(path)
    if "sqlite" in formats:
        path = out / SQLITE_NAME
        write_sqlite(tables, path)
        written.append(path)
        path = out / DATASETTE_NAME
        metadata = datasette_metadata(Path(SQLITE_NAME).stem)
        atomic_write(path, (json.dumps(metadata, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        written.append(path)
    if "parquet" in formats:
        written.extend(write_parquet(tables, out / "parquet"))
    return written
