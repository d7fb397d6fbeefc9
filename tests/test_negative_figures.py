"""A minus sign attached to a number is part of the figure; dashes of ranges, bullets and
hyphenated names are not signs."""
from pipeline.numbers import format_number, scan_numbers
from pipeline.rules import load_rules


def figs(report):
    return [(format_number(f.value), format_number(f.value_max), f.unit, f.qualifier or "", f.text)
            for f in report.figures]


def values(text, lang="en"):
    return [format_number(m.value) for m in scan_numbers(text, load_rules(lang))]


def test_english_negative_figures(extract_text):
    r = extract_text(
        "# Budget\n\nThe balance moved by -200 euros and sales by −3% over the year; margins were lower "
        "(-1.5%) and EUR -3.7 million was written off, a net change of –12,000 euros. "
        "A decrease of 3% was also seen.\n")
    assert figs(r) == [
        ("-200", "", "EUR", "", "-200 euros"),
        ("-3", "", "percent", "", "−3%"),
        ("-1.5", "", "percent", "", "-1.5%"),
        ("-3700000", "", "EUR", "", "EUR -3.7 million"),
        ("-12000", "", "EUR", "", "–12,000 euros"),
        ("3", "", "percent", "", "3%"),  # a decrease stated in words keeps a positive figure
    ]


def test_french_negative_figures(extract_text):
    r = extract_text(
        "# Compte rendu\n\nLe taux a varié de −3 % et le budget de -200 euros ; on note une baisse de -5 % "
        "des ventes, une baisse de 4 % des coûts et un solde de –1 250 euros.\n", name="cr.md")
    assert r.document.language == "fr"
    assert figs(r) == [
        ("-3", "", "percent", "", "−3 %"),
        ("-200", "", "EUR", "", "-200 euros"),
        ("-5", "", "percent", "", "-5 %"),
        ("4", "", "percent", "", "4 %"),
        ("-1250", "", "EUR", "", "–1 250 euros"),
    ]


def test_ranges_dashes_and_codes_are_not_signs(extract_text):
    r = extract_text(
        "# Results\n\nBetween 10-20 people came, and 10 – 20 % of staff; turnover fell by -8% in 2022-2023. "
        "Call H2020-123 and COVID-19 were discussed. Outcome: – 30 people left.\n")
    assert figs(r) == [
        ("10", "20", "people", "", "10-20 people"),
        ("10", "20", "percent", "", "10 – 20 %"),
        ("-8", "", "percent", "", "-8%"),
        ("30", "", "people", "", "30 people"),
    ]


def test_scan_numbers_reads_signs_only_where_they_are_signs():
    text = ("-200 and −3 and (−4) and [-5] and 10-20 and 10 -20 and 10 – 20 and COVID-19 and 2022-2023 "
            "and H2020-123 and 555-1234 and –6 and x-7")
    assert values(text) == ["-200", "-3", "-4", "-5", "10", "20", "10", "20", "10", "20", "2022", "2023",
                            "555", "1234", "-6"]
    assert values("–30 participants") == ["30"]  # an en dash opening the text may be a bullet
    assert values("une baisse de -5 % et −3,5 %", "fr") == ["-5", "-3.5"]
