"""Readable accounts: one report (its section tree, then every row with where it came from), or
one project over every document of an output folder (each mention with its sentence)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .ids import project_key
from .model import DocumentInfo, Mention, Project, Report
from .numbers import format_number
from .writers import read_report_json


def describe(report: Report) -> str:
    d = report.document
    out = [f"{d.source}  ({d.format}, {d.pages or '-'} pages, language {d.language})",
           f"title: {d.title}", f"dates: {d.date_start} .. {d.date_end}", f"author: {d.author}"]
    if d.warnings:
        out.append(f"warnings: {d.warnings}")
    headings = {s.section_id: s.heading for s in report.sections}
    out.append("\nsections")
    for s in report.sections:
        pages = f"p. {s.page_start}-{s.page_end}" if s.page_start else ""
        out.append(f"{'  ' * s.level}{s.section_id} {s.heading}  {pages}".rstrip())

    def where(section_id, page) -> str:
        return f"[{section_id or '-'}{' p.' + str(page) if page else ''} {headings.get(section_id, '')[:40]}]"

    out.append(f"\nprojects ({len(report.projects)})")
    for p in report.projects:
        aliases = f" aka {', '.join(p.aliases)}" if p.aliases else ""
        out.append(f"  {p.name}{aliases}  url={p.url or '-'}  mentions={p.mentions}  {where(p.section_id, p.page)}")
        if p.description:
            out.append(f"      {p.description}")
        out.append(_evidence(p))
    out.append(f"\nurls ({len(report.urls)})")
    for u in report.urls:
        out.append(f"  {u.url}  domain={u.domain}  project={u.project_id or '-'}  {where(u.section_id, u.page)}")
        out.append(_evidence(u))
    out.append(f"\nfigures ({len(report.figures)})")
    for f in report.figures:
        value = format_number(f.value) + (f"-{format_number(f.value_max)}" if f.value_max is not None else "")
        extra = " ".join(x for x in (f.qualifier, f"per {f.per}" if f.per else "") if x)
        out.append(f"  {value} {f.unit or ''} {extra}  \"{f.text}\"  {where(f.section_id, f.page)}")
        out.append(f"      {f.sentence[:160]}")
        out.append(_evidence(f))
    out.append(f"\nrecommendations ({len(report.recommendations)})")
    for r in report.recommendations:
        out.append(f"  ({r.kind}) {r.text[:160]}  {where(r.section_id, r.page)}")
        out.append(_evidence(r))
    return "\n".join(out)


def _evidence(row) -> str:
    return f"      confidence {row.confidence:.3f} from {row.evidence or '-'}"


class NotAnOutputFolder(Exception):
    """The folder holds no readable manifest.json of a run."""


@dataclass
class ProjectMentions:
    """One document's row for a project and its mentions there."""
    document: DocumentInfo
    project: Project
    mentions: list[Mention]


def project_mentions(out_dir: str | os.PathLike, project: str) -> list[ProjectMentions]:
    """Every mention of one project over the documents of an output folder (those its
    manifest lists), in doc_id order. `project`: a project_id, or a name (`EXAM4.0`), which
    gives the same id. Raises NotAnOutputFolder when the folder holds no readable manifest, and
    ValueError when a document's JSON cannot be read."""
    out = Path(out_dir)
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("manifest.json holds no object")
    except FileNotFoundError:
        raise NotAnOutputFolder("no manifest.json")
    except (OSError, ValueError) as exc:
        raise NotAnOutputFolder(f"manifest.json cannot be read: {exc}")
    wanted = project_key(project)
    files = manifest.get("files") if isinstance(manifest.get("files"), dict) else {}
    doc_ids = sorted({e["doc_id"] for e in files.values()
                      if isinstance(e, dict) and e.get("status") == "ok" and isinstance(e.get("doc_id"), str)})
    found = []
    for doc_id in doc_ids:
        path = out / "json" / f"{doc_id}.json"
        if "/" in doc_id or doc_id.startswith(".") or not path.is_file() or path.is_symlink():
            continue
        try:
            report = read_report_json(path.read_bytes())
        except (OSError, ValueError, KeyError, TypeError) as exc:  # JSON of an older version, damaged
            raise ValueError(f"json/{doc_id}.json cannot be read ({type(exc).__name__}: {exc}); "
                             f"run extract again (with --force) to rewrite it") from exc
        for p in report.projects:
            if p.project_id == wanted:
                found.append(ProjectMentions(report.document, p,
                                             [m for m in report.mentions if m.project_id == wanted]))
    return found


def describe_project(project: str, found: list[ProjectMentions]) -> str:
    """`inspect --project`: the project's names and websites, then each document and every
    mention there with its sentence."""
    mentions = sum(len(f.mentions) for f in found)
    names = sorted({f.project.name for f in found})
    urls = sorted({f.project.url for f in found if f.project.url})
    out = [f"{project_key(project)}: {', '.join(names)}  ({len(found)} documents, {mentions} mentions)"]
    if urls:
        out.append(f"websites: {' '.join(urls)}")
    for f in found:
        d = f.document
        dates = d.date_start + (f" .. {d.date_end}" if d.date_end and d.date_end != d.date_start else "") \
            if d.date_start else "no date"
        out.append(f"\n{d.doc_id}  {d.title or d.source}  ({dates})")
        for m in f.mentions:
            where = f"[{m.section_id or '-'}{' p.' + str(m.page) if m.page else ''}]"
            out.append(f"  {m.mention_id} {where} \"{m.text}\": {m.sentence or '(no sentence)'}")
    return "\n".join(out)
