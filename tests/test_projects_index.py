"""One index of projects across the reports of an output folder, every mention with its
sentence, `inspect --project`, and the SQLite database as people explore it (issue 14)."""
import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.batch import run_batch
from pipeline.cli import main

SPRING = """# Spring Forum on Rural Mobility

Lyon, 3-4 March 2024.

## Projects presented

- **RURALMOB**: shared rides for villages, https://ruralmob.eu
- **GreenLink**: electric buses between market towns, https://greenlink-project.eu

RURALMOB reached 1200 households in 2023. The GreenLink pilots ran in six towns.
"""
AUTUMN = """# Autumn Workshop on Village Transport

Brussels, 14 October 2024.

## Projects presented

- **RURALMOB**: demand-responsive transport, https://ruralmob.eu/results
- **FieldLoop**: data for farm logistics, https://fieldloop.eu

The RURALMOB team showed its new booking app. RURALMOB now serves 40 villages.
"""


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture()
def batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "spring-forum.md").write_text(SPRING, encoding="utf-8")
    (folder / "autumn-workshop.md").write_text(AUTUMN, encoding="utf-8")
    out = tmp_path / "out"
    summary = run_batch([folder], out, jobs=1, formats=("csv", "json", "sqlite", "xlsx"))
    assert summary.ok
    return folder, out


def test_the_index_has_one_row_per_project_over_all_documents(batch):
    _, out = batch
    index = {r["project_id"]: r for r in _rows(out / "projects_index.csv")}
    projects = _rows(out / "projects.csv")
    assert set(index) == {p["project_id"] for p in projects}  # every project, once
    ruralmob = index["ruralmob"]
    assert ruralmob["name"] == "RURALMOB"
    assert ruralmob["n_documents"] == "2"
    assert ruralmob["urls"] == "https://ruralmob.eu; https://ruralmob.eu/results"
    assert ruralmob["first_date"] == "2024-03-03" and ruralmob["last_date"] == "2024-10-14"
    assert ruralmob["mentions"] == str(sum(int(p["mentions"]) for p in projects if p["project_id"] == "ruralmob"))
    assert ruralmob["doc_ids"].count(";") == 1
    assert index["fieldloop"]["n_documents"] == "1" and index["fieldloop"]["first_date"] == "2024-10-14"
    # the same table in JSON, numbers as numbers
    rows = json.loads((out / "projects_index.json").read_text(encoding="utf-8"))
    assert [r["project_id"] for r in rows] == sorted(index)
    assert next(r for r in rows if r["project_id"] == "ruralmob")["n_documents"] == 2


def test_the_index_stays_exact_as_documents_come_and_go(batch, tmp_path):
    folder, out = batch
    (folder / "autumn-workshop.md").unlink()
    run_batch([folder], out, jobs=1)
    index = {r["project_id"]: r for r in _rows(out / "projects_index.csv")}
    assert "fieldloop" not in index and index["ruralmob"]["n_documents"] == "1"
    assert index["ruralmob"]["last_date"] == "2024-03-04"
    (folder / "autumn-workshop.md").write_text(AUTUMN, encoding="utf-8")
    summary = run_batch([folder], out, jobs=1)
    assert summary.skipped == 1  # the spring report came from the cache, and still counts
    index = {r["project_id"]: r for r in _rows(out / "projects_index.csv")}
    assert index["ruralmob"]["n_documents"] == "2" and "fieldloop" in index


def test_every_mention_is_a_row_with_its_sentence(batch):
    _, out = batch
    mentions = _rows(out / "mentions.csv")
    projects = _rows(out / "projects.csv")
    for p in projects:
        mine = [m for m in mentions if m["doc_id"] == p["doc_id"] and m["project_id"] == p["project_id"]]
        assert len(mine) == int(p["mentions"]), p
        for m in mine:
            assert m["text"] in m["sentence"]
    autumn = [m for m in mentions if m["project_id"] == "ruralmob" and m["doc_id"].startswith("autumn")]
    assert [m["sentence"] for m in autumn][-1] == "RURALMOB now serves 40 villages."
    ids = [int(m["mention_id"][1:]) for m in mentions if m["doc_id"] == autumn[0]["doc_id"]]
    assert ids == list(range(1, len(ids) + 1))  # m1, m2, ... in reading order


def test_inspect_project_lists_every_mention_over_all_documents(batch, tmp_path):
    _, out = batch
    result = CliRunner().invoke(main, ["inspect", "--project", "RuralMob", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ruralmob: RURALMOB  (2 documents,")
    assert "RURALMOB now serves 40 villages." in result.output
    assert "RURALMOB reached 1200 households in 2023." in result.output
    assert "spring-forum-" in result.output and "autumn-workshop-" in result.output
    missing = CliRunner().invoke(main, ["inspect", "--project", "nothing", str(out)])
    assert missing.exit_code == 1 and "no project 'nothing'" in missing.output
    not_out = CliRunner().invoke(main, ["inspect", "--project", "ruralmob", str(tmp_path / "in")])
    assert not_out.exit_code == 2 and "not an output folder" in not_out.output
    a_file = CliRunner().invoke(main, ["inspect", "--project", "ruralmob", str(out / "projects.csv")])
    assert a_file.exit_code == 2


def test_sqlite_keeps_whole_numbers_sorts_ids_and_checks_keys(batch):
    _, out = batch
    con = sqlite3.connect(out / "report-data.sqlite")
    kinds = dict(con.execute("SELECT value, typeof(value) FROM figures").fetchall())
    assert kinds[1200] == "integer" and kinds[40] == "integer"
    positions = [r[0] for r in con.execute("SELECT position FROM mentions ORDER BY doc_id, position")]
    assert all(isinstance(p, int) for p in positions)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    keys = {(r[2], r[3]) for r in con.execute("PRAGMA foreign_key_list(projects)")}
    assert ("projects_index", "project_id") in keys and ("documents", "doc_id") in keys
    assert ("projects_index", "project_id") in {(r[2], r[3]) for r in con.execute("PRAGMA foreign_key_list(urls)")}
    hits = con.execute("SELECT sentence FROM mentions_fts WHERE mentions_fts MATCH 'villages'").fetchall()
    assert ("RURALMOB now serves 40 villages.",) in hits


def test_sqlite_utils_and_datasette_read_the_database(batch):
    sqlite_utils = pytest.importorskip("sqlite_utils")
    _, out = batch
    db = sqlite_utils.Database(out / "report-data.sqlite")
    assert db["figures"].detect_fts() == "figures_fts"
    assert any("1200" in r["text"] for r in db["figures"].search("households"))
    assert {fk.other_table for fk in db["mentions"].foreign_keys} == {"documents", "projects_index"}
    pytest.importorskip("datasette")
    datasette = str(Path(sys.executable).with_name("datasette"))
    done = subprocess.run([datasette, str(out / "report-data.sqlite"), "-m", str(out / "metadata.json"),
                           "--get", "/report-data/projects_index.json?_shape=array&project_id=ruralmob"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["n_documents"] == 2
    done = subprocess.run([datasette, str(out / "report-data.sqlite"), "-m", str(out / "metadata.json"),
                           "--get", "/report-data/figures.json?_search=households&_shape=array"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [r["value"] for r in json.loads(done.stdout)] == [1200]
    metadata = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    tables = metadata["databases"]["report-data"]["tables"]
    assert tables["projects_index"]["label_column"] == "name"
    assert tables["figures"]["columns"]["value"].startswith("The number in base units")


def test_the_workbook_has_the_index_and_the_mentions(batch):
    from openpyxl import load_workbook

    _, out = batch
    wb = load_workbook(out / "report-data.xlsx", read_only=True)
    assert {"projects_index", "mentions"} <= set(wb.sheetnames)
    header = [c.value for c in next(wb["projects_index"].iter_rows(max_row=1))]
    assert header[:4] == ["project_id", "name", "urls", "n_documents"]


def test_words_are_one_projects_mention_only(tmp_path):
    """`AgroForum` inside `AgroForum Drylands` is the longer project's mention, not both."""
    from pipeline import extract_file

    path = tmp_path / "r.md"
    path.write_text("# Webinar\n\n## Projects presented\n\n- **AgroForum Drylands**: soils, https://agroforum-drylands.eu\n"
                    "- **AgroForum**: the network, https://agroforum.eu\n\n"
                    "The AgroForum Drylands pilots ran in 2024. AgroForum members met twice.\n", encoding="utf-8")
    report = extract_file(path)
    by_id = {p.project_id: p for p in report.projects}
    assert {"agroforum", "agroforumdrylands"} <= set(by_id)
    # no mention of the short name stands inside the long one
    assert not [m for m in report.mentions if m.project_id == "agroforum" and m.text != "AgroForum"]
    for p in report.projects:
        assert p.mentions == sum(1 for m in report.mentions if m.project_id == p.project_id)
    assert by_id["agroforum"].mentions == 2 and by_id["agroforumdrylands"].mentions == 2


def test_inspect_project_says_what_to_do_with_an_older_folder(batch):
    _, out = batch
    for path in (out / "json").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        del data["mentions"]
        path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["inspect", "--project", "ruralmob", str(out)])
    assert result.exit_code == 1 and "run extract again" in result.output and "Traceback" not in result.output


def test_a_figure_beyond_sqlite_integers_is_stored_as_real(tmp_path):
    from pipeline.spreadsheets import write_sqlite

    rows = {"documents": [{"doc_id": "d", "source": "d.md"}],
            "figures": [{"doc_id": "d", "figure_id": "f1", "value": 50000000000000000000000, "text": "x",
                         "sentence": "x"}]}
    write_sqlite(rows, tmp_path / "x.sqlite")
    con = sqlite3.connect(tmp_path / "x.sqlite")
    assert con.execute("SELECT typeof(value), value FROM figures").fetchone() == ("real", 5e22)
