"""Batches of mixed reports: workers, order, incremental reruns, kills, Dask and output formats."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from fixtures.render import render_all
from pipeline.batch import run_batch

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted((ROOT / "tests" / "reports").glob("*.md"))[:7]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """42 reports: 7 Markdown originals and their PDF (4 layouts), DOCX and HTML renditions."""
    folder = tmp_path_factory.mktemp("mixed")
    render_all(REPORTS, folder)
    for path in REPORTS:
        shutil.copy(path, folder)
    files = sorted(folder.iterdir())
    assert len(files) >= 40
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_jobs_and_input_order_do_not_change_outputs(mixed, tmp_path):
    files = sorted(mixed.iterdir())
    one = run_batch([mixed], tmp_path / "one", jobs=1)
    two = run_batch([mixed], tmp_path / "two", jobs=2)
    assert one.ok and two.ok and one.processed == two.processed == len(files)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    forward = run_batch(files, tmp_path / "forward", jobs=2)
    backward = run_batch(list(reversed(files)), tmp_path / "backward", jobs=2)
    assert forward.ok and backward.ok
    assert tree(tmp_path / "forward") == tree(tmp_path / "backward")


def test_unchanged_rerun_processes_nothing_and_an_edit_only_that_file(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for path in REPORTS[:4]:
        shutil.copy(path, src)
    out = tmp_path / "out"
    first = run_batch([src], out, jobs=1)
    assert first.processed == 4
    again = run_batch([src], out, jobs=1)
    assert (again.processed, again.skipped) == (0, 4)
    before = tree(out)
    edited = src / REPORTS[0].name
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nThe forum also welcomed 321 volunteers.\n",
                      encoding="utf-8")
    third = run_batch([src], out, jobs=1)
    assert (third.processed, third.skipped) == (1, 3)
    (src / REPORTS[1].name).unlink()
    fourth = run_batch([src], out, jobs=1)
    assert fourth.processed == 0 and len(fourth.result.reports) == 3
    clean = run_batch([src], tmp_path / "clean", jobs=1)
    assert tree(out) == tree(tmp_path / "clean")
    assert before != tree(out)


def test_changed_rules_redo_everything(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(REPORTS[0], src)
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    out = tmp_path / "out"
    assert run_batch([src], out, jobs=1, models_dir=str(models)).processed == 1
    assert run_batch([src], out, jobs=1, models_dir=str(models)).processed == 0
    path = models / "en" / "figures.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"unit_skip": [', '"unit_skip": ["brand-new", '),
                    encoding="utf-8")
    assert run_batch([src], out, jobs=1, models_dir=str(models)).processed == 1


def test_a_killed_batch_is_finished_by_the_next_run(mixed, tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "extract", str(mixed), "--out", str(out), "--jobs", "1", "-q"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            done = len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"])
        except (OSError, ValueError, KeyError):
            done = 0
        if done >= 10:
            break
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / "projects.csv").exists() or (out / "projects.csv").read_bytes()  # never half a file
    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    clean = tmp_path / "clean"
    assert subprocess.run([*cmd[:6], str(clean), *cmd[7:]], cwd=ROOT).returncode == 0
    a, b = tree(out), tree(clean)
    assert a == b


def test_dask_local_cluster_gives_the_same_outputs(tmp_path):
    pytest.importorskip("distributed")
    src = tmp_path / "in"
    src.mkdir()
    for path in REPORTS[:3]:
        shutil.copy(path, src)
    local = run_batch([src], tmp_path / "local", jobs=1)
    dask = run_batch([src], tmp_path / "dask", jobs=2, executor="dask")
    assert local.ok and dask.ok
    assert tree(tmp_path / "local") == tree(tmp_path / "dask")


def test_spreadsheet_database_and_parquet_outputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ROOT / "input" / "ecovem-conference-report-2022.md", src)
    (src / "evil.md").write_text("# =cmd|' /C calc'!A0\n\nMore than 500 companies. Visit https://x.eu/.\n",
                                 encoding="utf-8")
    out = tmp_path / "out"
    summary = run_batch([src], out, jobs=1, formats=("csv", "json", "xlsx", "sqlite", "parquet"), bom=True)
    assert summary.ok
    assert (out / "projects.csv").read_bytes().startswith(b"\xef\xbb\xbfdoc_id,")

    from openpyxl import load_workbook

    wb = load_workbook(out / "report-data.xlsx")
    assert wb.sheetnames[:2] == ["documents", "sections"]
    figures = wb["figures"]
    assert figures.freeze_panes == "A2" and figures["A1"].font.bold
    values = [row for row in figures.iter_rows(min_row=2, values_only=True)]
    assert 7000000000 in [v[2] for v in values] and all(not isinstance(v[2], str) for v in values)
    docs = wb["documents"]
    assert docs["G1"].value == "date_start" and docs["G2"].value.year == 2022
    urls = wb["urls"]
    assert urls["C2"].hyperlink is not None
    heading = [c for c in wb["sections"]["E"] if c.value and "cmd" in str(c.value)]
    # the text as written, stored as a string: never a formula, and no CSV guard quote shown
    assert [(c.value, c.data_type) for c in heading] == [("=cmd|' /C calc'!A0", "s")]
    with zipfile.ZipFile(out / "report-data.xlsx") as zf:
        assert not any(b"<f>" in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
    again = tmp_path / "again"
    run_batch([src], again, jobs=1, formats=("xlsx", "sqlite", "parquet"))
    for name in ("report-data.xlsx", "report-data.sqlite", "parquet/figures.parquet"):
        assert (out / name).read_bytes() == (again / name).read_bytes(), name

    con = sqlite3.connect(out / "report-data.sqlite")
    joined = con.execute("SELECT d.title, count(*) FROM projects p JOIN documents d USING (doc_id) "
                         "GROUP BY d.doc_id ORDER BY d.doc_id").fetchall()
    assert joined[0][1] == 12
    assert {r[2] for r in con.execute("PRAGMA foreign_key_list(projects)")} == {"documents", "projects_index"}
    indexes = {r[1] for r in con.execute("SELECT * FROM sqlite_master WHERE type = 'index'").fetchall()}
    assert {"projects_doc_id", "projects_project_id", "urls_project_id"} <= indexes
    # whole numbers are INTEGER (NUMERIC affinity), fractions REAL
    assert con.execute("SELECT typeof(value) FROM figures WHERE value = 7000000000").fetchone()[0] == "integer"

    import pyarrow.parquet as pq

    table = pq.read_table(out / "parquet" / "figures.parquet")
    assert table.schema.field("value").type.id == 12 or str(table.schema.field("value").type) == "double"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_workbook_opens_in_libreoffice(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ROOT / "input" / "ecovem-conference-report-2022.md", src)
    run_batch([src], tmp_path / "out", jobs=1, formats=("xlsx",))
    # CSV filter options, so the export does not depend on the machine's locale: field separator
    # 44 (,), text delimiter 34 ("), character set 76 (UTF-8), line 1, no column formats,
    # language 0, quote only where needed, detect special numbers, cells as shown, no formulas,
    # no space trimming, sheet 1 (`documents`; LibreOffice >= 7.2 then names the file after it).
    options = "44,34,76,1,,0,false,true,true,false,false,1"
    subprocess.run(["soffice", "--headless", "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}",
                    "--outdir", str(tmp_path), str(tmp_path / "out" / "report-data.xlsx")],
                   check=True, timeout=120)
    # before 7.2 the sheet token is ignored and the first sheet, `documents`, is report-data.csv
    csv = next(p for p in (tmp_path / "report-data-documents.csv", tmp_path / "report-data.csv") if p.exists())
    text = csv.read_text(encoding="utf-8")
    assert "Lelièvre" in text


def test_crafted_names_stay_inside_the_output(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    names = ["a\\..\\..\\x.md", "tab\tand\nnewline.md", "é" * 120 + ".md", ".hidden.md", "-rf.md"]
    for i, name in enumerate(names):
        (src / name).write_text(f"# T{i}\n\n12 partners met.\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run_batch([src], out, jobs=1)
    written = [p.resolve() for p in out.rglob("*") if p.is_file()]
    assert all(str(p).startswith(str(out.resolve())) for p in written)
    ids = [r.doc_id for r in summary.result.reports]
    assert len(ids) == 4  # hidden files are skipped in folders
    assert all(set(i) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") and len(i) <= 70 for i in ids)
