"""Evidence and confidence on every row: what produced it, how sure, and the threshold."""
import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.api import extract_file
from pipeline.cli import main
from pipeline.extractors.confidence import ConfidenceModel
from pipeline.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "input" / "ecovem-conference-report-2022.md"
KINDS = ("projects", "urls", "figures", "recommendations")


def test_weights_combine_as_independent_signals_and_penalties_scale_down():
    model = ConfidenceModel(load_rules("en"))
    one = model.score("projects", ["list:projects-section"])
    two = model.score("projects", ["list:projects-section", "url:given"])
    assert 0 < one < two < 1
    w1, w2 = model.weight("projects", "list:projects-section"), model.weight("projects", "url:given")
    assert two == pytest.approx(1 - (1 - w1) * (1 - w2), abs=1e-3)
    assert model.score("projects", ["pattern:my-own-rule"]) == model.weight("projects", "pattern:*")
    assert model.score("figures", ["number:digits", "unit:none"]) < model.score("figures", ["number:digits"])
    assert model.score("projects", []) == 0.0


def test_every_row_names_its_evidence_and_a_confidence_between_0_and_1():
    report = extract_file(SAMPLE)
    for kind in KINDS:
        rows = getattr(report, kind)
        assert rows, kind
        for row in rows:
            assert row.evidence and all(":" in tag or tag in ("gazetteer", "range", "rate")
                                        for tag in row.evidence.split("; ")), (kind, row.evidence)
            assert 0 < row.confidence <= 1
    ecovem = next(p for p in report.projects if p.name == "ECOVEM")
    assert "list:projects-section" in ecovem.evidence and "url:given" in ecovem.evidence
    money = next(f for f in report.figures if f.unit == "EUR")
    assert "unit:currency" in money.evidence
    assert any(r.evidence.startswith("call:") for r in report.recommendations)


def test_min_confidence_drops_rows_below_it_and_numbers_the_rest(tmp_path):
    everything = extract_file(SAMPLE, min_confidence=0.0)
    scores = sorted({r.confidence for kind in KINDS for r in getattr(everything, kind)})
    cut = scores[len(scores) // 2]  # a threshold some rows are under
    strict = extract_file(SAMPLE, min_confidence=cut)
    for kind in KINDS:
        kept = getattr(strict, kind)
        assert all(r.confidence >= cut for r in kept)
        assert len(kept) == sum(r.confidence >= cut for r in getattr(everything, kind))
    assert sum(len(getattr(strict, k)) for k in KINDS) < sum(len(getattr(everything, k)) for k in KINDS)
    assert [f.figure_id for f in strict.figures] == [f"f{i + 1}" for i in range(len(strict.figures))]
    # a URL of a dropped project no longer points at it
    ids = {p.project_id for p in strict.projects}
    assert all(u.project_id in ids for u in strict.urls if u.project_id)


def test_the_threshold_comes_from_models_and_a_user_can_change_it(tmp_path):
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    path = models / "common" / "confidence.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    default = extract_file(SAMPLE).figures
    cut = max(f.confidence for f in default)
    config["min_confidence"]["figures"] = cut
    path.write_text(json.dumps(config), encoding="utf-8")
    strict = extract_file(SAMPLE, models_dir=str(models)).figures
    assert strict and len(strict) < len(default) and all(f.confidence >= cut for f in strict)


def test_cli_writes_evidence_in_every_format_and_reruns_on_a_new_threshold(tmp_path):
    out = tmp_path / "out"
    args = ["extract", str(SAMPLE), "--out", str(out), "--format", "csv,json,xlsx,sqlite", "-q"]
    assert CliRunner().invoke(main, args).exit_code == 0
    with open(out / "figures.csv", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[-2:] == ["evidence", "confidence"]
    doc = json.loads(next((out / "json").glob("*.json")).read_text(encoding="utf-8"))
    assert all("evidence" in r and isinstance(r["confidence"], float) for r in doc["projects"])
    with sqlite3.connect(out / "report-data.sqlite") as db:
        assert db.execute("select count(*) from recommendations where evidence like 'call:%'").fetchone()[0] > 0
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"]}
    # evidence and confidence close each kind's columns (urls: then the link's own words)
    assert all(fields[kind][-2:] == ["evidence", "confidence"] for kind in KINDS if kind != "urls")
    assert fields["urls"][-3:] == ["evidence", "confidence", "link_text"]
    before = len((out / "figures.csv").read_text(encoding="utf-8").splitlines())
    result = CliRunner().invoke(main, args + ["--min-confidence", "0.99"])
    assert result.exit_code == 0
    assert len((out / "figures.csv").read_text(encoding="utf-8").splitlines()) < before


@pytest.mark.parametrize("value", ["-0.1", "1.5", "nan"])
def test_a_threshold_outside_0_to_1_is_a_one_line_usage_error(tmp_path, value):
    result = CliRunner().invoke(main, ["extract", str(SAMPLE), "--out", str(tmp_path / "o"),
                                       "--min-confidence", value])
    assert result.exit_code == 2 and "--min-confidence" in result.output


def test_inspect_shows_the_evidence_of_each_row():
    result = CliRunner().invoke(main, ["inspect", str(SAMPLE)])
    assert result.exit_code == 0
    assert "from list:projects-section; pattern:X-project" in result.output


@pytest.mark.parametrize("change, expected", [
    (lambda c: c["min_confidence"].update(figures=7), "a number from 0 to 1"),
    (lambda c: c["min_confidence"].update(figures=float("nan")), "a number from 0 to 1"),
    (lambda c: c["projects"].update({"gazetteer": -5}), "a number from -1 to 1"),
])
def test_confidence_settings_out_of_range_are_refused(tmp_path, change, expected):
    from pipeline.rules import RulesError, validate_rules
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    path = models / "common" / "confidence.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    change(config)
    path.write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(RulesError, match=expected):
        validate_rules(str(models))
