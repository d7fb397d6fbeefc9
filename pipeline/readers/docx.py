"""Word (.docx) reader on python-docx, after a safety check of the ZIP container.

Paragraph styles and outline levels give headings, numbering properties give list
items and their level, hyperlinks keep their relationship targets (also behind
anchor text), tables are read row by row, explicit page breaks count pages, and the
core properties (title, author) are metadata fallbacks.
"""
from __future__ import annotations

import codecs
import copy
import io
import posixpath
import re
import zipfile
import zlib
from pathlib import Path

from .. import text as T
from ..errors import ReportError
from ..model import HEADING, LIST_ITEM, TABLE_ROW
from .builder import DocumentBuilder, locate_links
from .lines import add_paragraph_lines

# Container limits, all refusals are `unsafe_document`.  Declared sizes are checked first
# (cheap, and what the old check did), then the bytes really inflated are counted, since a
# ZIP header can lie about them.
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # declared size of all members together
MAX_RATIO = 200  # declared size / packed size, above 10 MiB
# Only the XML parts python-docx parses ([Content_Types].xml, every .rels, the document,
# styles, numbering, settings, headers, footers, comments, core properties) are inflated,
# and only these are handed to it; media, embeddings, fonts, themes, custom XML reach it
# as empty placeholders and are never inflated.  The budgets are generous: the
# document.xml of a 500-page report with tables is ~10-20 MiB.  They also bound the parse:
# lxml takes up to ~15x the XML size (measured: a 47 MiB document.xml of one-word
# paragraphs, the worst case, peaks at ~1.0 GB RSS, ~180 MB of it the imports).
MAX_XML_PART = 48 * 1024 * 1024  # bytes one XML part may inflate to
MAX_XML_TOTAL = 64 * 1024 * 1024  # bytes all XML parts together may inflate to
MAX_XML_DECL = 1024  # characters an XML declaration may have (a real one has ~60)
_CHUNK = 1 << 20
# Compressions zipfile inflates with a bounded output per read; bzip2 and LZMA members are
# inflated a whole input chunk at a time, which no output limit can bound.
_BOUNDED_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_CONTENT_TYPES = "[Content_Types].xml"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título|titolo|kop)\s*(\d)$", re.I)
_MIB = 1024 * 1024


def check_container(path: Path, source: str) -> io.BytesIO:
    """Refuse what is not a DOCX or could exhaust memory (ZIP bombs, huge XML, XML entity
    tricks); return an in-memory DOCX for python-docx holding only the checked XML parts.

    Every XML part python-docx parses is inflated through a counting reader (per part and
    in total, whatever its header declares) and its prolog is scanned, in its own encoding,
    for a DOCTYPE or entity declaration. Other members are copied as empty placeholders,
    so that python-docx never sees a byte that was not checked.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO and total > 10 * 1024 * 1024:
                raise ReportError("unsafe_document", f"{source}: the DOCX unpacks to {total} bytes "
                                                     f"({total / packed:.0f}x its size): refused as a ZIP bomb")
            members = {i.filename: i for i in infos}  # a repeated name: the last one, as zipfile reads it
            if "word/document.xml" not in members:
                raise ReportError("unreadable_docx", f"{source}: not a Word document (no word/document.xml)")
            budget = _Budget(source)
            content_types = None
            if _CONTENT_TYPES in members:
                content_types = budget.read(zf, members[_CONTENT_TYPES])
            parsed_types = _parsed_content_types(content_types, source)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
                for name, info in members.items():
                    if info.is_dir():
                        continue
                    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                    if name == _CONTENT_TYPES:
                        package.writestr(entry, content_types)
                    elif _parsed_by_python_docx(name, parsed_types):
                        with package.open(entry, "w") as fh:
                            budget.read(zf, info, fh)
                    else:
                        package.writestr(entry, b"")
            if content_types is None:
                raise ReportError("unreadable_docx", f"{source}: not a Word document (no {_CONTENT_TYPES})")
            out.seek(0)
            return out
    except zipfile.BadZipFile as exc:
        raise ReportError("unreadable_docx", f"{source}: not a valid DOCX/ZIP file ({exc})")
    except (NotImplementedError, RuntimeError, EOFError, zlib.error) as exc:  # method, encryption, truncation
        raise ReportError("unreadable_docx", f"{source}: cannot unpack the DOCX ({exc})")
    except OSError as exc:
        raise ReportError("unreadable_docx", f"{source}: cannot read the DOCX ({exc})")


class _Budget:
    """Inflates XML members with a byte count, per member and across members."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.used = 0

    def read(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, sink=None) -> bytes | None:
        """Inflate and check `info`: into `sink` if given, else returned as bytes."""
        name, source = info.filename, self.source
        if info.compress_type not in _BOUNDED_COMPRESSION:
            raise ReportError("unsafe_document", f"{source}: {name} uses ZIP compression method "
                                                 f"{info.compress_type} (only stored and deflate are accepted)")
        if info.file_size > MAX_XML_PART:
            raise ReportError("unsafe_document", f"{source}: {name} declares {info.file_size} bytes, more than "
                                                 f"the {_size(MAX_XML_PART)} an XML part may have: refused")
        left = MAX_XML_TOTAL - self.used
        if info.file_size > left:
            raise ReportError("unsafe_document", f"{source}: with {name} ({info.file_size} bytes) the XML parts "
                                                 f"unpack to more than {_size(MAX_XML_TOTAL)} in total: refused")
        # Real bytes <= declared bytes <= both limits. zipfile stops inflating at file_size:
        # one byte more than declared shows a member inflating past its header, and no more.
        # Its CRC check would fire first on that byte, so the CRC is checked here instead.
        probe = copy.copy(info)
        probe.file_size = info.file_size + 1
        del probe.CRC
        prolog = _PrologCheck(name, source)
        chunks = [] if sink is None else None
        size = crc = 0
        with zf.open(probe) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                crc = zlib.crc32(chunk, crc)
                if size > info.file_size:
                    raise ReportError("unsafe_document", f"{source}: {name} inflates to more than the "
                                                         f"{info.file_size} bytes its ZIP header declares: refused")
                prolog.feed(chunk)
                if sink is None:
                    chunks.append(chunk)
                else:
                    sink.write(chunk)
        if crc != info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {name!r}")
        prolog.feed(b"", final=True)
        self.used += size
        return b"".join(chunks) if sink is None else None


def _size(n: int) -> str:
    return f"{n // _MIB} MiB" if n >= _MIB and n % _MIB == 0 else f"{n} bytes"


def _parsed_content_types(content_types: bytes | None, source: str) -> dict | None:
    """(defaults by extension, overrides by part name) of the content types python-docx
    parses as XML, lower-cased as python-docx looks them up; None without the part."""
    if content_types is None:
        return None
    from docx.opc.part import PartFactory, XmlPart
    from lxml import etree

    xml_types = {ct for ct, cls in PartFactory.part_type_for.items() if issubclass(cls, XmlPart)}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(content_types, parser)
    except etree.XMLSyntaxError as exc:
        raise ReportError("unreadable_docx", f"{source}: {_CONTENT_TYPES} is not valid XML ({exc})")
    defaults = {e.get("Extension", "").lower(): e.get("ContentType") in xml_types
                for e in root.iterfind(_CT_NS + "Default")}
    overrides = {e.get("PartName", "").lower(): e.get("ContentType") in xml_types
                 for e in root.iterfind(_CT_NS + "Override")}
    return {"defaults": defaults, "overrides": overrides}


def _parsed_by_python_docx(name: str, types: dict | None) -> bool:
    """True for a member python-docx parses as XML: every .rels, and the parts whose content
    type it loads as XML; an .xml member without a known content type counts too."""
    lower = name.lower()
    if lower.endswith(".rels"):
        return True
    if types is not None:
        partname = "/" + lower
        if partname in types["overrides"]:
            return types["overrides"][partname]
        ext = posixpath.splitext(partname)[1][1:]
        if ext in types["defaults"]:
            return types["defaults"][ext]
    return lower.endswith(".xml")


# Encodings whose bytes for `<`, `!`, `?`, `-`, `>` and XML white space are the ASCII
# ones and never occur inside another character: the prolog is scanned byte by byte.
_ASCII_FAMILY = {"utf-8", "ascii", "iso8859-1", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5",
                 "iso8859-6", "iso8859-7", "iso8859-8", "iso8859-9", "iso8859-10", "iso8859-13",
                 "iso8859-14", "iso8859-15", "iso8859-16", "cp1250", "cp1251", "cp1252", "cp1253",
                 "cp1254", "cp1255", "cp1256", "cp1257", "cp1258"}
_DECL_ENCODING = re.compile(r"""encoding\s*=\s*(["'])(.*?)\1""")


def _detect_encoding(head: bytes) -> tuple[str, int]:
    """(codec, BOM length) as libxml2 detects it from the first four bytes (XML 1.0, F.1)."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                       (codecs.BOM_UTF8, "latin-1"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return codec, len(bom)
    for start, codec in ((b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
                         (b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be")):
        if head.startswith(start):
            return codec, 0
    if head.startswith(b"\x4c\x6f\xa7\x94"):  # `<?xm` in EBCDIC
        return "cp037", 0
    return "latin-1", 0  # UTF-8 or another ASCII-compatible encoding named by the declaration


class _PrologCheck:
    """Streams the bytes of one XML part and refuses any `<!` markup but a comment before
    the root element (`<!DOCTYPE`, `<!ENTITY`, ...), in the part's own encoding (BOM or
    first bytes, then the declaration). Memory is constant; the prolog may be any length."""

    def __init__(self, name: str, source: str) -> None:
        self.name, self.source = name, source
        self.head = b""  # bytes before the encoding is known
        self.decoder = None
        self.codec = ""
        self.text = ""  # decoded characters not yet decided
        self.state = "start"  # start (declaration?), misc, comment, pi, done

    def feed(self, data: bytes, final: bool = False) -> None:
        if self.state == "done":
            return
        if self.decoder is None:
            self.head += data
            if len(self.head) < 4 and not final:
                return
            self.codec, bom = _detect_encoding(self.head)
            self.decoder = codecs.getincrementaldecoder(self.codec)()
            data, self.head = self.head[bom:], b""
        try:
            self.text += self.decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            raise ReportError("unreadable_docx", f"{self.source}: {self.name} is not valid {self.codec} "
                                                 f"before its root element ({exc.reason})")
        self._scan(final)

    def _refuse(self, kind: str, why: str) -> None:
        raise ReportError(kind, f"{self.source}: {self.name} {why}: refused")

    def _scan(self, final: bool) -> None:
        text, i = self.text, 0
        while True:
            if self.state == "start":
                if len(text) < 6 and not final:
                    break
                if not text.startswith("<?xml") or len(text) < 6 or text[5] not in " \t\r\n":
                    self._declared(None)  # no declaration (`<?xml-stylesheet` is a processing instruction)
                    self.state = "misc"
                    continue
                end = text.find("?>")
                if end < 0:
                    if len(text) > MAX_XML_DECL:
                        self._refuse("unsafe_document", f"has an XML declaration longer than {MAX_XML_DECL} characters")
                    if not final:
                        break
                    end = len(text)
                self._declared(None)
                for match in _DECL_ENCODING.finditer(text, 0, end):  # each, should the first be a decoy
                    self._declared(match.group(2))
                i, self.state = end + 2, "misc"
            elif self.state == "comment":
                end = text.find("-->", i)
                if end < 0:
                    i = max(i, len(text) - 2)
                    break
                i, self.state = end + 3, "misc"
            elif self.state == "pi":
                end = text.find("?>", i)
                if end < 0:
                    i = max(i, len(text) - 1)
                    break
                i, self.state = end + 2, "misc"
            else:
                while i < len(text) and text[i] in " \t\r\n":
                    i += 1
                if len(text) - i < 4 and not final:
                    break
                if i >= len(text):
                    break
                if text.startswith("<!--", i):
                    i, self.state = i + 4, "comment"
                elif text.startswith("<!", i):
                    self._refuse("unsafe_document", "declares a DOCTYPE or entities before its root element "
                                                    "(XML entity expansion)")
                elif text.startswith("<?", i):
                    i, self.state = i + 2, "pi"
                elif text.startswith("<", i):
                    self.state = "done"
                    break
                else:
                    self._refuse("unreadable_docx", "is not well-formed XML before its root element")
        self.text = "" if self.state == "done" else text[i:]

    def _declared(self, encoding: str | None) -> None:
        """Check the declared encoding against the detected one: the scan must read the
        bytes as the parser will."""
        if self.codec == "cp037":
            self._refuse("unsafe_document", "is EBCDIC-encoded XML (a DOCX part is UTF-8 or UTF-16)")
        if encoding is None:
            return
        try:
            declared = codecs.lookup(encoding).name
        except LookupError:
            self._refuse("unsafe_document", f"declares an unknown XML encoding {encoding!r}")
        if self.codec == "latin-1":
            ok = declared in _ASCII_FAMILY
        else:
            ok = declared.startswith(self.codec[:6])  # utf-16 / utf-32, either byte order
        if not ok:
            self._refuse("unsafe_document", f"declares the XML encoding {encoding!r} but its bytes are "
                                            f"{'UTF-8' if self.codec == 'latin-1' else self.codec.upper()}")


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
            if not any(cells):
                continue
            text = " | ".join(c for c in cells if c)
            self.builder.add(TABLE_ROW, [text], cells=cells, header=(i == 0), page=self.page,
                             links=locate_links([text], [(u, u) for u in links]))


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
    m = re.match(r"^list (?:bullet|number|paragraph)(?:\s+(\d))?$", style.strip(), re.I)
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
