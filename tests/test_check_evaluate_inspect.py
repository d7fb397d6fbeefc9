"""The regression and evaluation commands, through Click's CliRunner."""
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from eval.score import score
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_check_passes_on_the_stored_expected_outputs():
    result = run("check", ROOT / "input", "--expected", ROOT / "tests" / "expected")
    assert result.exit_code == 0, result.output
    assert "no differences" in result.output


def test_check_reports_a_changed_rule_as_a_readable_diff(tmp_path):
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    path = models / "en" / "figures.json"
    rules = json.loads(path.read_text(encoding="utf-8"))
    rules["currency_words"].pop("euros")  # `7 billion euros` loses its currency
    path.write_text(json.dumps(rules), encoding="utf-8")
    result = run("check", ROOT / "input", "--expected", ROOT / "tests" / "expected", "--models", models)
    assert result.exit_code == 1
    assert "figures.csv:" in result.output and "changed" in result.output
    assert "unit: 'EUR' -> 'euros'" in result.output
    assert "projects.csv" not in result.output  # only the tables that changed are listed


def test_check_update_then_check(tmp_path):
    expected = tmp_path / "expected"
    assert run("check", ROOT / "input", "--expected", expected, "--update").exit_code == 0
    assert sorted(p.name for p in expected.iterdir())[:2] == ["documents.csv", "errors.csv"]
    result = run("check", ROOT / "input", "--expected", expected)
    assert result.exit_code == 0
    (expected / "projects.csv").write_text((expected / "projects.csv").read_text(encoding="utf-8")
                                           .replace("https://ecovem.eu/", "https://old.example/"), encoding="utf-8")
    result = run("check", ROOT / "input", "--expected", expected)
    assert result.exit_code == 1
    assert "url: 'https://old.example/' -> 'https://ecovem.eu/'" in result.output


def test_evaluate_matches_the_shared_scorer(tmp_path):
    result = run("evaluate", ROOT / "tests" / "reports", "--gold", ROOT / "tests" / "reports" / "gold", "--json")
    ours = json.loads(result.output)
    out = tmp_path / "out"
    assert run("extract", ROOT / "tests" / "reports", "--out", out, "-q", "--jobs", "1").exit_code == 0
    totals, extra, _ = score(out, ROOT / "tests" / "reports" / "gold")
    for kind, tally in totals.items():
        assert (ours[kind]["tp"], ours[kind]["fp"], ours[kind]["fn"]) == (tally.tp, tally.fp, tally.fn), kind
    assert ours["project_url_accuracy"] == round(extra["project_url_ok"] / extra["project_url_total"], 3)
    assert ours["figure_unit_accuracy"] == round(extra["figure_unit_ok"] / extra["figure_matched"], 3)


def test_evaluate_table_and_verbose():
    result = run("evaluate", ROOT / "tests" / "reports", "--gold", ROOT / "tests" / "reports" / "gold", "-v")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split() == ["kind", "P", "R", "F1", "tp", "fp", "fn"]
    assert "project_url_accuracy" in result.output and "macro_f1" in result.output
    assert "  EXTRA " in result.output or "  MISS " in result.output


def test_inspect_shows_sections_and_rows():
    result = run("inspect", ROOT / "input" / "ecovem-conference-report-2022.md")
    assert result.exit_code == 0
    text = result.output
    assert text.index("sections") < text.index("projects (12)") < text.index("figures (12)")
    assert "7000000000 EUR" in text and "\"7 billion euros\"" in text
    assert "(list) To create connections between the different specializations" in text
