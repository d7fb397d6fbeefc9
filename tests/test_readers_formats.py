"""PDF, DOCX and HTML readers on small fixtures built here, one behaviour each."""
import zipfile

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.errors import ReportError
from pipeline.model import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW
from pipeline.readers import read_document


def pdf(path, pages, title=None):
    """pages: list of [(x, y_from_top, text, size, bold)]; link annotations as ("link", x, y, w, url)."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    if title:
        c.setTitle(title)
        c.setAuthor("Ana Lopes")
    height = A4[1]
    for items in pages:
        for item in items:
            if item[0] == "link":
                _, x, y, w, url = item
                c.linkURL(url, (x, height - y - 2, x + w, height - y + 10), relative=0, thickness=0)
                continue
            x, y, text, size, bold = item
            c.setFont("Helvetica-Bold" if bold else "Helvetica", size)
            c.drawString(x, height - y, text)
        c.showPage()
    c.save()
    return path


def body(lines, x=60, y=120, size=10, step=14):
    return [(x, y + i * step, t, size, False) for i, t in enumerate(lines)]


ENGINES = pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])


@ENGINES
def test_pdf_headings_paragraphs_lists_hyphens_and_running_lines(tmp_path, engine):
    page = [(60, 40, "Forum report 2024 · running header", 8, False), (60, 80, "Green Skills Forum", 18, True)]
    page += body(["The forum gathered many partner-", "ships from the region and discussed re-",
                  "skilling of workers in non-", "EU countries."], y=120)
    page += [(60, 200, "Key recommendations", 13, True)]
    page += body(["• Create a regional fund for", "  rural schools", "• Share data openly"], y=230)
    page += [(280, 810, "Page 1 of 2", 8, False)]
    page2 = [(60, 40, "Forum report 2024 · running header", 8, False)] + body(["Up-skilling and re-skilling matter."])
    page2 += [(280, 810, "Page 2 of 2", 8, False)]
    doc = read_document(pdf(tmp_path / "r.pdf", [page, page2], title="Green Skills Forum"), pdf_engine=engine)
    assert doc.pages == 2
    kinds = [(b.kind, b.text, b.page) for b in doc.blocks]
    assert kinds == [
        (HEADING, "Green Skills Forum", 1),
        (PARAGRAPH, "The forum gathered many partnerships from the region and discussed re-skilling of workers "
                    "in non-EU countries.", 1),
        (HEADING, "Key recommendations", 1),
        (LIST_ITEM, "Create a regional fund for rural schools", 1),
        (LIST_ITEM, "Share data openly", 1),
        (PARAGRAPH, "Up-skilling and re-skilling matter.", 2),
    ]
    # a short first page under a large title is a title page: its title is the page's title;
    # its sentences and lists stay text; its headings are front matter (sections still read them)
    assert doc.meta_fallback == {"title": "Green Skills Forum", "author": "Ana Lopes", "page_title": "Green Skills Forum"}
    assert [b.front for b in doc.blocks] == [True, False, True, False, False, False]


@ENGINES
def test_pdf_two_columns_are_read_one_after_the_other(tmp_path, engine):
    left = body([f"Left column line {i} of the text" for i in range(12)], x=60, y=150)
    right = body([f"Right column line {i} goes here" for i in range(12)], x=320, y=150)
    doc = read_document(pdf(tmp_path / "c.pdf", [[(60, 100, "A Title That Spans Both Columns Of The Page", 16, True)]
                                                   + left + right]), pdf_engine=engine)
    text = doc.text
    assert text.startswith("A Title That Spans Both Columns Of The Page")
    assert text.index("Left column line 11") < text.index("Right column line 0")


@ENGINES
def test_pdf_link_annotations_attach_to_covered_text(tmp_path, engine):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    x = 60 + stringWidth("The AQUA4ALL project ", "Helvetica", 10)
    w = stringWidth("website", "Helvetica", 10)
    items = body(["The AQUA4ALL project website is online now."]) + [("link", x, 120, w, "https://aqua4all.eu/")]
    doc = read_document(pdf(tmp_path / "l.pdf", [items]), pdf_engine=engine)
    (block,) = doc.blocks
    (link,) = block.links
    assert link.url == "https://aqua4all.eu/"
    assert doc.text[link.char_start:link.char_end] == "website"


def test_pdf_without_text_is_no_text_layer(tmp_path):
    c = canvas.Canvas(str(tmp_path / "scan.pdf"), pagesize=A4, invariant=1)
    c.rect(50, 50, 300, 300, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(ReportError) as err:
        read_document(tmp_path / "scan.pdf", ocr="off")
    assert err.value.kind == "no_text_layer" and "--ocr" in err.value.message
    with pytest.raises(ReportError) as err:  # OCR, where an engine is installed, finds nothing either
        read_document(tmp_path / "scan.pdf")
    assert err.value.kind == "no_text_layer"


def test_pdf_truncated_and_garbage(tmp_path):
    good = pdf(tmp_path / "g.pdf", [body(["Some text here."])]).read_bytes()
    (tmp_path / "cut.pdf").write_bytes(good[: len(good) // 3])
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100)
    for name in ("cut.pdf", "junk.pdf"):
        with pytest.raises(ReportError) as err:
            read_document(tmp_path / name)
        assert err.value.kind in ("unreadable_pdf", "empty_document"), (name, err.value.kind)


@ENGINES
def test_pdf_password(tmp_path, engine):
    from reportlab.lib import pdfencrypt

    c = canvas.Canvas(str(tmp_path / "p.pdf"), pagesize=A4, invariant=1,
                      encrypt=pdfencrypt.StandardEncryption("s3cret", canPrint=1))
    c.drawString(60, 700, "Secret minutes of the board.")
    c.showPage()
    c.save()
    with pytest.raises(ReportError) as err:
        read_document(tmp_path / "p.pdf", pdf_engine=engine)
    assert err.value.kind == "encrypted" and "--password" in err.value.message
    assert "Secret minutes" in read_document(tmp_path / "p.pdf", password="s3cret", pdf_engine=engine).text


def docx_file(path):
    import docx
    from docx.enum.text import WD_BREAK
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement

    d = docx.Document()
    d.core_properties.title = "Props Title"
    d.core_properties.author = "Paul Martin"
    d.add_heading("Water Forum", level=0)
    d.add_heading("Projects", level=1)
    p = d.add_paragraph("More on the ")
    rid = p.part.relate_to("https://aqua4all.eu/", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "AQUA4ALL site"
    run.append(t)
    link.append(run)
    p._p.append(link)
    d.add_paragraph("First point", style="List Bullet")
    d.add_paragraph("Nested point", style="List Bullet 2")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    table = d.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Acronym", "Website"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "GSL", "www.gsl.eu"
    d.save(str(path))
    return path


def test_docx_structure(tmp_path):
    doc = read_document(docx_file(tmp_path / "r.docx"))
    assert [(b.kind, b.text, b.level, b.depth, b.page) for b in doc.blocks] == [
        (HEADING, "Water Forum", 1, 0, 1), (HEADING, "Projects", 1, 0, 1),
        (PARAGRAPH, "More on the AQUA4ALL site", 0, 0, 1),
        (LIST_ITEM, "First point", 0, 0, 1), (LIST_ITEM, "Nested point", 0, 1, 1),
        (TABLE_ROW, "Acronym | Website", 0, 0, 2), (TABLE_ROW, "GSL | www.gsl.eu", 0, 0, 2),
    ]
    link = doc.blocks[2].links[0]
    assert link.url == "https://aqua4all.eu/" and doc.text[link.char_start:link.char_end] == "AQUA4ALL site"
    assert doc.pages == 2 and doc.meta_fallback == {"title": "Props Title", "author": "Paul Martin"}
    assert doc.blocks[5].cells == ["Acronym", "Website"] and doc.blocks[5].header


def _zip(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("entries,kind", [
    (None, "unreadable_docx"),
    ({"hello.txt": "not word"}, "unreadable_docx"),
    ({"word/document.xml": b"\x00" * (20 * 1024 * 1024)}, "unsafe_document"),  # 20 MB in ~20 KB
    ({"word/document.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'}, "unsafe_document"),
])
def test_bad_docx(tmp_path, entries, kind):
    path = tmp_path / "bad.docx"
    if entries is None:
        path.write_bytes(b"this is not a zip file at all")
    else:
        _zip(path, entries)
    with pytest.raises(ReportError) as err:
        read_document(path)
    assert err.value.kind == kind


HTML = """<!doctype html><html><head><title>Forum | Example network</title>
<meta name="author" content="Ana Lopes"><style>.x{width:500px}</style><script>var n = 84;</script></head>
<body><header><nav><a href="https://example.org/">Home</a> 2025</nav></header>
<main><h1>Water Forum</h1><p>The Census 2021<sup>2</sup> counted 84 projects; see
<a href="https://aqua4all.eu/">the site</a>, <a href="#top">top</a> and <a href="mailto:a@b.eu">mail</a>.</p>
<h2>Next steps</h2><ul><li>Fund schools<ul><li>in rural areas</li></ul></li><li>Share data</li></ul>
<table><thead><tr><th>Acronym</th><th>Website</th></tr></thead><tbody><tr><td>GSL</td><td>www.gsl.eu</td></tr></tbody></table>
</main><footer>© 2025 Example · 12 Rue de la Loi</footer></body></html>"""


def test_html_structure(tmp_path):
    (tmp_path / "r.html").write_text(HTML, encoding="utf-8")
    doc = read_document(tmp_path / "r.html")
    assert [(b.kind, b.text, b.depth) for b in doc.blocks] == [
        (HEADING, "Water Forum", 0),
        (PARAGRAPH, "The Census 2021 counted 84 projects; see the site, top and mail.", 0),
        (HEADING, "Next steps", 0),
        (LIST_ITEM, "Fund schools", 0), (LIST_ITEM, "in rural areas", 1), (LIST_ITEM, "Share data", 0),
        (TABLE_ROW, "Acronym | Website", 0), (TABLE_ROW, "GSL | www.gsl.eu", 0),
    ]
    assert [l.url for l in doc.blocks[1].links] == ["https://aqua4all.eu/"]
    assert doc.meta_fallback["title"] == "Forum | Example network" and doc.meta_fallback["author"] == "Ana Lopes"


@ENGINES
def test_a_ruled_frame_around_prose_is_read_as_text_column_by_column(tmp_path, engine):
    """A Word layout table (a label column, a text column, a rule under every line) is running
    text: its sentences are whole and the labels do not cut into them."""
    prose = ["The registry should let every member state publish its own models and",
             "keep them up to date, so that other administrations can find and reuse",
             "them without asking the editors first. Participants also asked for a",
             "simple way to compare two versions of a model, which the team will study",
             "before the next workshop in the spring of the coming year together."]
    path = tmp_path / "frame.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    height, top, step = A4[1], 120, 16
    c.setFont("Helvetica", 10)
    c.drawString(60, height - 90, "Workshop summary")
    c.drawString(65, height - (top + 2 * step + 11), "Moderator:")
    for i, line in enumerate(prose):
        c.drawString(165, height - (top + i * step + 11), line)
    bottom = top + len(prose) * step
    for x in (60, 160, 545):
        c.line(x, height - top, x, height - bottom)
    for i in range(len(prose) + 1):
        c.line(60, height - (top + i * step), 545, height - (top + i * step))
    c.showPage()
    c.save()
    doc = read_document(path, pdf_engine=engine)
    assert not [b for b in doc.blocks if b.kind == TABLE_ROW]
    assert " ".join(prose) in doc.text  # one sentence flow, no label inside it
    assert "Moderator:" in doc.text


@ENGINES
def test_a_cover_tiled_with_filled_rectangles_is_no_table(tmp_path, engine):
    """A designed cover tiles the page with filled squares that bleed off its edges; the table
    finder reads them as a grid whose edges cut the title in two (`OSPOlo | gy`). It is drawing:
    the title and the names under it stay text."""
    path = tmp_path / "cover.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    c.setFillColorRGB(0.9, 0.9, 0.95)
    for row in range(-1, 8):
        for col in range(-1, 5):
            if (row + col) % 3:
                c.rect(col * 130 + 40, height - (row + 1) * 130, 130, 130, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica-Bold", 40)
    c.drawString(60, height - 250, "Openology Report")
    c.setFont("Helvetica", 10)
    c.drawString(60, height - 330, "Ana Lopes, Program Manager")
    c.showPage()
    c.setFont("Helvetica", 10)
    c.drawString(60, height - 100, "The summit gathered the maintainers of many projects.")
    c.showPage()
    c.save()
    doc = read_document(path, pdf_engine=engine)
    assert not [b for b in doc.blocks if b.kind == TABLE_ROW]
    assert doc.blocks[0].kind == HEADING and doc.blocks[0].text == "Openology Report"
    assert "Ana Lopes, Program Manager" in doc.text


@ENGINES
def test_heading_lines_of_another_weight_or_alignment_are_separate_headings(tmp_path, engine):
    """A letterhead's right-aligned lines, the bold minutes title under them and a bold,
    left-aligned `Participants :` share a size but are three headings; a centred title wrapped
    over two lines stays one."""
    path = tmp_path / "minutes.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    for y, text, font in [(115, "Groupe de Travail Accessibilité", "Helvetica"),
                          (130, "Commission des standards", "Helvetica"),
                          (145, "CR de réunion du 2 juillet 2024", "Helvetica-Bold")]:
        c.setFont(font, 12)
        c.drawRightString(527, height - y, text)
    c.setFont("Helvetica-Bold", 12)
    c.drawString(71, height - 161, "Participants :")
    for y, text in [(300, "Rencontres nationales des acteurs"), (315, "du logiciel libre")]:
        c.setFont("Helvetica", 14)
        c.drawCentredString(width / 2, height - y, text)
    c.setFont("Helvetica", 10)
    for i in range(12):
        c.drawString(71, height - (200 + 12 * i) - (150 if i > 5 else 0),
                     "Le groupe a examiné les propositions reçues et les a discutées en séance.")
    c.showPage()
    c.save()
    headings = [b.text for b in read_document(path, pdf_engine=engine).blocks if b.kind == HEADING]
    assert headings[:3] == ["Groupe de Travail Accessibilité Commission des standards",
                            "CR de réunion du 2 juillet 2024", "Participants :"]
    assert "Rencontres nationales des acteurs du logiciel libre" in headings


@pytest.mark.parametrize("first, second, joined", [
    ("see https://example.org/collection/semantic-", "interoperability-community for more",
     "see https://example.org/collection/semantic-interoperability-community for more"),
    ("at www.example.eu/the-open-", "data-portal today", "at www.example.eu/the-open-data-portal today"),
    ("at example.eu/to-unveil-", "new-policy today", "at example.eu/to-unveil-new-policy today"),
    ("the partner-", "ships grew", "the partnerships grew"),  # a word, not an address: hyphenation
])
def test_a_hyphen_ending_a_line_inside_an_address_stays(first, second, joined):
    from pipeline.readers.layout import join_hyphenated
    assert join_hyphenated(first, second, set(), set()) == joined


@ENGINES
def test_small_capitals_are_one_word(tmp_path, engine):
    """`REPORT` set in small capitals: a 12 pt `R` then `EPORT` at 9.6 pt, touching."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    path = tmp_path / "caps.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    x, y = 60, A4[1] - 100
    for word in ("REPORT", "ON", "THE", "MEETING"):
        c.setFont("Helvetica", 12)
        c.drawString(x, y, word[0])
        x += stringWidth(word[0], "Helvetica", 12)
        c.setFont("Helvetica", 9.6)
        c.drawString(x, y, word[1:])
        x += stringWidth(word[1:], "Helvetica", 9.6) + stringWidth(" ", "Helvetica", 12)
    c.setFont("Helvetica", 10)
    c.drawString(60, A4[1] - 140, "The group met in the morning and discussed results.")
    c.showPage()
    c.save()
    doc = read_document(path, pdf_engine=engine)
    assert "REPORT ON THE MEETING" in doc.text


@pytest.mark.parametrize("first, second, joined", [
    ("Zenodo. https://doi.org/10.", "5281/zenodo.3695725 [data]", "Zenodo. https://doi.org/10.5281/zenodo.3695725 [data]"),
    ("at 0%: https://data.example.eu/mqa/interoperability?local", "e=en? The editors",
     "at 0%: https://data.example.eu/mqa/interoperability?locale=en? The editors"),
    ("see https://example.org/docs/", "for more", None),  # words after an address
    ("https://example.org/a/", "https://example.org/b", None),  # the next address
    ("the partner/", "ships grew", None),  # no address
    ("results are at https://data.europa.eu.", "40% of respondents", None),  # the next sentence
    ("www.example.org/", "and/or the rest", None),
    ("see https://example.org", "E=mc2 is famous", None),
    ("see https://x.org/form.", "24/7 support", None),
])
def test_an_address_broken_at_a_line_end_is_joined(first, second, joined):
    from pipeline.readers.layout import join_broken_url
    assert join_broken_url(first, second) == joined


@ENGINES
def test_a_known_section_name_alone_on_its_line_is_a_heading(tmp_path, engine):
    """`Abstract` in body type, and `List of Participants` in a table row of its own."""
    page = [(60, 100, "Abstract", 10, False)] + body(["The note describes the outcome of the discussions of the",
                                                        "group. It summarises the tools that were compared."], y=130)
    path = tmp_path / "names.pdf"
    pdf(path, [page])
    c = canvas.Canvas(str(tmp_path / "form.pdf"), pagesize=A4, invariant=1)
    h, top, step = A4[1], 120, 18
    rows = [("List of Participants", ""), ("Name", "Organisation"), ("Ana Lopes", "Example Institute")]
    c.setFont("Helvetica", 10)
    for i, (a, b) in enumerate(rows):
        c.drawString(65, h - (top + i * step + 12), a)
        c.drawString(265, h - (top + i * step + 12), b)
    for x in (60, 260, 500):
        c.line(x, h - top, x, h - (top + len(rows) * step))
    for i in range(len(rows) + 1):
        c.line(60, h - (top + i * step), 500, h - (top + i * step))
    c.drawString(60, h - 220, "The group met twice during the year.")
    c.showPage()
    c.save()
    doc = read_document(path, pdf_engine=engine)
    assert (doc.blocks[0].kind, doc.blocks[0].text) == (HEADING, "Abstract")
    form = read_document(tmp_path / "form.pdf", pdf_engine=engine)
    assert [(b.kind, b.text) for b in form.blocks][:2] == [(HEADING, "List of Participants"),
                                                           (TABLE_ROW, "Name | Organisation")]


def test_a_table_of_records_with_empty_columns_is_no_prose_frame():
    from pipeline.readers.tables import is_prose_frame
    actions = [["Action", "Owner", "Due"]] + [[f"Contact the partner universities about item {i}.", "", ""]
                                              for i in range(5)]
    prose = [["", "Claudio introduced this use case by asking how Member States expect"],
             ["", "to co-design models on the registry; what would help with the co-"],
             ["", "designing process and how the registry would be used by them all."]]
    assert not is_prose_frame(actions)
    assert is_prose_frame(prose)


def test_an_article_header_is_read_and_the_site_banner_is_not(tmp_path):
    """`<header>` inside an article holds its title and byline; the page's banner outside it is
    site chrome. A card (a link wrapped around a heading) keeps its heading."""
    page = ("<html><body><header><h1>Example site</h1><nav>Home</nav></header><main><article>"
            "<header><h1>Retour sur les rencontres 2024</h1><p>Publié le 3 juin 2024 par Ana Lopes</p></header>"
            "<p>Les rencontres ont réuni la communauté.</p>"
            '<a href="/ateliers/eau/"><div class="card"><header><h2>Ateliers : ressource en eau</h2></header></div></a>'
            "</article></main></body></html>")
    path = tmp_path / "retour.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    headings = [b.text for b in doc.blocks if b.kind == HEADING]
    assert headings == ["Retour sur les rencontres 2024", "Ateliers : ressource en eau"]
    assert "Publié le 3 juin 2024 par Ana Lopes" in doc.text and "Example site" not in doc.text
