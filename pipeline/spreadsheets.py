"""Outputs where users work: an Excel workbook, a SQLite database, Parquet files.

All three come from the same table rows as the CSVs (`schema.table_rows`) and the same
column types (`schema.TABLES`), and all are byte-identical for the same inputs. Text cells
are written as strings, never as formulas: the CSV's formula guard (a leading `'`) is a
CSV measure and does not appear here.
"""
from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from datetime import date, datetime
from functools import lru_cache
from decimal import Decimal
from pathlib import Path

from .outdir import atomic_path, atomic_write
from .schema import TABLES, column_description

FIXED_TIME = datetime(2000, 1, 1)


def _typed(value, kind: str):
    """A cell as a number, a date or text (None when empty)."""
    if value is None or value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        d = value if isinstance(value, Decimal) else Decimal(str(value))
        return int(d) if d == d.to_integral_value() else float(d)
    if kind == "date":
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return str(value)


def xlsx_bytes(tables: dict[str, list[dict]]) -> bytes:
    """One sheet per table: bold frozen header, column widths, numbers and dates typed,
    URLs clickable, text never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "report-pipeline"
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        columns = TABLES[name]["columns"]
        ws.append([c.name for c in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        widths = [len(c.name) for c in columns]
        for r, row in enumerate(rows, start=2):
            for j, col in enumerate(columns, start=1):
                value = _typed(row.get(col.name), col.type)
                cell = ws.cell(row=r, column=j, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # a string is never evaluated, whatever it starts with
                    if col.name == "url" and value.startswith(("http://", "https://")):
                        cell.hyperlink = value
                        cell.style = "Hyperlink"
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                widths[j - 1] = max(widths[j - 1], min(60, len(str(value or ""))))
        for j, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = width + 2
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a ZIP with fixed entry times so the same workbook gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time there
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            target.writestr(fixed, data)
    return out.getvalue()


# NUMERIC, not REAL: a whole number stays an INTEGER (`43`, not `43.0`), a fraction a REAL
_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "NUMERIC", "date": "TEXT"}
# the columns searched by full text (FTS5, sqlite-utils' layout: `<table>_fts`, content=<table>)
FULL_TEXT = {"sections": ["heading"], "projects": ["name", "description"], "projects_index": ["name"],
             "mentions": ["text", "sentence"], "figures": ["text", "sentence"], "recommendations": ["text"]}
_ORDINAL = re.compile(r"\d+$")


def position_column(name: str) -> str | None:
    """The per-document id whose number sorts a table's rows in reading order (`f12` -> 12)."""
    key = TABLES[name]["key"]
    return key[1] if len(key) == 2 and key[0] == "doc_id" and key[1] != "project_id" else None


def sqlite_order() -> list[str]:
    """The tables, each after the tables its foreign keys name."""
    done: list[str] = []

    def add(name: str) -> None:
        if name not in done:
            for target in TABLES[name].get("references", {}).values():
                if target != name:
                    add(target)
            done.append(name)

    for name in TABLES:
        add(name)
    return done


def write_sqlite(tables: dict[str, list[dict]], path: Path) -> None:
    """A table per CSV with primary keys, foreign keys (to `documents`, and from project ids to
    `projects_index`), an INTEGER `position` beside each per-document id (`f12` -> 12) so rows
    sort in reading order, indexes on doc_id and project_id, and FTS5 full-text tables over
    names, sentences and texts. Built in a temporary file and renamed into place."""
    with atomic_path(path) as tmp:
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA foreign_keys = ON")
            for name in sqlite_order():
                spec = TABLES[name]
                columns = list(spec["columns"])
                names = [c.name for c in columns]
                cols = [f'"{c.name}" {_SQL_TYPES[c.type]}' for c in columns]
                ordinal = position_column(name)
                at = names.index(ordinal) + 1 if ordinal else None  # `position` right after the id
                if ordinal:
                    cols.insert(at, '"position" INTEGER')
                if spec["key"]:
                    cols.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in spec["key"]) + ")")
                for column, target in spec.get("references", {}).items():
                    cols.append(f'FOREIGN KEY ("{column}") REFERENCES "{target}" ("{column}")')
                con.execute(f'CREATE TABLE "{name}" ({", ".join(cols)})')
                rows = []
                for r in tables.get(name, []):
                    values = [_sql_value(_typed(r.get(c.name), c.type)) for c in columns]
                    if ordinal:
                        number = _ORDINAL.search(str(r.get(ordinal) or ""))
                        values.insert(at, int(number.group()) if number else None)
                    rows.append(tuple(values))
                width = len(columns) + (1 if ordinal else 0)
                con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * width)})', rows)
                if "doc_id" in names and name != "documents":
                    con.execute(f'CREATE INDEX "{name}_doc_id" ON "{name}" ("doc_id")')
                if "project_id" in names and name != "projects_index":
                    con.execute(f'CREATE INDEX "{name}_project_id" ON "{name}" ("project_id")')
                if name in FULL_TEXT and fts5_available():
                    searched = ", ".join(f"[{c}]" for c in FULL_TEXT[name])
                    con.execute(f"CREATE VIRTUAL TABLE [{name}_fts] USING FTS5 ({searched}, content=[{name}])")
                    con.execute(f"INSERT INTO [{name}_fts] (rowid, {searched}) SELECT rowid, {searched} FROM [{name}]")
            con.commit()
        finally:
            con.close()


# Datasette: facets worth offering on each table, its default order, the column naming a row
# (shown beside foreign keys)
_FACETS = {"documents": ["format", "language"], "projects": ["doc_id"], "projects_index": ["n_documents"],
           "mentions": ["project_id"], "urls": ["domain", "project_id"], "figures": ["unit", "qualifier"],
           "recommendations": ["kind"], "errors": ["error"], "sections": ["level"]}
_LABELS = {"documents": "title", "projects_index": "name", "projects": "name"}


def datasette_metadata(database: str) -> dict:
    """Datasette's metadata.json for the SQLite output: table and column descriptions,
    suggested facets, reading order, the label of rows that foreign keys point to."""
    tables = {}
    for name in sqlite_order():
        spec = TABLES[name]
        columns = {c.name: column_description(name, c.name) for c in spec["columns"]}
        entry: dict = {"description": spec["description"], "columns": columns, "facets": _FACETS.get(name, [])}
        if position_column(name):
            columns["position"] = f"Number of `{position_column(name)}`: sorts the rows in reading order"
            entry["sort"] = "position"
        if name in _LABELS:
            entry["label_column"] = _LABELS[name]
        if name in FULL_TEXT and fts5_available():
            entry["fts_table"] = f"{name}_fts"
        tables[name] = entry
    return {"title": "report-pipeline output",
            "description": "Projects, URLs, figures and recommendations extracted from event reports",
            "databases": {database: {"tables": tables}}}


_SQLITE_INT = (-(2**63), 2**63 - 1)


def _sql_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not _SQLITE_INT[0] <= value <= _SQLITE_INT[1]:
        return float(value)  # beyond SQLite's 64-bit integers (`5e22 euros`): stored as REAL
    return value


@lru_cache(maxsize=1)
def fts5_available() -> bool:
    """Whether this Python's SQLite has FTS5 (some builds leave it out): without it the
    database is written without its full-text tables."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        con.close()


def write_parquet(tables: dict[str, list[dict]], folder: Path) -> list[Path]:
    """One Parquet file per table (needs the `parquet` extra: pyarrow)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise RuntimeError("Parquet output needs pyarrow: pip install 'report-pipeline[parquet]'") from exc
    folder.mkdir(parents=True, exist_ok=True)
    kinds = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "date": pa.date32()}
    written = []
    for name, rows in tables.items():
        columns = TABLES[name]["columns"]
        schema = pa.schema([(c.name, kinds[c.type]) for c in columns])
        data = {c.name: [_typed(r.get(c.name), c.type) for r in rows] for c in columns}
        for c in columns:  # a date column may hold a partial date (`2023-03`): keep it as text then
            if c.type == "date" and any(isinstance(v, str) for v in data[c.name]):
                schema = schema.set(schema.get_field_index(c.name), pa.field(c.name, pa.string()))
                data[c.name] = [None if v is None else str(v) for v in data[c.name]]
        table = pa.table(data, schema=schema)
        buffer = pa.BufferOutputStream()
        pq.write_table(table, buffer)
        path = folder / f"{name}.parquet"
        atomic_write(path, buffer.getvalue().to_pybytes())
        written.append(path)
    return written
