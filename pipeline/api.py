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
from dataclasses import dataclass, replace
from pathlib import Path

from .extractors.confidence import ConfidenceModel
from .extractors.context import BlockAnalysis, BlockContext
from .extractors.figures import FigureFinder, figure_rows
from .extractors.language import detect_language
from .extractors.metadata import MetadataFinder
from .extractors.projects import ProjectFinder, mention_rows
from .extractors.recommendations import RecommendationFinder
from .extractors.urls import UrlFinder
from .ids import doc_id as make_doc_id
from .model import HEADING, Document, DocumentInfo, Report
from .nlp import build_pipeline, sentences
from .readers import read_document
from .rules import LANGUAGES, load_rules
from .segment import segment
from .text import HEADING_NUMBER
from .weburls import public_suffixes


def extract_file(path: str | os.PathLike, source: str | None = None, models_dir: str | None = None,
                 password: str | None = None, pdf_engine: str = "pdfplumber",
                 min_confidence: float | None = None, ocr: str = "auto", ocr_engine: str = "auto") -> Report:
    """Extract one report. Raises `ReportError` for input that cannot be processed. `ocr`:
    auto, off or force; `ocr_engine`: auto, tesseract or rapidocr (see readers/ocr.py)."""
    doc = read_document(Path(path), source, password=password, models_dir=models_dir, pdf_engine=pdf_engine,
                        ocr=ocr, ocr_engine=ocr_engine)
    return extract_document(doc, models_dir=models_dir, min_confidence=min_confidence)


def prepare_language(doc: Document, models_dir: str | None = None) -> str:
    """Build (once per process) the pipeline and extractors of `doc`'s language; its code. A
    batch calls it outside a file's time limit: a language's first document does not pay for it."""
    lang = detect_language(doc.text, models_dir=models_dir)
    build_pipeline(lang, models_dir or "")
    _finders(load_rules(lang, models_dir))
    return lang


def warm_up(models_dir: str | None = None, freeze: bool = False, languages: tuple[str, ...] = LANGUAGES) -> None:
    """Load once per process what documents need: the public suffix list, and the spaCy
    pipelines and extractors of `languages`. A batch worker calls it with no language before its
    first file: a language's pipeline is built when a document in it first appears (building the
    French one takes seconds an English batch never pays). A benchmark loads every language
    before starting its clock.

    `freeze=True` then moves every object alive in the process out of the garbage collector's
    reach (`gc.freeze`): the loaded pipelines are kept for the life of the process anyway, and
    otherwise each full collection while a PDF is parsed walks all of them again (a fifth of
    the run time on long PDFs). Meant for worker processes, not for a caller's own session."""
    for lang in languages:
        build_pipeline(lang, models_dir or "")
        _finders(load_rules(lang, models_dir))
    public_suffixes()
    if freeze:
        gc.collect()
        gc.freeze()


@dataclass(frozen=True)
class Finders:
    """The extractors of one rule set, built once: they hold compiled rules, no document state."""

    figures: FigureFinder
    projects: ProjectFinder
    recommendations: RecommendationFinder
    urls: UrlFinder
    metadata: MetadataFinder
    confidence: ConfidenceModel
    reference_headings: frozenset[str]  # sections.json: headings of lists of sources


def _finders(rules) -> Finders:
    if "finders" not in rules.cache:
        rules.cache["finders"] = Finders(
            FigureFinder(rules), ProjectFinder(rules), RecommendationFinder(rules), UrlFinder(rules),
            MetadataFinder(rules), ConfidenceModel(rules),
            frozenset(h.casefold() for h in rules.words("sections.reference_headings")))
    return rules.cache["finders"]


def extract_document(doc: Document, models_dir: str | None = None, min_confidence: float | None = None) -> Report:
    """One read document to rows. `min_confidence` overrides the per-kind thresholds of
    `models/common/confidence.json` for every kind."""
    lang = detect_language(doc.text, models_dir=models_dir)
    rules = load_rules(lang, models_dir)
    finders = _finders(rules)
    ctx = _analyse(doc, segment(doc), build_pipeline(lang, models_dir or ""), finders)
    projects, url_owner = finders.projects.rows(ctx, finders.confidence, min_confidence)
    urls = finders.urls.rows(ctx, url_owner, finders.confidence, min_confidence,
                             projects={p.project_id for p in projects})
    figures = figure_rows(ctx, finders.confidence, min_confidence)
    recommendations = finders.recommendations.rows(ctx, finders.confidence, min_confidence)
    return Report(document=_document_info(doc, lang, finders.metadata), sections=ctx.seg.sections,
                  projects=projects, urls=urls, figures=figures, recommendations=recommendations,
                  mentions=mention_rows(ctx, projects), warnings=list(doc.warnings))


def _analyse(doc: Document, seg, nlp, finders: Finders) -> BlockContext:
    """Run spaCy over every block once, keeping only what the extractors read. Front matter
    (a title page, a table of contents) is blanked for the extractors of rows: its URLs are
    still found, and sections and metadata read the document itself."""
    urls = [finders.urls.find(b) for b in doc.blocks]
    doc = without_front_matter(doc)
    analyses = []
    for block, nd in zip(doc.blocks, nlp.pipe((b.text for b in doc.blocks), batch_size=64)):
        heading = block.kind == HEADING
        analyses.append(BlockAnalysis(
            sentences=[(s.start_char, s.end_char) for s in sentences(nd)],
            # a heading's own number (`2.1 Panel`) is no quantity, nor is a heading a call to action
            figures=[h for h in finders.figures.find(nd) if not heading or h.char_start >= _numbering(block.text)],
            projects=finders.projects.match(nd),
            calls=[] if heading else finders.recommendations.calls(nd),
        ))
    return BlockContext(doc=doc, seg=seg, analyses=analyses, urls=urls, reference_headings=finders.reference_headings)


def without_front_matter(doc: Document) -> Document:
    """`doc` with the text of its front blocks replaced by spaces (offsets unchanged)."""
    if not any(b.front for b in doc.blocks):
        return doc
    blocks, text = [], list(doc.text)
    for b in doc.blocks:
        if b.front:
            blank = " " * len(b.text)
            text[b.char_start:b.char_end] = blank
            b = replace(b, text=blank, lines=[" " * len(line) for line in b.lines], links=[],
                        cells=[" " * len(c) for c in b.cells])
        blocks.append(b)
    return replace(doc, text="".join(text), blocks=blocks)


def _document_info(doc: Document, lang: str, metadata: MetadataFinder) -> DocumentInfo:
    meta = metadata.find(doc)
    stem = Path(doc.source).stem if doc.source else Path(doc.path).stem
    return DocumentInfo(
        doc_id=make_doc_id(stem, doc.sha256), source=doc.source, sha256=doc.sha256, format=doc.format,
        language=lang, title=meta.title, date_start=meta.date_start, date_end=meta.date_end,
        author=meta.author, pages=doc.pages, warnings="; ".join(doc.warnings) or None,
    )


def _numbering(heading: str) -> int:
    m = HEADING_NUMBER.match(heading)
    return m.end() if m else 0
