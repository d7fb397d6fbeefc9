"""The classes of cases real reports showed (issue 11), each pinned by a small text.

Each test names the class; the real documents behind them are in tests/real/ (see
SOURCES.md). The texts here are written to isolate one class, not to score well.
"""
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.api import extract_file
from pipeline.extractors.projects import ProjectFinder
from pipeline.nlp import build_pipeline


def run(tmp_path: Path, text: str, name: str = "report.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_file(path)


def names(report) -> set[str]:
    return {p.name for p in report.projects}


def values(report) -> list[tuple[Decimal, str | None]]:
    return [(Decimal(str(f.value)), f.unit) for f in report.figures]


# -- names --------------------------------------------------------------------------------

ALIAS_REPORT = ("# Workshop report\n\n## Projects presented\n\n- GSL: green skills pilots in three regions\n"
                "- AquaLoop: water reuse in small towns\n\n## Afternoon\n\n"
                "The Green Skills Lab (GSL) project then presented its pilots.\n")


def test_an_acronym_met_first_and_its_long_form_later_are_one_project(tmp_path):
    report = run(tmp_path, ALIAS_REPORT)
    rows = [p for p in report.projects if "GSL" in [p.name] + p.aliases]
    assert len(rows) == 1
    assert rows[0].name == "GSL" and "Green Skills Lab" in rows[0].aliases


def test_the_alias_merge_is_what_joins_the_two_forms(tmp_path, monkeypatch):
    """Without the merge, the long form met later is lost: the acronym's row is the first one."""
    from pipeline.extractors.projects import ProjectGroup

    def no_merge(self, cands):
        return [ProjectGroup(forms=[c.name] + c.aliases, first_block=c.block_index, evidence=list(c.evidence))
                for c in cands]
    monkeypatch.setattr(ProjectFinder, "merge", no_merge)
    report = run(tmp_path, ALIAS_REPORT)
    assert not any("Green Skills Lab" in p.aliases for p in report.projects if p.name == "GSL")


def test_hyphenated_acronyms_are_one_word_and_one_name(tmp_path):
    tokens = [t.text for t in build_pipeline("en")("The DCAT-AP profile, TES-K, Abc-Lab and 10-15 non-EU people.")]
    assert {"DCAT-AP", "TES-K", "Abc-Lab"} <= set(tokens)
    assert "10-15" not in tokens and "non-EU" not in tokens  # ranges and lower-case prefixes still split
    report = run(tmp_path, "# Minutes\n\nThe group reviewed DCAT-AP issues.\n\nDCAT-AP 3.0 will follow in spring.\n")
    assert "DCAT-AP" in names(report)


def test_lower_case_software_names(tmp_path):
    report = run(tmp_path, "# Sprint report\n\nWe extended the pytest-regex plugin during the sprint.\n\n"
                           "We also released [laminas-mime](https://github.com/laminas/laminas-mime) 2.12.\n")
    assert {"pytest-regex", "laminas-mime"} <= names(report)
    mime = next(p for p in report.projects if p.name == "laminas-mime")
    assert mime.url == "https://github.com/laminas/laminas-mime" and "link:code-repository" in mime.evidence


def test_a_link_to_an_issue_or_a_url_as_text_is_no_project(tmp_path):
    report = run(tmp_path, "# Minutes\n\nSee [https://github.com/a/b/pull/71](https://github.com/a/b/pull/71) "
                           "and [issue 12](https://github.com/a/b/issues/12).\n")
    assert not report.projects


def test_common_words_heading_a_paragraph_or_item_are_not_projects(tmp_path):
    report = run(tmp_path, "# Project updates\n\nACTION: project leads review their entries.\n\n"
                           "IMPLEMENT the plan before June.\n\nAPI documentation was improved.\n")
    assert not names(report) & {"ACTION", "IMPLEMENT", "API"}


def test_speakers_initials_are_not_acronyms_of_projects(tmp_path):
    report = run(tmp_path, "# Minutes\n\nBVN proposed to close the issue.\n\nBVN asked for examples.\n\n"
                           "The ENA archive was shown.\n\nThe ENA browser was shown too.\n")
    assert "BVN" not in names(report) and "ENA" in names(report)


def test_a_name_defined_as_a_tool_is_a_project(tmp_path):
    report = run(tmp_path, "# Hackathon report\n\nGraphKit is a web application for exploring graphs. "
                           "Birds of a Feather is a format of informal sessions. There is a tool for that. "
                           "Buildor [3] is the build tool of the group. Nixel [9] is a cross-platform build tool.\n")
    assert {"GraphKit", "Buildor", "Nixel"} <= names(report)
    assert "DataLens2" in names(run(tmp_path, "# Report\n\nWe released DataLens2, a new extension.\n"))
    assert not names(report) & {"Feather", "There", "Birds"}
    french = run(tmp_path, "# Compte rendu\n\nCartoLibre est un outil libre de cartographie.\n", "rapport.md")
    assert "CartoLibre" in names(french)


def test_a_capitalised_trigger_word_after_an_article_belongs_to_the_name(tmp_path):
    """`la Base Adresse Nationale`: `base` introduces a software name (`la base Sirene`), but a
    capitalised `Base` after an article is the name's own first word, so the rest of it
    (`Adresse Nationale`) is no project. At a sentence start the word still introduces one."""
    french = run(tmp_path, "# Relevé de décisions\n\nLes partenaires lancent la Base Adresse Nationale en 2018. "
                           "Ils s'appuient sur le logiciel CartoLibre.\n\nProjet GeoVille : la carte a été publiée.\n",
                 "rapport.md")
    assert "Adresse Nationale" not in names(french)
    assert {"CartoLibre", "GeoVille"} <= names(french)
    english = run(tmp_path, "# Report\n\nThe Project Management Office met. The project DataLoom was shown.\n")
    assert "Management Office" not in names(english) and "DataLoom" in names(english)


def test_a_list_entry_may_separate_name_and_description_by_a_semicolon_or_an_apposition(tmp_path):
    report = run(tmp_path, "# Bilan de la soirée\n\n## Projets présentés\n\n"
                           "- Oorobot; un robot pour les maternelles\n- PaPif , la poubelle flottante\n"
                           "- CartoVélo, une carte des pistes cyclables\n\nTrois projets.\n", "bilan.md")
    rows = {p.name: p.description for p in report.projects}
    assert rows.get("Oorobot") and rows.get("PaPif") and rows.get("CartoVélo")
    assert rows["PaPif"].startswith("la poubelle")


def test_an_elided_article_is_no_part_of_a_name(tmp_path):
    report = run(tmp_path, "# Compte rendu\n\n## Projets présentés\n\n- l'EPFN : foncier\n", "cr.md")
    assert "EPFN" in names(report) and "l'EPFN" not in names(report)


def test_a_phrase_cut_inside_brackets_or_quotes_is_no_name(tmp_path):
    report = run(tmp_path, "# Compte rendu\n\n## Projets\n\n- Suivre la démarche GéoFriches (A. Lemot : à faire\n"
                           "- rubrique \"Commentaires : à remplir\n- CartoFriches : inventaire national\n\n"
                           "J-L. Zimmermann signale l'existence de OpenSideWalkMap.\n\n"
                           "Débat : J-L. Zimmermann propose de s'intéresser aux projets.\n\n"
                           "Le dépôt [\"Terrafor\"](https://github.com/example/terrafor) est ouvert.\n", "cr.md")
    assert {"CartoFriches", "Terrafor"} <= names(report)
    assert not [n for n in names(report) if "(" in n or '"' in n] and "J-L" not in names(report)


def test_a_word_a_web_address_spells_names_a_project(tmp_path):
    """`Prodige` (prodige-opensource.org) and `AtlaSanté` (atlasante.fr): a capitalised word used
    in sentences whose domain spells it; not `cartes` (a common word, cartes.gouv.fr) nor a
    platform (`docs`)."""
    report = run(tmp_path, "# Journée annuelle\n\nLa journée a réuni la communauté de Prodige. "
                           "Le programme est sur https://www.prodige-opensource.org/. Deux applications créées avec Prodige "
                           "ont été montrées, dont AtlaSanté ([lien](https://www.atlasante.fr/)). "
                           "AtlaSanté diffuse des cartes ([cartes](https://cartes.gouv.fr/)) et des "
                           "[Docs](https://docs.example.org/). Les cartes et les Docs sont en ligne.\n", "journee.md")
    assert {"Prodige", "AtlaSanté"} <= names(report)
    assert not names(report) & {"Cartes", "cartes", "Docs"}
    prodige = next(p for p in report.projects if p.name == "Prodige")
    assert prodige.url == "https://www.prodige-opensource.org/" and "url:domain-word" in prodige.evidence


def test_resource_words_in_a_list_of_projects_are_no_projects(tmp_path):
    report = run(tmp_path, "# TAC meeting\n\n## Project resources\n\n- Wiki\n- Calendar\n- Mailing List/Slack Channel\n"
                           "- Contribution Guidelines\n- GridMapper: maps of grid capacity\n")
    assert names(report) == {"GridMapper"}


@pytest.mark.parametrize("word", ["RDFShape", "WDumper", "WESkit"])
def test_a_coined_name_may_open_with_a_run_of_capitals(tmp_path, word):
    report = run(tmp_path, f"# Report\n\nWe extended {word} during the week.\n\n"
                           f"## {word}\n\nThe team tested it.\n")
    assert word in names(report)
    assert "SMEs" not in names(run(tmp_path, "# Report\n\nMany SMEs joined.\n\n## SMEs\n\nMore SMEs.\n"))


def test_the_event_itself_or_a_session_is_not_a_project(tmp_path):
    text = ("# GraphCamp Workshop\n\nThe GraphCamp Workshop gathered 40 people; the GraphCamp Workshop "
            "will return.\n\nThe TileForge project and the Open Maps Initiative were presented.\n")
    found = names(run(tmp_path, text))
    assert "GraphCamp Workshop" not in found
    assert {"TileForge", "Open Maps Initiative"} <= found


def test_keywords_of_a_query_are_not_acronyms_of_projects(tmp_path):
    text = ("# Report\n\nThe query was CONSTRUCT { ?s ?p ?o } WHERE { ?s a ?c } UNION { ?s b ?c }.\n\n"
            "A second query: SELECT ?x WHERE { ?x a ?y } UNION { ?x b ?y }.\n\n"
            "The TRAPIX archive was loaded.\n\nTRAPIX was then queried.\n")
    found = names(run(tmp_path, text))
    assert not found & {"CONSTRUCT", "WHERE", "UNION", "SELECT"}
    assert "TRAPIX" in found


def test_the_language_a_library_is_written_in_is_not_part_of_its_name(tmp_path):
    found = names(run(tmp_path, "# Report\n\nThe extractor uses the Graph Walker Java library and the "
                                "Tidy Frames R package.\n"))
    assert {"Graph Walker", "Tidy Frames"} <= found
    assert not found & {"Graph Walker Java", "Tidy Frames R"}


def test_people_listed_where_projects_are_expected_are_not_projects(tmp_path):
    text = ("# Committee\n\n## Hosted projects\n\n- Anne Tilloy\n- Jonas van den Bogaard\n- Boris DOLLEY\n"
            "- GridFlux\n- Open Meter Hub\n")
    found = names(run(tmp_path, text))
    assert not found & {"Anne Tilloy", "Jonas van den Bogaard", "Boris DOLLEY"}
    assert {"GridFlux", "Open Meter Hub"} <= found
    # a company and its speaker run together on a slide: the name does not take the person
    found = names(run(tmp_path, "# Talks\n\nBy ScaleGrid Lenka and ScaleGrid Lenka again.\n\n"
                                "The Red Hat Ana Jiménez project was shown.\n"))
    assert "ScaleGrid" in found
    assert not found & {"ScaleGrid Lenka", "Red Hat Ana Jiménez"}


def test_a_section_headed_by_a_name_it_keeps_using_presents_it(tmp_path):
    text = ("# Hackathon report\n\n## Gatekeep\n\nWe put a Gatekeep instance in front of the service.\n\n"
            "### Setup\n\nGatekeep then asks the identity provider.\n\n## License\n\nThe License is MIT.\n")
    found = names(run(tmp_path, text))
    assert "Gatekeep" in found and "License" not in found
    text = ("# Minutes\n\n### Maintainers for acme-mailer and acme-mime\n\nTwo people offered to keep acme-mailer; "
            "acme-mime has no users. We will abandon acme-mailer.\n\n### QCX is being forked\n\n"
            "The QCX team left; the fork of QCX is active.\n\n### The HW list\n\nHW items: none. HW next time.\n")
    found = names(run(tmp_path, text))
    assert {"acme-mailer", "QCX"} <= found
    assert not found & {"acme-mime", "HW", "Maintainers"}  # named once; too short; not a name


def test_a_phrase_before_a_link_is_not_a_name(tmp_path):
    text = ("# Minutes\n\n- 80 open issues on GitHub: https://github.com/acme/spec/issues\n"
            "- BVN proposed not to include dcat:Resource https://www.w3.org/TR/vocab-dcat-2/\n"
            "- GeoPortal Hub: https://geoportal.example.eu\n")
    found = names(run(tmp_path, text))
    assert "GeoPortal Hub" in found
    assert not any(n.startswith(("80 open", "BVN proposed")) for n in found)


@pytest.mark.parametrize("text, absent, present", [
    # a field of work gone digital
    ("Our eProcurement rules cover eSubmission and eInvoice.\n\neSubmission rules and eInvoice rules differ. "
     "The eProcurement team met.\n\nThe GridFlux project and GridFlux users.\n",
     {"eProcurement", "eSubmission", "eInvoice"}, {"GridFlux"}),
    # a nationality, a line headed by a date, a French elision that lost its apostrophe
    ("The German model project started; the German model project will grow.\n\n"
     "- [May 15, SPECs](https://hackmd.io/abc)\n\nRTE (Reseau de Transport dElectricite) and dElectricite again.\n",
     {"German", "May 15, SPECs", "dElectricite"}, set()),
    # names with a one-letter prefix on a word that is not a field of work stay names
    ("eTwinning and eBird grew.\n\neTwinning and eBird again.\n", set(), {"eTwinning", "eBird"}),
])
def test_words_shaped_like_names_that_are_not(tmp_path, text, absent, present):
    found = names(run(tmp_path, "# Minutes\n\n" + text))
    assert not found & absent
    assert present <= found


# -- numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("The portal lists 4.000 datasets.", 4000),  # an English text from a European author
    ("The portal lists 4,000 datasets.", 4000),
    ("The portal lists 4 000 datasets.", 4000),
    ("The portal lists 4\u202f000 datasets.", 4000),  # narrow no-break space
    ("The fund is 2.5 million euros.", 2500000),
])
def test_thousands_are_grouped_by_any_mark_before_a_counted_noun(tmp_path, text, value):
    assert Decimal(value) in [v for v, _ in values(run(tmp_path, f"# Report\n\n{text}\n"))]


def test_a_decimal_stays_a_decimal_when_the_unit_is_not_counted(tmp_path):
    assert values(run(tmp_path, "# Report\n\nGrowth was 1.250%.\n")) == [(Decimal("1.25"), "percent")]
    assert Decimal("1.25") in [v for v, _ in values(run(tmp_path, "# Report\n\nGrowth was 1.25%.\n"))]


def test_nearly_and_almost_are_less_than(tmp_path):
    en = run(tmp_path, "# Report\n\nNearly 40% of homes and almost 4,600 households were reached.\n")
    assert {f.qualifier for f in en.figures} == {"lt"}
    fr = run(tmp_path, "# Compte rendu\n\nPrès de 80 % des trajets se font en voiture.\n", name="cr.md")
    assert [f.qualifier for f in fr.figures] == ["lt"]


def test_written_numbers(tmp_path):
    en = run(tmp_path, "# Report\n\nA dozen speakers and twelve workshops.\n")
    assert (Decimal(12), "speakers") in values(en) and (Decimal(12), "workshops") in values(en)
    assert next(f for f in en.figures if f.unit == "speakers").qualifier == "approx"
    fr = run(tmp_path, "# Compte rendu\n\nUne vingtaine de participants et trois ateliers ont eu lieu.\n",
             name="compte-rendu.md")
    assert (Decimal(20), "participants") in values(fr)


@pytest.mark.parametrize("text", [
    "ORCID 0000-0002-1825-0097 identifies the author.",
    "ISBN 978-3-16-148410-0 is the book.",
    "The DOI is 10.1234/abcd.5678 for the dataset.",
    "Call +33 1 23 45 67 89 for details.",
    "Grant agreement No 101017536 funds the work.",
    "The venue is at 75015 Paris.",
    "The session ran from 14:00 to 15:30.",
    "Meeting Date/Time: 2019-10-10 / 09.30 – 17.00",
    "1300 Guided tour of the lab",
    "Results are promising[12].",
])
def test_identifiers_times_and_references_are_not_figures(tmp_path, text):
    assert not run(tmp_path, f"# Report\n\n{text}\n").figures


def test_table_of_contents_and_affiliations_are_not_figures(tmp_path):
    report = run(tmp_path, "# Report\n\nIntroduction ........................ 3\n\nResults ........................ 8\n\n"
                           "1 CERN, Geneva, Switzerland\n\nWe met 45 developers.\n", name="report.txt")
    assert values(report) == [(Decimal(45), "developers")]


def test_a_number_in_a_table_counts_what_its_row_label_names(tmp_path):
    report = run(tmp_path, "# Dev days\n\n| | May | September |\n|---|---|---|\n| Registrants | 90 | 118 |\n")
    assert (Decimal(90), "registrants") in values(report) and (Decimal(118), "registrants") in values(report)


def test_no_figures_in_a_list_of_sources(tmp_path):
    report = run(tmp_path, "# Report\n\nWe trained 30 curators.\n\n## References\n\n"
                           "1. Smith J. (2020) Data. Nature 12:223–251.\n")
    assert values(report) == [(Decimal(30), "curators")]


# -- metadata -----------------------------------------------------------------------------

def test_the_event_date_not_the_publication_date(tmp_path):
    report = run(tmp_path, "# Julia workshop in Beijing\n\n7 September 2019 | Roger Luo, Jun Tian\n\n"
                           "The workshop was hosted in Beijing on Aug 24, 2019.\n")
    assert (report.document.date_start, report.document.date_end) == ("2019-08-24", "2019-08-24")
    assert report.document.author == "Roger Luo"


def test_a_later_date_in_another_sentence_does_not_end_the_event(tmp_path):
    report = run(tmp_path, "# Minutes\n\nThe workshop was held on 3 March 2020 in Ghent. "
                           "The minutes were published on 20 March 2020.\n")
    assert (report.document.date_start, report.document.date_end) == ("2020-03-03", "2020-03-03")


def test_a_title_with_a_subtitle_after_a_colon_stays_the_title(tmp_path):
    report = run(tmp_path, "Open Science: a roadmap for the next decade\n\nThe text starts here.\n", "r.txt")
    assert report.document.title == "Open Science: a roadmap for the next decade"


def test_an_event_date_field_with_several_days_spans_them(tmp_path):
    report = run(tmp_path, "# Minutes\n\n| Project: | Ontology | Meeting Date/Time: | 2019-10-10 / 09.30 – 17.00 "
                           "2019-10-11 / 09.30 – 15.00 |\n|---|---|---|---|\n| Chair: | Ana Lopes | Issue Date: | "
                           "2019-10-29 |\n\nThe group met.\n")
    assert (report.document.date_start, report.document.date_end) == ("2019-10-10", "2019-10-11")


def test_a_date_without_year_takes_the_year_of_publication(tmp_path):
    report = run(tmp_path, "---\ntitle: Retour sur les rencontres\ndate: 2021-11-04\n---\n\n"
                           "Les rencontres se sont tenues les 14 et 15 octobre à Aix.\n", name="retour.md")
    assert (report.document.date_start, report.document.date_end) == ("2021-10-14", "2021-10-15")


def test_day_first_numeric_dates(tmp_path):
    report = run(tmp_path, "# Meeting Minutes – Webinar 15/09/2021\n\nThe webinar discussed issues.\n")
    assert report.document.date_start == "2021-09-15"


@pytest.mark.parametrize("text, title", [
    ("# BioHackathon series:\n\n# Enhancing the image analysis community\n\n## Contents\n\nText.\n",
     "Enhancing the image analysis community"),
    # a masthead's fields (`Series: ...`, `Submitted: ...`) before the title
    ("Hackathon series: Spring Hackathon 2024 Kassel, Germany, 2024 Project 3\n\n"
     "Submitted: 07 Mar 2025\n\n# Secure storage as a service in the cloud\n\nText.\n",
     "Secure storage as a service in the cloud"),
])
def test_the_title_is_not_a_masthead_a_label_or_the_contents(tmp_path, text, title):
    assert run(tmp_path, text).document.title == title


def test_html_title_time_meta_and_json_ld(tmp_path):
    html = """<html><head><title>Hack days 2024 | Example site</title>
    <meta name="author" content="Site Team">
    <script type="application/ld+json">{"@context": "https://schema.org", "@type": "Event",
      "name": "Hack days 2024", "startDate": "2024-05-14", "endDate": "2024-05-16"}</script>
    </head><body><main><p>Posted <time datetime="2024-06-01">June 1</time></p>
    <p>We hacked for three days with 40 people.</p></main></body></html>"""
    report = run(tmp_path, html, name="hack.html")
    d = report.document
    assert (d.date_start, d.date_end) == ("2024-05-14", "2024-05-16")
    assert d.title.startswith("Hack days 2024")


@pytest.mark.parametrize("byline", [
    '<a rel="author" href="/people/ana">Ana Lopes</a>',
    '<span itemprop="author" itemscope><span itemprop="name">Ana Lopes</span></span>',
    '<p class="byline">By Ana Lopes</p>',
    '<div><span class="author">Posted by</span> <span class="author">Ana Lopes</span></div>',
])
def test_an_html_byline_names_the_author(tmp_path, byline):
    page = (f"<html><head><title>Workshop recap</title></head><body><article><h1>Workshop recap</h1>{byline}"
            "<p>The workshop gathered the community.</p></article></body></html>")
    assert run(tmp_path, page, "recap.html").document.author == "Ana Lopes"


def test_html_time_element_dates_the_post_and_gives_its_year(tmp_path):
    html = """<html><head><title>Meetup recap</title></head><body><article>
    <p>Posted <time datetime="2024-06-01T10:00">June 1</time></p><p>We met on May 28 and talked.</p>
    </article></body></html>"""
    assert run(tmp_path, html, name="recap.html").document.date_start == "2024-05-28"


def test_authors_from_bylines_and_front_matter(tmp_path):
    pdf_like = run(tmp_path, "# Secure processing\n\nLeonid Kostrykin 1,2 , Tatiana Woller 3 , and Anne Fouilloux 9\n\n"
                             "Text.\n", name="a.txt")
    assert pdf_like.document.author == "Leonid Kostrykin"
    front = run(tmp_path, "---\ntitle: Report\nauthors:\n  - name: Rutger Vos (RAV)\n    affiliation: 1\n"
                          "  - name: Kessy Abarenkov (KA)\n---\n\nText.\n", name="b.md")
    assert front.document.author.startswith("Rutger Vos")


# -- structure ----------------------------------------------------------------------------

def test_an_icon_after_each_author_does_not_hide_the_byline(tmp_path):
    """An ORCID logo set in a private-use glyph between a name and its affiliation mark."""
    report = run(tmp_path, "# Secure storage in the cloud\n\nAna Lopes \ue000 1 , Ben Ruiz \ue000 2,3 , "
                           "Carla Diaz \ue000 1\n\nThe team met in Kassel.\n")
    assert report.document.author == "Ana Lopes"


def test_headings_in_plain_text_without_marks(tmp_path):
    report = run(tmp_path, "Workshop on open data\n\nThe workshop gathered users of the portal.\n\n"
                           "Main outcomes\n\nParticipants agreed on a roadmap.\n", name="notes.txt")
    assert "Main outcomes" in [s.heading for s in report.sections]


def test_html_headings_inside_markdown(tmp_path):
    report = run(tmp_path, "# Retour\n\n<h2>Les perspectives</h2>\n\n<p>Le comité sera chargé de la suite.</p>\n",
                 name="retour.md")
    assert "Les perspectives" in [s.heading for s in report.sections]


def test_a_lead_in_governs_its_own_list_only(tmp_path):
    report = run(tmp_path, "# Action items and agenda\n\n## Agenda\n\n- Welcome of the participants\n"
                           "- Updates on the tools\n\n## Recommendations\n\nWe recommend the following:\n\n"
                           "- Publish the data as open data\n- Fund the maintenance of the tools\n\n"
                           "## Participants\n\n- Alice Martin from the data team\n- Bob Stone from the city\n")
    texts = [r.text for r in report.recommendations]
    assert "Publish the data as open data" in texts and "Fund the maintenance of the tools" in texts
    assert not any("Welcome" in t or "Alice" in t for t in texts)


def test_imperative_lists_and_action_items_are_recommendations(tmp_path):
    report = run(tmp_path, "# Meeting notes\n\n## Outcomes\n\n- Create a community page for the tools\n"
                           "- Establish regular calls between the teams\n\nHugh will put the meetings in the calendar.\n\n"
                           "ACTION: project leads review their entries.\n\nHow might we grow the community?\n")
    texts = " | ".join(r.text for r in report.recommendations)
    assert "Create a community page" in texts and "Establish regular calls" in texts
    assert "Hugh will put the meetings" in texts and "project leads review" in texts
    assert "How might we" not in texts


def test_a_reported_proposal_is_a_recommendation(tmp_path):
    report = run(tmp_path, "# Minutes\n\nThe editors discussed the issue. BVN proposed to adopt this suggestion. "
                           "The chair proposed the agenda.\n")
    texts = [r.text for r in report.recommendations]
    assert "BVN proposed to adopt this suggestion." in texts
    assert not any("proposed the agenda" in t for t in texts)
    french = run(tmp_path, "# Compte rendu\n\nLe comité a proposé de publier les données en mai.\n", "cr.md")
    assert any("proposé de publier" in r.text for r in french.recommendations)


def test_a_modal_in_a_relative_or_subordinate_clause_is_no_call(tmp_path):
    text = ("# Minutes\n\nThis is the deadline for which the buyer must receive the tenders. "
            "The report lists the packages that must work together. "
            "This is important if several versions need to coexist. "
            "The registry should offer a search by domain.\n")
    texts = [r.text for r in run(tmp_path, text).recommendations]
    assert texts == ["The registry should offer a search by domain."]
    french = ("# Compte rendu\n\nLa liste des jeux qui doivent être ouverts est publiée. "
              "Le portail devrait proposer une recherche par commune.\n")
    texts = [r.text for r in run(tmp_path, french, "cr.md").recommendations]
    assert texts == ["Le portail devrait proposer une recherche par commune."]


def test_a_table_in_a_section_of_action_items_gives_its_items(tmp_path):
    text = ("# Minutes\n\n## Action items\n\n| Volunteering Person | Item |\n| --- | --- |\n"
            "| Ana L. | invite the partners to present their tools |\n| Ben, Carla | review the draft terms of the model |\n\n"
            "## Attendance\n\n| Person | Organisation |\n| --- | --- |\n| Dan Roe | Example Institute of Research |\n")
    texts = [r.text for r in run(tmp_path, text).recommendations]
    assert texts == ["invite the partners to present their tools", "review the draft terms of the model"]


def test_an_order_may_open_with_an_adverb_or_a_connector(tmp_path):
    text = ("# Minutes\n\nHow do we add a metric?\n\n- First check carefully that the metric is new.\n"
            "- Otherwise follow the procedure above.\n\n"
            "Actively participate in external communities to stay informed.\n")
    texts = [r.text for r in run(tmp_path, text).recommendations]
    assert "First check carefully that the metric is new." in texts
    assert "Otherwise follow the procedure above." in texts
    assert "Actively participate in external communities to stay informed." in texts


def test_it_would_make_sense_to_is_a_call(tmp_path):
    text = "# Minutes\n\nBased on item 1, it would make sense to switch the planned support to the new system.\n"
    assert [r.text for r in run(tmp_path, text).recommendations] == [
        "Based on item 1, it would make sense to switch the planned support to the new system."]
    french = "# Compte rendu\n\nIl serait utile de publier les données chaque mois.\n"
    assert [r.text for r in run(tmp_path, french, "cr.md").recommendations] == [
        "Il serait utile de publier les données chaque mois."]


def test_an_order_after_a_colon_ends_a_sentence_that_announces_it(tmp_path):
    french = "# Compte rendu\n\nSa feuille de route est claire : proposer un renouvellement du groupement.\n"
    assert [r.text for r in run(tmp_path, french, "cr.md").recommendations] == [
        "Sa feuille de route est claire : proposer un renouvellement du groupement."]
    labels = "# Report\n\nOverview: get the full picture of the data set at hand.\n"
    assert not run(tmp_path, labels).recommendations  # a capitalised label, not a sentence


def test_markdown_footnotes_are_read(tmp_path):
    report = run(tmp_path, "# Report\n\nThe pipeline is on GitHub[^1].\n\n[^1]: https://github.com/o/skim2mt\n")
    assert "https://github.com/o/skim2mt" in [u.url for u in report.urls]


def test_a_name_with_its_programme_in_front_is_the_same_project(tmp_path):
    report = run(tmp_path, "# Report\n\nThe Horizon Europe AquaLoop project presented its pilots.\n\n"
                           "AquaLoop will publish its data in May.\n")
    rows = [p for p in report.projects if "AquaLoop" in [p.name] + p.aliases]
    assert len(rows) == 1 and rows[0].name == "AquaLoop" and "Horizon Europe AquaLoop" in rows[0].aliases


def test_a_count_out_of_a_total_counts_the_noun_after_the_total(tmp_path):
    report = run(tmp_path, "# Minutes\n\nThe proposal was approved by 9 out of 15 members.\n")
    assert (Decimal(9), "members") in values(report) and (Decimal(15), "members") in values(report)


def test_an_ordinal_suffix_set_apart_is_no_unit(tmp_path):
    assert not run(tmp_path, "# Report\n\nReport on the 10 TH working group meeting.\n").figures
    assert not run(tmp_path, "# Compte rendu\n\nBilan de la 3 e édition des rencontres.\n", "cr.md").figures


@pytest.mark.parametrize("text", [
    "Direction territoriale Ouest : MAN – 9 rue Viviani – BP 46223 – 44262 Nantes cedex.",
    "Siège social : Cité des Mobilités - 25, avenue François Mitterrand - CS 92 803 - F-69674 Bron Cedex.",
    "#19 Ajouter des caractéristiques au volet bâti de la friche.",
    "Les demandes : 3/ des formulaires simplifiés 4/ l' export au format Géopackage.",
    "Le mercredi 18 décembre 2013 s'est tenue l'assemblée générale.",
    "La réunion des 17-18-19 novembre 2014 est confirmée.",
])
def test_addresses_references_and_elided_words_give_no_french_figures(tmp_path, text):
    """Postal addresses (street numbers, postcodes before a town, BP/CS boxes), `#19` issue
    references, `4/` list numbers, and an elided word (`s'est`) read as the unit of a year."""
    assert not run(tmp_path, f"# Compte rendu\n\n{text}\n", "cr.md").figures


@pytest.mark.parametrize("text", [
    "Organize a national consortium meeting (17-18-19 November 2014).",
    "The partners met on 3, 4 and 5 June 2015.",
    "Send it to EMBL, Meyerhofstrasse 1, 69117 Heidelberg, Germany.",
    "The office is at 221 Baker Street in London.",
])
def test_day_lists_and_addresses_give_no_english_figures(tmp_path, text):
    assert not run(tmp_path, f"# Report\n\n{text}\n").figures


def test_elided_words_keep_their_apostrophe_as_one_token():
    nlp = build_pipeline("fr")
    assert [t.text for t in nlp.make_doc("2013 s'est qu'il c’est l' export")] == \
        ["2013", "s'", "est", "qu'", "il", "c’", "est", "l'", "export"]


def test_an_abbreviation_period_ends_no_sentence_when_the_text_runs_on():
    english = build_pipeline("en")("ACTION: Alison will organize a Zoom, etc. to discuss the URIs. The rest, etc. "
                                   "The end. We met Prof. Smith there.")
    assert [s.text for s in english.sents] == [
        "ACTION: Alison will organize a Zoom, etc. to discuss the URIs.", "The rest, etc.", "The end.",
        "We met Prof. Smith there."]
    french = build_pipeline("fr")("Les champs (dates, etc.) seront revus, cf. la page 3. Mme. Durand valide.")
    assert len(list(french.sents)) == 2


def test_il_s_agit_de_before_a_noun_describes_and_before_a_verb_calls(tmp_path):
    report = run(tmp_path, "# Compte rendu\n\nIl s'agit d'un projet lancé en 2009 par la communauté. "
                           "Il s'agit de l'association nationale du secteur. "
                           "Il s'agit désormais de renforcer les échanges entre les régions.\n", "cr.md")
    assert [r.text for r in report.recommendations] == [
        "Il s'agit désormais de renforcer les échanges entre les régions."]


def test_a_table_of_contents_list_recommends_nothing(tmp_path):
    """A page's list of in-page links (its table of contents) under a `Lessons learned` title:
    its items are the headings that follow, not lessons."""
    items = ["Material", "Technical setup", "Audio quality is super important", "Timetable"]
    base = "https://example.org/blog/lessons/"
    toc = "".join(f'<li><a href="{base}#{h.lower().replace(" ", "-")}">{h}</a></li>' for h in items)
    body = "".join(f"<h2>{h}</h2><p>The team discussed it at length.</p>" for h in items)
    page = f"<html><body><article><h1>Lessons learned from the workshop</h1><ul>{toc}</ul>{body}</article></body></html>"
    report = run(tmp_path, page, "lessons.html")
    assert not report.recommendations and not report.projects


@pytest.mark.parametrize("written, iso", [
    ("2014.11.08", "2014-11-08"), ("2014/11/08", "2014-11-08"), ("17-Oct-2014", "2014-10-17"),
])
def test_event_dates_written_year_first_or_with_a_month_abbreviation(tmp_path, written, iso):
    report = run(tmp_path, f"# Kick-off report\n\n| Date | Event |\n| --- | --- |\n| {written} | Kick-off meeting |\n")
    assert (report.document.date_start, report.document.date_end) == (iso, iso)


def test_a_date_in_a_web_address_is_no_event_date(tmp_path):
    report = run(tmp_path, "# Retour sur les rencontres\n\nProgramme : https://example.fr/2021/09/13/programme.html\n\n"
                           "Les rencontres ont eu lieu les 14 et 15 octobre 2021.\n", "retour.md")
    assert report.document.date_start == "2021-10-14"


def test_a_dateline_names_the_author_after_the_date(tmp_path):
    page = ("<html><head><title>Lessons learned</title></head><body><article><h1>Lessons learned</h1>"
            "<p>December 05, 2023 - Radovan Bast</p><p>We collected feedback after the workshop.</p>"
            "</article></body></html>")
    assert run(tmp_path, page, "post.html").document.author == "Radovan Bast"
    assert run(tmp_path, "# Notes\n\n15 March 2024 - Brussels\n\nWe met.\n").document.author is None


def test_a_list_item_marked_as_a_recommendation_is_one_whole_item(tmp_path):
    report = run(tmp_path, "# Workshop report\n\n**Training**\n\n"
                           "- *(Recommendation)* Training shouldn't just be focused on new staff.  Existing staff "
                           "would also benefit from dedicated training.\n"
                           "- Several labs described their onboarding.\n"
                           "- Action: share the onboarding material with all labs\n")
    assert sorted((r.text, r.kind) for r in report.recommendations) == [
        ("Training shouldn't just be focused on new staff. Existing staff would also benefit from dedicated training.",
         "list"),
        ("share the onboarding material with all labs", "list")]


@pytest.mark.parametrize("name, text, call", [
    ("cr.md", "# Compte rendu\n\nLe projet a été présenté. Son but : favoriser le développement collaboratif.\n\n"
              "La suite est claire : proposer une version commune du schéma.\n",
     "La suite est claire : proposer une version commune du schéma."),
    ("report.md", "# Report\n\nThe hub was shown. Its aim: create a shared catalogue of services.\n\n"
                  "The next step is clear: create a shared catalogue of services for all members.\n",
     "The next step is clear: create a shared catalogue of services for all members."),
])
def test_an_aim_before_a_colon_is_no_order(tmp_path, name, text, call):
    assert [r.text for r in run(tmp_path, text, name).recommendations] == [call]


def test_minutes_lists_of_actions_to_come_are_recommendations_and_actions_done_are_not(tmp_path):
    report = run(tmp_path, "# Compte rendu\n\n## 1. Revue du précédent compte rendu\n\nActions réalisées :\n\n"
                           "- suppression de la valeur poteau dans la liste\n- report de l'attribut sur le noeud\n\n"
                           "Actions à poursuivre / à prévoir :\n\n"
                           "- contribuer aux propositions d'évolutions via les issues (tous)\n"
                           "- compléter le guide de collecte (tous)\n\nDécision / Actions\n\n"
                           "- Synthèse du dernier atelier à la prochaine réunion\n", "cr.md")
    assert sorted(r.text for r in report.recommendations) == [
        "Synthèse du dernier atelier à la prochaine réunion", "compléter le guide de collecte (tous)",
        "contribuer aux propositions d'évolutions via les issues (tous)"]


def test_english_lists_of_decisions_and_things_to_do_but_not_a_todo_group(tmp_path):
    report = run(tmp_path, "# Meeting notes\n\nWe are planning to do the following:\n\n- regular online talks\n"
                           "- a mentoring programme\n\nThe TODO Group has a community network:\n\n"
                           "- the OSPO book club\n- the OSPO mentorship\n")
    assert sorted(r.text for r in report.recommendations) == ["a mentoring programme", "regular online talks"]


def test_an_item_reporting_what_someone_did_is_no_recommendation_under_its_heading(tmp_path):
    report = run(tmp_path, "# Minutes\n\n## Conclusions and next steps\n\n"
                           "- BVN presented the categorisation of issues available on GitHub\n"
                           "- Seth Van Hooland made some announcements about the next webinars\n"
                           "- Publish the release candidate before the summer\n")
    assert [r.text for r in report.recommendations] == ["Publish the release candidate before the summer"]
    french = run(tmp_path, "# Relevé de décisions\n\n## Décisions\n\n- OSM indique avoir réalisé des tests massifs\n"
                           "- Ouvrir le guichet aux communes volontaires\n", "rd.md")
    assert [r.text for r in french.recommendations] == ["Ouvrir le guichet aux communes volontaires"]


def test_a_decimal_below_one_is_not_a_grouped_thousand(tmp_path):
    assert values(run(tmp_path, "# Report\n\nThe dose was 0.250 milligrams per patients.\n"))[0][0] == Decimal("0.250")


def test_a_table_cell_after_an_empty_cell_takes_its_own_column_header(tmp_path):
    report = run(tmp_path, "# Report\n\n| Year | Notes | Participants |\n|---|---|---|\n| 2023 | | 45 |\n"
                           "| 2024 | remote | 60 |\n")
    assert (Decimal(45), "participants") in values(report) and (Decimal(60), "participants") in values(report)


def test_a_short_line_before_an_underlined_title_stays_first(tmp_path):
    report = run(tmp_path, "Short note\n\nMain Title\n==========\n\nA long prose paragraph follows the title here, "
                           "long enough to be prose.\n", name="notes.txt")
    assert report.sections[0].heading == "Main Title"
    path = tmp_path / "notes.txt"
    from pipeline.readers import read_document
    blocks = [(b.kind, b.text) for b in read_document(path).blocks]
    assert blocks[0] == ("paragraph", "Short note") and blocks[1] == ("heading", "Main Title")


@pytest.mark.parametrize("script", ["[" * 100000 + "]" * 100000, "null", '{"@graph": "x"}',
                                    '{"@type": "Event", "startDate": ["2020"], "name": 3}'])
def test_hostile_json_ld_leaves_the_page_readable(tmp_path, script):
    html = f'<html><head><script type="application/ld+json">{script}</script></head><body><p>We met 40 people.</p></body></html>'
    assert (Decimal(40), "people") in values(run(tmp_path, html, name="page.html"))


def test_a_json_ld_date_in_words_is_read(tmp_path):
    html = ('<html><head><script type="application/ld+json">{"@type": "Event", "startDate": "September 12, 2024"}'
            '</script></head><body><p>We met.</p></body></html>')
    assert run(tmp_path, html, name="page.html").document.date_start == "2024-09-12"


# -- review of the third session's rules: what they must not catch --------------------------

def test_a_list_of_projects_each_given_a_section_later_is_no_table_of_contents(tmp_path):
    report = run(tmp_path, "# Open Source Day report\n\nThe following projects were presented:\n\n- Geotrek\n"
                           "- Acceslibre\n- MapStore\n\n## Geotrek\n\nTrails.\n\n## Acceslibre\n\nAccess.\n\n"
                           "## MapStore\n\nMaps.\n")
    assert {"Geotrek", "Acceslibre", "MapStore"} <= names(report)


@pytest.mark.parametrize("text, first", [
    ("After the upgrade, latency dropped to 40 ms. We recommend enabling the cache for all users.",
     "We recommend enabling the cache for all users."),
    ("## Recommendations\n\n- More training on the tools presented during the workshop\n- Stable funding\n",
     "More training on the tools presented during the workshop"),
])
def test_units_and_participles_do_not_hide_a_recommendation(tmp_path, text, first):
    assert run(tmp_path, f"# Report\n\n{text}\n").recommendations[0].text == first


def test_counts_before_road_square_or_a_capitalised_noun_stay_figures(tmp_path):
    report = run(tmp_path, "# Report\n\nThe city trained 120 road users. The park covers 3 square miles. "
                           "In 2023, 15000 Python developers answered.\n")
    assert [v for v, _ in values(report)] == [Decimal(120), Decimal(3), Decimal(15000)]


def test_a_dateline_naming_an_event_names_no_author_and_a_slashed_range_is_read(tmp_path):
    assert run(tmp_path, "# Notes\n\n14 March 2024 - Open Science Day\n\nWe met.\n").document.author is None
    d = run(tmp_path, "# Notes\n\nEvent: 2014-11-08/2014-11-10\n").document
    assert (d.date_start, d.date_end) == ("2014-11-08", "2014-11-10")


def test_a_decision_in_a_sentence_and_work_to_be_completed(tmp_path):
    report = run(tmp_path, "# Notes\n\nThe final decision was based on three criteria:\n\n- cost of the licence\n"
                           "- size of the community\n\n## Next steps\n\nWork that must be completed by the next meeting:"
                           "\n\n- publish the draft\n- collect the comments\n")
    assert sorted(r.text for r in report.recommendations) == ["collect the comments", "publish the draft"]
    french = run(tmp_path, "# CR\n\nIl s'agit de notre troisième rencontre. Il s'agit de Pierre Martin.\n", "cr.md")
    assert not french.recommendations


def test_a_card_keeps_its_address(tmp_path):
    page = ('<html><body><main><h1>Projects showcased</h1><a href="https://www.geotrek.fr/"><h3>Geotrek</h3>'
            "<p>A web application for trails.</p></a></main></body></html>")
    assert [u.url for u in run(tmp_path, page, "cards.html").urls] == ["https://www.geotrek.fr/"]
