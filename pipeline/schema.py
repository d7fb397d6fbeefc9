"""The output tables: their columns, types and keys, and the rows of a batch.

Every writer (CSV, JSON, XLSX, SQLite, Parquet, the datapackage) takes its columns and
types from `TABLES` and its rows from `table_rows`, so the formats cannot drift apart.
"""
from __future__ import annotations

from collections import Counter
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
        "references": {"doc_id": "documents"},
        "description": "Sections found by segmentation; level is the depth in the section tree (1 = top).",
    },
    "projects": {
        "columns": _cols("doc_id project_id name description url mentions:integer section_id page:integer "
                         "evidence confidence:number"),
        "key": ["doc_id", "project_id"],
        "references": {"doc_id": "documents", "project_id": "projects_index"},
        "description": "Distinct projects named in a document (acronym and full name merged).",
    },
    "projects_index": {
        "columns": _cols("project_id name urls n_documents:integer mentions:integer first_date:date "
                         "last_date:date doc_ids"),
        "key": ["project_id"],
        "description": "One row per project over every document of the output folder: its most common "
                       "name, every distinct URL, the documents naming it and their first and last event "
                       "dates, its mentions in all.",
    },
    "mentions": {
        "columns": _cols("doc_id mention_id project_id text sentence section_id page:integer"),
        "key": ["doc_id", "mention_id"],
        "references": {"doc_id": "documents", "project_id": "projects_index"},
        "description": "Every mention of a project, with its sentence (as many per project and "
                       "document as `projects.mentions`).",
    },
    "urls": {
        "columns": _cols("doc_id url_id url domain project_id mentions:integer section_id page:integer "
                         "evidence confidence:number link_text"),
        "key": ["doc_id", "url_id"],
        "references": {"doc_id": "documents", "project_id": "projects_index"},
        "description": "Distinct URLs in a document.",
    },
    "figures": {
        "columns": _cols("doc_id figure_id value:number value_max:number unit qualifier per text sentence "
                         "section_id page:integer evidence confidence:number"),
        "key": ["doc_id", "figure_id"],
        "references": {"doc_id": "documents"},
        "description": "Numeric figures in base units.",
    },
    "recommendations": {
        "columns": _cols("doc_id rec_id text kind section_id page:integer evidence confidence:number"),
        "key": ["doc_id", "rec_id"],
        "references": {"doc_id": "documents"},
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
                            ("figures", report.figures), ("recommendations", report.recommendations),
                            ("mentions", report.mentions)):
            for item in items:
                rows[kind].append({"doc_id": d.doc_id, **vars(item)})
    rows["projects_index"] = projects_index(rows)
    rows["errors"] = [vars(e) for e in result.errors]
    return rows


def projects_index(rows: dict[str, list[dict]]) -> list[dict]:
    """One row per project_id over all documents, in project_id order. `name`: the name most
    documents give it (then the most mentioned, then the first in alphabetical order); `urls`:
    its websites and the URLs that belong to it, distinct, sorted; dates: the earliest start and
    latest end (or start) of the events of the documents naming it."""
    dates = {d["doc_id"]: (d.get("date_start"), d.get("date_end") or d.get("date_start"))
             for d in rows["documents"]}
    names: dict[str, Counter] = {}
    mentions: dict[str, Counter] = {}
    docs: dict[str, set[str]] = {}
    urls: dict[str, set[str]] = {}
    for p in rows["projects"]:
        pid = p["project_id"]
        names.setdefault(pid, Counter())[p["name"]] += 1
        mentions.setdefault(pid, Counter())[p["name"]] += p["mentions"] or 0
        docs.setdefault(pid, set()).add(p["doc_id"])
        if p.get("url"):
            urls.setdefault(pid, set()).add(p["url"])
    for u in rows["urls"]:
        if u.get("project_id") in docs:
            urls.setdefault(u["project_id"], set()).add(u["url"])
    index = []
    for pid in sorted(docs):
        name = min(names[pid], key=lambda n: (-names[pid][n], -mentions[pid][n], n))
        starts = [dates[d][0] for d in docs[pid] if dates.get(d, (None, None))[0]]
        ends = [dates[d][1] for d in docs[pid] if dates.get(d, (None, None))[1]]
        index.append({
            "project_id": pid, "name": name, "urls": "; ".join(sorted(urls.get(pid, ()))) or None,
            "n_documents": len(docs[pid]), "mentions": sum(mentions[pid].values()),
            "first_date": min(starts) if starts else None, "last_date": max(ends) if ends else None,
            "doc_ids": "; ".join(sorted(docs[pid])),
        })
    return index


# What each column holds, for the datapackage and Datasette's metadata; a (table, column) entry
# overrides a column's general meaning in that table.
COLUMN_DESCRIPTIONS: dict = {
    "doc_id": "Document id: slug of the file name and the first 8 hex digits of its SHA-256",
    "source": "The input's path as given",
    "sha256": "SHA-256 of the input's bytes",
    "format": "Input format: pdf, docx, pptx, odt, html, markdown or text",
    "language": "Language of the document (en or fr)",
    "title": "Title of the event or report",
    "date_start": "First day of the event (ISO 8601; a month or year when no day is stated)",
    "date_end": "Last day of the event",
    "author": "Author or organiser named by the document",
    "pages": "Pages of a PDF, DOCX or ODT; slides of a PPTX",
    "warnings": "What the reader could not use, '; '-separated",
    "duplicates": "Other sources with the same bytes, '; '-separated",
    "section_id": "Section (s1, s2, ... in reading order)",
    "parent_id": "Enclosing section",
    "level": "Depth in the section tree (1 = top)",
    "heading": "Heading text",
    "page": "1-based page (PDF, DOCX, ODT) or slide (PPTX); empty for formats without pages",
    "page_start": "First page of the section",
    "page_end": "Last page of the section",
    "char_start": "Start offset in the document's normalised text",
    "char_end": "End offset in the document's normalised text",
    "project_id": "Project id: its name case-folded, letters and digits only; the same in every document",
    "name": "The project's shortest written name or acronym",
    "description": "Words that describe the project",
    "url": "Web address",
    "mentions": "How many times the document names it",
    "evidence": "Rules and signals that produced the row, '; '-separated",
    "confidence": "0 to 1, from the evidence's weights",
    "url_id": "URL (u1, u2, ... in reading order)",
    "domain": "Registrable host (examhub.eu)",
    "link_text": "Words carrying the link when the address is not written out",
    "figure_id": "Figure (f1, f2, ... in reading order)",
    "value": "The number in base units (7 billion euros: 7000000000), in the unit of `unit`",
    "value_max": "Upper end of a range",
    "unit": "ISO 4217 code for money, percent, or the counted noun (organisations)",
    "qualifier": "gt, ge, lt, le or approx (more than, at least, less than, up to, about)",
    "per": "Period or base of a rate (year)",
    "text": "As written",
    "sentence": "The sentence it stands in",
    "rec_id": "Recommendation (r1, r2, ... in reading order)",
    "kind": "list (an item of a list of recommendations) or sentence (a sentence calling for action)",
    "mention_id": "Mention (m1, m2, ... in reading order)",
    "error": "What went wrong (encrypted, no_text_layer, timeout, ...)",
    "message": "What happened and what to do",
    ("projects", "url"): "The project's website, when the document gives one",
    ("recommendations", "text"): "The recommendation, without bullet or label",
    ("mentions", "text"): "The project's name as written there",
    ("projects_index", "name"): "The name most documents give the project",
    ("projects_index", "urls"): "Every distinct URL of the project over all documents, '; '-separated",
    ("projects_index", "n_documents"): "Documents that name the project",
    ("projects_index", "mentions"): "Mentions over all documents",
    ("projects_index", "first_date"): "Earliest event start among those documents",
    ("projects_index", "last_date"): "Latest event end among those documents",
    ("projects_index", "doc_ids"): "The documents that name it, '; '-separated",
    "n_sections": "Sections found", "n_projects": "Project rows", "n_urls": "URL rows",
    "n_figures": "Figure rows", "n_recommendations": "Recommendation rows",
}


def column_description(table: str, column: str) -> str:
    return COLUMN_DESCRIPTIONS.get((table, column)) or COLUMN_DESCRIPTIONS.get(column, "")
