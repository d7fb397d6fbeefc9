"""PowerPoint (.pptx) reader on python-pptx, after the same container check as DOCX (`zipsafe`).

Each slide is a page: its title is a level-1 heading, body placeholders' paragraphs are list
items at their indent level (bulleted text boxes too, numbered when auto-numbered), other
text boxes give paragraphs, tables are read row by row, group shapes are opened, shapes are
read top to bottom then left to right, links on runs and on shapes are kept, and the speaker
notes follow the slide as paragraphs. Dates, footers and slide numbers are furniture, not read.
The core properties (title, author) are metadata fallbacks.
"""
from __future__ import annotations

from pathlib import Path

from .. import text as T
from ..errors import ReportError
from ..model import HEADING, LIST_ITEM
from .builder import DocumentBuilder, add_table_row, locate_links
from .lines import add_paragraph_lines
from .zipsafe import OoxmlPackage, check_ooxml

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _pptx_xml_types() -> set[str]:
    from pptx.opc.package import PartFactory, XmlPart

    return {ct for ct, cls in PartFactory.part_type_for.items() if issubclass(cls, XmlPart)}


PPTX_PACKAGE = OoxmlPackage("PPTX", "a PowerPoint presentation", "ppt/presentation.xml", "unreadable_pptx",
                            _pptx_xml_types)


def read_pptx(path: Path, source: str, builder: DocumentBuilder) -> tuple[int, dict[str, str], list[str]]:
    """Fill `builder`; returns (slides, metadata fallbacks, warnings). A shape python-pptx
    cannot read (no geometry, an ink content part) is left out and counted in the warnings."""
    package = check_ooxml(path, source, PPTX_PACKAGE)
    import pptx

    try:
        deck = pptx.Presentation(package)
        slides = list(deck.slides)
    except Exception as exc:  # noqa: BLE001 - python-pptx/lxml raise many kinds
        raise ReportError("unreadable_pptx", f"{source}: the PPTX cannot be parsed ({type(exc).__name__}: {exc})")
    del package
    reader = _SlideReader(builder)
    for number, slide in enumerate(slides, start=1):
        try:
            reader.slide(slide, number)
        except Exception as exc:  # noqa: BLE001 - the slide's own parts (layout, notes) broken
            reader.skipped.append(f"slide {number} ({type(exc).__name__}: {exc})")
    try:
        props = deck.core_properties
        meta = {k: T.clean_line(v) for k, v in (("title", props.title), ("author", props.author))
                if v and v.strip()}
    except Exception:  # noqa: BLE001 - a broken core properties part: no metadata from it
        meta = {}
    warnings = [f"{len(reader.skipped)} part(s) of the deck could not be read and were left out: "
                f"{'; '.join(reader.skipped[:3])}"] if reader.skipped else []
    return len(slides), meta, warnings


class _SlideReader:
    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.skipped: list[str] = []  # shapes or slides python-pptx could not read

    def slide(self, slide, page: int) -> None:
        from pptx.enum.shapes import PP_PLACEHOLDER

        self.page = page
        furniture = {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.HEADER}
        titles = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE}
        bodies = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.VERTICAL_BODY,
                  PP_PLACEHOLDER.VERTICAL_OBJECT}
        shapes = self.readable_shapes(slide)
        title = next((s for s in shapes if _placeholder(s) in titles and s.has_text_frame), None)
        if title is not None:
            text = T.clean_line(" ".join(" ".join(_lines(p, [])[0]) for p in title.text_frame.paragraphs))
            if text:
                self.builder.add(HEADING, [text], level=1, page=page)
        for shape in _reading_order(shapes):
            if shape is title or _placeholder(shape) in furniture:
                continue
            self.shape(shape, body=_placeholder(shape) in bodies)
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None:
                for paragraph in notes.paragraphs:
                    lines, links = _lines(paragraph, [])
                    lines = [T.clean_line(x) for x in lines]
                    if any(lines):
                        add_paragraph_lines(self.builder, lines, links=locate_links(lines, links),
                                            section_level=1, page=page)

    def readable_shapes(self, slide) -> list:
        """The slide's shapes, each built on its own: python-pptx builds them all at once and one
        element it does not know (an ink `p:contentPart`) would lose the whole slide."""
        from pptx.shapes.shapetree import SlideShapeFactory

        tree = slide.shapes
        shapes = []
        for element in tree._spTree.iter_shape_elms():  # noqa: SLF001 - no public per-element API
            try:
                shapes.append(SlideShapeFactory(element, tree))
            except Exception as exc:  # noqa: BLE001
                self.skipped.append(f"slide {self.page}: a {element.tag.rsplit('}', 1)[-1]} "
                                    f"({type(exc).__name__})")
        return shapes

    def shape(self, shape, body: bool) -> None:
        try:
            self._shape(shape, body)
        except Exception as exc:  # noqa: BLE001 - one odd shape never loses the deck
            self.skipped.append(f"slide {self.page}: a shape ({type(exc).__name__}: {exc})")

    def _shape(self, shape, body: bool) -> None:
        from pptx.shapes.group import GroupShape

        if isinstance(shape, GroupShape):
            for child in _reading_order(list(shape.shapes)):
                self.shape(child, body=False)
            return
        if getattr(shape, "has_table", False) and shape.has_table:
            self.table(shape.table)
            return
        if not getattr(shape, "has_text_frame", False) or not shape.has_text_frame:
            return
        shape_link = _shape_link(shape)
        for paragraph in shape.text_frame.paragraphs:
            lines, links = _lines(paragraph, [])
            lines = [T.clean_line(x) for x in lines]
            if not any(lines):
                continue
            if shape_link:
                links.append((shape_link, " ".join(lines)))
            links = locate_links(lines, links)
            bullet = _bullet(paragraph)
            if bullet == "none" or (not body and bullet is None):
                add_paragraph_lines(self.builder, lines, links=links, section_level=1, page=self.page)
            else:
                self.builder.add(LIST_ITEM, [x for x in lines if x], depth=paragraph.level,
                                 ordered=bullet == "number", page=self.page, links=links)

    def table(self, table) -> None:
        for i, row in enumerate(table.rows):
            cells, links = [], []
            for cell in row.cells:
                if cell.is_spanned:  # covered by a merged cell
                    cells.append("")
                    continue
                parts = []
                for paragraph in cell.text_frame.paragraphs:
                    lines, plinks = _lines(paragraph, [])
                    parts.append(" ".join(T.clean_line(x) for x in lines if x.strip()))
                    links.extend(u for u, _ in plinks)
                cells.append(T.clean_line(" ".join(x for x in parts if x)))
            add_table_row(self.builder, cells, links, header=i == 0, page=self.page)


def _placeholder(shape):
    try:
        if not shape.is_placeholder:
            return None
        return shape.placeholder_format.type
    except (ValueError, AttributeError):  # a placeholder element without its format, a content part
        return None


def _reading_order(shapes: list) -> list:
    """Top to bottom, then left to right (shapes without a position keep their order)."""
    def key(item):
        index, shape = item
        try:
            top, left = shape.top, shape.left
        except (AttributeError, NotImplementedError, ValueError):  # a part without a position
            top = left = None
        return (top if top is not None else 0, left if left is not None else 0, index)
    return [s for _, s in sorted(enumerate(shapes), key=key)]


def _lines(paragraph, links: list) -> tuple[list[str], list[tuple[str, str]]]:
    """A paragraph's lines (a:br splits them) and its run links (url, words)."""
    lines = [""]
    for child in paragraph._p.iterchildren():
        if child.tag == _A + "br":
            lines.append("")
        elif child.tag in (_A + "r", _A + "fld"):
            text = "".join(t.text or "" for t in child.iterchildren(_A + "t"))
            lines[-1] += text
            if child.tag == _A + "r":
                url = _run_link(paragraph, child)
                if url:
                    links.append((url, text))
    return lines, links


def _run_link(paragraph, r) -> str | None:
    from pptx.text.text import _Run

    try:
        url = _Run(r, paragraph).hyperlink.address
    except (KeyError, AttributeError):  # a link id with no relationship
        return None
    return url if url and not url.startswith(("#", "mailto:")) else None


def _shape_link(shape) -> str | None:
    try:
        url = shape.click_action.hyperlink.address
    except (KeyError, AttributeError, ValueError):
        return None
    return url if url and not url.startswith(("#", "mailto:")) else None


def _bullet(paragraph) -> str | None:
    """`bullet`, `number`, `none` as the paragraph's own properties say; None when they say
    nothing (the placeholder's list style decides)."""
    ppr = paragraph._p.pPr
    if ppr is None:
        return None
    if ppr.find(_A + "buNone") is not None:
        return "none"
    if ppr.find(_A + "buAutoNum") is not None:
        return "number"
    if ppr.find(_A + "buChar") is not None or ppr.find(_A + "buBlip") is not None:
        return "bullet"
    return None
