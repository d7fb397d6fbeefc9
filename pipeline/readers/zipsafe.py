"""Safe reading of ZIP-packed XML documents (DOCX, PPTX, ODT): members are inflated through a
counting reader (per part and in total, whatever the ZIP header declares), only stored and
deflate members are accepted, and each XML part's prolog is scanned, in its own encoding, for a
DOCTYPE or entity declaration (XML entity expansion), before any XML parser sees a byte.
Refusals are `unsafe_document`; a part that is not XML is the format's `unreadable_*` kind."""
from __future__ import annotations

import codecs
import copy
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import ReportError

# Container limits, all refusals are `unsafe_document`.  Declared sizes are checked first
# (cheap), then the bytes really inflated are counted, since a ZIP header can lie about them.
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # declared size of all members together
MAX_RATIO = 200  # declared size / packed size, above 10 MiB
# Only the XML parts the library parses are inflated, and only these are handed to it. The
# budgets are generous: the document.xml of a 500-page report with tables is ~10-20 MiB. They
# also bound the parse: lxml takes up to ~15x the XML size (measured: a 47 MiB document.xml of
# one-word paragraphs, the worst case, peaks at ~1.0 GB RSS, ~180 MB of it the imports).

MAX_XML_PART = 48 * 1024 * 1024  # bytes one XML part may inflate to
MAX_XML_TOTAL = 64 * 1024 * 1024  # bytes all XML parts together may inflate to
MAX_XML_DECL = 1024  # characters an XML declaration may have (a real one has ~60)
_CHUNK = 1 << 20
# Compressions zipfile inflates with a bounded output per read; bzip2 and LZMA members are
# inflated a whole input chunk at a time, which no output limit can bound.
_BOUNDED_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_MIB = 1024 * 1024
_CONTENT_TYPES = "[Content_Types].xml"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@dataclass(frozen=True)
class OoxmlPackage:
    """What an Office Open XML package must hold, and which of its parts the reading library
    parses as XML (`xml_types`: their content types, asked for when a file comes)."""
    label: str  # DOCX, PPTX
    what: str  # "a Word document"
    main_part: str  # word/document.xml
    kind: str  # the error kind of a package that cannot be read: unreadable_docx
    xml_types: Callable[[], set[str]]


def size_text(n: int) -> str:
    return f"{n // _MIB} MiB" if n >= _MIB and n % _MIB == 0 else f"{n} bytes"


def safe_xml_parser():
    """lxml's parser with entities unresolved, no DTD, no network, no huge trees."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class Budget:
    """Inflates XML members with a byte count, per member and across members."""

    def __init__(self, source: str, unreadable: str = "unreadable_docx") -> None:
        self.source = source
        self.unreadable = unreadable  # the error kind of a part that is not XML
        self.used = 0

    def read(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, sink=None) -> bytes | None:
        """Inflate and check `info`: into `sink` if given, else returned as bytes."""
        name, source = info.filename, self.source
        if info.compress_type not in _BOUNDED_COMPRESSION:
            raise ReportError("unsafe_document", f"{source}: {name} uses ZIP compression method "
                                                 f"{info.compress_type} (only stored and deflate are accepted)")
        if info.file_size > MAX_XML_PART:
            raise ReportError("unsafe_document", f"{source}: {name} declares {info.file_size} bytes, more than "
                                                 f"the {size_text(MAX_XML_PART)} an XML part may have: refused")
        left = MAX_XML_TOTAL - self.used
        if info.file_size > left:
            raise ReportError("unsafe_document", f"{source}: with {name} ({info.file_size} bytes) the XML parts "
                                                 f"unpack to more than {size_text(MAX_XML_TOTAL)} in total: refused")
        # Real bytes <= declared bytes <= both limits. zipfile stops inflating at file_size:
        # one byte more than declared shows a member inflating past its header, and no more.
        # Its CRC check would fire first on that byte, so the CRC is checked here instead.
        probe = copy.copy(info)
        probe.file_size = info.file_size + 1
        del probe.CRC
        prolog = PrologCheck(name, source, self.unreadable)
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


class PrologCheck:
    """Streams the bytes of one XML part and refuses any `<!` markup but a comment before
    the root element (`<!DOCTYPE`, `<!ENTITY`, ...), in the part's own encoding (BOM or
    first bytes, then the declaration). Memory is constant; the prolog may be any length."""

    def __init__(self, name: str, source: str, unreadable: str = "unreadable_docx") -> None:
        self.name, self.source, self.unreadable = name, source, unreadable
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
            raise ReportError(self.unreadable, f"{self.source}: {self.name} is not valid {self.codec} "
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
                    self._refuse(self.unreadable, "is not well-formed XML before its root element")
        self.text = "" if self.state == "done" else text[i:]

    def _declared(self, encoding: str | None) -> None:
        """Check the declared encoding against the detected one: the scan must read the
        bytes as the parser will."""
        if self.codec == "cp037":
            self._refuse("unsafe_document", "is EBCDIC-encoded XML (a document part is UTF-8 or UTF-16)")
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


def checked_members(zf: zipfile.ZipFile, source: str, label: str) -> dict[str, zipfile.ZipInfo]:
    """The archive's members by name (a repeated name: the last one, as zipfile reads it),
    after the declared sizes: a ZIP bomb is refused before anything is inflated."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO and total > 10 * 1024 * 1024:
        raise ReportError("unsafe_document", f"{source}: the {label} unpacks to {total} bytes "
                                             f"({total / packed:.0f}x its size): refused as a ZIP bomb")
    return {i.filename: i for i in infos}


def check_ooxml(path, source: str, package: OoxmlPackage) -> io.BytesIO:
    """Refuse what is not the package asked for or could exhaust memory (ZIP bombs, huge XML,
    XML entity tricks); return an in-memory copy for python-docx or python-pptx holding only
    the checked XML parts.

    Every XML part the library parses is inflated through a counting reader (per part and in
    total, whatever its header declares) and its prolog is scanned, in its own encoding, for a
    DOCTYPE or entity declaration. Other members (media, fonts, embeddings) are copied as empty
    placeholders, never inflated, so the library never sees a byte that was not checked.
    """
    label, kind = package.label, package.kind
    try:
        with zipfile.ZipFile(path) as zf:
            members = checked_members(zf, source, label)
            if package.main_part not in members:
                raise ReportError(kind, f"{source}: not {package.what} (no {package.main_part})")
            budget = Budget(source, kind)
            content_types = None
            if _CONTENT_TYPES in members:
                content_types = budget.read(zf, members[_CONTENT_TYPES])
            parsed_types = _parsed_content_types(content_types, source, package)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as checked:
                for name, info in members.items():
                    if info.is_dir():
                        continue
                    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                    if name == _CONTENT_TYPES:
                        checked.writestr(entry, content_types)
                    elif _parsed_xml(name, parsed_types):
                        with checked.open(entry, "w") as fh:
                            budget.read(zf, info, fh)
                    else:
                        checked.writestr(entry, b"")
            if content_types is None:
                raise ReportError(kind, f"{source}: not {package.what} (no {_CONTENT_TYPES})")
            out.seek(0)
            return out
    except zipfile.BadZipFile as exc:
        raise ReportError(kind, f"{source}: not a valid {label}/ZIP file ({exc})")
    except (NotImplementedError, RuntimeError, EOFError, zlib.error) as exc:  # method, encryption, truncation
        raise ReportError(kind, f"{source}: cannot unpack the {label} ({exc})")
    except OSError as exc:
        raise ReportError(kind, f"{source}: cannot read the {label} ({exc})")


def _parsed_content_types(content_types: bytes | None, source: str, package: OoxmlPackage) -> dict | None:
    """(defaults by extension, overrides by part name) of the content types the library
    parses as XML, lower-cased as it looks them up; None without the part."""
    if content_types is None:
        return None
    from lxml import etree

    xml_types = package.xml_types()
    parser = safe_xml_parser()
    try:
        root = etree.fromstring(content_types, parser)
    except etree.XMLSyntaxError as exc:
        raise ReportError(package.kind, f"{source}: {_CONTENT_TYPES} is not valid XML ({exc})")
    defaults = {e.get("Extension", "").lower(): e.get("ContentType") in xml_types
                for e in root.iterfind(_CT_NS + "Default")}
    overrides = {e.get("PartName", "").lower(): e.get("ContentType") in xml_types
                 for e in root.iterfind(_CT_NS + "Override")}
    return {"defaults": defaults, "overrides": overrides}


def _parsed_xml(name: str, types: dict | None) -> bool:
    """True for a member the library parses as XML: every .rels, and the parts whose content
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
