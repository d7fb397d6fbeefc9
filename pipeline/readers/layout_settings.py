"""Every threshold the PDF layout uses, in one place (as pdfplumber's `TableSettings`).

Distances are in points or in multiples of a font size (`*_ratio`); shares are fractions of
a page or of a set of rows. The word lists are data: `models/common/pdf.json`, read through
`from_rules`; `DEFAULT_SETTINGS` holds the shipped ones. A test or a caller may vary any field
with `dataclasses.replace`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class LayoutSettings:
    # -- words ------------------------------------------------------------------------
    # a gap wider than this share of the font size between two glyphs separates words
    # (pdfplumber's x_tolerance_ratio; PDFium's own spaces are checked against it too)
    word_gap_ratio: float = 0.15
    # parts cut where the font or size changes (`R` + `EPORT`) join when their gap is within
    # these shares of the size and their baselines within `size_join_baseline_ratio`
    size_join_gap: tuple[float, float] = (-0.05, 0.15)
    size_join_baseline_ratio: float = 0.1
    touch_gap_ratio: float = 0.05  # parts of one font and size join only when this close
    # glyphs not upright (rotated axis labels, a margin's vertical arXiv stamp) are left out
    # when they are fewer than this share of a page's glyphs (else the page itself is rotated)
    rotated_share: float = 0.3
    # a raised mark: at most this share of the line's size, its baseline raised by at least
    # `mark_raise_ratio` of that size, within `mark_gap_ratio` of the word before it
    mark_size_ratio: float = 0.8
    mark_raise_ratio: float = 0.15
    mark_gap_ratio: float = 0.35
    # -- rows and columns ---------------------------------------------------------------
    row_overlap: float = 0.6  # words sharing this much of the shorter box are one row
    min_gutter_width: float = 5.0
    min_rows_for_columns: int = 6
    min_text_width: float = 150.0
    gutter_cover: float = 0.15  # rows allowed to cross a gutter (titles, footers, long URLs)
    gutter_margin: float = 0.15  # a gutter's centre lies this far in from the text edges
    column_min_rows: float = 0.12  # rows needed on each side of a gutter
    column_min_width: float = 0.2  # a column keeps this share of the text width
    max_gutters: int = 2
    # -- running lines --------------------------------------------------------------------
    running_zone: float = 0.09  # top and bottom share of the page where headers and footers stand
    page_number_zone: float = 0.14
    running_min_share: float = 0.5  # a running line repeats on at least this share of pages
    # -- blocks ---------------------------------------------------------------------------
    heading_size_ratio: float = 1.1  # a heading's size is at least this times the body size
    heading_max_words: int = 25
    heading_levels: int = 4
    default_leading_ratio: float = 1.25  # line pitch when no two body lines give one
    paragraph_gap_ratio: float = 1.3  # a gap over this many leadings starts a paragraph
    first_line_indent_ratio: float = 0.8  # an indent this many body sizes starts a paragraph
    wrap_edge_tolerance: float = 4.0  # a wrapped heading keeps its left or right edge...
    wrap_centre_tolerance: float = 8.0  # ...or its centre
    wrap_number_indent: float = 48.0  # the widest heading number a wrapped line hangs under
    size_change_points: float = 1.0  # lines whose sizes differ this much are separate blocks
    bullet_depth_step: float = 6.0  # bullets further apart than this are one level deeper
    # -- slides -------------------------------------------------------------------------
    slide_landscape_share: float = 0.6  # a deck: this share of its pages wider than high...
    slide_max_words: int = 150  # ...holding at most this many words on a median page
    slide_title_zone: float = 0.3  # a slide's title stands in this top share of its text
    slide_title_max_words: int = 15
    # -- front matter ---------------------------------------------------------------------
    title_size_ratio: float = 1.3  # the title page's title is at least this times the body size
    title_page_max_words: int = 120  # a page 1 with more words starts the text
    contents_max_page: int = 6  # a `Contents` heading opens a table of contents up to this page...
    contents_min_entries: int = 2  # ...when at least this many entries follow it
    # -- word lists: models/common/pdf.json (DEFAULT_SETTINGS holds the shipped ones) ------------
    keep_hyphen_prefixes: frozenset[str] = frozenset()
    maybe_hyphen_prefixes: frozenset[str] = frozenset()
    section_names: frozenset[str] = frozenset()
    ordinal_suffixes: frozenset[str] = frozenset()
    footnote_marks: str = ""
    contents_headings: frozenset[str] = frozenset()
    statement_labels: frozenset[str] = frozenset()
    continuing_words: frozenset[str] = frozenset()
    exponent_units: frozenset[str] = frozenset()

    @classmethod
    def from_rules(cls, rules: dict, **overrides) -> "LayoutSettings":
        """Settings with the word lists of a `pdf` rules file; a list the file lacks (an older
        rules folder) is the shipped one."""
        base = globals().get("DEFAULT_SETTINGS") or cls()
        lists: dict = {key: frozenset(w.casefold() for w in rules[key]) for key in _WORD_LISTS if rules.get(key)}
        if rules.get("footnote_marks"):
            lists["footnote_marks"] = "".join(rules["footnote_marks"])
        return replace(base, **{**lists, **overrides})


_WORD_LISTS = ("keep_hyphen_prefixes", "maybe_hyphen_prefixes", "section_names", "ordinal_suffixes",
               "contents_headings", "statement_labels", "continuing_words", "exponent_units")
# the word lists shipped in the project's models/ (read as JSON: no rules checking, no spaCy)
_SHIPPED = Path(__file__).resolve().parent.parent.parent / "models" / "common" / "pdf.json"
DEFAULT_SETTINGS = LayoutSettings.from_rules(json.loads(_SHIPPED.read_text(encoding="utf-8")))
