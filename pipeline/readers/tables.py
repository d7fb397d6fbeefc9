"""Ruled tables of a PDF page, for both engines: the grid, its rows as Lines, their place.

The pdfplumber engine gets tables from `page.find_tables()`. The PDFium engine draws the
page's path segments as edges and hands them to the same pdfplumber table finder (its
"lines" strategy reads nothing but `page.edges`), then fills the cells with its own words.
Either way each row becomes one Line with its cells, placed before the first text line
below it in the same column.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .layout import Line, Word, clean_word, group_rows

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (top-down page coordinates)


# A ruled frame around prose (a Word layout table: a label column and a text column) is read as
# text: most of its filled rows hold a single cell, those cells hold sentences, not values, and
# most lines run on into the next.
PROSE_FRAME_SINGLE_CELL_SHARE = 0.8
PROSE_FRAME_MIN_WORDS_PER_CELL = 6
PROSE_FRAME_RUNNING_SHARE = 0.5


def is_prose_frame(rows: Sequence[Sequence[str | None]]) -> bool:
    """True for a grid whose rows are lines of running text rather than records."""
    filled = [cells for cells in ([c for c in row if c and c.strip()] for row in rows) if cells]
    single = [cells[0] for cells in filled if len(cells) == 1]
    if len(filled) < 3 or len(single) < PROSE_FRAME_SINGLE_CELL_SHARE * len(filled):
        return False
    if sum(len(c.split()) for c in single) < PROSE_FRAME_MIN_WORDS_PER_CELL * len(single):
        return False
    # lines of one text run on (`... how Member States expect` / `to co-design ...`); records
    # of a table with empty columns each stand alone
    pairs = list(zip(single, single[1:]))
    running = sum(1 for a, b in pairs if b.lstrip()[:1].islower() or a.rstrip()[-1:] not in ".!?:;")
    return running >= PROSE_FRAME_RUNNING_SHARE * len(pairs)


# A grid whose cell edges run through words, or that bleeds off the page with most cells empty,
# is drawing, not a table: designed covers tile the page with filled rectangles that
# pdfplumber's finder reads as cells (`OSPOlo | gy`), slides frame their text with a background.
# A word is cut when it reaches past the cell holding its centre by more than this share of its
# width. (A real table may run off a slide's foot, but its cells are filled.)
CUT_WORD_OVERHANG = 0.2
CUT_WORDS_SHARE = 0.1
OFF_PAGE_SLACK = 2.0
OFF_PAGE_FILLED_SHARE = 0.5
DUPLICATE_CELL_CHARS = 20
LAYOUT_CELL_SHARE = 0.3  # a cell this share of the page that overlaps another: a slide's box, not a table


def is_drawing(boxes: Sequence[Sequence[Box | None]], bbox: Box, page_box: Box, words: Sequence[Word]) -> bool:
    """True when a found grid is a drawing (a tiled background, a logo, a slide's boxes drawn
    over one another), not a table."""
    cells = [c for row in boxes for c in row if c]
    page_area = (page_box[2] - page_box[0]) * (page_box[3] - page_box[1])
    if _overlapping(cells, LAYOUT_CELL_SHARE * page_area):
        return True  # a table's cells tile its box; a slide's box drawn over other boxes is a layout
    if (bbox[0] < page_box[0] - OFF_PAGE_SLACK or bbox[1] < page_box[1] - OFF_PAGE_SLACK
            or bbox[2] > page_box[2] + OFF_PAGE_SLACK or bbox[3] > page_box[3] + OFF_PAGE_SLACK):
        if sum(1 for c in cells if any(inside(w, [c]) for w in words)) < OFF_PAGE_FILLED_SHARE * len(cells):
            return True
    held = cut = 0
    filled: set[int] = set()
    for w in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        holding = [c for c in cells if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]]
        if not holding:
            continue
        filled.update(id(c) for c in holding)  # boxes drawn over boxes: a word fills each
        cell = holding[0]
        held += 1
        slack = max(2.0, CUT_WORD_OVERHANG * (w.x1 - w.x0))
        if w.x0 < cell[0] - slack or w.x1 > cell[2] + slack:
            cut += 1
    if len(filled) <= 1:
        return True  # one box with text in it (a slide's title frame) is no table
    return cut > 0 and cut >= CUT_WORDS_SHARE * held


def _overlapping(cells: list[Box], min_area: float, slack: float = 2.0) -> bool:
    """Whether a cell of at least `min_area` shares more than a border with another cell
    (sweep over left edges)."""
    def area(c: Box) -> float:
        return (c[2] - c[0]) * (c[3] - c[1])

    order = sorted(cells)
    for i, a in enumerate(order):
        for b in order[i + 1:]:
            if b[0] >= a[2] - slack:
                break
            if min(a[3], b[3]) - max(a[1], b[1]) > slack and min(a[2], b[2]) - max(a[0], b[0]) > slack \
                    and max(area(a), area(b)) >= min_area:
                return True
    return False


def frame_lines(words: list[Word], boxes: Sequence[Sequence[Box | None]], bbox: Box, page: int) -> list[Line]:
    """The text of a prose frame, column by column (its label column, then its text column),
    each column's words grouped into lines as on a page."""
    # a column starts where most rows have a cell starting (merged cells add starts of their own)
    counts: dict[float, int] = {}
    for row in boxes:
        for x in {round(c[0], 1) for c in row if c} - {round(bbox[0], 1)}:
            counts[x] = counts.get(x, 0) + 1
    starts = sorted(x for x, n in counts.items() if n >= len(boxes) / 2)
    mine = [w for w in words if inside(w, [bbox])]
    lines: list[Line] = []
    for column in range(len(starts) + 1):
        words_here = [w for w in mine if sum(1 for b in starts if (w.x0 + w.x1) / 2 > b) == column]
        lines.extend(Line(page, row) for row in group_rows(words_here))
    return lines


def place_frame(lines: list[Line], frame: list[Line], bbox: Box) -> list[Line]:
    """Put a frame's lines before the first line below its top in the same column."""
    x0, top, x1, _ = bbox
    at = next((i for i, l in enumerate(lines) if l.top >= top and l.x0 < x1 and l.x1 > x0), len(lines))
    return lines[:at] + frame + lines[at:]


def table_lines(rows: Sequence[Sequence[str | None]], boxes: Sequence[Sequence[Box | None]], bbox: Box,
                page: int, links: list) -> list[Line]:
    """One Line per non-empty row; link annotations inside a cell point at that cell's text."""
    lines = []
    x0, top, x1, bottom = bbox
    height = (bottom - top) / max(1, len(rows))
    seen: dict[str, int] = {}  # a long cell's text -> its column
    for i, row in enumerate(rows):
        cells = [re.sub(r"\s+", " ", clean_word(c or "")[0]).strip() for c in row]
        if not any(cells):
            continue
        filled = [(j, c) for j, c in enumerate(cells) if c]
        if all(len(c) >= DUPLICATE_CELL_CHARS and c in seen and seen[c] != j for j, c in filled):
            # a box drawn inside another box: the same long text again, in another column (a
            # table may repeat a value in its own column: that row stays)
            continue
        for j, c in filled:
            seen.setdefault(c, j)
        text = " | ".join(c for c in cells if c)
        row_links, pos = [], 0
        for j, cell in enumerate(cells):
            if not cell:
                continue
            box = boxes[i][j] if i < len(boxes) and j < len(boxes[i]) else None
            for url, lx0, ltop, lx1, lbottom in links:
                if box and box[0] <= (lx0 + lx1) / 2 <= box[2] and box[1] <= (ltop + lbottom) / 2 <= box[3]:
                    row_links.append((url, pos, pos + len(cell)))
            pos += len(cell) + 3
        anchor = Word(" ", x0, x1, top + i * height, top + (i + 1) * height, 0.0)
        lines.append(Line(page, [anchor], text=text, cells=cells, header=(i == 0), links=row_links))
    return lines


def place_tables(lines: list[Line]) -> list[Line]:
    """Put each table row before the first text line below it in the same column."""
    out = [l for l in lines if l.cells is None]
    for row in sorted((l for l in lines if l.cells is not None), key=lambda l: l.top):
        at = next((i for i, l in enumerate(out) if l.cells is None and l.top >= row.top
                   and l.x0 < row.x1 and l.x1 > row.x0), len(out))
        while at < len(out) and out[at].cells is not None and out[at].top < row.top:
            at += 1
        out.insert(at, row)
    return out


def inside(word: Word, boxes: list[Box]) -> bool:
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


# -- tables from drawn edges (the PDFium engine) ---------------------------------------------

def edge(x0: float, top: float, x1: float, bottom: float) -> dict | None:
    """A pdfplumber edge for an axis-parallel segment (None for a slanted one)."""
    width, height = abs(x1 - x0), abs(bottom - top)
    if width > 1 and height > 1:
        return None
    x0, x1 = min(x0, x1), max(x0, x1)
    top, bottom = min(top, bottom), max(top, bottom)
    orientation = "h" if height <= 1 else "v"
    if orientation == "h":
        top = bottom = (top + bottom) / 2
    else:
        x0 = x1 = (x0 + x1) / 2
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}


class _EdgePage:
    """What pdfplumber's TableFinder reads of a page with the "lines" strategies."""

    def __init__(self, edges: list[dict], bbox: Box) -> None:
        self.edges = edges
        self.bbox = bbox


def grid_tables(edges: list[dict], bbox: Box, words: list[Word]) -> list[tuple[list[list[str | None]],
                                                                               list[list[Box | None]], Box]]:
    """Ruled tables found from `edges`: (cell texts per row, cell boxes per row, table box).
    A cell's text is the words whose centre lies in it, line by line."""
    if sum(e["orientation"] == "v" for e in edges) < 2 or sum(e["orientation"] == "h" for e in edges) < 2:
        return []  # no cell can close (rules under headings, link underlines): no table finder needed
    from pdfplumber.table import TableFinder

    found = []
    for table in TableFinder(_EdgePage(edges, bbox)).tables:
        rows = table.rows
        if not rows or len(rows[0].cells) < 2:
            continue
        boxes = [list(r.cells) for r in rows]
        texts = [[_cell_text(cell, words) if cell else None for cell in row] for row in boxes]
        found.append((texts, boxes, table.bbox))
    return found


def _cell_text(cell: Box, words: list[Word]) -> str:
    mine = [w for w in words if inside(w, [cell])]
    return "\n".join(" ".join(w.text for w in row) for row in group_rows(mine))
