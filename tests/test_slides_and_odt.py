"""PPTX and ODT readers (issue 14): what each structure becomes in the document model, and
hostile files (ZIP bombs, entity declarations, broken archives) refused with an error row.
Every fixture is built here, in tmp_path."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from fixtures.render import ODT_MIME, render_odt, stable_zip
from test_docx_safety import DOCTYPE, declare_size, rewrite

from pipeline.batch import run_batch
from pipeline.errors import ReportError
from pipeline.model import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW
from pipeline.readers import read_document


def deck(path: Path) -> Path:
    """Two slides: a title slide; a content slide with bullets at two levels, a numbered
    item, a plain text box with a link, a table, a footer, and speaker notes."""
    import pptx
    from pptx.util import Inches

    prs = pptx.Presentation()
    prs.core_properties.title = "Harbour Days 2024"
    prs.core_properties.author = "Port Network"
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = "Harbour Days 2024"
    first.placeholders[1].text = "Antwerp, 12-13 June 2024"
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Projects presented"
    body = slide.placeholders[1].text_frame
    body.text = "SEAPORT: 40 partners"
    sub = body.add_paragraph()
    sub.text, sub.level = "Pilots in 6 ports", 1
    numbered = body.add_paragraph()
    numbered.text = "Share the data platform"
    numbered._p.get_or_add_pPr().append(numbered._p.makeelement(
        "{http://schemas.openxmlformats.org/drawingml/2006/main}buAutoNum", {"type": "arabicPeriod"}))
    box = slide.shapes.add_textbox(Inches(0.5), Inches(5.2), Inches(8), Inches(0.5))
    run = box.text_frame.paragraphs[0].add_run()
    run.text = "See the project website"
    run.hyperlink.address = "https://seaport-project.eu/"
    table = slide.shapes.add_table(2, 2, Inches(0.5), Inches(6), Inches(8), Inches(1)).table
    table.cell(0, 0).text, table.cell(0, 1).text = "Project", "Budget"
    table.cell(1, 0).text, table.cell(1, 1).text = "SEAPORT", "EUR 3 million"
    slide.notes_slide.notes_text_frame.text = "The speaker thanked 120 participants."
    buffer = io.BytesIO()
    prs.save(buffer)
    path.write_bytes(stable_zip(buffer.getvalue()))
    return path


def test_a_deck_reads_as_slides_titles_bullets_tables_and_notes(tmp_path):
    doc = read_document(deck(tmp_path / "harbour.pptx"))
    assert doc.format == "pptx" and doc.pages == 2
    got = [(b.kind, b.text, b.page) for b in doc.blocks]
    assert got[0] == (HEADING, "Harbour Days 2024", 1)
    assert (PARAGRAPH, "Antwerp, 12-13 June 2024", 1) in got
    assert (HEADING, "Projects presented", 2) in got
    items = [b for b in doc.blocks if b.kind == LIST_ITEM]
    assert [(b.text, b.depth, b.ordered) for b in items] == [
        ("SEAPORT: 40 partners", 0, False), ("Pilots in 6 ports", 1, False), ("Share the data platform", 0, True)]
    link = next(b for b in doc.blocks if "project website" in b.text)
    assert link.kind == PARAGRAPH and [x.url for x in link.links] == ["https://seaport-project.eu/"]
    rows = [b for b in doc.blocks if b.kind == TABLE_ROW]
    assert [b.cells for b in rows] == [["Project", "Budget"], ["SEAPORT", "EUR 3 million"]] and rows[0].header
    assert doc.blocks[-1].text == "The speaker thanked 120 participants." and doc.blocks[-1].page == 2
    assert doc.meta_fallback == {"title": "Harbour Days 2024", "author": "Port Network"}


def odt(path: Path) -> Path:
    """An ODT written as LibreOffice would: heading styles, nested and numbered lists, a
    table with a covered cell, a link, spaces, a footnote, a soft page break."""
    from pipeline.model import Block, Document

    blocks = [Block(kind=HEADING, text="Rural Mobility Day", lines=["Rural Mobility Day"], level=1),
              Block(kind=PARAGRAPH, text="Held in Lyon on 4 March 2024.", lines=["Held in Lyon on 4 March 2024."])]
    doc = Document(source="x", path="x", format="markdown", sha256="0", text="", blocks=blocks,
                   meta={"title": "Rural Mobility Day", "author": "Réseau Rural"})
    render_odt(doc, path)
    return path


def _content(path: Path, body: str) -> Path:
    """Replace the office:text of an ODT."""
    with zipfile.ZipFile(path) as zf:
        content = zf.read("content.xml").decode("utf-8")
    start = content.index("<office:text>") + len("<office:text>")
    end = content.index("</office:text>")
    return rewrite(path, {"content.xml": (content[:start] + body + content[end:]).encode("utf-8")})


def test_an_odt_reads_headings_lists_tables_links_and_notes(tmp_path):
    path = _content(odt(tmp_path / "day.odt"), (
        '<text:p text:style-name="Title">Rural Mobility Day</text:p>'
        '<text:h text:outline-level="2">Projects</text:h>'
        '<text:p>Visit <text:a xlink:href="https://ruralmob.eu">the site</text:a> of<text:s text:c="2"/>RURALMOB'
        '<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>Funded by LEADER.</text:p>'
        '</text:note-body></text:note> today.</text:p>'
        '<text:list text:style-name="Numbers"><text:list-item><text:p>Open the lines</text:p>'
        '<text:list text:style-name="Bullets"><text:list-item><text:p>in 12 villages</text:p></text:list-item>'
        '</text:list></text:list-item></text:list>'
        '<text:soft-page-break/>'
        '<table:table><table:table-header-rows><table:table-row><table:table-cell><text:p>Project</text:p>'
        '</table:table-cell><table:table-cell><text:p>Villages</text:p></table:table-cell></table:table-row>'
        '</table:table-header-rows><table:table-row><table:table-cell><text:p>RURALMOB</text:p></table:table-cell>'
        '<table:covered-table-cell/></table:table-row></table:table>'))
    doc = read_document(path)
    assert doc.format == "odt" and doc.pages == 2
    got = [(b.kind, b.text) for b in doc.blocks]
    assert got[0] == (HEADING, "Rural Mobility Day") and got[1] == (HEADING, "Projects")
    para = doc.blocks[2]
    assert para.text == "Visit the site of RURALMOB today." and [x.url for x in para.links] == ["https://ruralmob.eu"]
    assert got[3] == (PARAGRAPH, "Funded by LEADER.")  # the note after its paragraph, not inside it
    items = [(b.text, b.depth, b.ordered) for b in doc.blocks if b.kind == LIST_ITEM]
    assert items == [("Open the lines", 0, True), ("in 12 villages", 1, False)]
    rows = [b for b in doc.blocks if b.kind == TABLE_ROW]
    assert [r.cells for r in rows] == [["Project", "Villages"], ["RURALMOB", ""]] and rows[0].header
    assert rows[0].page == 2
    assert doc.meta_fallback == {"title": "Rural Mobility Day", "author": "Réseau Rural"}


def test_an_odt_is_known_by_its_mimetype_whatever_its_name(tmp_path):
    path = odt(tmp_path / "day.odt")
    renamed = tmp_path / "day.bin"
    renamed.write_bytes(path.read_bytes())
    assert read_document(renamed).format == "odt"


def _refused(path: Path) -> ReportError:
    with pytest.raises(ReportError) as err:
        read_document(path)
    return err.value


def _sample(kind: str, tmp_path: Path) -> tuple[Path, str]:
    """A good file of `kind` and the XML part of it with the report's text."""
    if kind == "pptx":
        return deck(tmp_path / "d.pptx"), "ppt/slides/slide2.xml"
    return odt(tmp_path / "d.odt"), "content.xml"


@pytest.mark.parametrize("kind", ["pptx", "odt"])
def test_entity_declarations_are_refused(tmp_path, kind):
    path, part = _sample(kind, tmp_path)
    with zipfile.ZipFile(path) as zf:
        xml = zf.read(part).decode("utf-8")
    head, _, rest = xml.partition("?>")
    rewrite(path, {part: (head + "?>" + DOCTYPE.replace("w:document", "root") + rest).encode("utf-8")})
    err = _refused(path)
    assert err.kind == "unsafe_document" and "DOCTYPE" in err.message


@pytest.mark.parametrize("kind", ["pptx", "odt"])
def test_a_member_inflating_past_its_header_is_refused(tmp_path, kind):
    path, part = _sample(kind, tmp_path)
    with zipfile.ZipFile(path) as zf:
        size = zf.getinfo(part).file_size
    declare_size(path, part, size // 2)
    err = _refused(path)
    assert err.kind == "unsafe_document" and "inflates to more than" in err.message


def test_a_declared_bomb_is_refused(tmp_path):
    path = odt(tmp_path / "d.odt")
    declare_size(path, "content.xml", 300 * 1024 * 1024)
    assert _refused(path).kind == "unsafe_document"


@pytest.mark.parametrize("name,kind", [("broken.pptx", "unreadable_pptx"), ("broken.odt", "unreadable_odt")])
def test_broken_archives_are_error_rows_not_tracebacks(tmp_path, name, kind):
    folder = tmp_path / "in"
    folder.mkdir()
    good = deck(tmp_path / "d.pptx") if name.endswith("pptx") else odt(tmp_path / "d.odt")
    (folder / name).write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])  # cut in half
    (folder / "empty-zip.pptx").write_bytes(b"PK\x03\x04" + b"\0" * 40)
    summary = run_batch([folder], tmp_path / "out", jobs=1)
    errors = {e.source: e.error for e in summary.result.errors}
    assert errors == {name: kind, "empty-zip.pptx": "unreadable_pptx"}


def test_a_zip_that_is_no_odt_says_so(tmp_path):
    path = tmp_path / "x.odt"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", ODT_MIME)
        zf.writestr("notes.txt", "hello")
    err = _refused(path)
    assert err.kind == "unreadable_odt" and "content.xml" in err.message


# -- found in review: each of these once ended in an internal error, a blow-up or a wrong row --

@pytest.mark.parametrize("kind", ["pptx", "docx"])
def test_a_package_without_content_types_is_unreadable_not_internal(tmp_path, kind):
    from test_docx_safety import normal_docx

    path = deck(tmp_path / "d.pptx") if kind == "pptx" else normal_docx(tmp_path / "d.docx")
    rewrite(path, {"[Content_Types].xml": None})
    err = _refused(path)
    assert err.kind == f"unreadable_{kind}" and "[Content_Types].xml" in err.message


def test_odd_shapes_never_lose_the_slide(tmp_path):
    import re

    path = deck(tmp_path / "d.pptx")
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("ppt/slides/slide2.xml")
    # a shape without geometry (python-pptx cannot name its type) and an ink content part
    xml = re.sub(rb"<a:prstGeom prst=\"rect\">.*?</a:prstGeom>", b"", xml, count=1)
    xml = xml.replace(b"</p:spTree>", b'<p:contentPart r:id="rId99"/></p:spTree>', 1)
    rewrite(path, {"ppt/slides/slide2.xml": xml})
    doc = read_document(path)
    texts = [b.text for b in doc.blocks]
    assert "Projects presented" in texts and "See the project website" in texts
    assert any("could not be read" in w and "contentPart" in w for w in doc.warnings)


def test_odt_counts_and_levels_are_bounded_and_checked(tmp_path):
    path = _content(odt(tmp_path / "d.odt"), (
        '<text:h text:outline-level="x">Odd level</text:h>'
        '<text:p>a<text:s text:c="300000000"/>b<text:s text:c="²"/>c</text:p>'))
    doc = read_document(path)
    assert [(b.kind, b.level) for b in doc.blocks][0] == (HEADING, 1)
    assert doc.blocks[1].text == "a b c" and doc.pages == 1


def test_a_table_in_a_cell_is_read_once(tmp_path):
    path = _content(odt(tmp_path / "d.odt"), (
        '<table:table><table:table-row><table:table-cell><text:p>Outer A</text:p><table:table>'
        '<table:table-row><table:table-cell><text:p>Inner X</text:p></table:table-cell><table:table-cell>'
        '<text:p>Inner Y</text:p></table:table-cell></table:table-row></table:table></table:table-cell>'
        '<table:table-cell><text:p>Outer B</text:p></table:table-cell></table:table-row></table:table>'))
    rows = [b.text for b in read_document(path).blocks if b.kind == TABLE_ROW]
    assert rows == ["Outer A | Outer B", "Inner X | Inner Y"]
