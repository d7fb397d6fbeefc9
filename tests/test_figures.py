from pipeline.numbers import format_number


def figs(report):
    return [(format_number(f.value), format_number(f.value_max), f.unit, f.qualifier or "", f.per or "")
            for f in report.figures]


def test_english_figures(extract_text):
    r = extract_text(
        "# Forum\n\nMore than 500 companies joined; 7 billion euros and EUR 3.7 million were committed, "
        "plus €125,000 and USD 8 million. Some 2,400 registered delegates came from 55 countries "
        "(27 EU + 28 non-EU). Up to 5% of employees, which represents 700000 people/year. "
        "Between 30 and 40 schools took part, and 6 of these sectors were covered; eleven countries signed "
        "and 1,260 drone flights were logged.\n")
    assert figs(r) == [
        ("500", "", "companies", "gt", ""),
        ("7000000000", "", "EUR", "", ""),
        ("3700000", "", "EUR", "", ""),
        ("125000", "", "EUR", "", ""),
        ("8000000", "", "USD", "", ""),
        ("2400", "", "delegates", "approx", ""),
        ("55", "", "countries", "", ""),
        ("27", "", "eu", "", ""),
        ("28", "", "non-eu", "", ""),
        ("5", "", "percent", "le", ""),
        ("700000", "", "people", "", "year"),
        ("30", "40", "schools", "", ""),
        ("6", "", "sectors", "", ""),
        ("11", "", "countries", "", ""),
        ("1260", "", "drone flights", "", ""),
    ]


def test_decoys_are_not_figures(extract_text):
    r = extract_text(
        "# Minutes\n\nIn Session 4 (see p. 22 of version 3.0) the Data2Work and EXAM4.0 teams met in 2021 "
        "on 14 May 2025 at 10:00 in room 2.14; Industry 4.0 was discussed on the 3rd day. "
        "Call +32 2 123 45 67.\n")
    assert figs(r) == []


def test_french_figures(extract_text):
    r = extract_text(
        "# Compte rendu\n\nLe projet a réuni 1 874 organisations et plus de 300 entreprises pour 3,2 millions "
        "d'euros et 6 millions d’euros. Le taux atteint 87,5 % ; une vingtaine de participants ont suivi "
        "quatre tables rondes de 3 à 5 jours, soit jusqu'à 150 stagiaires par an. La 2e rencontre aura lieu "
        "en 2026.\n", name="cr.md")
    assert r.document.language == "fr"
    assert figs(r) == [
        ("1874", "", "organisations", "", ""),
        ("300", "", "entreprises", "gt", ""),
        ("3200000", "", "EUR", "", ""),
        ("6000000", "", "EUR", "", ""),
        ("87.5", "", "percent", "", ""),
        ("20", "", "participants", "approx", ""),
        ("4", "", "tables rondes", "", ""),
        ("3", "5", "jours", "", ""),
        ("150", "", "stagiaires", "le", "year"),
    ]


def test_figure_keeps_text_and_sentence(extract_text):
    r = extract_text("# R\n\nIntro. The call funded 84 projects in total. Next.\n")
    (f,) = r.figures
    assert f.text == "84 projects"
    assert f.sentence == "The call funded 84 projects in total."
