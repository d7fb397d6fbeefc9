"""The sample and our own varied reports, scored with the same scorer as ../shared/eval/score.py
(a copy lives in tests/eval/). Floors are per kind; a drop below them is a regression."""
from pathlib import Path

import pytest
from click.testing import CliRunner

from eval.score import KINDS, score
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run_and_score(tmp_path, inputs, gold):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", *map(str, inputs), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    totals, extra, _ = score(out, gold)
    f1 = {k: totals[k].prf()[2] for k in KINDS}
    return f1, extra


def test_sample_report_scores(tmp_path):
    f1, extra = run_and_score(tmp_path, [ROOT / "input"], ROOT / "tests" / "gold")
    assert not extra["documents_missing"]
    for kind in KINDS:
        assert f1[kind] >= 0.95, (kind, f1)
    assert extra["meta_ok"] == extra["meta_total"]
    assert extra["sections_found"] == extra["sections_gold"]


# Floors for the fourteen reports in tests/reports (written, with their gold, before tuning; five French).
OWN_FLOORS = {"projects": 0.95, "urls": 0.97, "figures": 0.97, "recommendations": 0.95}


def test_own_reports_score(tmp_path):
    f1, extra = run_and_score(tmp_path, [ROOT / "tests" / "reports"], ROOT / "tests" / "reports" / "gold")
    assert not extra["documents_missing"]
    for kind, floor in OWN_FLOORS.items():
        assert f1[kind] >= floor, (kind, f1)
    assert extra["meta_ok"] / extra["meta_total"] >= 0.95
    assert extra["sections_found"] / extra["sections_gold"] >= 0.95


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_both_languages_are_covered(lang):
    import json

    langs = [json.loads(p.read_text(encoding="utf-8"))["document"]["language"]
             for p in (ROOT / "tests" / "reports" / "gold").glob("*.gold.json")]
    assert langs.count(lang) >= 4
