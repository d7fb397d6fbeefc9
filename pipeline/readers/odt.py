"""OpenDocument text (.odt) reader: the standard library's zipfile and lxml, behind the same
container limits as DOCX (`zipsafe`: bombs, entity declarations, compression methods).

`text:h` and paragraphs in a heading or title style give headings with their outline level,
`text:list` nesting gives list items and their depth (numbered when the list's style numbers
that level), tables are read row by row (covered cells of a merge left empty), `text:a` keeps
its target behind its words, soft page breaks count pages, footnote texts follow their
paragraph, and meta.xml's title and creator are metadata fallbacks.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from .. import text as T
from ..errors import ReportError
from ..model import HEADING, LIST_ITEM
from .builder import DocumentBuilder, add_table_row, locate_links
from .lines import add_paragraph_lines
from .zipsafe import Budget, checked_members, safe_xml_parser

_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_XLINK = "http://www.w3.org/1999/xlink"
_DC = "http://purl.org/dc/elements/1.1/"
_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
_HEADING_STYLE = re.compile(r"^(?:heading|titre|überschrift|título|titolo)(?:_20_|\s+)?(\d)$", re.IGNORECASE)


MAX_SPACES = 1000  # a `text:s text:c` count above this is taken as this (a 740-byte file asked for 300 MB)


def _t(name: str) -> str:
    return "{" + _TEXT + "}" + name


def _int(value: str | None, default: int) -> int:
    """An attribute as a number; `default` when it is none (`x`, `²`, empty)."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def read_odt(path: Path, source: str, builder: DocumentBuilder) -> tuple[int | None, dict[str, str]]:
    """Fill `builder`; returns (pages, metadata fallbacks)."""
    content, meta, styles = _parts(path, source)
    from lxml import etree

    try:
        root = etree.fromstring(content, safe_xml_parser())
        meta_root = etree.fromstring(meta, safe_xml_parser()) if meta else None
        styles_root = etree.fromstring(styles, safe_xml_parser()) if styles else None
    except etree.XMLSyntaxError as exc:
        raise ReportError("unreadable_odt", f"{source}: the ODT's XML cannot be parsed ({exc})")
    body = root.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
    if body is None:
        raise ReportError("unreadable_odt", f"{source}: not a text document (no office:text body)")
    reader = _OdtReader(builder, _StyleInfo([r for r in (styles_root, root) if r is not None]))
    reader.container(body)
    fallback: dict[str, str] = {}
    pages = reader.page  # 1 + the soft page breaks, unless meta.xml counts more
    if meta_root is not None:
        title = meta_root.findtext(f".//{{{_DC}}}title")
        author = meta_root.findtext(f".//{{{_DC}}}creator") or meta_root.findtext(f".//{{{_META}}}initial-creator")
        fallback = {k: T.clean_line(v) for k, v in (("title", title), ("author", author)) if v and v.strip()}
        stats = meta_root.find(f".//{{{_META}}}document-statistic")
        count = _int(stats.get(f"{{{_META}}}page-count") if stats is not None else None, 0)
        if count >= pages:
            pages = count
    return pages, fallback


def _parts(path: Path, source: str) -> tuple[bytes, bytes | None, bytes | None]:
    """content.xml, meta.xml and styles.xml, each inflated and checked (zipsafe)."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = checked_members(zf, source, "ODT")
            if "content.xml" not in members:
                raise ReportError("unreadable_odt", f"{source}: not an OpenDocument file (no content.xml)")
            budget = Budget(source, "unreadable_odt")
            content = budget.read(zf, members["content.xml"])
            meta = budget.read(zf, members["meta.xml"]) if "meta.xml" in members else None
            styles = budget.read(zf, members["styles.xml"]) if "styles.xml" in members else None
            return content, meta, styles
    except zipfile.BadZipFile as exc:
        raise ReportError("unreadable_odt", f"{source}: not a valid ODT/ZIP file ({exc})")
    except (NotImplementedError, RuntimeError, EOFError, zlib.error) as exc:
        raise ReportError("unreadable_odt", f"{source}: cannot unpack the ODT ({exc})")
    except OSError as exc:
        raise ReportError("unreadable_odt", f"{source}: cannot read the ODT ({exc})")


class _StyleInfo:
    """Paragraph styles that are headings (by name, or by an automatic style's parent) and
    list styles whose levels are numbered."""

    def __init__(self, roots) -> None:
        self.parent: dict[str, str] = {}
        self.outline: dict[str, int] = {}
        self.numbered: dict[str, set[int]] = {}
        for root in roots:
            for style in root.iter(f"{{{_STYLE}}}style"):
                name = style.get(f"{{{_STYLE}}}name", "")
                self.parent[name] = style.get(f"{{{_STYLE}}}parent-style-name", "")
                level = _int(style.get(f"{{{_STYLE}}}default-outline-level"), 0)
                if level > 0:
                    self.outline[name] = min(level, 10)
            for style in root.iter(_t("list-style")):
                name = style.get(f"{{{_STYLE}}}name", "")
                self.numbered[name] = {_int(lv.get(_t("level")), 1) for lv in style.iter(_t("list-level-style-number"))}

    def heading_level(self, name: str) -> int:
        for _ in range(8):  # an automatic style names its parent; no loop runs forever
            if not name:
                return 0
            if name.lower() == "title":
                return 1
            if name in self.outline:
                return self.outline[name]
            m = _HEADING_STYLE.match(name)
            if m:
                return int(m.group(1))
            name = self.parent.get(name, "")
        return 0


class _OdtReader:
    def __init__(self, builder: DocumentBuilder, styles: _StyleInfo) -> None:
        self.builder = builder
        self.styles = styles
        self.page = 1
        self.section_level = 0

    def container(self, element, depth: int = -1, list_style: str = "") -> None:
        """Blocks of a body, section, list item, cell-less frame: in document order."""
        for child in element:
            tag = child.tag
            if tag == _t("h") or tag == _t("p"):
                self.paragraph(child, depth, list_style)
            elif tag == _t("list"):
                self.container_list(child, depth + 1, child.get(_t("style-name")) or list_style)
            elif tag == f"{{{_TABLE}}}table":
                self.table(child)
            elif tag == _t("soft-page-break"):
                self.page += 1
            elif tag in (_t("section"), _t("index-body"), f"{{{_TABLE}}}table-header-rows"):
                self.container(child, depth, list_style)
            elif tag in (_t("table-of-content"), _t("alphabetical-index"), _t("illustration-index")):
                body = child.find(_t("index-body"))
                if body is not None:
                    self.container(body, depth, list_style)

    def container_list(self, element, depth: int, list_style: str) -> None:
        for item in element:
            if item.tag in (_t("list-item"), _t("list-header")):
                self.container(item, depth, list_style)

    def paragraph(self, element, depth: int, list_style: str) -> None:
        lines, links, notes, frames = [""], [], [], []
        self.inline(element, lines, links, notes, frames)
        lines = [T.clean_line(x) for x in lines]
        links = locate_links(lines, links)
        level = 0
        if element.tag == _t("h"):
            level = min(max(_int(element.get(_t("outline-level")), 1), 1), 10)
        else:
            level = self.styles.heading_level(element.get(_t("style-name"), ""))
        if any(lines):
            if level and depth < 0:
                self.builder.add(HEADING, [" ".join(x for x in lines if x)], level=level, page=self.page, links=links)
                self.section_level = level
            elif depth >= 0:
                ordered = (depth + 1) in self.styles.numbered.get(list_style, set())
                self.builder.add(LIST_ITEM, [x for x in lines if x] or lines, depth=depth, ordered=ordered,
                                 page=self.page, links=links)
            else:
                add_paragraph_lines(self.builder, lines, links=links, section_level=self.section_level,
                                    page=self.page)
        for note in notes:  # a footnote's text after its paragraph, never inside its sentence
            self.container(note)
        for frame in frames:
            self.container(frame)

    def inline(self, element, lines: list[str], links: list, notes: list, frames: list) -> None:
        if element.text:
            lines[-1] += element.text
        for child in element:
            tag = child.tag
            if tag == _t("s"):
                lines[-1] += " " * min(max(_int(child.get(_t("c")), 1), 1), MAX_SPACES)
            elif tag == _t("tab"):
                lines[-1] += " "
            elif tag == _t("line-break"):
                lines.append("")
            elif tag == _t("soft-page-break"):
                self.page += 1
            elif tag == _t("note"):
                body = child.find(_t("note-body"))
                if body is not None:
                    notes.append(body)
            elif tag == f"{{{_DRAW}}}frame":
                box = child.find(f"{{{_DRAW}}}text-box")
                if box is not None:
                    frames.append(box)
            elif tag == _t("a"):
                start = len(lines[-1])
                self.inline(child, lines, links, notes, frames)
                url = child.get(f"{{{_XLINK}}}href", "")
                if url and not url.startswith(("#", "mailto:")):
                    links.append((url, lines[-1][start:]))
            elif tag in (_t("span"), _t("bookmark-ref"), _t("reference-ref"), _t("sequence"), _t("date"),
                         _t("time"), _t("page-number"), _t("title"), _t("author-name"), _t("chapter")):
                self.inline(child, lines, links, notes, frames)
            # bookmarks, change marks, annotations, images: no text of the report
            if child.tail:
                lines[-1] += child.tail

    def table(self, element) -> None:
        first = True
        for row, in_header in _own_rows(element):
            header = in_header or first
            first = False
            cells, links, nested = [], [], []
            for cell in row:
                if cell.tag == f"{{{_TABLE}}}covered-table-cell":
                    cells.append("")
                    continue
                if cell.tag != f"{{{_TABLE}}}table-cell":
                    continue
                parts = []
                for p in _cell_paragraphs(cell):
                    lines, plinks = [""], []
                    self.inline(p, lines, plinks, [], [])
                    parts.append(" ".join(T.clean_line(x) for x in lines if x.strip()))
                    links.extend(u for u, _ in plinks)
                cells.append(T.clean_line(" ".join(x for x in parts if x)))
                nested.extend(_cell_tables(cell))
            add_table_row(self.builder, cells, links, header=header, page=self.page)
            for inner in nested:  # a table inside a cell: its rows after the row holding it
                self.table(inner)


def _own_rows(table):
    """(row, in a header group) for the rows of `table` itself, in order: directly inside it or in
    its row groups, never those of a table nested in a cell."""
    groups = {f"{{{_TABLE}}}table-header-rows": True, f"{{{_TABLE}}}table-rows": False,
              f"{{{_TABLE}}}table-row-group": False}
    for child in table:
        if child.tag == f"{{{_TABLE}}}table-row":
            yield child, False
        elif child.tag in groups:
            for row, header in _own_rows(child):
                yield row, header or groups[child.tag]


def _cell_paragraphs(element):
    """The paragraphs and headings of a cell, lists included, not those of a nested table."""
    for child in element:
        if child.tag in (_t("p"), _t("h")):
            yield child
        elif child.tag != f"{{{_TABLE}}}table":
            yield from _cell_paragraphs(child)


def _cell_tables(element):
    """The tables inside a cell, not those nested in them (each reads its own)."""
    for child in element:
        if child.tag == f"{{{_TABLE}}}table":
            yield child
        else:
            yield from _cell_tables(child)
