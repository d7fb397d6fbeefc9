"""Page geometry -> reading order -> blocks, independent of the PDF library.

A PDF engine gives `Word`s with boxes and font facts, page by page. This module
groups them into rows, finds column gutters (empty vertical strips with text on
both sides) and reads column by column, keeping full-width rows (titles) in place.
Across pages it removes running headers and footers and page numbers, then turns
lines into headings (by relative font size, bold, numbering), paragraphs (by
vertical gaps), list items (bullet glyphs, numbers, hanging indents) and table rows.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

from .. import text as T
from ..model import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW
from .builder import DocumentBuilder
from .layout_settings import DEFAULT_SETTINGS, LayoutSettings
from .lines import heading_level

BOLD_MARKS = ("bold", "black", "heavy", "semibold", "demi", "extrabold")
LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_CID = re.compile(r"\(cid:\d+\)")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|pg\.|seite|página|pagina)\s*)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—)\]]?"
    r"(?:\s*(?:of|/|sur|de|von)\s*\d{1,4})?$", re.I)
_BULLET_GLYPHS = "•●▪■◦‣∙·–—-*○□➢►✓"


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    font: str = ""  # the font's name where the engine cuts words at font changes (pdfplumber)


@dataclass(slots=True)
class Line:
    """A line of text with its geometry; `words` are dropped once links are attached, so a
    long document keeps only text and a few numbers per line (memory flat in page count)."""

    page: int
    words: list[Word]
    text: str = ""
    links: list[tuple[str, int, int]] = field(default_factory=list)
    cells: list[str] | None = None  # a table row
    header: bool = False
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0  # the size most of its characters have, in half points
    bold: bool = False
    indent: float = 0.0  # where the text starts after a bullet glyph

    def __post_init__(self) -> None:
        words = self.words
        if not self.text:
            self.text = " ".join(w.text for w in words)
        first = words[0]
        x0, x1, top, bottom = first.x0, first.x1, first.top, first.bottom
        sizes: dict[float, int] = {}
        chars = bold = 0
        for w in words:  # comparisons, not min()/max(): this runs for every word of a document
            if w.x0 < x0:
                x0 = w.x0
            if w.x1 > x1:
                x1 = w.x1
            if w.top < top:
                top = w.top
            if w.bottom > bottom:
                bottom = w.bottom
            n = len(w.text)
            size = round(w.size * 2) / 2
            sizes[size] = sizes.get(size, 0) + n
            chars += n
            bold += n if w.bold else 0
        self.x0, self.x1, self.top, self.bottom = x0, x1, top, bottom
        self.size = max(sizes, key=sizes.__getitem__)  # the first of the most common, as Counter
        self.bold = bold * 2 > chars
        self.indent = words[1].x0 if len(words) > 1 and words[0].text in _BULLET_GLYPHS else self.x0

    def release(self) -> None:
        self.words = []


def is_bold_font(fontname: str) -> bool:
    name = (fontname or "").lower()
    return any(mark in name for mark in BOLD_MARKS)


def clean_word(text: str) -> tuple[str, int]:
    """Ligatures expanded, NFC; returns the text and the number of (cid:N) glyphs removed.

    A lone unmapped glyph is most often a bullet drawn from a symbol font: it becomes `•`.
    """
    if text.isascii() and "(cid:" not in text and text.isprintable():
        return text, 0  # nothing to expand or normalise: the common case, kept fast
    cids = len(_CID.findall(text))
    if cids == 1 and _CID.fullmatch(text):
        return "•", 1
    text = _CID.sub("", text) if cids else text
    return T.strip_controls(T.nfc(text.translate(LIGATURES)).replace(T.SOFT_HYPHEN, "")), cids


# -- one page --------------------------------------------------------------------------

_CLOSING = frozenset(".,;:!?)]")


def join_size_changes(words: list[Word], settings: LayoutSettings = DEFAULT_SETTINGS) -> list[Word]:
    """`R` + `EPORT` -> `REPORT`: both engines cut a word where its font or size changes (small
    capitals, a drop cap); parts that touch on one baseline are one word again, with the size of
    the longer part. A raised footnote mark has its own baseline and stays apart. `words` are in
    reading order."""
    out: list[Word] = []
    low, high = settings.size_join_gap
    baseline = settings.size_join_baseline_ratio
    for w in words:
        prev = out[-1] if out else None
        if prev is not None:
            size = min(prev.size, w.size) or 1.0
            # parts of one size and font join only when they touch (a stray space glyph drawn
            # over a letter cut them); a narrow but real gap between them is a space
            top_gap = high if (w.size != prev.size or w.font != prev.font) else settings.touch_gap_ratio
            if abs(w.bottom - prev.bottom) <= baseline * size and low * size <= w.x0 - prev.x1 <= top_gap * size \
                    and ((w.text[:1].isalnum() and (prev.text[-1:].isalnum() or prev.text[-1:] in "’'"))
                         # `Abstract` + `.`: closing punctuation set in the next font still ends the word
                         or w.text in _CLOSING and prev.text[-1:].isalnum()):
                major = prev if len(prev.text) >= len(w.text) else w
                out[-1] = Word(prev.text + w.text, prev.x0, w.x1, min(prev.top, w.top), max(prev.bottom, w.bottom),
                               major.size, major.bold, major.font)
                continue
        out.append(w)
    return out


_MARK = re.compile(r"[\d,\-–]{1,8}")
_EXPONENT = re.compile(r"[-−–]?[1-9]")
_SUPERSCRIPTS = str.maketrans("0123456789-−–", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻⁻")


def settle_marks(row: list[Word], settings: LayoutSettings = DEFAULT_SETTINGS) -> list[Word]:
    """Raised small text in a row, by size and baseline: an ordinal suffix after a number
    joins it (`10` + `th`, `1` + `er`); a footnote mark (`results` + `3`, `Gayo` + `1,2`, `*`)
    is left out, as the HTML and Markdown readers leave `<sup>` marks out, so it never glues
    onto a word or reads as a number. A raised mark opening a footnote's own line goes too."""
    if len(row) < 2:
        return row
    first_size = row[0].size
    if all(w.size == first_size for w in row):
        return row  # one size: nothing raised (the common case, kept fast)
    weight: dict[float, int] = {}
    for w in row:
        weight[w.size] = weight.get(w.size, 0) + len(w.text)
    main = max(weight, key=weight.__getitem__)
    baseline = statistics.median(w.bottom for w in row if w.size == main)
    out: list[Word] = []
    skip = -1
    for i, w in enumerate(row):
        if i == skip:
            continue
        raised = main > 0 and w.size <= settings.mark_size_ratio * main \
            and w.bottom < baseline - settings.mark_raise_ratio * main
        if raised:
            prev = out[-1] if out else None
            text = w.text
            mark = _MARK.fullmatch(text) is not None or all(c in settings.footnote_marks for c in text)
            if prev is not None and w.x0 - prev.x1 <= settings.mark_gap_ratio * main:
                if prev.text.casefold() in settings.exponent_units and _EXPONENT.fullmatch(text):
                    # `m` + `2`, `cm` + `-1`: a unit's exponent, written as the superscript it is
                    out[-1] = Word(prev.text + text.translate(_SUPERSCRIPTS), prev.x0, w.x1, prev.top, prev.bottom,
                                   prev.size, prev.bold, prev.font)
                    continue
                if prev.text[-1:].isdigit() and text.lower() in settings.ordinal_suffixes:
                    out[-1] = Word(prev.text + text, prev.x0, w.x1, prev.top, prev.bottom, prev.size, prev.bold,
                                   prev.font)
                    continue
                if mark and not prev.text[-1:].isdigit():
                    after = row[i + 1] if i + 1 < len(row) else None
                    if after is not None and len(after.text) == 1 and after.text in ",;.:" \
                            and after.x0 - w.x1 <= settings.mark_gap_ratio * main:
                        # `Gayo¹,` -> `Gayo,`: the comma after the mark goes back on the word
                        out[-1] = Word(prev.text + after.text, prev.x0, after.x1, prev.top, prev.bottom, prev.size,
                                       prev.bold, prev.font)
                        skip = i + 1
                    continue
            elif prev is None and mark and i + 1 < len(row) and row[i + 1].x0 - w.x1 <= settings.mark_gap_ratio * main:
                continue  # `¹ https://...`: the mark opening a footnote
        out.append(w)
    return out


def group_rows(words: list[Word], overlap_share: float = DEFAULT_SETTINGS.row_overlap) -> list[list[Word]]:
    """Words sharing most of the shorter one's height form a row, left to right."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        for row in reversed(rows[-3:]):
            r = row[0]
            overlap = (r.bottom if r.bottom < w.bottom else w.bottom) - (r.top if r.top > w.top else w.top)
            # most of the shorter box shared: a bullet from a symbol font sits a little higher
            if overlap >= overlap_share * ((r.bottom - r.top) if r.bottom - r.top < w.bottom - w.top else (w.bottom - w.top)):
                row.append(w)
                break
        else:
            rows.append([w])
    for row in rows:
        row.sort(key=lambda w: w.x0)
    rows.sort(key=lambda row: min(w.top for w in row))
    return rows


def find_gutters(rows: list[list[Word]], settings: LayoutSettings = DEFAULT_SETTINGS) -> list[tuple[float, float]]:
    """Empty vertical strips with text on both sides in most rows: column gutters."""
    if len(rows) < settings.min_rows_for_columns:
        return []
    left = min(w.x0 for row in rows for w in row)
    right = max(w.x1 for row in rows for w in row)
    width = right - left
    if width < settings.min_text_width:
        return []
    steps = int(width) + 1
    # cover[x]: the rows with text at x; each row adds 1 over the union of its words' spans
    diff = [0] * (steps + 1)
    for row in rows:
        spans = sorted((max(0, int(w.x0 - left)), min(steps, int(w.x1 - left) + 1)) for w in row)
        start, end = spans[0]
        for a, b in spans[1:]:
            if a > end:
                if end > start:
                    diff[start] += 1
                    diff[end] -= 1
                start, end = a, b
            else:
                end = max(end, b)
        if end > start:
            diff[start] += 1
            diff[end] -= 1
    cover = list(accumulate(diff))[:steps]
    limit = max(2, int(settings.gutter_cover * len(rows)))  # titles, running lines, overflowing URLs cross it
    gutters, start = [], None
    for x in range(steps + 1):
        empty = x < steps and cover[x] <= limit
        if empty and start is None:
            start = x
        elif not empty and start is not None:
            a, b = left + start, left + x
            margin = settings.gutter_margin * width
            if b - a >= settings.min_gutter_width and left + margin < (a + b) / 2 < right - margin:
                gutters.append(_core(cover, start, x, left))
            start = None
    good = []
    for a, b in gutters:
        lefts = sum(1 for row in rows if any(w.x1 <= a for w in row))
        rights = sum(1 for row in rows if any(w.x0 >= b for w in row))
        # the last page of a two-column text often has a short second column
        if min(lefts, rights) >= max(4, settings.column_min_rows * len(rows)):
            good.append((a, b))
    # widest first; a column must stay wide (a bullet indent is not a gutter)
    chosen: list[tuple[float, float]] = []
    for a, b in sorted(good, key=lambda g: g[1] - g[0], reverse=True):
        edges = [left, right] + [x for g in chosen for x in g]
        if all(min(abs(a - x), abs(b - x)) >= settings.column_min_width * width for x in edges) \
                and len(chosen) < settings.max_gutters:
            chosen.append((a, b))
    return chosen


def _core(cover: list[int], start: int, end: int, left: float) -> tuple[float, float]:
    """The emptiest part of a gutter, leftmost first: long column lines may reach into its left
    edge, and bullets of the next column stand just right of it."""
    low = min(cover[start:end]) + 3  # a title or a footer may cross anywhere
    run = None
    for x in range(start, end + 1):
        if x < end and cover[x] <= low:
            run = x if run is None else run
        elif run is not None:
            if x - run >= 3:
                return left + run, left + x
            run = None
    return left + start, left + end


def read_page(words: list[Word], page: int, settings: LayoutSettings = DEFAULT_SETTINGS) -> list[Line]:
    """Lines of one page in reading order: full-width rows in place, columns one after another.

    Rows are first grouped across the whole page to find gutters; then the words of each
    column are grouped again on their own, so a column's lines never mix with its neighbour's.
    """
    rows = group_rows(words, settings.row_overlap)
    gutters = sorted(find_gutters(rows, settings))
    if not gutters:
        return [Line(page, row) for row in (settle_marks(r, settings) for r in rows) if row]
    bounds = [g[0] for g in gutters]

    def column(w: Word) -> int:
        return sum(1 for b in bounds if (w.x0 + w.x1) / 2 > b)

    def crosses(row: list[Word]) -> bool:
        # the gutter is where (almost) no row has text: a row with a word in it is full width,
        # unless that word overflows from a column into the next one's line (a long URL)
        def spans(b: float, e: float) -> bool:
            mid = (b + e) / 2
            centres = [(w.x0 + w.x1) / 2 for w in row]
            return any(w.x0 < mid < w.x1 for w in row) or (min(centres) < b and max(centres) > e)

        if not any(spans(b, e) for b, e in gutters):
            return False
        return all(-0.5 < w2.x0 - w1.x1 < 1.5 * max(w1.size, w2.size) for w1, w2 in zip(row, row[1:]))

    full = [row for row in rows if crosses(row)]
    in_columns = [w for row in rows if not crosses(row) for w in row]
    lines: list[Line] = []
    edges = [min(w.top for w in row) for row in full] + [float("inf")]
    above = float("-inf")
    for i, edge in enumerate(edges):
        band = [w for w in in_columns if above <= w.top < edge]
        for c in range(len(bounds) + 1):
            for r in group_rows([w for w in band if column(w) == c], settings.row_overlap):
                r = settle_marks(r, settings)
                if r:
                    lines.append(Line(page, r))
        if i < len(full):
            r = settle_marks(full[i], settings)
            if r:
                lines.append(Line(page, r))
            above = edge
    return lines


def _wraps(prev: Line, line: Line, settings: LayoutSettings) -> bool:
    """Whether `line` can go on the heading whose last line is `prev`. A title wrapped over
    lines keeps its weight and its alignment (left edges, centres or right edges): a
    letterhead's right-aligned lines and the bold, left-aligned `Participants :` under them
    are separate headings."""
    if prev.bold != line.bold:
        return False
    if T.strip_heading_number(prev.text) != prev.text and 0 < line.x0 - prev.x0 <= settings.wrap_number_indent:
        return True  # `2.1  Recommendations of the committee for` / `     the next period`: a hanging indent
    edge = settings.wrap_edge_tolerance
    return (abs(prev.x0 - line.x0) <= edge or abs(prev.x1 - line.x1) <= edge
            or abs((prev.x0 + prev.x1) - (line.x0 + line.x1)) / 2 <= settings.wrap_centre_tolerance)


def attach_links(lines: list[Line], links: list[tuple[str, float, float, float, float]]) -> None:
    """Link annotations (url, x0, top, x1, bottom) become offsets into the text they cover: the
    words of the lines the box covers for most of their height (a box drawn a little taller
    than its line touches the next line, whose words are not the link's)."""
    for url, x0, top, x1, bottom in links:
        # a rectangle may be stored with its corners swapped (PDFium gives it as written)
        x0, x1, top, bottom = min(x0, x1), max(x0, x1), min(top, bottom), max(top, bottom)
        for line in lines:
            if line.cells is not None:
                continue
            shared = min(line.bottom, bottom) - max(line.top, top)
            if shared < 0.5 * min(line.bottom - line.top, bottom - top):
                continue
            pos, start, end = 0, None, None
            for w in line.words:
                centre = (w.x0 + w.x1) / 2
                if x0 - 1 <= centre <= x1 + 1:
                    start = pos if start is None else start
                    end = pos + len(w.text)
                pos += len(w.text) + 1
            if start is not None:
                line.links.append((url, start, end))


# -- across pages ----------------------------------------------------------------------

def strip_running_lines(pages: list[list[Line]], heights: list[float],
                        settings: LayoutSettings = DEFAULT_SETTINGS) -> int:
    """Remove running headers/footers (repeated in the top or bottom zone) and page numbers
    (a bare number in the margin zone, or the first or last line of a page)."""
    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower()).strip()

    zone, number_zone = settings.running_zone, settings.page_number_zone

    def in_zone(line: Line, h: float, share: float = zone) -> str | None:
        if line.bottom <= h * share:
            return "top"
        if line.top >= h * (1 - share):
            return "bottom"
        return None

    seen: Counter = Counter()
    for lines, h in zip(pages, heights):
        keys = {(in_zone(l, h), key(l)) for l in lines if in_zone(l, h)}
        seen.update(keys)
    n = len(pages)
    repeated = {k for k, c in seen.items() if n >= 2 and c >= max(2, settings.running_min_share * n)}
    removed = 0
    for lines, h in zip(pages, heights):
        keep = []
        body = [l for l in lines if l.cells is None]
        extremes = {id(min(body, key=lambda l: l.top)), id(max(body, key=lambda l: l.bottom))} if body else set()
        for line in lines:
            z = in_zone(line, h)
            number = _PAGE_NUMBER.match(line.text.strip()) is not None
            if (z and (z, key(line)) in repeated) or \
                    (number and (in_zone(line, h, number_zone) or id(line) in extremes)):
                removed += 1
                continue
            keep.append(line)
        lines[:] = keep
    return removed


def body_size(pages: list[list[Line]]) -> float:
    sizes: Counter = Counter()
    for lines in pages:
        for line in lines:
            if line.cells is None:
                sizes[line.size] += len(line.text)
    size = sizes.most_common(1)[0][0] if sizes else 0.0
    return size if size > 0 else 10.0  # fonts of size 0 (broken files) still need a scale


def vocabulary(pages: list[list[Line]]) -> set[str]:
    words = set()
    for lines in pages:
        for line in lines:
            words.update(w.lower() for w in re.findall(r"[^\W\d_][\w-]*[^\W\d_]", line.text))
    return words


def _labelled(text: str, labels: frozenset[str]) -> bool:
    """`ASK: Volunteer to be a TAC sponsor`, `NOTE: ...`: a statement label (settings) and its
    statement, set large or bold, is no title (`FAIR: principles for research software` and
    `Standard names: general discussion` are)."""
    label, colon, rest = text.partition(":")
    return bool(colon) and label.strip().casefold() in labels and len(rest.split()) >= 3


def _title_page_furniture(block) -> bool:
    """A title page's title, names, affiliations, addresses, e-mails, identifiers and dates: its
    headings (their sections still give context: segmentation reads them), table rows, and
    paragraphs that are no sentence (no final stop) or hold an e-mail, an ORCID iD or a DOI. A
    sentence (`The workshop gathered 120 participants.`) and a list stay text: a short
    report's first page may be its title page."""
    if block.kind in (TABLE_ROW, HEADING):
        return True
    return block.kind == PARAGRAPH and (block.text.rstrip()[-1:] not in ".!?" or _IDENTIFIER.search(block.text) is not None)


_IDENTIFIER = re.compile(r"\S@\S+\.\w|\b\d{4}-\d{4}-\d{4}-\d{3}[\dX]\b|\b10\.\d{4,9}/\S", re.I)


# `2.1 Results ........ 14`, `Annexe … 7`: leaders, then a page number
_CONTENTS_ENTRY = re.compile(r"(?:\.\s?){4,}\s*(?:\d{1,4}|[ivxlc]{1,6})\s*$|…+\s*\d{1,4}\s*$|_{4,}\s*\d{1,4}\s*$", re.I)
_ENDS_WITH_PAGE = re.compile(r"\D\s\d{1,4}\s*$")
_URL_START = re.compile(r"[(<\[\"“]?(?:https?://|www\.)\S", re.I)
_URL_PART = re.compile(r"[\w.~%/=?&#+:-]+")
# `and/or`, `24/7`: words or numbers around a slash, not the rest of an address
_NOT_URL_PART = re.compile(r"[A-Za-z]+/[A-Za-z]+[.,;:]?|\d+/\d+[.,;:]?")


def join_broken_url(first: str, second: str) -> str | None:
    """`https://doi.org/10.` + `5281/zenodo.3695725` -> one address; None: no address broken here.

    An address cut at a line end continues on the next line when that line opens with more
    of it: after a `/ . _ = ? &` it ends on, a lower-case or numeric part holding `/` or `=`
    (`5281/zenodo`); after a query left open (`?local`), a part holding `=` (`e=en`).
    """
    last = first.rsplit(None, 1)[-1] if first.strip() else ""
    if not _URL_START.match(last):
        return None
    m = _URL_PART.match(second)
    if not m or _URL_START.match(m.group(0)) or _NOT_URL_PART.fullmatch(m.group(0)):
        return None  # nothing, an address of its own, or words around a slash
    part = m.group(0)
    if part[:1].isupper():
        return None  # a new sentence
    if last[-1] in "/._=?&" and ("/" in part or "=" in part):
        return first + second
    if "?" in last and "=" in part and not part.startswith("="):
        return first + second
    return None


def join_hyphenated(first: str, second: str, vocab: set[str], keep_prefixes: set[str],
                    maybe_prefixes: frozenset[str] = frozenset()) -> str | None:
    """`partner-` + `ships` -> `partnerships`; `re-` + `skilling` -> `re-skilling`; None: not hyphenated.

    The document's own spelling decides first (does `re-skilling` or `reskilling` occur
    elsewhere?); then a capital after the hyphen (`non-EU`) or a known prefix keeps it.
    """
    if not first.endswith("-") or not second[:1].isalnum():
        return None
    last = first.rsplit(None, 1)[-1].lstrip("(<[\"“")
    if re.match(r"(?:https?://|www\.)", last, re.I) or ("/" in last and "." in last.split("/", 1)[0]):
        return first + second  # a hyphen ending a line inside an address is the address's own (`collab-` `1/x`)
    m = re.search(r"([^\W\d_]+)-$", first)
    n = re.match(r"([^\W\d_]+)", second)
    if not m or not n:
        return None
    head, tail = m.group(1), n.group(1)
    joined, hyphenated = (head + tail).lower(), (head + "-" + tail).lower()
    if hyphenated in vocab and joined not in vocab:
        return first + second
    if joined in vocab and hyphenated not in vocab:
        return first[:-1] + second
    if tail[0].isupper() or head.lower() in keep_prefixes:
        return first + second
    if head.lower() in maybe_prefixes and tail.lower() in vocab and joined not in vocab:
        return first + second
    return first[:-1] + second


class BlockAssembler:
    """Lines in reading order -> blocks (headings, paragraphs, list items, table rows)."""

    def __init__(self, pages: list[list[Line]], settings: LayoutSettings = DEFAULT_SETTINGS,
                 landscape_pages: int = 0) -> None:
        self.settings = settings
        # the largest heading of the first page: the title of a title page or a cover
        self.page_title: str | None = None
        self.page_title_size = 0.0
        self.pages_first = next((ls[0].page for ls in pages if ls), 1)
        self.section_names = settings.section_names
        self.pages = pages
        self.body = body_size(pages)
        self.vocab = vocabulary(pages)
        self.keep_prefixes = settings.keep_hyphen_prefixes
        self.maybe_prefixes = settings.maybe_hyphen_prefixes
        big = sorted({l.size for ls in pages for l in ls
                      if l.cells is None and l.size >= self.body * settings.heading_size_ratio
                      and len(l.text.split()) <= settings.heading_max_words},
                     reverse=True)
        self.heading_sizes = big[:settings.heading_levels]
        gaps = []
        for lines in pages:
            for a, b in zip(lines, lines[1:]):
                if a.cells is None and b.cells is None and abs(a.size - self.body) < 0.6 \
                        and abs(b.size - self.body) < 0.6 and 0 < b.top - a.top < 3 * self.body:
                    gaps.append(b.top - a.top)
        self.leading = statistics.median(gaps) if gaps else self.body * settings.default_leading_ratio
        bullets = sorted({round(l.x0) for ls in pages for l in ls if self._bullet(l.text)})
        self.bullet_x = bullets
        self.slide_titles = self._slide_titles(landscape_pages)

    def _slide_titles(self, landscape_pages: int) -> set[int]:
        """In a slide deck (most pages landscape, few words each), the ids of each slide's title
        line: the largest text in the top of the slide. Each becomes a top-level heading."""
        s = self.settings
        pages = [ls for ls in self.pages if ls]
        if not pages or landscape_pages < s.slide_landscape_share * len(self.pages):
            return set()
        if statistics.median(sum(len(l.text.split()) for l in ls) for ls in pages) > s.slide_max_words:
            return set()
        titles = set()
        for lines in pages:
            text = [l for l in lines if l.cells is None]
            if not text:
                continue
            top, bottom = min(l.top for l in text), max(l.bottom for l in text)
            zone = [l for l in text if l.top <= top + s.slide_title_zone * (bottom - top)
                    and len(l.text.split()) <= s.slide_title_max_words and not self._bullet(l.text)
                    and not _PAGE_NUMBER.match(l.text.strip()) and l.text.rstrip()[-1:] not in ".,;!"]
            if zone:
                biggest = max(l.size for l in zone)
                if biggest > self.body or (biggest == self.body and any(l.bold for l in zone if l.size == biggest)):
                    title = next(l for l in zone if l.size == biggest and (l.bold or biggest > self.body))
                    wrapped = [title]
                    for line in text[text.index(title) + 1:]:  # the title wrapped over more lines
                        if line.size != title.size or not _wraps(wrapped[-1], line, s) \
                                or line.top - wrapped[-1].bottom > 0.8 * title.size:
                            break
                        wrapped.append(line)
                    joined = " ".join(l.text for l in wrapped)
                    if len(joined.split()) <= s.slide_title_max_words and joined.rstrip()[-1:] not in ".,;!":
                        titles.update(id(l) for l in wrapped)  # else a sentence set large, no title
        return titles

    @staticmethod
    def _bullet(text: str) -> bool:
        _, item, _ = T.strip_bullet(text)
        return item or (text[:1] in _BULLET_GLYPHS and len(text) > 1 and text[1:2] == " ")

    def _size_level(self, line: Line) -> int:
        if _labelled(line.text, self.settings.statement_labels):
            return 0
        if self.slide_titles:  # a deck: slide titles first, larger text under them
            if id(line) in self.slide_titles:
                return 1
            if line.size in self.heading_sizes and len(line.text.split()) <= self.settings.heading_max_words:
                return self.heading_sizes.index(line.size) + 2
            return 0
        if line.size in self.heading_sizes and len(line.text.split()) <= self.settings.heading_max_words:
            return self.heading_sizes.index(line.size) + 1
        return 0

    def _depth(self, x0: float) -> int:
        xs = [x for x in self.bullet_x if x <= round(x0) + 2]
        level = 0
        for a, b in zip(xs, xs[1:]):
            if b - a > self.settings.bullet_depth_step:
                level += 1
        return level

    def assemble(self, builder: DocumentBuilder) -> None:
        first = len(builder.blocks)
        self._assemble(builder)
        self._mark_front_matter(builder.blocks[first:])

    def is_title_page(self) -> bool:
        """Page 1 is a title page when more pages follow and it holds a few words under a title
        set large (a cover, a LaTeX title page, a title slide), not the start of the text."""
        if len(self.pages) < 2 or not self.pages[0]:
            return False
        lines = self.pages[0]
        if any(l.cells is not None for l in lines):
            return False  # a form's table (date, place, participants) opens the text
        words = sum(len(l.text.split()) for l in lines)
        return 0 < words <= self.settings.title_page_max_words \
            and max((l.size for l in lines), default=0) >= self.settings.title_size_ratio * self.body

    def _mark_front_matter(self, blocks) -> None:
        """Title page and table of contents blocks are `front`: metadata and sections read them,
        the extractors of rows do not."""
        title_page = self.is_title_page()
        s = self.settings
        under_contents: set[int] = set()  # the entries under a `Contents` heading
        for k, block in enumerate(blocks):
            if block.kind == HEADING and (block.page or 1) <= s.contents_max_page \
                    and T.strip_heading_number(block.text).strip(" :").lower() in s.contents_headings:
                run = []
                for entry in blocks[k + 1:]:  # LaTeX sets top-level entries in bold, no leaders
                    if entry.kind == TABLE_ROW or not (_ENDS_WITH_PAGE.search(entry.text) or _CONTENTS_ENTRY.search(entry.text)):
                        break
                    run.append(id(entry))
                if len(run) >= s.contents_min_entries:
                    under_contents.update(run)
        for block in blocks:
            # an entry: leaders and a page number, or a line ending with one under `Contents`
            if id(block) in under_contents or (block.kind != TABLE_ROW and _CONTENTS_ENTRY.search(block.text)):
                block.front = True
                continue
            if title_page and block.page == 1 and _title_page_furniture(block):
                block.front = True

    def _defer_footnotes(self) -> list[list[Line]]:
        """Pages in reading order, where a sentence that runs on to the next page past the
        footnotes (smaller type at the page's foot) reads on: those footnotes come after the
        paragraph that goes on over the page. Only when the sentence does go on: the page's
        last body line is text, not a heading, and is unfinished (`..., parmi lesquels X,`) or
        the next page opens in lower case. Lines keep their own page."""
        pages = [list(lines) for lines in self.pages]
        small = self.body - self.settings.size_change_points
        for p in range(len(pages) - 1):
            lines = pages[p]
            k = len(lines)
            while k > 0 and lines[k - 1].cells is None and lines[k - 1].size <= small:
                k -= 1
            if k == len(lines) or k == 0 or lines[k - 1].cells is not None:
                continue
            last = lines[k - 1]
            following = next((l for l in pages[p + 1] if l.cells is None), None)
            if following is None or any(l.top < last.top for l in lines[k:]) or self._size_level(last) \
                    or abs(last.size - self.body) >= self.settings.size_change_points or last.bold:
                continue
            goes_on = self._unfinished(last.text) or (last.text.rstrip()[-1:] not in ".:;!?"
                                                      and following.text[:1].islower())
            if not goes_on:
                continue
            notes, pages[p] = lines[k:], lines[:k]
            nxt = pages[p + 1]
            at = next((i for i, l in enumerate(nxt) if l.cells is None), 0)
            while at + 1 < len(nxt) and nxt[at + 1].cells is None and not self._gap(nxt[at], nxt[at + 1]) \
                    and not self._bullet(nxt[at + 1].text) and nxt[at + 1].size == nxt[at].size:
                at += 1  # to the end of the paragraph that goes on
            nxt[at + 1:at + 1] = notes
        return pages

    def _assemble(self, builder: DocumentBuilder) -> None:
        current: list[Line] = []
        kind = None
        prev: Line | None = None
        for lines in self._defer_footnotes():
            for line in lines:
                if line.cells is not None:
                    self._flush(builder, current, kind)
                    current, kind = [], None
                    filled = [c for c in line.cells if c.strip()]
                    if line.header and len(filled) == 1 and self._section_name(filled[0]):
                        # `| Meeting Agenda |`: a form's section title set in a table's first row
                        builder.add(HEADING, [filled[0]], level=len(self.heading_sizes) + 1, page=line.page)
                    else:
                        builder.add(TABLE_ROW, [line.text], cells=line.cells, header=line.header, page=line.page,
                                    links=line.links)
                    prev = None
                    continue
                level = self._size_level(line)
                starts_item = self._bullet(line.text)
                # a sentence cut after `the`, `de`, `and`: a change of weight or size does not end it
                unfinished = prev is not None and not starts_item and self._unfinished(prev.text)
                new_block = (
                    prev is None or level or self._size_level(prev) or starts_item
                    or self._gap(prev, line) or (prev.bold != line.bold and not unfinished)
                    # a footnote, a caption or a note in smaller type is a block of its own
                    or (abs(prev.size - line.size) >= self.settings.size_change_points and not unfinished)
                )
                if level:
                    if kind == HEADING and current and self._size_level(current[-1]) == level \
                            and not self._gap(prev, line) and _wraps(current[-1], line, self.settings):
                        current.append(line)  # a title wrapped over two lines
                    else:
                        self._flush(builder, current, kind)
                        current, kind = [line], HEADING
                elif (new_block or kind == LIST_ITEM) and not (kind == LIST_ITEM and self._continues_item(current, line)):
                    self._flush(builder, current, kind)
                    current, kind = [line], (LIST_ITEM if starts_item else PARAGRAPH)
                else:
                    current.append(line)
                prev = line
        self._flush(builder, current, kind)

    def _section_name(self, text: str) -> bool:
        return T.strip_heading_number(text).strip(" :").lower() in self.section_names

    def _gap(self, prev: Line, line: Line) -> bool:
        if prev.page != line.page or line.top < prev.top:
            # a new column or page: the paragraph goes on only if the sentence does
            return prev.text.rstrip()[-1:] in ".:;!?" or not (line.text[:1].islower() or line.text[:1].isdigit()
                                                             or self._unfinished(prev.text))
        leading = max(self.leading, self.leading * prev.size / self.body)
        if line.top - prev.top > leading * self.settings.paragraph_gap_ratio + 0.5:
            return True
        # an indented first line after a finished sentence starts a paragraph (LaTeX, Word); a
        # centred line is no indent (a title's second line under `... SCIENCE:`)
        indent = self.settings.first_line_indent_ratio * self.body
        if abs((line.x0 + line.x1) - (prev.x0 + prev.x1)) / 2 <= self.settings.wrap_centre_tolerance \
                and line.x1 < prev.x1 - indent:
            return False
        return line.x0 - prev.x0 > indent and prev.text.rstrip()[-1:] in ".:!?" \
            and not self._bullet(prev.text)

    def _centred(self, lines: list[Line]) -> bool:
        """Lines of different starts sharing one centre."""
        middle = lines[0].x0 + lines[0].x1
        return len({round(l.x0) for l in lines}) > 1 and all(
            abs((l.x0 + l.x1) - middle) / 2 <= self.settings.wrap_centre_tolerance for l in lines)

    def _unfinished(self, text: str) -> bool:
        """A line that cannot end a sentence: it ends with `,` or a word such as `the`, `de`, `and`
        written in lower case (`Annex A`, `Corvallis, OR` end a label or an address)."""
        text = text.rstrip()
        if not text or text.endswith(","):
            return bool(text)
        last = text.rsplit(None, 1)[-1]
        return last.islower() and last in self.settings.continuing_words

    def _continues_item(self, current: list[Line], line: Line) -> bool:
        if not current or self._bullet(line.text):
            return False
        last = current[-1]
        if line.bold != last.bold and not self._unfinished(last.text):
            return False
        if last.page != line.page or line.top < last.top:  # the item goes on in the next column
            return last.text.rstrip()[-1:] not in ".:;!?" and line.text[:1].islower()
        first = current[0]
        indent = first.indent
        if self._gap(current[-1], line):
            return False
        if last.text.rstrip()[-1:] not in ".:;!?" and (line.text[:1].islower() or self._unfinished(last.text)):
            return True  # the sentence goes on, whatever the indent (wrapped under the bullet)
        if join_broken_url(last.text, line.text) is not None or \
                (last.text.endswith("-") and line.text[:1].isalpha()):
            return True  # an address or a word cut at the line end (a footnote's URL under its number)
        return line.x0 >= indent - 2 or line.x0 > first.x0 + 2

    def _flush(self, builder: DocumentBuilder, lines: list[Line], kind: str | None) -> None:
        if not lines:
            return
        texts, links = self._join(lines)
        page = lines[0].page
        if kind == HEADING:
            block = builder.add(HEADING, [" ".join(texts)], level=self._size_level(lines[0]), page=page,
                                links=_shift_links(texts, links))
            if block is not None and page == self.pages_first and lines[0].size > self.page_title_size:
                self.page_title, self.page_title_size = block.text, lines[0].size
            return
        if kind == LIST_ITEM:
            first = texts[0]
            body, _, ordered = T.strip_bullet(first)
            if body == first and first[:1] in _BULLET_GLYPHS:
                body = first[1:].lstrip()
            cut = len(first) - len(body)
            texts[0] = body
            links = [(u, i, max(0, a - (cut if i == 0 else 0)), max(0, b - (cut if i == 0 else 0)))
                     for u, i, a, b in links]
            builder.add(LIST_ITEM, texts, depth=self._depth(lines[0].x0), ordered=ordered, page=page,
                        links=_shift_links(texts, links))
            return
        bold = all(l.bold for l in lines)
        joined = " ".join(texts)
        if len(texts) > 1 and (T.is_caps_heading(joined) or (bold and self._centred(lines))) and len(joined.split()) <= 20 \
                and joined.rstrip()[-1:] not in ".!?,;" and not _labelled(joined, self.settings.statement_labels):
            # a capitals title, or a bold and centred one, wrapped over lines in body type
            # (`... FOR SCIENCE:` / `PRACTICE AND EXPERIENCES`); a bold statement stays text
            level = heading_level(joined, bold=bold, section_level=len(self.heading_sizes))
            if level:
                builder.add(HEADING, [joined], level=level, page=page, links=_shift_links(texts, links))
                return
        if len(texts) == 1:
            level = heading_level(texts[0], bold=bold and len(texts[0].split()) <= 12
                                  and not _labelled(texts[0], self.settings.statement_labels),
                                  section_level=len(self.heading_sizes))
            if not level and self._section_name(texts[0]):
                level = len(self.heading_sizes) + 1  # `Abstract`, `Participants :` set as body text
            if level:
                builder.add(HEADING, texts, level=level, page=page, links=_shift_links(texts, links))
                return
        builder.add(PARAGRAPH, texts, page=page, links=_shift_links(texts, links), bold=bold)

    def _join(self, lines: list[Line]) -> tuple[list[str], list[tuple[str, int, int, int]]]:
        """Line texts with hyphenated line ends joined; links as (url, line index, start, end)."""
        texts: list[str] = []
        links: list[tuple[str, int, int, int]] = []
        for line in lines:
            text = line.text
            if texts:
                joined = join_broken_url(texts[-1], text) or \
                    join_hyphenated(texts[-1], text, self.vocab, self.keep_prefixes, self.maybe_prefixes)
                if joined is not None:
                    shift = len(joined) - len(text)
                    texts[-1] = joined
                    links.extend((u, len(texts) - 1, a + shift, b + shift) for u, a, b in line.links)
                    continue
            texts.append(text)
            links.extend((u, len(texts) - 1, a, b) for u, a, b in line.links)
        return texts, links


def _shift_links(texts: list[str], links) -> list[tuple[str, int, int]]:
    """(url, line index, start, end) -> offsets into " ".join(texts); one link drawn as a box
    per line (`on our` / `blog.`) is one span again."""
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    out: list[tuple[str, int, int]] = []
    for u, i, a, b in sorted(links, key=lambda link: (starts[link[1]] + link[2])):
        a, b = starts[i] + a, starts[i] + b
        # (after a hyphen dropped at the join, the first part's span reaches one past it)
        if out and out[-1][0] == u and out[-1][1] <= a <= out[-1][2] + 1:
            out[-1] = (u, out[-1][1], max(b, out[-1][2]))
        else:
            out.append((u, a, b))
    return out


def page_list(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> `1-3, 7`."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
