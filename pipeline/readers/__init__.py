"""Readers: one per file format, all producing the same `Document`.

The format is decided by content first (PDF and ZIP signatures, an HTML start tag)
and by extension second, as the contract says; anything else is reported.
"""
from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from ..errors import ReportError
from ..model import Document
from .builder import DocumentBuilder
from .markdown import read_markdown
from .plaintext import read_plaintext

TEXT_EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".txt": "text"}
LATER_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}
SUPPORTED_EXTENSIONS = tuple(sorted({**TEXT_EXTENSIONS, **LATER_EXTENSIONS}))
MAX_TEXT_BYTES = 50 * 1024 * 1024


def detect_format(path: Path, head: bytes) -> str:
    """`markdown`, `text`, `pdf`, `docx` or `html`; raises unsupported_format otherwise."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    ext = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        if ext == ".docx":
            return "docx"
        raise ReportError("unsupported_format",
                          f"{path.name} is a ZIP archive, not a report; supported: {', '.join(SUPPORTED_EXTENSIONS)}")
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sniff.startswith((b"<!doctype html", b"<html")):
        return "html"
    if ext in TEXT_EXTENSIONS:
        return TEXT_EXTENSIONS[ext]
    if ext in LATER_EXTENSIONS:
        return LATER_EXTENSIONS[ext]
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


def read_document(path: Path, source: str | None = None) -> Document:
    """Read one file into the document model, or raise ReportError."""
    path = Path(path)
    source = source if source is not None else str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        raise ReportError("unreadable_text", f"{source}: cannot open ({exc.strerror})")
    fmt = detect_format(path, head)
    if fmt in ("pdf", "docx", "html"):
        raise ReportError("unsupported_format",
                          f"{source}: {fmt.upper()} reports are not read by this version yet; "
                          "export the report as Markdown or text")
    if size > MAX_TEXT_BYTES:
        raise ReportError("unsafe_document", f"{source}: {size} bytes is more than the "
                                             f"{MAX_TEXT_BYTES // 2**20} MiB a text report may have")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    text = decode_text(data, source)
    builder = DocumentBuilder()
    meta = read_markdown(text, builder) if fmt == "markdown" else read_plaintext(text, builder)
    doc = builder.build(source=source, path=str(path), fmt=fmt, sha256=sha, meta=meta)
    if not doc.blocks:
        raise ReportError("empty_document", f"{source}: no text found")
    return doc
