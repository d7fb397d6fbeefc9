"""Readable accounts: one report (its section tree, then every row with where it came from), or
one project over every document of an output folder (each mention with its sentence)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .ids import project_key
from .manifest import MANIFEST, cached_result, read_manifest
from .model import DocumentInfo, Mention, Project, Report
from .numbers import format_number


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
    manifest = read_manifest(out)
    if not isinstance(manifest.get("files"), dict):
        raise NotAnOutputFolder("no manifest.json" if not (out / MANIFEST).exists() else "manifest.json cannot be read")
    wanted = project_key(project)
    found = []
    for source, entry in manifest["files"].items():
        if not isinstance(entry, dict) or entry.get("status") != "ok":
            continue
        cached = cached_result(out, entry, source)
        if cached is None:  # JSON of an older version, or damaged
            raise ValueError(f"json/{entry.get('doc_id')}.json cannot be read; "
                             f"run extract again (with --force) to rewrite it")
        report = cached[1]
        for p in report.projects:
            if p.project_id == wanted:
                found.append(ProjectMentions(report.document, p,
                                             [m for m in report.mentions if m.project_id == wanted]))
    found.sort(key=lambda f: f.document.doc_id)
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
