"""Word (.docx) reader on python-docx, after a safety check of the ZIP container.

Paragraph styles and outline levels give headings, numbering properties give list
items and their level, hyperlinks keep their relationship targets (also behind
anchor text), tables are read row by row, explicit page breaks count pages, and the
core properties (title, author) are metadata fallbacks.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from .. import text as T
from ..errors import ReportError
from ..model import HEADING, LIST_ITEM
from .builder import DocumentBuilder, add_table_row, locate_links
from .lines import add_paragraph_lines
from .zipsafe import MAX_RATIO, MAX_UNCOMPRESSED, OoxmlPackage, check_ooxml  # noqa: F401 (limits re-exported)


def _docx_xml_types() -> set[str]:
    from docx.opc.part import PartFactory, XmlPart

    return {ct for ct, cls in PartFactory.part_type_for.items() if issubclass(cls, XmlPart)}


DOCX_PACKAGE = OoxmlPackage("DOCX", "a Word document", "word/document.xml", "unreadable_docx", _docx_xml_types)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título|titolo|kop)\s*(\d)$", re.IGNORECASE)


def check_container(path: Path, source: str) -> io.BytesIO:
    """A checked, in-memory copy of the DOCX for python-docx (zipsafe.check_ooxml)."""
    return check_ooxml(path, source, DOCX_PACKAGE)


def read_docx(path: Path, source: str, builder: DocumentBuilder) -> tuple[int, dict[str, str]]:
    """Fill `builder`; returns (pages, metadata fallbacks)."""
    package = check_container(path, source)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(package)
    except Exception as exc:  # noqa: BLE001 - python-docx/lxml raise many kinds
        raise ReportError("unreadable_docx", f"{source}: the DOCX cannot be parsed ({type(exc).__name__}: {exc})")
    del package
    reader = _DocxReader(builder)
    for element in document.element.body.iterchildren():
        if element.tag == _W + "p":
            reader.paragraph(Paragraph(element, document))
        elif element.tag == _W + "tbl":
            reader.table(Table(element, document))
    props = document.core_properties
    meta = {k: v for k, v in (("title", props.title), ("author", props.author)) if v and v.strip()}
    return reader.page, meta


class _DocxReader:
    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.page = 1
        self.section_level = 0
        self.has_title = False

    def paragraph(self, p) -> None:
        if _page_break_before(p):
            self.page += 1
        lines, links, breaks_after = _inline(p)
        lines = [T.clean_line(x) for x in lines]
        links = locate_links(lines, links)
        style = (p.style.name if p.style is not None else "") or ""
        level = _heading_level(p, style)
        if any(lines):
            if level:
                text = " ".join(x for x in lines if x)
                if style.lower() == "title":
                    self.has_title = True
                self.builder.add(HEADING, [text], level=level, page=self.page, links=links)
                self.section_level = level
            else:
                depth = _list_depth(p, style)
                if depth is not None:
                    ordered = "number" in style.lower() or _numbered(p)
                    self.builder.add(LIST_ITEM, lines, depth=depth, ordered=ordered, page=self.page, links=links)
                else:
                    bold = _all_bold(p)
                    add_paragraph_lines(self.builder, lines, links=links, bold=bold,
                                        section_level=self.section_level, page=self.page)
        self.page += breaks_after

    def table(self, table) -> None:
        seen: list = []  # cell elements already read: a merged cell repeats across the row
        for i, row in enumerate(table.rows):
            cells, links = [], []
            for cell in row.cells:
                if any(cell._tc is tc for tc in seen):
                    cells.append("")
                    continue
                seen.append(cell._tc)
                parts = []
                for p in cell.paragraphs:
                    lines, plinks, _ = _inline(p)
                    parts.append(" ".join(T.clean_line(x) for x in lines if x.strip()))
                    links.extend(u for u, _ in plinks)
                cells.append(T.clean_line(" ".join(x for x in parts if x)))
            add_table_row(self.builder, cells, links, header=i == 0, page=self.page)


def _inline(p) -> tuple[list[str], list[tuple[str, str]], int]:
    """Lines of a paragraph (soft breaks split lines), its hyperlinks (url, anchor), page breaks."""
    lines, links, breaks = [""], [], 0
    for item in p.iter_inner_content():
        if hasattr(item, "address"):  # Hyperlink
            url = item.address or ""
            text = item.text
            lines[-1] += text
            if url and not url.startswith(("#", "mailto:")):
                links.append((url, text))
            continue
        for child in item._r.iterchildren():
            tag = child.tag
            if tag == _W + "t":
                lines[-1] += child.text or ""
            elif tag == _W + "tab":
                lines[-1] += " "
            elif tag == _W + "br":
                if child.get(_W + "type") == "page":
                    breaks += 1
                else:
                    lines.append("")
            elif tag == _W + "cr":
                lines.append("")
    return lines, links, breaks


def _heading_level(p, style: str) -> int:
    if style.lower() == "title":
        return 1
    m = _HEADING_STYLE.match(style.strip())
    if m:
        return int(m.group(1))
    ppr = p._p.pPr
    if ppr is not None:
        outline = ppr.find(_W + "outlineLvl")
        if outline is not None:
            value = int(outline.get(_W + "val", "9"))
            if value < 9:
                return value + 1
    return 0


def _list_depth(p, style: str) -> int | None:
    ppr = p._p.pPr
    if ppr is not None and ppr.numPr is not None:
        ilvl = ppr.numPr.ilvl
        return int(ilvl.val) if ilvl is not None and ilvl.val is not None else 0
    m = re.match(r"^list (?:bullet|number|paragraph)(?:\s+(\d))?$", style.strip(), re.IGNORECASE)
    if m:
        return int(m.group(1)) - 1 if m.group(1) else 0
    return None


def _numbered(p) -> bool:
    """Best effort: a numbering definition whose level format is a number."""
    try:
        ppr = p._p.pPr
        num_id = ppr.numPr.numId.val
        ilvl = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
        numbering = p.part.numbering_part.element
        num = numbering.num_having_numId(num_id)
        abstract_id = num.abstractNumId.val
        for abstract in numbering.findall(_W + "abstractNum"):
            if abstract.get(_W + "abstractNumId") == str(abstract_id):
                for lvl in abstract.findall(_W + "lvl"):
                    if lvl.get(_W + "ilvl") == str(ilvl):
                        fmt = lvl.find(_W + "numFmt")
                        return fmt is not None and fmt.get(_W + "val") not in ("bullet", "none")
    except Exception:  # noqa: BLE001 - numbering parts vary; a bullet is the safe answer
        return False
    return False


def _page_break_before(p) -> bool:
    ppr = p._p.pPr
    return ppr is not None and ppr.find(_W + "pageBreakBefore") is not None and \
        ppr.find(_W + "pageBreakBefore").get(_W + "val", "true") not in ("0", "false")


def _all_bold(p) -> bool:
    runs = [r for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)
