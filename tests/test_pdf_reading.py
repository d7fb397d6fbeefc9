"""Real PDFs read as written, on both engines: word spacing, footnote marks, front matter,
slides, links, image-only pages, and the layout settings that govern them.

Fixtures: the real PDFs of tests/fixtures/pdf (origin and licence in its SOURCES.md) and of the
real corpus's tune part (tests/real/docs, never its held-out part), plus a few built here where
a real file would not isolate the behaviour (a rotated label, an image-only page).
"""
import dataclasses
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pipeline.api import extract_file
from pipeline.extractors.metadata import MetadataFinder
from pipeline.model import HEADING, LIST_ITEM
from pipeline.readers import read_document
from pipeline.readers.layout import Word, settle_marks
from pipeline.readers.layout_settings import DEFAULT_SETTINGS, LayoutSettings
from pipeline.rules import load_rules

ROOT = Path(__file__).resolve().parent
FIXTURES = ROOT / "fixtures" / "pdf"
TUNE = ROOT / "real" / "docs"
ENGINES = pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])

sys.path.insert(0, str(ROOT.parent / "bench"))
from pdf_words import agreement, reference_text, words  # noqa: E402


def read(path, engine):
    return read_document(path, pdf_engine=engine)


# -- word spacing -----------------------------------------------------------------------

@ENGINES
@pytest.mark.parametrize("name", ["conseil-logiciels-libres-avis-ngi-fr.pdf", "hsf-technical-note-vacuum-platform-en.pdf",
                                  "floss-esr-2022-atelier-1-synthese-fr.pdf"])
def test_our_words_are_pdfminers_words(name, engine):
    """Nothing glued, nothing split: at least 99% of our words are in pdfminer's text (a
    LibreOffice file whose descenders stretch PDFium's boxes split words at `g` and `p`)."""
    path = FIXTURES / name
    ref = words(reference_text(path))
    ours_in_ref, _ = agreement(words("\n".join(b.text for b in read(path, engine).blocks)), ref)
    assert ours_in_ref >= 0.99
    # and nothing lost but the running lines we remove (kept here through the settings)
    kept = read_document(path, pdf_engine=engine, layout={"running_min_share": 2.0, "page_number_zone": 0.0})
    assert agreement(words("\n".join(b.text for b in kept.blocks)), ref)[1] >= 0.97


@ENGINES
def test_words_without_a_space_glyph_stay_apart_and_a_stray_space_does_not_cut_a_word(engine):
    # the PDFium engine glued `of` + `the` (no space glyph, a small gap); a space drawn over
    # the `t` of `dépôt` cut it in two for pdfplumber
    text = read(TUNE / "a-biohackathon-2020-wikidata-subsetting-en.pdf", engine).text
    assert "Proceedings of the 10th" in text and "ofthe" not in text
    text = read(TUNE / "g-cnig-gt-friches-2022-05-fr.pdf", engine).text
    assert "dépôt" in text and "dépô t" not in text


@ENGINES
def test_elided_article_set_in_another_font_joins_its_word(engine):
    text = read(FIXTURES / "conseil-logiciels-libres-avis-ngi-fr.pdf", engine).text
    assert "L’Internet de nouvelle génération" in text and "L’ Internet" not in text


# -- footnote marks and ordinals ----------------------------------------------------------

@ENGINES
def test_raised_footnote_marks_are_left_out_and_ordinals_join_their_number(engine):
    text = read(FIXTURES / "conseil-logiciels-libres-avis-ngi-fr.pdf", engine).text
    assert "Gartner, qui" in text and "Gartner4" not in text and "Gartner 4" not in text
    assert "10th Working Group" in read(TUNE / "b-epo-10th-working-group-meeting-2019-report-en.pdf", engine).text


def test_settle_marks_keeps_a_comma_after_a_dropped_mark():
    row = [Word("Gayo", 10, 30, 100, 110, 10), Word("1", 30.5, 33, 97, 104, 6), Word(",", 33.2, 35, 100, 110, 10),
           Word("Ammar", 38, 60, 100, 110, 10), Word("2", 60.5, 63, 97, 104, 6)]
    assert [w.text for w in settle_marks(row)] == ["Gayo,", "Ammar"]
    # a raised `th` after a number is its ordinal; a mark raised less than the setting is kept
    row = [Word("10", 10, 20, 100, 110, 10), Word("th", 20.2, 26, 97, 104, 6), Word("meeting", 28, 60, 100, 110, 10)]
    assert [w.text for w in settle_marks(row)] == ["10th", "meeting"]
    strict = dataclasses.replace(DEFAULT_SETTINGS, mark_raise_ratio=0.9)
    assert [w.text for w in settle_marks(row, strict)] == ["10", "th", "meeting"]


@ENGINES
def test_a_footnote_is_its_own_block_and_its_broken_url_is_whole(engine):
    doc = read(FIXTURES / "conseil-logiciels-libres-avis-ngi-fr.pdf", engine)
    note = next(b for b in doc.blocks if b.text.startswith("Horizon Europe, Pilier 2"))
    assert note.kind == LIST_ITEM and note.page == 2
    assert note.text.endswith("https://research-and-innovation.ec.europa.eu/funding/funding-opportunities/"
                              "funding-programmes-and-open-calls/horizon-europe/cluster-4-digital-industry-and-space_en")


# -- sentences over line ends --------------------------------------------------------------

@ENGINES
def test_a_list_item_wrapped_under_its_bullet_is_one_item(engine):
    doc = read(TUNE / "g-cnig-gt-accessibilite-2024-07-fr.pdf", engine)
    assert any(b.text.endswith("« hauteur du quai par rapport à la plateforme », etc.") for b in doc.blocks)
    assert not any(b.text.endswith("par rapport à la") for b in doc.blocks)


@ENGINES
def test_a_centred_title_over_two_lines_is_one_heading(engine):
    first = read(FIXTURES / "wssspe4-workshop-report-en.pdf", engine).blocks[0]
    assert (first.kind, first.text) == (
        HEADING, "FOURTH WORKSHOP ON SUSTAINABLE SOFTWARE FOR SCIENCE: PRACTICE AND EXPERIENCES (WSSSPE4)")


# -- front matter -----------------------------------------------------------------------

@ENGINES
def test_title_page_and_contents_give_no_rows(engine):
    path = FIXTURES / "hsf-technical-note-vacuum-platform-en.pdf"
    doc = read(path, engine)
    contents = [b for b in doc.blocks if b.page == 2 and b.front]
    assert [b.text for b in contents][:2] == ["1 Introduction 1", "2 Environment 2"]
    assert any(b.text == "10 Summary 11" for b in contents)  # LaTeX's bold entry without leaders
    assert any(b.front and b.text == "University of Manchester" for b in doc.blocks)  # an affiliation
    report = extract_file(path, pdf_engine=engine)
    assert report.document.title == "Vacuum Platform"
    front_pages = {(b.page, b.text) for b in doc.blocks if b.front}
    for row in report.figures + report.recommendations:
        sentence = getattr(row, "sentence", None) or row.text
        assert not any(sentence in text for page, text in front_pages if page == row.page)
    assert not any(f.page == 2 and f.value == 10 for f in report.figures)  # `10 Summary 11`


@ENGINES
def test_contents_with_leaders_are_front_matter(engine):
    doc = read(FIXTURES / "floss-esr-2022-atelier-1-synthese-fr.pdf", engine)
    assert all(b.front for b in doc.blocks if b.page == 2 and b.kind != HEADING)
    assert not any(b.front for b in doc.blocks if b.page > 2)


def test_a_short_first_page_keeps_its_sentences_and_lists(tmp_path):
    """A title page's names and addresses are front matter; a sentence, a list or a heading
    on it stays text (a two-page report may open on a short page)."""
    path = tmp_path / "short.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 24)
    c.drawString(60, 760, "Green Skills Forum")
    c.setFont("Helvetica", 10)
    for y, line in [(725, "Ana Lopes, Centro de Estudos"), (690, "The forum gathered 40 partners from the region."),
                    (676, "It agreed on three aims for the next two years."), (650, "• Share data openly")]:
        c.drawString(60, y, line)
    c.showPage()
    c.setFont("Helvetica", 10)
    c.drawString(60, 760, "Second page of the report with more text.")
    c.showPage()
    c.save()
    doc = read_document(path)
    front = {b.text: b.front for b in doc.blocks}
    assert front["Ana Lopes, Centro de Estudos"] is True
    assert front["The forum gathered 40 partners from the region. It agreed on three aims for the next two years."] is False
    assert front["Share data openly"] is False and front["Green Skills Forum"] is True
    report = extract_file(path)
    assert report.document.title == "Green Skills Forum"
    assert [f.value for f in report.figures] == [40, 3, 2]  # the sentences' figures, none from the names
    assert doc.meta_fallback["page_title"] == "Green Skills Forum"


def test_file_properties_count_only_when_they_name_a_person_or_a_title():
    finder = MetadataFinder(load_rules("en"))
    assert finder._person("Erata, Ferhat") == "Ferhat Erata"
    assert finder._person("F. Erata") == "F. Erata"
    for producer in ("Microsoft Office User", "European Commission", "jdoe", "python-docx"):
        assert finder._person(producer) is None
    assert finder._info_title("Knowledge graphs and wikidata subsetting") == "Knowledge graphs and wikidata subsetting"
    for name in ("Microsoft Word - draft3.docx", "python-docx", "report_v2", "PowerPoint Presentation", "Untitled"):
        assert finder._info_title(name) is None


@ENGINES
def test_authors_with_marks_left_out_are_still_an_author_line(engine):
    doc = read(TUNE / "a-biohackathon-2020-wikidata-subsetting-en.pdf", engine)
    assert any(b.text.startswith("Jose Emilio Labra Gayo, Ammar Ammar, Dan Brickley") for b in doc.blocks)
    assert extract_file(TUNE / "a-biohackathon-2020-wikidata-subsetting-en.pdf",
                        pdf_engine=engine).document.author == "Jose Emilio Labra Gayo"


# -- slides --------------------------------------------------------------------------------

@ENGINES
def test_each_slide_title_is_a_top_heading(engine):
    doc = read(TUNE / "b-lf-energy-tac-meeting-2022-12-06-slides-en.pdf", engine)
    titles = [b.text for b in doc.blocks if b.kind == HEADING and b.level == 1]
    assert "Project Review Cycle" in titles  # wrapped over two lines
    assert "LF Energy Hosted Project and Working Group Leads" in titles
    assert {"Agenda", "TAC Voting Members", "Next TAC Meeting"} <= set(titles)
    # a sentence set large is no title, nor a capitals label and its statement
    assert not any(t.startswith(("As part of the benefit", "ASK:")) for t in titles)
    assert not any(re.fullmatch(r"\d+", b.text) for b in doc.blocks)  # slide numbers are running lines


@ENGINES
def test_boxes_drawn_over_a_slide_are_not_a_table(engine):
    doc = read(FIXTURES.parent.parent / "real" / "docs" / "b-aswf-dev-days-2025-september-report-slides-en.pdf", engine)
    assert (doc.blocks[0].kind, doc.blocks[0].text) == (HEADING, "Dev Days September 2025 Report")
    counts = Counter(b.text for b in doc.blocks if len(b.text) > 30)
    assert counts.most_common(1)[0][1] == 1  # no text read twice through nested boxes


# -- links -----------------------------------------------------------------------------------

@ENGINES
def test_a_link_behind_words_is_a_url_row_with_those_words(engine):
    report = extract_file(FIXTURES / "carpentries-long-term-survey-report-2020-en.pdf", pdf_engine=engine)
    by_url = {u.url: u.link_text for u in report.urls}
    assert by_url["https://carpentries.org/blog/2019/11/long-term-impact-survey/"] == "on our blog"  # two boxes, one link
    assert by_url["https://datacarpentry.org/blog/2017/10/long-term-survey-results"] == "our first long-term survey results"
    # a link box a little taller than its line does not take the next line's words
    report = extract_file(TUNE / "a-biohackathon-2020-wikidata-subsetting-en.pdf", pdf_engine=engine)
    texts = {u.link_text for u in report.urls if u.link_text}
    assert {"here", "Wikidata Toolkit", "Jupyter notebook", "WDumper"} <= texts
    # an address cut at a line end under its link (`https` / `://phabricator...`) is no link text
    assert {u.url: u.link_text for u in report.urls}["https://phabricator.wikimedia.org/T267782"] is None


# -- built here: rotated labels, image-only pages, settings ------------------------------------

def _png(path):
    from PIL import Image

    Image.new("RGB", (40, 40), (200, 30, 30)).save(path)
    return path


@ENGINES
def test_rotated_labels_are_left_out_and_image_only_pages_are_named(tmp_path, engine):
    path = tmp_path / "chart.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 11)
    for i in range(12):
        c.drawString(60, 760 - 16 * i, f"Line {i + 1} of the report tells what the workshop decided.")
    c.saveState()
    c.translate(40, 400)
    c.rotate(90)
    c.drawString(0, 0, "VERTICALAXIS")
    c.restoreState()
    c.showPage()
    c.drawImage(ImageReader(str(_png(tmp_path / "scan.png"))), 100, 400, 200, 200)
    c.showPage()
    c.setFont("Helvetica", 11)
    c.drawString(60, 760, "A last page of text.")
    c.showPage()
    c.save()
    doc = read(path, engine)
    assert "VERTICALAXIS" not in doc.text and "V E R" not in doc.text
    assert "Line 12 of the report" in doc.text
    assert any(w.startswith("page(s) 2: images only") for w in doc.warnings), doc.warnings


def _turned_text_pdf(path, lines, at, turned, size):
    """A page with `lines` of text and `turned` drawn a quarter turn round at `at`."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 11)
    for i, line in enumerate(lines):
        c.drawString(60, 760 - 16 * i, line)
    c.saveState()
    c.translate(*at)
    c.rotate(90)
    c.setFont("Times-Roman", size)
    c.drawString(0, 0, turned)
    c.restoreState()
    c.showPage()
    c.save()
    return path


@ENGINES
def test_a_page_drawn_rotated_keeps_its_glyphs(tmp_path, engine):
    """Rotated glyphs are left out only as a minority (labels); a page drawn turned keeps them
    all (its lines are not yet read in their own direction)."""
    path = _turned_text_pdf(tmp_path / "rotated.pdf", [], (500, 100), "All of this page is turned", 11)
    letters = [c for c in read(path, engine).text if c.isalpha()]
    assert len(letters) >= 0.8 * len([c for c in "All of this page is turned" if c.isalpha()])


@ENGINES
def test_layout_settings_govern_the_reading(tmp_path, engine):
    """A threshold lives in LayoutSettings and changes what is read: with a tiny word gap,
    letter-spaced words fall apart."""
    path = tmp_path / "spaced.pdf"
    c = canvas.Canvas(str(path), pagesize=landscape(A4), invariant=1)
    c.setFont("Helvetica", 12)
    text = c.beginText(60, 500)
    text.setCharSpace(1.0)
    text.textLine("Sustainable software workshop")
    c.drawText(text)
    c.showPage()
    c.save()
    from pipeline.readers.builder import DocumentBuilder
    from pipeline.readers.pdf import read_pdf
    from pipeline.readers.pdf_pdfium import read_pdf_pdfium

    reader = read_pdf if engine == "pdfplumber" else read_pdf_pdfium

    def text_with(settings):
        builder = DocumentBuilder()
        reader(path, "spaced.pdf", builder, password=None, settings=settings)
        return " ".join(b.text for b in builder.blocks)

    assert text_with(LayoutSettings()) == "Sustainable software workshop"
    assert len(text_with(LayoutSettings(word_gap_ratio=0.01)).split()) > 3


# -- found in review: ordinary PDFs must not lose rows to the new rules -----------------------

def _pdf(path, pages, size=A4):
    """pages: [(x, y from top, text, font size, bold)] or ("link", x, y, width, url)."""
    c = canvas.Canvas(str(path), pagesize=size, invariant=1)
    for items in pages:
        for item in items:
            if item[0] == "link":
                _, x, y, w, url = item
                c.linkURL(url, (x, size[1] - y - 2, x + w, size[1] - y + 10), relative=0, thickness=0)
                continue
            x, y, text, font_size, bold = item
            c.setFont("Helvetica-Bold" if bold else "Helvetica", font_size)
            c.drawString(x, size[1] - y, text)
        c.showPage()
    c.save()
    return path


FILLER = ["This report describes the annual meeting of the network, which took place in Lyon with",
          "partners from many countries and discussed the work of the past year in some detail."]


def _lines(lines, y, size=10, bold=False, step=14):
    return [(60, y + i * step, t, size, bold) for i, t in enumerate(lines)]


@ENGINES
def test_sentences_on_a_short_first_page_keep_their_rows(tmp_path, engine):
    p1 = [(60, 80, "Open Data Workshop 2023", 24, True)] + _lines(
        ["The workshop gathered 120 participants.", "Funding of EUR 50,000 was approved.",
         "We recommend that the city publish its data."], y=130, step=30)
    path = _pdf(tmp_path / "short.pdf", [p1, _lines(["Second page of the report with more text."], y=80)])
    report = extract_file(path, pdf_engine=engine)
    assert sorted(f.value for f in report.figures) == [120, 50000]
    assert [r.text for r in report.recommendations] == ["We recommend that the city publish its data."]


@ENGINES
def test_a_plan_section_and_a_labelled_heading_are_text(tmp_path, engine):
    """`Plan` opens no table of contents (a line ending in a year is no entry), and
    `FAIR: principles ...` is a heading, not a labelled statement."""
    p1 = [(60, 60, "Annual Meeting Report", 20, True)] + _lines(FILLER * 4, y=100) + [
        (60, 240, "Plan", 14, True), (60, 270, "The prototype will be delivered by March 2025", 10, False),
        (60, 300, "The network will hire 12 engineers in 2026", 10, False),
        (60, 330, "FAIR: principles for research software in practice", 14, True),
        (60, 360, "Partners agreed to fund 3 new pilots with EUR 40,000 each.", 10, False)]
    path = _pdf(tmp_path / "plan.pdf", [p1, _lines(["Second page of the report with more text."], y=80)])
    report = extract_file(path, pdf_engine=engine)
    assert {(f.value, f.unit) for f in report.figures} >= {(12, "engineers"), (3, "pilots")}
    assert "FAIR: principles for research software in practice" in [s.heading for s in report.sections]


@ENGINES
def test_a_bold_statement_over_two_lines_stays_a_recommendation(tmp_path, engine):
    p1 = [(60, 60, "Workshop Report", 20, True)] + _lines(FILLER * 5, y=100) + [
        (60, 260, "We recommend that partners publish their data", 10, True),
        (60, 274, "under an open licence by 2025", 10, True)] + _lines([FILLER[1]], y=300)
    path = _pdf(tmp_path / "boldrec.pdf", [p1, _lines(["Second page of the report with more text."], y=80)])
    report = extract_file(path, pdf_engine=engine)
    assert [r.text for r in report.recommendations] == [
        "We recommend that partners publish their data under an open licence by 2025"]
    assert [s.heading for s in report.sections] == ["Workshop Report"]


@ENGINES
def test_a_link_over_a_hyphenated_word_is_one_link(tmp_path, engine):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    before, first, second = stringWidth("Please read the full ", "Helvetica", 10), \
        stringWidth("docu-", "Helvetica", 10), stringWidth("mentation", "Helvetica", 10)
    page = [(60, 80, "Toolkit Meeting", 18, True)] + _lines(
        ["Please read the full docu-", "mentation of the toolkit before the meeting."], y=120) + [
        ("link", 60 + before, 120, first, "https://toolkit.example.org/docs"),
        ("link", 60, 134, second, "https://toolkit.example.org/docs")]
    report = extract_file(_pdf(tmp_path / "hy.pdf", [page]), pdf_engine=engine)
    assert [(u.url, u.link_text) for u in report.urls] == [("https://toolkit.example.org/docs", "documentation")]


@ENGINES
def test_a_vertical_margin_stamp_is_left_out(tmp_path, engine):
    # few words: the stamp's glyphs outnumber them, not their letters
    path = _turned_text_pdf(tmp_path / "stamp.pdf", FILLER, (30, 300), "arXiv:2101.01234v1 [cs.DL] 4 Jan 2021", 20)
    # the filler's words and nothing else: no stamp, whole or one glyph a word (`1 2 0 2 n a J`)
    assert set(read(path, engine).text.split()) == set(" ".join(FILLER).split())


@ENGINES
def test_a_raised_exponent_after_a_unit_is_kept(tmp_path, engine):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    start = "The new campus covers 12,000 m"
    width = stringWidth(start, "Helvetica", 10)
    page = [(60, 60, "Campus Report", 20, True), (60, 120, start, 10, False), (60 + width + 0.3, 116, "2", 7, False),
            (60 + width + 5, 120, "of floor space.", 10, False)] + _lines([FILLER[1]] * 3, y=140)
    path = _pdf(tmp_path / "m2.pdf", [page])
    assert "12,000 m² of floor space." in read(path, engine).text
    assert [(f.value, f.unit) for f in extract_file(path, pdf_engine=engine).figures] == [(12000, "m²")]


def test_a_link_text_does_not_stop_the_address_gaining_its_scheme(tmp_path):
    path = tmp_path / "site.md"
    path.write_text("# Forum report\n\nThe forum has a site at www.example.org for everyone.\n\n"
                    "More details are on [our website](https://www.example.org) for the partners.\n", encoding="utf-8")
    assert [(u.url, u.link_text) for u in extract_file(path).urls] == [("https://www.example.org", "our website")]


def test_info_titles_opening_with_a_common_word_are_titles():
    finder = MetadataFinder(load_rules("en"))
    for title in ("Report of the Fourth Workshop", "Documenting research software", "Drafting standards together"):
        assert finder._info_title(title) == title


def test_repeated_long_cells_of_a_real_table_stay():
    from pipeline.readers.tables import table_lines

    long = "Incubation stage with a sponsor from the TAC"
    rows = [["Project", "Level"], ["Arras", long], ["Hyphae", long], [long, ""], ["", long]]
    boxes = [[(0, i * 10, 50, i * 10 + 10), (50, i * 10, 100, i * 10 + 10)] for i in range(len(rows))]
    texts = [line.text for line in table_lines(rows, boxes, (0, 0, 100, 50), 1, [])]
    # the same value again in its own column stays; moved to another column it is a nested box
    assert texts == ["Project | Level", f"Arras | {long}", f"Hyphae | {long}", long]


@ENGINES
def test_a_sentence_runs_on_past_the_footnotes_to_the_next_page(engine):
    text = read(FIXTURES / "conseil-logiciels-libres-avis-ngi-fr.pdf", engine).text
    assert "parmi lesquels BigBlueButton, Gitea" in text


@ENGINES
def test_a_line_ending_on_an_article_goes_on_whatever_its_weight_or_case(engine):
    # `... fondées sur l'identification et le` (bold item) / `référencement des logiciels` (regular)
    doc = read(FIXTURES / "floss-esr-2022-atelier-1-synthese-fr.pdf", engine)
    assert any("l’identification et le référencement" in b.text for b in doc.blocks if b.kind == LIST_ITEM)
    # `... doivent également alimenter le` / `Gitbook d'accompagnement du standard.`
    doc = read(TUNE / "g-cnig-gt-accessibilite-2024-07-fr.pdf", engine)
    assert any(b.text.endswith("alimenter le Gitbook d’accompagnement du standard.") for b in doc.blocks)


@ENGINES
def test_link_rectangles_stored_upside_down_still_cover_their_words(engine):
    # this file writes its link rectangles top and bottom swapped; PDFium hands them on as written
    report = extract_file(TUNE / "b-ospology-bof-india-2024-report-en.pdf", pdf_engine=engine)
    links = {u.url: u.link_text for u in report.urls}
    assert links["https://github.com/InnerSourceCommons/InnerSourcePatterns"] == "set of patterns"
    assert "https://www.meity.gov.in/writereaddata/files/policy_on_adoption_of_oss.pdf" in links
    # a dot set in a font that gives it no height does not cut the address (`todogroup . org`)
    assert "https://todogroup.org/resources/guides/how-to-create-an-open-source-program-office/" in links


@ENGINES
def test_only_a_sentence_that_goes_on_takes_the_next_page_before_its_footnotes(engine):
    # a title page's small print is not moved after the next page's text
    doc = read(FIXTURES / "wssspe4-workshop-report-en.pdf", engine)
    assert [b.page for b in doc.blocks[:4]] == [1, 1, 1, 1]
    doc = read(FIXTURES / "hsf-technical-note-vacuum-platform-en.pdf", engine)
    order = [b.text for b in doc.blocks]
    assert order.index("Abstract") < order.index("Contents")


def test_a_label_ending_in_a_capital_letter_is_no_unfinished_sentence(tmp_path):
    page = [(60, 60, "Budget Report", 20, True)] + _lines(FILLER * 4, y=100) + [
        (60, 230, "Annex A", 10, True), (60, 244, "Budget tables of the partners for the two years.", 10, False)]
    doc = read_document(_pdf(tmp_path / "annex.pdf", [page]))
    assert ("Annex A", HEADING) in [(b.text, b.kind) for b in doc.blocks]
