"""A second PDF engine on pypdfium2 (`--pdf-engine pdfium`): PDFium's text page API.

Characters with their boxes, font size and weight come from PDFium's text page, link
annotations from its link API; words are built from them and handed to the same
`layout.py` as the pdfplumber engine, so both give the same document model. Ruled
tables come from the page's path segments, through the table finder the pdfplumber
engine uses (`tables.py`).
"""
from __future__ import annotations

import ctypes
import re
from pathlib import Path

from ..errors import ReportError
from .builder import DocumentBuilder
from .layout import BlockAssembler, Word, attach_links, clean_word, read_page, strip_running_lines
from .pdf import OCR_HINT, _metadata_from
from .tables import edge, grid_tables, inside, place_tables, table_lines

# a run of non-space characters; a hyphen mark ends one (the next line follows it directly)
_RUN = re.compile("[^ \t\r\n\u00a0\x02\ufffe]+[\x02\ufffe]?|[\x02\ufffe]")
_HYPHENS_TO_DASH = str.maketrans({"\x02": "-", "\ufffe": "-"})  # PDFium's marks for a line-end hyphen


def read_pdf_pdfium(path: Path, source: str, builder: DocumentBuilder, *, password: str | None,
                    keep_prefixes: set[str], maybe_prefixes: set[str]) -> tuple[int, dict[str, str], list[str]]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        doc = pdfium.PdfDocument(str(path), password=password or None)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise ReportError("encrypted", f"{source}: the PDF is password-protected; give its password with "
                                           "--password (or --passwords FILE)" if not password else
                              f"{source}: the password given does not open this PDF")
        raise ReportError("unreadable_pdf", f"{source}: PDFium cannot open the file ({exc}); re-save or repair "
                                            "it (e.g. qpdf) and retry")
    warnings: list[str] = []
    try:
        count = len(doc)
        if count == 0:
            raise ReportError("empty_document", f"{source}: the PDF has no pages")
        meta = _metadata_from(doc.get_metadata_dict())
        pages, heights, cids, chars = [], [], 0, 0
        for number in range(1, count + 1):
            page = doc[number - 1]
            try:
                words, page_chars = _words(page, raw)
                chars += page_chars
                links = _links(doc, page, raw)
                edges = _edges(page, raw)
                tables = grid_tables(edges, (0, 0, page.get_width(), page.get_height()), words) if edges else []
                if tables:
                    boxes = [bbox for _, _, bbox in tables]
                    words = [w for w in words if not inside(w, boxes)]
                lines = read_page(words, number)
                for rows, cells, bbox in tables:
                    lines.extend(table_lines(rows, cells, bbox, number, links))
                if tables:
                    lines = place_tables(lines)
                attach_links(lines, links)
                for line in lines:
                    line.release()
                pages.append(lines)
                heights.append(page.get_height())
            finally:
                page.close()
    finally:
        doc.close()
    if chars == 0:
        raise ReportError("no_text_layer", f"{source}: {count} page(s) but no text layer (a scan or images); "
                                           f"{OCR_HINT}")
    removed = strip_running_lines(pages, heights)
    if removed:
        warnings.append(f"{removed} running header/footer line(s) removed")
    del cids
    BlockAssembler(pages, keep_prefixes, maybe_prefixes).assemble(builder)
    return count, meta, warnings


def _words(page, raw) -> tuple[list[Word], int]:
    """Words from PDFium's text: the runs between white space (PDFium writes a space where
    letters stand apart and a line break between lines), boxed by their first and last
    characters, with the font size and weight of the first. Four calls per word instead of
    three per character keep the engine fast."""
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        if n <= 0:
            return [], 0
        text = textpage.get_text_range(0, n)[:n]
        height = page.get_height()
        first, last = raw.FS_RECTF(), raw.FS_RECTF()
        first_ref, last_ref = ctypes.byref(first), ctypes.byref(last)
        tp = textpage.raw
        loose_box, font_size, font_weight = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize, \
            raw.FPDFText_GetFontWeight
        words: list[Word] = []
        chars = 0
        plain = text.translate(_HYPHENS_TO_DASH)  # same length: offsets still index characters
        for m in _RUN.finditer(text):
            a, b = m.span()
            if not loose_box(tp, a, first_ref) or not loose_box(tp, b - 1, last_ref):
                continue
            cleaned, _ = clean_word(plain[a:b])
            if not cleaned.strip():
                continue
            f_top, f_bottom, l_top, l_bottom = first.top, first.bottom, last.top, last.bottom
            top = height - (f_top if f_top > l_top else l_top)
            bottom = height - (f_bottom if f_bottom < l_bottom else l_bottom)
            right = last.right
            if bottom - top > 3 * (f_top - f_bottom):
                # the run crosses lines (no break in the text): box it by its first character
                top, bottom, right = height - f_top, height - f_bottom, first.right
            f_right = first.right
            words.append(Word(cleaned, first.left, right if right > f_right else f_right, top, bottom,
                              font_size(tp, a), font_weight(tp, a) >= 600))
            chars += len(cleaned)
        return words, chars
    finally:
        textpage.close()


def _edges(page, raw) -> list[dict]:
    """The axis-parallel segments of the page's paths (table rules, cell borders), as
    pdfplumber edges in top-down coordinates."""
    height = page.get_height()
    edges: list[dict] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    px, py = ctypes.byref(x), ctypes.byref(y)
    matrix = raw.FS_MATRIX()
    get_object, get_type, path_type = raw.FPDFPage_GetObject, raw.FPDFPageObj_GetType, raw.FPDF_PAGEOBJ_PATH
    # raw calls: most objects are text, and pypdfium2 would wrap each one to filter it
    for k in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = get_object(page.raw, k)
        if get_type(obj) != path_type or not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
            continue
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        start = current = None
        for i in range(raw.FPDFPath_CountSegments(obj)):
            segment = raw.FPDFPath_GetPathSegment(obj, i)
            if not raw.FPDFPathSegment_GetPoint(segment, px, py):
                continue
            point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
            kind = raw.FPDFPathSegment_GetType(segment)
            if kind == raw.FPDF_SEGMENT_LINETO and current is not None:
                edges.append(edge(current[0], current[1], point[0], point[1]))
            if kind == raw.FPDF_SEGMENT_MOVETO:
                start = point
            current = point
            if raw.FPDFPathSegment_GetClose(segment) and start is not None:
                edges.append(edge(current[0], current[1], start[0], start[1]))
                current = start
    return [e for e in edges if e is not None]


def _links(doc, page, raw) -> list[tuple[str, float, float, float, float]]:
    links = []
    height = page.get_height()
    pos, link = ctypes.c_int(0), raw.FPDF_LINK()
    while raw.FPDFLink_Enumerate(page.raw, ctypes.byref(pos), ctypes.byref(link)):
        action = raw.FPDFLink_GetAction(link)
        if not action:
            continue
        size = raw.FPDFAction_GetURIPath(doc.raw, action, None, 0)
        if size <= 0:
            continue
        buffer = ctypes.create_string_buffer(size)
        raw.FPDFAction_GetURIPath(doc.raw, action, buffer, size)
        rect = raw.FS_RECTF()
        if raw.FPDFLink_GetAnnotRect(link, ctypes.byref(rect)):
            url = buffer.value.decode("utf-8", "replace")
            links.append((url, rect.left, height - rect.top, rect.right, height - rect.bottom))
    return links
