"""PDF reader on pdfplumber: one pass per page, pages closed as they go.

Each page is parsed once: words with font size and name, link annotations and
ruled tables all come from the same cached page objects, then the page is closed
so memory stays flat in the page count. Geometry and reading order live in
`layout.py`; this module talks to pdfplumber and turns its failures into the
contract's error kinds.
"""
from __future__ import annotations

import gc
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReportError
from .builder import DocumentBuilder
from .layout import (
    BlockAssembler,
    Line,
    Word,
    attach_links,
    clean_word,
    join_size_changes,
    is_bold_font,
    page_list,
    read_page,
    strip_running_lines,
)
from .layout_settings import DEFAULT_SETTINGS, LayoutSettings
from .ocr import apply_ocr
from .tables import is_drawing, frame_lines, inside, is_prose_frame, place_frame, place_tables, table_lines

OCR_HINT = ("install an OCR engine (Tesseract with its eng and fra data, or pip install "
            "'report-pipeline[ocr]') and run again with --ocr auto (the default) or force")


def _reason(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__ or exc
    if getattr(exc, "args", None) and isinstance(exc.args[0], BaseException):
        cause = exc.args[0]
    text = str(cause) or type(cause).__name__
    return f"{type(cause).__name__}: {text}" if type(cause).__name__ not in text else text


def _is_password_error(exc: BaseException) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if "Password" in type(exc).__name__ or "PDFEncryptionError" in type(exc).__name__:
            return True
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = inner or exc.__cause__ or exc.__context__
    return False


def _tail_ok(path: Path) -> bool:
    """A complete PDF ends with %%EOF (trailing NULs and white space aside)."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 65536))
        tail = fh.read().rstrip(b"\x00 \t\r\n")
    return tail.endswith(b"%%EOF") or b"%%EOF" in tail[-2048:]


def _pdfium_pages(path: Path, password: str | None) -> tuple[int, int]:
    """(pages, characters) as PDFium sees them, for files pdfminer reads as empty."""
    try:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path), password=password)
        try:
            chars = 0
            for i in range(len(doc)):
                page = doc[i]
                textpage = page.get_textpage()
                chars += len(textpage.get_text_range().strip())
                textpage.close()
                page.close()
            return len(doc), chars
        finally:
            doc.close()
    except Exception:  # noqa: BLE001 - PDFium refusing the file is an answer too
        return 0, 0


def read_pdf(path: Path, source: str, builder: DocumentBuilder, *, password: str | None,
             settings: LayoutSettings = DEFAULT_SETTINGS, ocr=None) -> tuple[int, dict[str, str], list[str]]:
    """Fill `builder`; returns (pages, metadata fallbacks, warnings) or raises ReportError.
    `ocr`: OcrSettings (pages without a usable text layer recognised), None for none."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pdf = _open(path, source, password)
    with pdf, _collect_rarely():
        meta = _metadata(pdf)
        pages, heights, counts, warnings = _read_pages(pdf, path, source, password, settings)
    if ocr is not None:
        apply_ocr(path, source, password, pages, heights, counts, warnings, ocr, settings)
    diagnose_text_layer(path, source, counts, warnings)
    finish_pages(pages, heights, counts, warnings, settings, builder, meta)
    return counts.pages, meta, warnings


def _open(path: Path, source: str, password: str | None):
    """The open pdfplumber document; a wrong or missing password is an `encrypted` error."""
    import pdfplumber

    try:
        try:
            return pdfplumber.open(str(path), password=password or "")
        except Exception as exc:  # noqa: BLE001
            if not (password and _is_password_error(exc)):
                raise
            # a password meant for other files: this one may open without any
            return pdfplumber.open(str(path), password="")
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds
        if _is_password_error(exc):
            if password:
                raise ReportError("encrypted", f"{source}: the password given does not open this PDF")
            raise ReportError("encrypted", f"{source}: the PDF is password-protected; "
                                           "give its password with --password (or --passwords FILE)")
        raise ReportError("unreadable_pdf", f"{source}: the PDF cannot be parsed ({_reason(exc)}); "
                                            "re-save or repair it (e.g. qpdf, Ghostscript) and retry")


def _read_pages(pdf, path: Path, source: str, password: str | None, settings: LayoutSettings):
    """Every page read once and closed: (lines per page, page heights, counts, warnings)."""
    warnings: list[str] = []
    try:
        count = len(pdf.pages)
    except Exception as exc:  # noqa: BLE001
        raise ReportError("unreadable_pdf", f"{source}: the page tree cannot be read ({_reason(exc)})")
    if count == 0:
        _no_pages(path, source, password)
    counts = PageCounts(pages=count)
    pages: list[list[Line]] = []
    heights: list[float] = []
    for number in range(1, count + 1):
        try:
            page = pdf.pages[number - 1]
        except Exception as exc:  # noqa: BLE001
            counts.failed += 1
            warnings.append(f"page {number}: cannot be read ({_reason(exc)})")
            pages.append([])  # pages[i] stays page i + 1
            heights.append(0.0)
            continue
        try:
            lines, page_cids, page_chars, link_failed = _read_page(page, number, settings)
            if not page_chars and page.images:
                counts.image_only.append(number)
        except ReportError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken page does not lose the document
            counts.failed += 1
            warnings.append(f"page {number}: skipped ({_reason(exc)})")
            lines, page_cids, page_chars, link_failed = [], 0, 0, False
        finally:
            heights.append(float(page.height or 0))
            counts.landscape += float(page.width or 0) > float(page.height or 0)
            page.close()
        pages.append(lines)
        counts.cids += page_cids
        counts.chars += page_chars
        counts.link_errors += link_failed
    return pages, heights, counts, warnings


class PagesOnlyInPdfium(ReportError):
    """pdfminer finds no page where PDFium finds pages without text (a scan behind a damaged
    page tree): the PDFium engine can still render them for OCR."""


@dataclass
class PageCounts:
    """What reading the pages found, for the diagnosis of a missing or unusable text layer."""

    pages: int
    chars: int = 0
    cids: int = 0  # glyphs without a Unicode mapping
    failed: int = 0
    link_errors: int = 0
    image_only: list[int] = field(default_factory=list)  # pages with images and no text
    landscape: int = 0  # pages wider than high (slides)
    ocr_found_nothing: str = ""  # the OCR engine that read the pages and found no text

    def hint(self) -> str:
        """What to do about missing text: OCR, or, when OCR ran, that it found nothing either."""
        if self.ocr_found_nothing:
            return f"OCR ({self.ocr_found_nothing}) found no text on the pages either"
        return OCR_HINT


def diagnose_text_layer(path: Path, source: str, counts: PageCounts, warnings: list[str]) -> None:
    """Raise the contract's error when the text layer is missing or unusable; warn when part
    of it is (unmapped glyphs, pages that are images only, unreadable link annotations)."""
    if counts.failed == counts.pages:
        raise ReportError("unreadable_pdf", f"{source}: no page could be read; {warnings[0] if warnings else ''}")
    if counts.link_errors:
        warnings.append(f"link annotations could not be read on {counts.link_errors} page(s); their text was kept")
    if counts.chars == 0:
        if counts.cids:
            raise ReportError("no_text_layer", f"{source}: the text layer is unusable: all {counts.cids} glyphs "
                                               f"have no Unicode mapping ((cid:N) fonts); {counts.hint()}")
        if not _tail_ok(path):
            raise ReportError("unreadable_pdf", f"{source}: the file is truncated (no %%EOF) and no text "
                                                "could be read; get a complete copy of the file")
        raise ReportError("no_text_layer", f"{source}: {counts.pages} page(s) but no text layer (a scan or "
                                           f"images); {counts.hint()}")
    if counts.cids:
        share = counts.cids / (counts.cids + counts.chars)
        if share > 0.5:
            raise ReportError("no_text_layer", f"{source}: {share:.0%} of the glyphs have no Unicode mapping "
                                               f"((cid:N) fonts), so the text is unusable; {counts.hint()}")
        warnings.append(f"{counts.cids} glyph(s) without Unicode mapping ((cid:N)) were left out of the text")
    if counts.image_only:
        warnings.append(f"page(s) {page_list(counts.image_only)}: images only, no text layer; their text is "
                        f"missing ({counts.hint()})")


def finish_pages(pages: list[list[Line]], heights: list[float], counts: PageCounts, warnings: list[str],
                 settings: LayoutSettings, builder: DocumentBuilder, meta: dict[str, str]) -> None:
    """Across pages: running lines out, then blocks into `builder`; a title page's largest
    heading goes into `meta` as `page_title`."""
    removed = strip_running_lines(pages, heights, settings)
    if removed:
        warnings.append(f"{removed} running header/footer line(s) removed")
    assembler = BlockAssembler(pages, settings, landscape_pages=counts.landscape)
    assembler.assemble(builder)
    if assembler.page_title and assembler.is_title_page():
        meta["page_title"] = assembler.page_title


@contextmanager
def _collect_rarely():
    """pdfminer's objects are freed by reference counting: over a parse the cyclic collector
    finds next to nothing (under a hundred objects per hundred pages), yet each full collection
    walks every live object, about 5% of the parse time. Collect rarely while parsing, and as
    before afterwards."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], 10000), max(old[1], 50), max(old[2], 1000))
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _no_pages(path: Path, source: str, password: str | None) -> None:
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise ReportError("unreadable_pdf", f"{source}: not a valid PDF (no %PDF header) and no pages could be read")
    pages, chars = _pdfium_pages(path, password)
    if pages and not chars:
        raise PagesOnlyInPdfium("no_text_layer", f"{source}: {pages} page(s) but no text layer (a scan or images); "
                                           f"{OCR_HINT}")
    if pages:
        raise ReportError("unreadable_pdf", f"{source}: pdfminer cannot read the page tree although the file "
                                            f"has {pages} page(s); re-save it (e.g. qpdf) and retry")
    raise ReportError("empty_document", f"{source}: the PDF has no pages")


def _read_page(page, number: int, settings: LayoutSettings = DEFAULT_SETTINGS) -> tuple[list[Line], int, int, bool]:
    # a gap of 15% of the font size splits words: tight justified lines keep their spaces
    raw = _upright(page, settings).extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False,
                                                 use_text_flow=False, x_tolerance_ratio=settings.word_gap_ratio)
    words: list[Word] = []  # unmapped bullet glyphs first: they are no text to join or frame
    text_words: list[Word] = []
    cids, chars = 0, 0
    for w in raw:
        text, n = clean_word(w["text"])
        cids += n
        if not text.strip():
            continue
        if n == 1 and text == "•":  # an unmapped glyph kept as a bullet is not text
            words.append(Word(text, w["x0"], w["x1"], w["top"], w["bottom"], float(w.get("size") or 0)))
            continue
        chars += len(text)
        text_words.append(Word(text, w["x0"], w["x1"], w["top"], w["bottom"], float(w.get("size") or 0),
                               is_bold_font(w.get("fontname", "")), w.get("fontname", "")))
    tables, frames = [], []
    if page.lines or page.rects:
        try:
            # a table's header may stand alone at the foot of a page
            found = [t for t in page.find_tables() if t.rows and len(t.rows[0].cells) >= 2]
        except Exception:  # noqa: BLE001 - a table we cannot read stays as text
            found = []
        for table in found:
            try:
                rows = table.extract()
            except Exception:  # noqa: BLE001 - a table we cannot read is left out
                continue
            if is_drawing([r.cells for r in table.rows], table.bbox, page.bbox, text_words):
                continue
            if is_prose_frame(rows):
                frames.append((table.bbox, [r.cells for r in table.rows]))
            else:
                tables.append((table, rows))
    frame_boxes = [bbox for bbox, _ in frames]
    boxes = [t.bbox for t, _ in tables] + frame_boxes
    framed: list[Word] = []  # the words of prose frames, read column by column
    for word in join_size_changes(text_words, settings):
        if frame_boxes and inside(word, frame_boxes):
            framed.append(word)
        elif not inside(word, boxes):
            words.append(word)
    link_failed = False
    try:
        links = [(h["uri"], h["x0"], h["top"], h["x1"], h["bottom"]) for h in page.hyperlinks if h.get("uri")]
    except Exception:  # noqa: BLE001 - some real files make hyperlinks raise
        links, link_failed = [], True
    links = [(u if isinstance(u, str) else u.decode("latin-1", "replace"), *rest) for u, *rest in links]
    lines = read_page(words, number, settings)
    for table, rows in tables:
        lines.extend(table_lines(rows, [r.cells for r in table.rows], table.bbox, number, links))
    lines = place_tables(lines)
    for bbox, cells in frames:
        lines = place_frame(lines, frame_lines(framed, cells, bbox, number), bbox)
    attach_links(lines, links)
    for line in lines:
        line.release()
    return lines, cids, chars, link_failed


def _upright(page, settings: LayoutSettings):
    """The page without its rotated glyphs (axis labels, a vertical margin stamp) when they are
    a minority; a page drawn rotated as a whole keeps them all."""
    chars = page.chars
    rotated = sum(1 for c in chars if not c.get("upright", True))
    if not rotated or rotated >= settings.rotated_share * len(chars):
        return page
    return page.filter(lambda obj: obj.get("object_type") != "char" or obj.get("upright", True))


def _metadata(pdf) -> dict[str, str]:
    return _metadata_from(getattr(pdf, "metadata", {}) or {})


def _metadata_from(info: dict) -> dict[str, str]:
    """Title and author of the PDF info dictionary, when they are real (not a file name)."""
    meta = {}
    for key in ("Title", "Author"):
        value = info.get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str):
            value = re.sub(r"\s+", " ", value).strip()
            if value and not re.search(r"\.(docx?|pdf|pptx?|indd|tex)$|^microsoft word|^untitled", value, re.I):
                meta[key.lower()] = value
    return meta
