"""The library entry points: read -> segment -> match -> normalise, one document at a time.

    >>> from pipeline import extract_file
    >>> report = extract_file("input/report.md")
    >>> [p.name for p in report.projects]

Batches (`extract_paths`, `run_batch`) live in `pipeline.batch`, above this module: they
never stop on a bad file, failures come back as `ErrorRow`s with the contract's error kinds.
"""
from __future__ import annotations

import gc
import os
from pathlib import Path

from .extractors.context import BlockAnalysis, BlockContext
from .extractors.figures import FigureFinder
from .extractors.language import detect_language
from .extractors.metadata import MetadataFinder
from .extractors.projects import ProjectFinder, count_mentions
from .extractors.recommendations import RecommendationFinder
from .extractors.urls import UrlFinder
from .ids import doc_id as make_doc_id
from .ids import project_key
from .model import HEADING, Document, DocumentInfo, Figure, Project, Recommendation, Report, Url
from .nlp import build_pipeline, sentences
from .readers import read_document
from .rules import LANGUAGES, load_rules
from .segment import segment
from .text import HEADING_NUMBER
from .weburls import public_suffixes


def extract_file(path: str | os.PathLike, source: str | None = None, models_dir: str | None = None,
                 password: str | None = None, pdf_engine: str = "pdfplumber") -> Report:
    """Extract one report. Raises `ReportError` for input that cannot be processed."""
    doc = read_document(Path(path), source, password=password, models_dir=models_dir, pdf_engine=pdf_engine)
    return extract_document(doc, models_dir=models_dir)


def warm_up(models_dir: str | None = None, freeze: bool = False) -> None:
    """Load what every document needs once per process: the spaCy pipelines and extractors of
    each language, and the public suffix list. A batch worker calls it before its first file,
    so no file's time limit pays for it; a benchmark calls it before starting its clock.

    `freeze=True` then moves every object alive in the process out of the garbage collector's
    reach (`gc.freeze`): the loaded pipelines are kept for the life of the process anyway, and
    otherwise each full collection while a PDF is parsed walks all of them again (a fifth of
    the run time on long PDFs). Meant for worker processes, not for a caller's own session."""
    for lang in LANGUAGES:
        build_pipeline(lang, models_dir or "")
        _finders(load_rules(lang, models_dir))
    public_suffixes()
    if freeze:
        gc.collect()
        gc.freeze()


def _finders(rules) -> tuple[FigureFinder, ProjectFinder, RecommendationFinder, UrlFinder, MetadataFinder]:
    """The extractors of one rule set, built once: they hold compiled rules, no document state."""
    if "finders" not in rules.cache:
        rules.cache["finders"] = (FigureFinder(rules), ProjectFinder(rules), RecommendationFinder(rules),
                                  UrlFinder(rules), MetadataFinder(rules))
    return rules.cache["finders"]


def extract_document(doc: Document, models_dir: str | None = None) -> Report:
    lang = detect_language(doc.text)
    rules = load_rules(lang, models_dir)
    nlp = build_pipeline(lang, models_dir or "")
    seg = segment(doc)
    figure_finder, finder, rec_finder, url_finder, meta_finder = _finders(rules)
    analyses = []
    for block, nd in zip(doc.blocks, nlp.pipe((b.text for b in doc.blocks), batch_size=64)):
        analyses.append(BlockAnalysis(
            sentences=[(s.start_char, s.end_char) for s in sentences(nd)],
            # a heading's own number (`2.1 Panel`) is no quantity, nor is a heading a call to action
            figures=[h for h in figure_finder.find(nd) if block.kind != HEADING or h.char_start >= _numbering(block.text)],
            projects=finder.match(nd),
            calls=rec_finder.calls(nd) if block.kind != HEADING else [],
        ))
    ctx = BlockContext(doc=doc, seg=seg, analyses=analyses, urls=[url_finder.find(b) for b in doc.blocks])

    def where(i: int) -> tuple[str | None, int | None]:
        return seg.block_section[i], doc.blocks[i].page

    # projects
    candidates = finder.find(ctx)
    groups = finder.merge(candidates)
    projects: list[Project] = []
    url_owner: dict[str, str] = {}
    for g in sorted(groups, key=lambda g: g.first_block):
        name = min(g.forms, key=lambda f: (len(f), g.forms.index(f)))
        pid = project_key(name)
        if any(p.project_id == pid for p in projects):
            continue
        section_id, page = where(g.first_block)
        projects.append(Project(
            project_id=pid, name=name, description=g.description, url=g.url,
            mentions=count_mentions(doc.text, g.forms), section_id=section_id, page=page,
            aliases=[f for f in g.forms if f != name],
        ))
    for c in candidates:
        if c.url:
            owner = next((p for p in projects if project_key(c.name) in
                          [project_key(f) for f in [p.name] + p.aliases]), None)
            if owner:
                url_owner.setdefault(c.url, owner.project_id)
    # a website whose domain names the project (`ruralimob.fr`, `fieldloop.eu/dashboard`)
    all_urls = [hit for hits in ctx.urls for hit in hits]
    for p in projects:
        if p.url:
            continue
        keys = [k for k in {project_key(f) for f in [p.name] + p.aliases} if len(k) >= 4]
        hit = next((h for h in all_urls if h.domain and any(k in project_key(h.domain.rsplit(".", 1)[0])
                                                             for k in keys)), None)
        if hit is not None:
            p.url = hit.url
            url_owner.setdefault(hit.url, p.project_id)

    # URLs: one row per distinct URL, mentions counted per position
    urls: list[Url] = []
    by_url: dict[str, Url] = {}
    positions: dict[str, set[int]] = {}
    owner_by_identity = {UrlFinder.identity(u): pid for u, pid in url_owner.items()}
    for i, hits in enumerate(ctx.urls):
        for hit in hits:
            key = UrlFinder.identity(hit.url)
            positions.setdefault(key, set()).add(doc.blocks[i].char_start + hit.char_start)
            row = by_url.get(key)
            if row is None:
                section_id, page = where(i)
                by_url[key] = Url(url_id=f"u{len(urls) + 1}", url=hit.url, domain=hit.domain,
                                  project_id=owner_by_identity.get(key), mentions=0, section_id=section_id,
                                  page=page)
                urls.append(by_url[key])
            elif "://" in hit.url and "://" not in row.url:
                row.url = hit.url  # `[www.x.eu](https://www.x.eu)`: keep the form with its scheme
    for u in urls:
        u.mentions = len(positions[UrlFinder.identity(u.url)])

    figures: list[Figure] = []
    for i, analysis in enumerate(analyses):
        for hit in analysis.figures:
            section_id, page = where(i)
            figures.append(Figure(
                figure_id=f"f{len(figures) + 1}", value=hit.value, value_max=hit.value_max, unit=hit.unit,
                qualifier=hit.qualifier, per=hit.per, text=hit.text, sentence=hit.sentence,
                section_id=section_id, page=page,
            ))

    recs: list[Recommendation] = []
    for hit in rec_finder.find(ctx):
        section_id, page = where(hit.block_index)
        recs.append(Recommendation(rec_id=f"r{len(recs) + 1}", text=hit.text, kind=hit.kind,
                                   section_id=section_id, page=page))

    meta = meta_finder.find(doc)
    stem = Path(doc.source).stem if doc.source else Path(doc.path).stem
    info = DocumentInfo(
        doc_id=make_doc_id(stem, doc.sha256), source=doc.source, sha256=doc.sha256, format=doc.format,
        language=lang, title=meta.title, date_start=meta.date_start, date_end=meta.date_end,
        author=meta.author, pages=doc.pages, warnings="; ".join(doc.warnings) or None,
    )
    return Report(document=info, sections=seg.sections, projects=projects, urls=urls, figures=figures,
                  recommendations=recs, warnings=list(doc.warnings))


def _numbering(heading: str) -> int:
    m = HEADING_NUMBER.match(heading)
    return m.end() if m else 0
