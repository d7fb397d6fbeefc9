"""The library entry points: read -> segment -> match -> normalise, one document at a time.

    >>> from pipeline import extract_file
    >>> report = extract_file("input/report.md")
    >>> [p.name for p in report.projects]

`extract_paths` runs a batch and never stops on a bad file: failures come back as
`ErrorRow`s with the contract's error kinds.
"""
from __future__ import annotations

import fnmatch
import gc
import os
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .errors import ReportError
from .extractors.context import BlockAnalysis, BlockContext
from .extractors.figures import FigureFinder
from .extractors.language import detect_language
from .extractors.metadata import MetadataFinder
from .extractors.projects import ProjectFinder, count_mentions
from .extractors.recommendations import RecommendationFinder
from .extractors.urls import UrlFinder, public_suffixes
from .ids import doc_id as make_doc_id
from .ids import project_key
from .model import HEADING, Document, DocumentInfo, ErrorRow, Figure, Project, Recommendation, Report, Url
from .nlp import build_pipeline, sentences
from .readers import SUPPORTED_EXTENSIONS, read_document
from .rules import LANGUAGES, load_rules
from .segment import segment
from .text import HEADING_NUMBER


DEFAULT_TIMEOUT = 120.0


@dataclass
class BatchResult:
    reports: list[Report] = field(default_factory=list)
    errors: list[ErrorRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


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


def discover_inputs(paths: Iterable[str | os.PathLike]) -> list[tuple[Path, str]]:
    """Expand folders (recursively, supported extensions only, hidden files skipped).

    Returns (path, source) pairs: `source` is the path as given for files, and relative
    to the folder for files found in a folder. Missing paths raise FileNotFoundError.
    """
    found: list[tuple[Path, str]] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if f.is_file() and f.suffix.lower() in SUPPORTED_EXTENSIONS:
                    found.append((f, rel.as_posix()))
        elif p.exists():
            found.append((p, str(given)))
        else:
            raise FileNotFoundError(str(given))
    seen, unique = set(), []
    for path, source in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((path, source))
    return unique


def password_for(path: Path, source: str, password: str | None, passwords: dict[str, str] | None) -> str | None:
    """A per-file password (by source path, file name or glob pattern), else the common one."""
    if passwords:
        for key in (source, path.name):
            if key in passwords:
                return passwords[key]
        for pattern, value in passwords.items():
            if fnmatch.fnmatch(source, pattern) or fnmatch.fnmatch(path.name, pattern):
                return value
    return password


@contextmanager
def time_limit(seconds: float | None, source: str):
    """Turn a hang into a `timeout` error (SIGALRM; only where signals can be used)."""
    usable = seconds and seconds > 0 and hasattr(signal, "setitimer") and \
        threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise ReportError("timeout", f"{source}: gave up after {seconds:g} s; raise --timeout or check the file")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_paths(paths: Iterable[str | os.PathLike], models_dir: str | None = None, on_file=None, *,
                  password: str | None = None, passwords: dict[str, str] | None = None,
                  timeout: float | None = DEFAULT_TIMEOUT, pdf_engine: str = "pdfplumber") -> BatchResult:
    """Extract every input; a failing file becomes an ErrorRow and the batch goes on."""
    result = BatchResult()
    inputs = discover_inputs(paths)
    if inputs:  # load the pipelines before any file's time limit starts
        warm_up(models_dir)
    for path, source in inputs:
        try:
            with time_limit(timeout, source):
                report = extract_file(path, source=source, models_dir=models_dir,
                                      password=password_for(path, source, password, passwords),
                                      pdf_engine=pdf_engine)
            result.reports.append(report)
            status = "ok"
        except ReportError as exc:
            result.errors.append(ErrorRow(source=source, error=exc.kind, message=exc.message))
            status = exc.kind
        except RecursionError:
            status = "unreadable_pdf" if path.suffix.lower() == ".pdf" else "internal_error"
            result.errors.append(ErrorRow(source=source, error=status,
                                          message=f"{source}: structure nested too deeply to read"))
        except Exception as exc:  # noqa: BLE001 - one broken file never stops a batch
            result.errors.append(ErrorRow(source=source, error="internal_error",
                                          message=f"{type(exc).__name__}: {exc}; please report this file"))
            status = "internal_error"
        if on_file is not None:
            on_file(source, status)
    result.reports.sort(key=lambda r: r.doc_id)
    result.errors.sort(key=lambda e: e.source)
    return result
