import csv
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from pipeline import __version__
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_version_and_help():
    assert run("--version").output.strip().endswith(__version__)
    out = run("extract", "--help").output
    for option in ("--out", "--models", "--quiet", "Exit status"):
        assert option in out


def test_missing_path_is_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "nope.md"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2


def test_extract_sample_writes_contract_files(tmp_path):
    out = tmp_path / "out"
    result = run("extract", str(ROOT / "input"), "--out", str(out))
    assert result.exit_code == 0, result.output
    for name in ("documents", "sections", "projects", "urls", "figures", "recommendations", "errors"):
        assert (out / f"{name}.csv").exists()
    (doc,) = rows(out / "documents.csv")
    assert doc["doc_id"].startswith("ecovem-conference-report-2022-") and len(doc["doc_id"].split("-")[-1]) == 8
    assert doc["source"] == "ecovem-conference-report-2022.md"
    assert doc["n_projects"] == str(len(rows(out / "projects.csv")))
    data = json.loads((out / "json" / f"{doc['doc_id']}.json").read_text(encoding="utf-8"))
    assert data["document"]["pages"] is None
    assert data["figures"][0]["value"] == 43 and isinstance(data["figures"][0]["value"], int)
    assert (out / "errors.csv").read_text() == "source,error,message\n"


def test_bad_file_is_an_error_row_and_exit_1(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ROOT / "input" / "ecovem-conference-report-2022.md", src)
    (src / "empty.md").write_text("   \n", encoding="utf-8")
    (src / "ignored.json").write_text("{}", encoding="utf-8")  # not a report extension: not picked up
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(src), "--out", str(out)])
    assert result.exit_code == 1
    assert rows(out / "errors.csv") == [{"source": "empty.md", "error": "empty_document",
                                         "message": "empty.md: no text found"}]
    assert len(rows(out / "documents.csv")) == 1


def test_outputs_are_byte_identical_and_formula_safe(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "evil.md").write_text("# =HYPERLINK(\"http://x\")\n\n- =1+2 should be escaped\n\n"
                                 "The panel recommends that -5 be read as text.\n", encoding="utf-8")
    shutil.copy(ROOT / "input" / "ecovem-conference-report-2022.md", src)
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("extract", str(src), "--out", str(a), "-q").exit_code == 0
    assert run("extract", str(src), "--out", str(b), "-q").exit_code == 0
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    for name in ("sections", "recommendations"):
        for row in rows(a / f"{name}.csv"):
            for value in row.values():
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert any(r["heading"].startswith("'=") for r in rows(a / "sections.csv"))


def test_datapackage_validates_with_frictionless(tmp_path):
    from frictionless import validate

    out = tmp_path / "out"
    assert run("extract", str(ROOT / "input"), str(ROOT / "tests" / "reports"), "--out", str(out), "-q").exit_code == 0
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
