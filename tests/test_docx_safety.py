"""DOCX container safety (issue item 9): real inflated bytes are bounded, python-docx only
sees checked XML parts of bounded size, and a DOCTYPE is found wherever and however the
prolog is encoded. Every fixture is built here, in tmp_path."""
from __future__ import annotations

import os
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest
from fixtures.render import add_hyperlink, add_hyperlink_style

from pipeline.errors import ReportError
from pipeline.readers import docx as docx_reader
from pipeline.readers import zipsafe
from pipeline.readers import read_document

ROOT = Path(__file__).resolve().parent.parent
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCTYPE = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'


def _png() -> bytes:
    """A valid 1x1 PNG, for python-docx's add_picture."""
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00")) + chunk(b"IEND", b""))


def normal_docx(path: Path, picture: bool = True) -> Path:
    """Heading, paragraphs, bulleted and numbered lists, a table, a hyperlink, a picture."""
    import io

    import docx

    d = docx.Document()
    add_hyperlink_style(d)
    d.core_properties.title = "Safety Title"
    d.core_properties.author = "Ana Lopes"
    d.add_heading("Water Forum", level=0)
    d.add_heading("Projects", level=1)
    d.add_paragraph("The forum met twice and agreed on three actions.")
    add_hyperlink(d.add_paragraph("More on the "), "AQUA4ALL site", "https://aqua4all.eu/")
    d.add_paragraph("First point", style="List Bullet")
    d.add_paragraph("Nested point", style="List Bullet 2")
    d.add_paragraph("Step one", style="List Number")
    if picture:
        d.add_picture(io.BytesIO(_png()))
    table = d.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Acronym", "Website"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "GSL", "www.gsl.eu"
    d.add_paragraph("Closing paragraph.")
    d.save(str(path))
    return path


def rewrite(path: Path, replace: dict[str, bytes | None], out: Path | None = None,
            compress: dict[str, int] | None = None) -> Path:
    """Copy the DOCX at `path` with members replaced (None: dropped) or added."""
    out = out or path
    with zipfile.ZipFile(path) as src:
        members = [(i.filename, src.read(i)) for i in src.infolist()]
    names = {n for n, _ in members}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members + [(n, d) for n, d in replace.items() if n not in names]:
            data = replace.get(name, data)
            if data is not None:
                zf.writestr(name, data, compress_type=(compress or {}).get(name, zipfile.ZIP_DEFLATED))
    return out


def declare_size(path: Path, member: str, size: int, field: str = "file_size") -> None:
    """Make the ZIP headers (local and central) of `member` lie about its inflated size
    (or, with field="CRC", its CRC-32)."""
    local_at, central_at = {"file_size": (22, 24), "CRC": (14, 16)}[field]
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        local = zf.getinfo(member).header_offset
    struct.pack_into("<I", data, local + local_at, size)
    eocd = data.rfind(b"PK\x05\x06")
    pos = struct.unpack_from("<I", data, eocd + 16)[0]
    while data[pos:pos + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<HHH", data, pos + 28)
        if data[pos + 46:pos + 46 + n].decode() == member:
            struct.pack_into("<I", data, pos + central_at, size)
        pos += 46 + n + m + k
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as zf:
        assert getattr(zf.getinfo(member), field) == size


def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def refused(path: Path) -> ReportError:
    with pytest.raises(ReportError) as err:
        read_document(path)
    return err.value


def build_bomb(path: Path, random_mib: int = 1, xml_mib: int = 180) -> Path:
    """A stored member of random bytes (incompressible, so the declared ratio stays under
    MAX_RATIO) plus a document.xml of ~180 MiB of tiny paragraphs deflated ~1000x."""
    base = normal_docx(path.with_suffix(".base.docx"), picture=False)
    with zipfile.ZipFile(base) as src:
        members = [(i.filename, src.read(i)) for i in src.infolist() if i.filename != "word/document.xml"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
        zf.writestr(zipfile.ZipInfo("word/media/noise.bin"), os.urandom(random_mib << 20),
                    compress_type=zipfile.ZIP_STORED)
        para = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 4096
        with zf.open("word/document.xml", "w") as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     f'<w:document xmlns:w="{W_NS}"><w:body>'.encode())
            for _ in range((xml_mib << 20) // len(para)):
                fh.write(para)
            fh.write(b"</w:body></w:document>")
    base.unlink()
    return path


READ_IN_SUBPROCESS = textwrap.dedent("""
    import resource, sys
    # A hard cap only so that an unbounded reader fails fast instead of taking GBs of a
    # shared machine; the assertion is on the peak RSS reported below.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    from pipeline.errors import ReportError
    from pipeline.readers import read_document
    try:
        read_document(sys.argv[1])
        print("read")
        print("")
    except ReportError as exc:
        print(exc.kind)
        print(exc.message)
    except MemoryError:
        print("MemoryError")
        print("")
    # the peak of this process's own memory since exec: ru_maxrss would also count the pages of
    # the (large) test process it was forked from, which Linux carries over exec
    try:
        with open("/proc/self/status") as fh:
            print(next(line.split()[1] for line in fh if line.startswith("VmHWM:")))  # KiB
    except (OSError, StopIteration):
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux
""")


@pytest.mark.parametrize("lying_header", [False, True])
def test_stored_random_plus_compressed_bomb_is_refused_with_bounded_memory(tmp_path, lying_header):
    path = build_bomb(tmp_path / "bomb.docx")
    if lying_header:  # the declared sizes say 2 kB: only counting inflated bytes catches it
        declare_size(path, "word/document.xml", 2048)
    with zipfile.ZipFile(path) as zf:  # the declared-size check alone lets it through
        declared = sum(i.file_size for i in zf.infolist())
        packed = sum(i.compress_size for i in zf.infolist())
    assert declared < docx_reader.MAX_UNCOMPRESSED and declared / packed < docx_reader.MAX_RATIO
    proc = subprocess.run([sys.executable, "-c", READ_IN_SUBPROCESS, str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    kind, message, maxrss_kib = proc.stdout.strip().split("\n")[-3:]
    assert int(maxrss_kib) < 400 * 1024, f"peak RSS {int(maxrss_kib) // 1024} MB ({kind}: {message})"
    assert kind == "unsafe_document", (kind, message, proc.stderr[-2000:])
    assert "word/document.xml" in message


def test_member_whose_header_lies_about_its_size_is_refused(tmp_path):
    path = normal_docx(tmp_path / "r.docx", picture=False)
    xml = document_xml(path)
    padding = "<w:p><w:r><w:t>padding</w:t></w:r></w:p>" * 50_000  # ~2 MB of real XML
    rewrite(path, {"word/document.xml": xml.replace("<w:body>", "<w:body>" + padding).encode()})
    declare_size(path, "word/document.xml", len(xml.encode()))
    err = refused(path)
    assert err.kind == "unsafe_document"
    assert "word/document.xml" in err.message and "declares" in err.message


def test_corrupt_xml_member_is_still_unreadable(tmp_path):
    path = normal_docx(tmp_path / "r.docx", picture=False)
    with zipfile.ZipFile(path) as zf:
        crc = zf.getinfo("word/document.xml").CRC
    declare_size(path, "word/document.xml", crc ^ 1, field="CRC")
    err = refused(path)
    assert err.kind == "unreadable_docx" and "CRC" in err.message


def test_media_member_is_never_inflated(tmp_path):
    """A picture python-docx does not need is not inflated, so its lying header (2 kB
    declared, 50 MB deflated) does not matter: the document reads, and reads as before."""
    path = normal_docx(tmp_path / "r.docx")
    with zipfile.ZipFile(path) as zf:
        media = [n for n in zf.namelist() if n.startswith("word/media/")]
    assert media
    expected = read_document(path)
    rewrite(path, {media[0]: b"\x00" * (50 << 20)})
    declare_size(path, media[0], 2048)
    got = read_document(path)
    assert got.blocks == expected.blocks and got.text == expected.text


def test_xml_part_over_the_part_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(zipsafe, "MAX_XML_PART", 64 * 1024)
    path = normal_docx(tmp_path / "r.docx", picture=False)
    xml = document_xml(path)
    padding = "<w:p><w:r><w:t>padding</w:t></w:r></w:p>" * 5_000  # ~200 kB
    rewrite(path, {"word/document.xml": xml.replace("<w:body>", "<w:body>" + padding).encode()})
    err = refused(path)
    assert err.kind == "unsafe_document" and "word/document.xml" in err.message


def test_xml_parts_over_the_total_limit_are_refused(tmp_path, monkeypatch):
    path = normal_docx(tmp_path / "r.docx", picture=False)
    with zipfile.ZipFile(path) as zf:  # the styles alone are more than the budget
        styles = zf.getinfo("word/styles.xml").file_size
    monkeypatch.setattr(zipsafe, "MAX_XML_TOTAL", styles // 2)
    err = refused(path)
    assert err.kind == "unsafe_document" and "in total" in err.message


def test_bzip2_member_is_refused(tmp_path):
    """bzip2 inflates a whole input chunk at once: no output limit can bound it."""
    path = normal_docx(tmp_path / "r.docx", picture=False)
    rewrite(path, {}, out=tmp_path / "bz.docx", compress={"word/document.xml": zipfile.ZIP_BZIP2})
    err = refused(tmp_path / "bz.docx")
    assert err.kind == "unsafe_document" and "word/document.xml" in err.message


def test_doctype_after_a_long_comment_is_refused(tmp_path):
    path = normal_docx(tmp_path / "r.docx", picture=False)
    decl, rest = document_xml(path).split("?>", 1)
    xml = decl + "?>\n<!--" + "x" * 10_240 + "-->\n" + DOCTYPE + rest.lstrip()
    rewrite(path, {"word/document.xml": xml.encode()})
    err = refused(path)
    assert err.kind == "unsafe_document" and "word/document.xml" in err.message


@pytest.mark.parametrize("encoding,bom", [
    ("utf-16", b""),  # Python writes the BOM (little-endian here)
    ("utf-16-be", b""),  # no BOM: detected from `<?` as 00 3C 00 3F
    ("utf-16-le", b"\xff\xfe"),
    ("utf-32", b""),
])
def test_utf16_and_utf32_document_with_doctype_is_refused(tmp_path, encoding, bom):
    path = normal_docx(tmp_path / "r.docx", picture=False)
    decl, rest = document_xml(path).split("?>", 1)
    label = "UTF-32" if "32" in encoding else "UTF-16"
    xml = f'<?xml version="1.0" encoding="{label}" standalone="yes"?>\n' + DOCTYPE + rest.lstrip()
    rewrite(path, {"word/document.xml": bom + xml.encode(encoding)})
    err = refused(path)
    assert err.kind == "unsafe_document" and "word/document.xml" in err.message


def test_utf16_document_without_doctype_still_reads(tmp_path):
    path = normal_docx(tmp_path / "r.docx", picture=False)
    expected = read_document(path)
    decl, rest = document_xml(path).split("?>", 1)
    xml = '<?xml version="1.0" encoding="UTF-16" standalone="yes"?>\n<!--' + "y" * 10_240 + "-->" + rest
    rewrite(path, {"word/document.xml": xml.encode("utf-16")})
    got = read_document(path)
    assert got.blocks == expected.blocks and got.text == expected.text


@pytest.mark.parametrize("declared", ["IBM037", "UTF-16", "x-no-such-encoding"])
def test_declared_encoding_the_scan_cannot_follow_is_refused(tmp_path, declared):
    """ASCII bytes declaring another encoding: the parser would re-read the rest in it."""
    path = normal_docx(tmp_path / "r.docx", picture=False)
    decl, rest = document_xml(path).split("?>", 1)
    xml = f'<?xml version="1.0" encoding="{declared}" standalone="yes"?>' + rest
    rewrite(path, {"word/document.xml": xml.encode()})
    err = refused(path)
    assert err.kind == "unsafe_document" and "word/document.xml" in err.message


@pytest.mark.parametrize("where", ["start", "after_comment"])
def test_doctype_in_core_properties_is_refused(tmp_path, where):
    path = normal_docx(tmp_path / "r.docx", picture=False)
    with zipfile.ZipFile(path) as zf:
        core = zf.read("docProps/core.xml").decode("utf-8")
    decl, rest = core.split("?>", 1)
    comment = "<!--" + "z" * 10_240 + "-->" if where == "after_comment" else ""
    doctype = '<!DOCTYPE cp:coreProperties [<!ENTITY t "Entity Title">]>'
    rest = rest.replace("Safety Title", "&t;")
    rewrite(path, {"docProps/core.xml": (decl + "?>" + comment + doctype + rest.lstrip()).encode()})
    err = refused(path)
    assert err.kind == "unsafe_document" and "docProps/core.xml" in err.message


def test_doctype_in_a_relationships_part_is_refused(tmp_path):
    path = normal_docx(tmp_path / "r.docx", picture=False)
    with zipfile.ZipFile(path) as zf:
        rels = zf.read("word/_rels/document.xml.rels").decode("utf-8")
    decl, rest = rels.split("?>", 1)
    xml = decl + "?><!--" + "r" * 10_240 + '--><!DOCTYPE Relationships [<!ENTITY e "x">]>' + rest.lstrip()
    rewrite(path, {"word/_rels/document.xml.rels": xml.encode()})
    err = refused(path)
    assert err.kind == "unsafe_document" and "word/_rels/document.xml.rels" in err.message


def test_python_docx_parsers_do_not_resolve_entities(tmp_path):
    from docx.opc.oxml import parse_xml as opc_parse_xml
    from docx.oxml.parser import parse_xml

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xml = (f'<!DOCTYPE x [<!ENTITY ext SYSTEM "{secret.as_uri()}"><!ENTITY int "INTERNAL">]>'
           f'<x xmlns="urn:x">&ext;&int;</x>').encode()
    for parse in (parse_xml, opc_parse_xml):
        text = "".join(parse(xml).itertext())
        assert "TOP-SECRET" not in text and "INTERNAL" not in text


def test_normal_docx_reads_exactly_as_before(tmp_path, monkeypatch):
    path = normal_docx(tmp_path / "r.docx")
    doc = read_document(path)
    # the unchecked way it was read before: python-docx on the file itself
    monkeypatch.setattr(docx_reader, "check_container", lambda p, source: str(p))
    assert read_document(path) == doc
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert kinds[:3] == [("heading", "Water Forum"), ("heading", "Projects"),
                         ("paragraph", "The forum met twice and agreed on three actions.")]
    assert ("list_item", "Step one") in kinds and ("table_row", "GSL | www.gsl.eu") in kinds
    link = next(b for b in doc.blocks if b.links).links[0]
    assert link.url == "https://aqua4all.eu/" and doc.text[link.char_start:link.char_end] == "AQUA4ALL site"
    assert doc.meta_fallback == {"title": "Safety Title", "author": "Ana Lopes"}
