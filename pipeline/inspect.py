"""A readable account of one report: its section tree, then every row with where it came from."""
from __future__ import annotations

from .model import Report
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
