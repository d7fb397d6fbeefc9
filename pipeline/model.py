"""Typed records that flow through the pipeline.

Readers produce a `Document` (normalised text plus typed blocks); the segmenter adds
`Section`s; extractors produce `Project`, `Url`, `Figure` and `Recommendation` rows;
everything for one input is gathered in a `Report`. Writers only ever see these types.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Optional

HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
TABLE_ROW = "table_row"


@dataclass
class Link:
    """A hyperlink whose target is known even if its visible text is not a URL."""

    url: str
    char_start: int  # offsets into Document.text of the text the link covers
    char_end: int


@dataclass
class Block:
    """One unit of reading: a heading, a paragraph, a list item or a table row.

    `text` is normalised (NFC, white space collapsed, no markup); `lines` keeps the
    hard line breaks of the source so that "NAME: description / more" can be split.
    Offsets point into `Document.text`, where blocks are joined by blank lines.
    """

    kind: str
    text: str
    level: int = 0  # heading level, 1 = top
    depth: int = 0  # list nesting, 0 = top
    page: Optional[int] = None
    char_start: int = 0
    char_end: int = 0
    lines: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    ordered: bool = False  # numbered list item
    bold: bool = False  # whole block was emphasised in the source
    cells: list[str] = field(default_factory=list)  # table rows: one entry per cell
    header: bool = False  # table rows: the table's header row
    # a title page's or a table of contents' block: read for metadata and sections, never for
    # figures, projects or recommendations (a contents entry repeats a heading, a cover lists names)
    front: bool = False


@dataclass
class Document:
    """What every reader returns, whatever the file format."""

    source: str
    path: str
    format: str
    sha256: str
    text: str
    blocks: list[Block]
    pages: Optional[int] = None
    meta: dict[str, str] = field(default_factory=dict)  # explicit: front matter
    meta_fallback: dict[str, str] = field(default_factory=dict)  # file properties, <title>: used last
    warnings: list[str] = field(default_factory=list)


@dataclass
class Section:
    section_id: str
    parent_id: Optional[str]
    level: int
    heading: str
    page_start: Optional[int]
    page_end: Optional[int]
    char_start: int
    char_end: int


@dataclass
class Project:
    project_id: str
    name: str
    description: Optional[str]
    url: Optional[str]
    mentions: int
    section_id: Optional[str]
    page: Optional[int]
    aliases: list[str] = field(default_factory=list)
    evidence: str = ""  # the rules and signals behind the row, "; "-separated
    confidence: float = 1.0  # 0 to 1, from the evidence's weights (models/common/confidence.json)


@dataclass
class Mention:
    """One place a project is named: the first written form of a run such as `Green Skills
    Lab (GSL)` (one mention written twice), with its sentence."""
    mention_id: str  # m1, m2, ... in reading order within the document
    project_id: str
    text: str  # the form as written
    sentence: str
    section_id: Optional[str]
    page: Optional[int]


@dataclass
class Url:
    url_id: str
    url: str
    domain: Optional[str]
    project_id: Optional[str]
    mentions: int
    section_id: Optional[str]
    page: Optional[int]
    evidence: str = ""  # the rules and signals behind the row, "; "-separated
    confidence: float = 1.0  # 0 to 1, from the evidence's weights (models/common/confidence.json)
    link_text: Optional[str] = None  # the words carrying the link when the URL is not written out (`here`)


@dataclass
class Figure:
    figure_id: str
    value: float
    value_max: Optional[float]
    unit: Optional[str]
    qualifier: Optional[str]
    per: Optional[str]
    text: str
    sentence: str
    section_id: Optional[str]
    page: Optional[int]
    evidence: str = ""  # the rules and signals behind the row, "; "-separated
    confidence: float = 1.0  # 0 to 1, from the evidence's weights (models/common/confidence.json)


@dataclass
class Recommendation:
    rec_id: str
    text: str
    kind: str  # "list" or "sentence"
    section_id: Optional[str]
    page: Optional[int]
    evidence: str = ""  # the rules and signals behind the row, "; "-separated
    confidence: float = 1.0  # 0 to 1, from the evidence's weights (models/common/confidence.json)


@dataclass
class DocumentInfo:
    """The documents.csv row, less the counts (derived from the Report)."""

    doc_id: str
    source: str
    sha256: str
    format: str
    language: Optional[str]
    title: Optional[str]
    date_start: Optional[str]
    date_end: Optional[str]
    author: Optional[str]
    pages: Optional[int]
    warnings: Optional[str] = None  # what the reader could not use, "; "-separated
    duplicates: Optional[str] = None  # other sources with the same bytes, "; "-separated


@dataclass
class Report:
    """Everything extracted from one input document."""

    document: DocumentInfo
    sections: list[Section] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    urls: list[Url] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.document.doc_id


@dataclass
class ErrorRow:
    source: str
    error: str
    message: str


@dataclass
class BatchResult:
    """The reports and the error rows of a batch, each sorted (by doc_id, by source);
    `warnings` are about the batch itself (skipped symbolic-link loops), not a document."""

    reports: list[Report] = field(default_factory=list)
    errors: list[ErrorRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def field_names(cls) -> list[str]:
    return [f.name for f in fields(cls)]
