"""A second PDF engine on pypdfium2 (`--pdf-engine pdfium`): PDFium's text page API.

Characters with their boxes, font size and weight come from PDFium's text page, link
annotations from its link API; words are built from them and handed to the same
`layout.py` as the pdfplumber engine, so both give the same document model. Ruled
tables are not detected here (their cells read as lines of text).
"""
from __future__ import annotations

import ctypes
from pathlib import Path

from ..errors import ReportError
from .builder import DocumentBuilder
from .layout import BlockAssembler, Word, attach_links, clean_word, read_page, strip_running_lines
from .pdf import OCR_HINT, _metadata_from

_SPACE = " \t\r\n\u00a0"
_HYPHENS = "\x02\ufffe"  # PDFium's marks for a hyphen at a line end (it also drops the line break)


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
                lines = read_page(words, number)
                attach_links(lines, _links(doc, page, raw))
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
    """Words from PDFium's characters: split at white space and at gaps, boxes from font metrics."""
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        if n <= 0:
            return [], 0
        text = textpage.get_text_range(0, n)
        height = page.get_height()
        rect = raw.FS_RECTF()
        ref = ctypes.byref(rect)
        tp = textpage.raw
        loose_box, font_size, font_weight = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize, \
            raw.FPDFText_GetFontWeight
        words: list[Word] = []
        chars: list[str] = []
        x0 = x1 = top = bottom = size = 0.0
        bold = 0

        def flush():
            if chars:
                cleaned, _ = clean_word("".join(chars))
                if cleaned.strip():
                    words.append(Word(cleaned, x0, x1, top, bottom, size, bold * 2 > len(chars)))
                chars.clear()

        for i in range(min(n, len(text))):
            ch = text[i]
            if ch in _HYPHENS:
                ch = "-"
            elif ch in _SPACE:
                flush()
                continue
            if not loose_box(tp, i, ref):
                continue
            c_size = font_size(tp, i)
            c_top, c_bottom = height - rect.top, height - rect.bottom
            if chars and (rect.left - x1 > 0.15 * max(c_size, size) or abs(c_top - top) > 0.5 * max(c_size, size)):
                flush()
            if not chars:
                x0, x1, top, bottom, size, bold = rect.left, rect.right, c_top, c_bottom, c_size, 0
            else:
                x1 = max(x1, rect.right)
                top, bottom, size = min(top, c_top), max(bottom, c_bottom), max(size, c_size)
            bold += font_weight(tp, i) >= 600
            chars.append(ch)
        flush()
        return words, sum(len(w.text) for w in words)
    finally:
        textpage.close()


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
