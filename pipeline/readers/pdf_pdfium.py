"""A second PDF engine on pypdfium2 (`--pdf-engine pdfium`): PDFium's text page API.

Characters with their boxes, font size and weight come from PDFium's text page, link
annotations from its link API; words are built from them and handed to the same
`layout.py` as the pdfplumber engine, so both give the same document model. Ruled
tables come from the page's path segments, through the table finder the pdfplumber
engine uses (`tables.py`).
"""
from __future__ import annotations

import ctypes
import math
import re
from pathlib import Path

from ..errors import ReportError
from .builder import DocumentBuilder
from .layout import Word, attach_links, clean_word, is_bold_font, join_size_changes, read_page
from .layout_settings import DEFAULT_SETTINGS, LayoutSettings
from .ocr import apply_ocr
from .pdf import PageCounts, _metadata_from, diagnose_text_layer, finish_pages
from .tables import is_drawing, edge, frame_lines, grid_tables, inside, is_prose_frame, place_frame, place_tables, table_lines

# a run of non-space characters; a hyphen mark ends one (the next line follows it directly)
_RUN = re.compile("[^ \t\r\n\u00a0\x02\ufffe]+[\x02\ufffe]?|[\x02\ufffe]")
_LETTER_DIGIT = re.compile(r"[^\W\d_]\d")  # a run where a raised number may follow a word
_HYPHENS_TO_DASH = str.maketrans({"\x02": "-", "\ufffe": "-"})  # PDFium's marks for a line-end hyphen


def read_pdf_pdfium(path: Path, source: str, builder: DocumentBuilder, *, password: str | None,
                    settings: LayoutSettings = DEFAULT_SETTINGS, ocr=None) -> tuple[int, dict[str, str], list[str]]:
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
        pages, heights = [], []
        counts = PageCounts(pages=count)
        for number in range(1, count + 1):
            page = doc[number - 1]
            try:
                words, page_chars = _words(page, raw, settings)
                words = join_size_changes(words, settings)
                counts.chars += page_chars
                if not page_chars and _has_images(page, raw):
                    counts.image_only.append(number)
                links = _links(doc, page, raw)
                edges = _edges(page, raw)
                page_box = (0, 0, page.get_width(), page.get_height())
                tables = grid_tables(edges, page_box, words) if edges else []
                tables = [t for t in tables if not is_drawing(t[1], t[2], page_box, words)]
                frames = [t for t in tables if is_prose_frame(t[0])]
                tables = [t for t in tables if not is_prose_frame(t[0])]
                if tables or frames:
                    boxes = [bbox for _, _, bbox in tables + frames]
                    framed = [w for w in words if inside(w, [bbox for _, _, bbox in frames])]
                    words = [w for w in words if not inside(w, boxes)]
                lines = read_page(words, number, settings)
                for rows, cells, bbox in tables:
                    lines.extend(table_lines(rows, cells, bbox, number, links))
                if tables:
                    lines = place_tables(lines)
                for _, cells, bbox in frames:
                    lines = place_frame(lines, frame_lines(framed, cells, bbox, number), bbox)
                attach_links(lines, links)
                for line in lines:
                    line.release()
                pages.append(lines)
                heights.append(page.get_height())
                counts.landscape += page.get_width() > page.get_height()
            finally:
                page.close()
    finally:
        doc.close()
    if ocr is not None:
        apply_ocr(path, source, password, pages, heights, counts, warnings, ocr, settings)
    diagnose_text_layer(path, source, counts, warnings)
    finish_pages(pages, heights, counts, warnings, settings, builder, meta)
    return count, meta, warnings


def _has_images(page, raw) -> bool:
    get_object, get_type, image = raw.FPDFPage_GetObject, raw.FPDFPageObj_GetType, raw.FPDF_PAGEOBJ_IMAGE
    return any(get_type(get_object(page.raw, k)) == image for k in range(raw.FPDFPage_CountObjects(page.raw)))


def _words(page, raw, settings: LayoutSettings = DEFAULT_SETTINGS) -> tuple[list[Word], int]:
    """Words from PDFium's text: the runs between white space (PDFium writes a space where
    letters stand apart and a line break between lines), boxed by their first and last
    characters, with the size and weight of the first. Five or six calls per word instead of
    three or four per character keep the engine fast. A run whose ends do not sit on one
    baseline (`x₁`, `m²`, a run across a line break) is split character by character."""
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        if n <= 0:
            return [], 0
        text = textpage.get_text_range(0, n)[:n]
        height = page.get_height()
        rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        ref, matrix_ref = ctypes.byref(rect), ctypes.byref(matrix)
        tp = textpage.raw
        get_matrix = raw.FPDFText_GetMatrix
        loose_box, font_size, font_weight = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize, \
            raw.FPDFText_GetFontWeight

        def box(i: int) -> tuple[float, float, float, float] | None:
            """left, right, top, bottom of character i, top-down."""
            if not loose_box(tp, i, ref):
                return None
            return rect.left, rect.right, height - rect.top, height - rect.bottom

        def size_at(i: int) -> float:
            """The size the character is drawn at: PDFium's font size is the one set in the
            text state (often 1), the text matrix scales it (as pdfminer's size does)."""
            size = font_size(tp, i)
            if get_matrix(tp, i, matrix_ref):
                scale = math.hypot(matrix.c, matrix.d)
                if scale > 0:  # a degenerate matrix draws nothing visible: keep the set size
                    size *= scale
            return size

        def add(a: int, b: int, first, last, size: float) -> None:
            cleaned, _ = clean_word(plain[a:b])
            if cleaned.strip():
                words.append(Word(cleaned, first[0], last[1] if last[1] > first[1] else first[1],
                                  first[2] if first[2] < last[2] else last[2],
                                  first[3] if first[3] > last[3] else last[3],
                                  size, bold_at(a)))

        name_buffer, flags = ctypes.create_string_buffer(128), ctypes.c_int()

        def bold_at(i: int) -> bool:
            """PDFium's weight, or for a font that states none (a standard font such as
            Helvetica-Bold, not embedded: weight 0) its name."""
            weight = font_weight(tp, i)
            if weight >= 600 or 0 < weight < 500:
                return weight >= 600
            # no weight stated, or a medium one (LMRoman10-Bold states 570): the name decides
            if raw.FPDFText_GetFontInfo(tp, i, name_buffer, len(name_buffer), ctypes.byref(flags)) <= 0:
                return False
            return is_bold_font(name_buffer.value.decode("latin-1", "replace"))

        words: list[Word] = []
        rotated: list[int] = []  # indexes into words of runs not drawn upright
        plain = text.translate(_HYPHENS_TO_DASH)  # same length: offsets still index characters
        gap_ratio = settings.word_gap_ratio
        for m in _RUN.finditer(text):
            a, b = m.span()
            first = box(a)
            if first is None:
                continue
            nominal = font_size(tp, a)
            size = size_at(a)  # reads the character's matrix too: a turned baseline has b != 0
            turned = abs(matrix.b) > 0.05 * (abs(matrix.a) + abs(matrix.b))
            before = len(words)
            if b - a == 1:
                add(a, b, first, first, size)
            elif font_size(tp, b - 1) != nominal or _LETTER_DIGIT.search(text, a, b):
                # sizes change inside (`m` + raised `2` + `of`, `results3`): read character by character
                _split_run(a, b, box, size_at, add)
            else:
                # PDFium writes no space where the file has none and the gap is small to it
                # (`ofthe`): cut where the glyphs stand apart, as pdfplumber's words do
                # (the rectangle's fields are read in place: this loop runs for every character)
                start, start_box = a, first
                gap, rise = gap_ratio * size, 0.2 * size
                prev = first
                for i in range(a + 1, b):
                    if not loose_box(tp, i, ref):
                        continue
                    left, top = rect.left, height - rect.top
                    # tops, not bottoms: some fonts' loose boxes reach down with a descender (`g`);
                    # a glyph whose font gives no height (a box around the dot alone) has no top
                    tall = rect.top - rect.bottom
                    if left - prev[1] > gap or (abs(top - prev[2]) > rise and 3 * tall > prev[3] - prev[2]
                                                and 3 * (prev[3] - prev[2]) > tall):
                        add(start, i, start_box, prev, size)
                        start, start_box = i, (left, rect.right, top, height - rect.bottom)
                    prev = (left, rect.right, top, height - rect.bottom)
                add(start, b, start_box, prev, size)
            if turned:
                rotated.extend(range(before, len(words)))
        # shares of characters, as the pdfplumber engine counts: a vertical stamp is one word a glyph
        if rotated and sum(len(words[k].text) for k in rotated) < settings.rotated_share * sum(len(w.text) for w in words):
            # rotated axis labels or a vertical margin stamp; a page drawn rotated keeps them
            drop = set(rotated)
            words = [w for k, w in enumerate(words) if k not in drop]
        return words, sum(len(w.text) for w in words)
    finally:
        textpage.close()


def _split_run(a: int, b: int, box, font_size, add) -> None:
    """Cut a run where the baseline or the font size changes (sub- and superscripts, a line
    break PDFium did not write) and add each piece as a word."""
    start, first, prev, size = a, None, None, 0.0
    for i in range(a, b):
        current = box(i)
        if current is None:
            continue
        c_size = font_size(i)
        if first is None:
            start, first, prev, size = i, current, current, c_size
            continue
        if abs(current[2] - prev[2]) > 0.2 * max(size, c_size) or c_size != size:  # tops: descenders stretch bottoms
            add(start, i, first, prev, size)
            start, first, size = i, current, c_size
        prev = current
    if first is not None:
        add(start, b, first, prev, size)


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
