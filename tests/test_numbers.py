from decimal import Decimal

import pytest

from pipeline.numbers import format_number, parse_number, scan_numbers
from pipeline.rules import load_rules


@pytest.mark.parametrize("literal,lang,expected", [
    ("1,741", "en", "1741"), ("1 741", "fr", "1741"), ("1\u00a0741", "fr", "1741"), ("1\u202f741", "en", "1741"),
    ("87,5", "fr", "87.5"), ("3,2", "fr", "3.2"), ("2.315", "fr", "2315"), ("2.315", "en", "2.315"),
    ("1.741.000", "en", "1741000"), ("1,741.5", "en", "1741.5"), ("1.741,5", "fr", "1741.5"), ("700000", "en", "700000"),
])
def test_parse_number(literal, lang, expected):
    assert parse_number(literal, lang) == Decimal(expected)


def test_parse_number_rejects_broken_grouping():
    assert parse_number("2019 100", "en") is None


def values(text, lang="en"):
    return [format_number(m.value) for m in scan_numbers(text, load_rules(lang))]


def test_scan_skips_times_dates_phones_versions_and_names():
    text = ("At 10:00 (10h30 in Paris) on 03/02/2022 and 2022-02-03 call +33 1 23 45 67 89; "
            "release 3.0.1 of EXAM4.0, 3LoE, COVID-19 and Data2Work had 84 projects.")
    assert values(text) == ["84"]


def test_scan_reads_attached_scales_and_words():
    assert values("£2m and €3.5bn for eleven countries and twenty-five partners") == ["2000000", "3500000000", "11", "25"]
    assert values("une vingtaine de participants et quatre tables rondes", "fr") == ["20", "4"]


def test_format_number_has_no_exponent_or_grouping():
    assert format_number(Decimal("7E+9")) == "7000000000"
    assert format_number(Decimal("3.50")) == "3.5"
    assert format_number(None) == ""
