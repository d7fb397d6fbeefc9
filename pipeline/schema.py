"""The output tables: their columns, types and keys, and the rows of a batch.

Every writer (CSV, JSON, XLSX, SQLite, Parquet, the datapackage) takes its columns and
types from `TABLES` and its rows from `table_rows`, so the formats cannot drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import BatchResult


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "string"  # Table Schema type: string, integer, number, date


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
                         "n_recommendations:integer warnings duplicates"),
        "key": ["doc_id"],
        "description": "One row per input document (inputs with the same bytes are one document; "
                       "`duplicates` lists their other sources).",
    },
    "sections": {
        "columns": _cols("doc_id section_id parent_id level:integer heading page_start:integer page_end:integer "
                         "char_start:integer char_end:integer"),
        "key": ["doc_id", "section_id"],
        "description": "Sections found by segmentation; level is the depth in the section tree (1 = top).",
    },
    "projects": {
        "columns": _cols("doc_id project_id name description url mentions:integer section_id page:integer "
                         "evidence confidence:number"),
        "key": ["doc_id", "project_id"],
        "description": "Distinct projects named in a document (acronym and full name merged).",
    },
    "urls": {
        "columns": _cols("doc_id url_id url domain project_id mentions:integer section_id page:integer "
                         "evidence confidence:number link_text"),
        "key": ["doc_id", "url_id"],
        "description": "Distinct URLs in a document.",
    },
    "figures": {
        "columns": _cols("doc_id figure_id value:number value_max:number unit qualifier per text sentence "
                         "section_id page:integer evidence confidence:number"),
        "key": ["doc_id", "figure_id"],
        "description": "Numeric figures in base units.",
    },
    "recommendations": {
        "columns": _cols("doc_id rec_id text kind section_id page:integer evidence confidence:number"),
        "key": ["doc_id", "rec_id"],
        "description": "Recommendations, conclusions and calls to action.",
    },
    "errors": {
        "columns": _cols("source error message"),
        "key": ["source"],
        "description": "Inputs that could not be processed (one row per source).",
    },
}


def table_rows(result: BatchResult) -> dict[str, list[dict]]:
    """Every table's rows as dicts of column -> value (None for empty)."""
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
