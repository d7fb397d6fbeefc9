"""Readers: one per file format, all producing the same `Document`.

The format is decided by content first (PDF and ZIP signatures, an HTML start tag)
and by extension second, as the contract says; anything else is reported.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import stat
from pathlib import Path

from .. import text as T
from ..errors import ReportError
from ..model import Document
from ..rules import DEFAULT_LANGUAGE, load_rules
from .builder import DocumentBuilder

# each format's reader (and its libraries: pdfplumber, pypdfium2, BeautifulSoup) is imported
# when a file of that format comes, so a batch of Markdown never pays for the PDF stack

TEXT_EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".txt": "text"}
OTHER_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".pptx": "pptx", ".odt": "odt", ".html": "html", ".htm": "html"}
_ODT_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.text"
SUPPORTED_EXTENSIONS = tuple(sorted({**TEXT_EXTENSIONS, **OTHER_EXTENSIONS}))
MAX_TEXT_BYTES = 50 * 1024 * 1024


def detect_format(path: Path, head: bytes) -> str:
    """`markdown`, `text`, `pdf`, `docx`, `pptx`, `odt` or `html`; raises unsupported_format otherwise."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    ext = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        # an OpenDocument file names its type in its first, stored member
        if head[30:30 + len(_ODT_MIMETYPE)] == _ODT_MIMETYPE and head[30 + len(_ODT_MIMETYPE):][:1] in (b"", b"P"):
            return "odt"
        if ext in (".docx", ".pptx", ".odt"):
            return ext[1:]
        raise ReportError("unsupported_format",
                          f"{path.name} is a ZIP archive, not a report; supported: {', '.join(SUPPORTED_EXTENSIONS)}")
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sniff.startswith((b"<!doctype html", b"<html")):
        return "html"
    if ext in TEXT_EXTENSIONS:
        return TEXT_EXTENSIONS[ext]
    if ext in OTHER_EXTENSIONS:
        return OTHER_EXTENSIONS[ext]
    raise ReportError("unsupported_format",
                      f"{path.name}: unknown file type {ext or '(no extension)'}; "
                      f"supported: {', '.join(SUPPORTED_EXTENSIONS)}")


def decode_text(data: bytes, name: str) -> str:
    """Decode a text file: BOMs, then UTF-8, then the encoding charset-normalizer detects."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReportError("unreadable_text", f"{name}: invalid {encoding} text ({exc.reason} at byte {exc.start})")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise ReportError("unreadable_text", f"{name}: binary content (NUL bytes), not a text file; "
                                             "convert it to UTF-8 text or Markdown")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReportError("unreadable_text", f"{name}: not valid UTF-8 and no text encoding could be "
                                             "detected; save the file as UTF-8")
    return str(best)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


from ..options import PDF_ENGINES  # noqa: E402,F401 (re-exported)


def read_document(path: Path, source: str | None = None, *, password: str | None = None,
                  models_dir: str | None = None, pdf_engine: str = "pdfplumber",
                  layout: dict | None = None, ocr: str = "auto", ocr_engine: str = "auto") -> Document:
    """Read one file into the document model, or raise ReportError. `layout`: LayoutSettings
    fields to change for a PDF (`{"running_min_share": 2}` keeps running lines). `ocr`: auto
    (PDF pages without a usable text layer are recognised), off or force (every page);
    `ocr_engine`: auto, tesseract or rapidocr (readers/ocr.py)."""
    path = Path(path)
    source = source if source is not None else str(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end
            raise ReportError("unreadable_file", f"{source}: not a regular file; not read")
        size = st.st_size
        with path.open("rb") as fh:
            head = fh.read(2048)
    except FileNotFoundError:
        where = T.display_path(os.path.abspath(path))
        raise ReportError("unreadable_file", f"{source}: the file does not exist (here: {where})")
    except OSError as exc:
        raise ReportError("unreadable_file", f"{source}: cannot open the file ({exc.strerror or exc})")
    fmt = detect_format(path, head)
    if size == 0:
        raise ReportError("empty_document" if fmt != "pdf" else "unreadable_pdf",
                          f"{source}: the file is empty (0 bytes)")
    try:
        sha = file_sha256(path)
    except OSError as exc:
        raise ReportError("unreadable_file", f"{source}: cannot read the file ({exc.strerror or exc})")
    builder = DocumentBuilder()
    pages, meta, fallback, warnings = None, {}, {}, []
    if fmt == "pdf":
        from .layout_settings import LayoutSettings
        if pdf_engine == "pdfium":
            from .pdf_pdfium import read_pdf_pdfium as reader
        else:
            from .pdf import read_pdf as reader
        pdf_rules = load_rules(DEFAULT_LANGUAGE, models_dir).get("pdf")
        from .ocr import OcrSettings
        from .pdf import PagesOnlyInPdfium
        settings = LayoutSettings.from_rules(pdf_rules, **(layout or {}))
        ocr_settings = OcrSettings(mode=ocr, engine=ocr_engine)
        try:
            pages, fallback, warnings = reader(path, source, builder, password=password, settings=settings,
                                               ocr=ocr_settings)
        except PagesOnlyInPdfium:
            if ocr == "off":
                raise
            from .pdf_pdfium import read_pdf_pdfium  # PDFium renders the pages pdfminer cannot find
            pages, fallback, warnings = read_pdf_pdfium(path, source, builder, password=password,
                                                        settings=settings, ocr=ocr_settings)
    elif fmt == "docx":
        from .docx import read_docx
        pages, fallback = read_docx(path, source, builder)
    elif fmt == "pptx":
        from .pptx import read_pptx
        pages, fallback, warnings = read_pptx(path, source, builder)
    elif fmt == "odt":
        from .odt import read_odt
        pages, fallback = read_odt(path, source, builder)
    else:
        if size > MAX_TEXT_BYTES:
            raise ReportError("unsafe_document", f"{source}: {size} bytes is more than the "
                                                 f"{MAX_TEXT_BYTES // 2**20} MiB a text report may have")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReportError("unreadable_file", f"{source}: cannot read the file ({exc.strerror or exc})")
        text = T.drop_controls(decode_text(data, source))
        if fmt == "html":
            from .html import read_html
            meta, fallback = read_html(text, builder)
        elif fmt == "markdown":
            from .markdown import read_markdown
            meta = read_markdown(text, builder)
        else:
            from .plaintext import read_plaintext
            meta = read_plaintext(text, builder)
    doc = builder.build(source=source, path=str(path), fmt=fmt, sha256=sha, pages=pages, meta=meta,
                        meta_fallback=fallback, warnings=warnings)
    if not doc.blocks:
        raise ReportError("empty_document", f"{source}: no text found")
    return doc
