"""Hostile folders and bad settings: nothing the user owns is lost, one bad file never stops
a batch, limits hold, usage errors are one line with exit status 2.

Each test names the item of the issue it pins (#N). Permission tests run the CLI as a
process that cannot bypass file permissions: as root, through `setpriv` with the DAC
capabilities dropped (root otherwise reads a file whatever its mode).
"""
import csv
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import pipeline.api as api
import pipeline.batch as batch
from pipeline.cli import main
from pipeline.nlp import build_pipeline
from pipeline.outdir import OutputFolder

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "input" / "ecovem-conference-report-2022.md"
REPORT = "# Harbour forum\n\nMore than 120 partners met. See https://harbour.example.eu/ for the {n} programme.\n"


def rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_reports(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(REPORT.format(n=name), encoding="utf-8")


def run(*args):
    return CliRunner().invoke(main, ["extract", *map(str, args)])


def one_line_usage_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def without_dac() -> list[str]:
    """A command prefix under which file permissions apply to this user, root included."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}"]


def cli(*args, **kw):
    return subprocess.run([*without_dac(), sys.executable, "-m", "pipeline", "extract", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300, **kw)


@pytest.fixture(scope="module", autouse=True)
def pipelines():
    for lang in ("en", "fr"):  # built once, so no test's time limit pays for them
        build_pipeline(lang)


# -- data loss ----------------------------------------------------------------------------------

def test_1_a_symlinked_json_folder_is_refused_and_nothing_outside_is_deleted(tmp_path):
    outside = tmp_path / "e"
    outside.mkdir()
    (outside / "p.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "o"
    out.mkdir()
    (out / "json").symlink_to("../e")
    write_reports(tmp_path / "in", "x.md")
    line = one_line_usage_error(run(tmp_path / "in" / "x.md", "--out", out))
    assert "symbolic link" in line
    assert (outside / "p.json").read_text(encoding="utf-8") == "{}" and os.listdir(outside) == ["p.json"]


def test_1_a_symlinked_output_file_is_not_replaced(tmp_path):
    target = tmp_path / "mine.csv"
    target.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "o"
    out.mkdir()
    (out / "documents.csv").symlink_to(target)
    write_reports(tmp_path / "in", "x.md")
    assert "symbolic link" in one_line_usage_error(run(tmp_path / "in", "--out", out, "-j", "1"))
    assert target.read_text(encoding="utf-8") == "precious\n" and (out / "documents.csv").is_symlink()


def test_2_only_files_the_tool_wrote_are_deleted(tmp_path):
    src = tmp_path / "in"
    write_reports(src, "a.md", "b.md")
    out = tmp_path / "o"
    assert run(src, "--out", out, "-j", "1", "-q").exit_code == 0
    mine = out / "json" / "my-notes.json"
    mine.write_text('{"keep": true}', encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    gone = {p.name for p in (out / "json").glob("b-*.json")}
    assert len(gone) == 1
    (src / "b.md").unlink()
    assert run(src, "--out", out, "-j", "1", "-q").exit_code == 0
    assert mine.read_text(encoding="utf-8") == '{"keep": true}' and (out / "notes.txt").exists()
    assert not any((out / "json" / name).exists() for name in gone)  # the stale JSON of ours went
    assert [r["source"] for r in rows(out / "documents.csv")] == ["a.md"]


def test_3_a_second_run_on_a_locked_folder_exits_2_and_the_lock_dies_with_its_holder(tmp_path):
    write_reports(tmp_path / "in", "x.md")
    out = tmp_path / "o"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pipeline.outdir import OutputFolder\n"
        f"f = OutputFolder({str(out)!r}); f.prepare(); f.lock(); print('locked', flush=True); time.sleep(120)")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        line = one_line_usage_error(run(tmp_path / "in", "--out", out, "-j", "1"))
        assert "another report-pipeline run is writing to" in line
        assert not (out / "documents.csv").exists()
    finally:
        holder.send_signal(signal.SIGKILL)  # kill -9: the kernel releases the lock
        holder.wait()
    assert run(tmp_path / "in", "--out", out, "-j", "1", "-q").exit_code == 0


def test_3_the_lock_is_held_for_the_whole_run(tmp_path, monkeypatch):
    write_reports(tmp_path / "in", "x.md")
    out = tmp_path / "o"
    seen = []
    real = batch.process_one

    def probe(task, settings):
        other = OutputFolder(out)
        try:
            other.lock()
            seen.append("free")
            other.unlock()
        except Exception as exc:  # noqa: BLE001
            seen.append(type(exc).__name__)
        return real(task, settings)

    monkeypatch.setattr(batch, "process_one", probe)
    assert run(tmp_path / "in", "--out", out, "-j", "1", "-q").exit_code == 0
    assert seen == ["OutputLocked"]


# -- one bad file never stops a batch -------------------------------------------------------------

def test_4_unreadable_file_and_folder_are_rows_and_the_rest_is_written(tmp_path):
    src = tmp_path / "in"
    write_reports(src, "good.md", "locked.md")
    write_reports(src / "closed", "inner.md")
    (src / "locked.md").chmod(0)
    (src / "closed").chmod(0)
    out = tmp_path / "o"
    try:
        done = cli(src, "--out", out, "-j", "1")
    finally:
        (src / "closed").chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert [r["source"] for r in rows(out / "documents.csv")] == ["good.md"]
    errors = {r["source"]: r for r in rows(out / "errors.csv")}
    assert set(errors) == {"locked.md", "closed/"}
    assert {r["error"] for r in errors.values()} == {"unreadable_file"}
    assert "Permission denied" in errors["locked.md"]["message"]
    assert "locked.md: unreadable_file" in done.stderr and "closed/: unreadable_file" in done.stderr


def test_4_links_loops_and_pipes_are_accounted_for(tmp_path):
    src = tmp_path / "in"
    write_reports(src, "good.md")
    (src / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (src / "loop-a.md").symlink_to(src / "loop-b.md")
    (src / "loop-b.md").symlink_to(src / "loop-a.md")
    os.mkfifo(src / "pipe.md")  # opening it would block the batch for ever
    (src / "sub").mkdir()
    (src / "sub" / "back").symlink_to(src)  # a folder link back up: a loop
    write_reports(src / "sub", "deep.md")
    out = tmp_path / "o"
    result = run(src, "--out", out, "-j", "1")
    assert result.exit_code == 1, result.output
    assert sorted(r["source"] for r in rows(out / "documents.csv")) == ["good.md", "sub/deep.md"]
    errors = {r["source"]: r["message"] for r in rows(out / "errors.csv")}
    assert set(errors) == {"dangling.md", "loop-a.md", "loop-b.md", "pipe.md"}
    assert "dangling symbolic link" in errors["dangling.md"] and "loop" in errors["loop-a.md"]
    assert "named pipe" in errors["pipe.md"]
    assert "sub/back" in result.output and "loop" in result.output  # the folder loop is a warning


def test_5_a_name_that_is_not_utf8_is_processed_with_a_faithful_source(tmp_path):
    src = tmp_path / "in"
    write_reports(src, "ok.md")
    with open(os.path.join(os.fsencode(src), b"bad\xff.md"), "wb") as fh:
        fh.write(REPORT.format(n=9).encode("utf-8"))
    out = tmp_path / "o"
    result = run(src, "--out", out, "-j", "1", "--format", "csv,json,xlsx,sqlite")
    assert result.exit_code == 0, result.output
    sources = [r["source"] for r in rows(out / "documents.csv")]
    assert sorted(sources) == ["bad\\xff.md", "ok.md"]
    for path in (out / "json").glob("*.json"):
        json.loads(path.read_bytes().decode("utf-8"))  # valid UTF-8 JSON
    assert run(src, "--out", out, "-j", "1", "-q").exit_code == 0  # the rerun reads its manifest back


def test_6_control_characters_never_reach_any_output(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "ctl\x1b.md").write_bytes(
        b"# Harbour\x00 forum\x01\n\nMore than 120 part\x1bners met\x07.\tSee https://harbour.example.eu/.\n\n"
        b"- We call on cities\x0b to act\x1f now.\n")
    out = tmp_path / "o"
    result = run(src, "--out", out, "-j", "1", "--format", "csv,json,xlsx,sqlite")
    assert result.exit_code == 0, result.output
    controls = {*range(0x20), 0x7F} - {0x0A}
    for path in [*out.glob("*.csv"), *(out / "json").glob("*.json")]:
        data = path.read_bytes()
        assert not any(b in controls for b in data), (path.name, data)
    from openpyxl import load_workbook

    wb = load_workbook(out / "report-data.xlsx")
    assert wb["sections"]["E2"].value == "Harbour forum"
    assert wb["documents"]["B2"].value == "ctl\\x1b.md"


def test_7_the_same_bytes_under_two_names_are_one_document(tmp_path):
    src = tmp_path / "in"
    write_reports(src / "a", "report.md")
    write_reports(src / "b", "report.md")
    shutil.copy(src / "a" / "report.md", src / "copy.md")
    write_reports(src, "other.md")
    (src / "other.md").write_text(REPORT.format(n=7), encoding="utf-8")
    out = tmp_path / "o"
    result = run(src, "--out", out, "-j", "1", "--format", "csv,json,sqlite")
    assert result.exit_code == 0, result.output
    docs = rows(out / "documents.csv")
    assert sorted((d["source"], d["duplicates"]) for d in docs) == [("a/report.md", "b/report.md; copy.md"),
                                                                     ("other.md", "")]
    assert len({d["doc_id"] for d in docs}) == len(docs)
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    again = run(src, "--out", out, "-j", "1", "-q")  # incremental: unchanged
    assert again.exit_code == 0 and rows(out / "documents.csv") == docs


# -- limits that hold ---------------------------------------------------------------------------------

def dense_pdf(path: Path, pages: int, seed: int, glyphs: int = 8000) -> None:
    """Pages of thousands of tiny glyphs: seconds per page to parse."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    rnd = random.Random(seed)
    for _ in range(pages):
        c.setFont("Helvetica", 3)
        for i in range(glyphs // 80):
            c.drawString(20, 20 + i * 8, "".join(rnd.choice("abcdefgh ") for _ in range(80)))
        c.showPage()
    c.save()


def scattered_pdf(path: Path, pages: int, seed: int, glyphs: int = 8000) -> None:
    """Pages of ruled cells and thousands of tiny glyphs drawn one by one: the alarm then fires
    inside pdfminer, whose errors pdfplumber wraps (the time-out was once swallowed as a page error)."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    rnd = random.Random(seed)
    for _ in range(pages):
        for x in range(20, 580, 40):
            c.line(x, 20, x, 820)
        for y in range(20, 830, 20):
            c.line(20, y, 580, y)
        c.setFont("Helvetica", 2)
        for _ in range(glyphs):
            c.drawString(rnd.uniform(20, 570), rnd.uniform(20, 820), rnd.choice("abcdefgh"))
        c.showPage()
    c.save()


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_8_a_timeout_ends_the_file_in_about_the_limit(tmp_path, engine, jobs):
    src = tmp_path / "in"
    src.mkdir()
    for seed in range(jobs):  # unbounded, each takes 6-9 s with either engine
        scattered_pdf(src / f"dense{seed}.pdf", pages=4 if engine == "pdfium" else 6, seed=seed)
    started = time.monotonic()
    summary = batch.run_batch([src], tmp_path / "o", jobs=jobs, timeout=1.0, pdf_engine=engine)
    elapsed = time.monotonic() - started
    assert [(e.source, e.error) for e in summary.result.errors] == [(f"dense{s}.pdf", "timeout") for s in range(jobs)]
    assert not summary.result.reports  # never "ok" with pages silently dropped
    assert elapsed < 1.0 + (3.0 if jobs == 1 else 8.0)


def test_10_jobs_are_capped_by_files_and_cpus(tmp_path, monkeypatch):
    assert batch.worker_count(200, 1) == 1
    assert batch.worker_count(200, 1000) == batch.WORKERS_PER_CPU * (os.cpu_count() or 1)
    assert batch.worker_count(3, 2) == 2
    started = []
    monkeypatch.setattr(batch, "ProcessPoolExecutor", lambda *a, **k: started.append(k) or pytest.fail("pool"))
    write_reports(tmp_path / "in", "x.md")
    assert run(tmp_path / "in", "--out", tmp_path / "o", "--jobs", "200", "-q").exit_code == 0
    assert started == []  # one file: no worker process at all


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        kids.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return kids


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def slow_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slow")
    for seed in range(4):
        dense_pdf(folder / f"slow{seed}.pdf", pages=3, seed=seed)
    return folder


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to find the workers")
def test_11_workers_die_with_a_killed_parent(slow_folder, tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(slow_folder), "--out",
                             str(tmp_path / "o"), "-j", "2", "--timeout", "0", "-q"], cwd=ROOT)
    deadline = time.monotonic() + 60
    workers = []
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.2)
        workers = [p for p in _children(proc.pid) if _alive(p)]
    assert len(workers) >= 2, "the workers never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.2)
    assert not any(_alive(p) for p in workers)


def test_11_ctrl_c_prints_one_line_and_exits_130_with_complete_files(slow_folder, tmp_path):
    out = tmp_path / "o"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(slow_folder), "--out", str(out),
                             "-j", "2", "--timeout", "0"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len([p for p in _children(proc.pid) if _alive(p)]) < 2:
        time.sleep(0.2)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert [x for x in stderr.splitlines() if x.strip()][-1].startswith("interrupted:")
    json.loads((out / "manifest.json").read_text(encoding="utf-8"))  # complete, readable
    assert not list(out.rglob("*.tmp"))


# -- usage errors -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["file/sub", "", "/proc/self/x"])
def test_12_an_unusable_out_is_a_one_line_usage_error(tmp_path, target):
    write_reports(tmp_path / "in", "x.md")
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    out = str(tmp_path / target) if target == "file/sub" else target
    line = one_line_usage_error(run(tmp_path / "in", "--out", out, "-j", "1"))
    assert "--out" in line


def test_12_a_read_only_out_is_a_usage_error(tmp_path):
    write_reports(tmp_path / "in", "x.md")
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    done = cli(tmp_path / "in", "--out", out, "-j", "1")
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "--out" in done.stderr and "Traceback" not in done.stderr


def test_13_a_broken_rules_folder_names_file_and_line(tmp_path):
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    path = models / "en" / "figure_patterns.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append('{"label": "RANGE", "id": "broken", "pattern": [{"LOWERR": "x"}]}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_reports(tmp_path / "in", "x.md")
    line = one_line_usage_error(run(tmp_path / "in", "--out", tmp_path / "o", "--models", models))
    assert f"figure_patterns.jsonl:{len(lines)}" in line and "LOWERR" in line
    assert not (tmp_path / "o").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "not a rules folder" in one_line_usage_error(run(tmp_path / "in", "--models", empty))


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "1e30"])
def test_14_timeouts_that_are_not_numbers_of_seconds_are_usage_errors(tmp_path, value):
    write_reports(tmp_path / "in", "x.md")
    assert "--timeout" in one_line_usage_error(run(tmp_path / "in", "--out", tmp_path / "o", "--timeout", value))


def test_15_scheduler_settings_are_checked(tmp_path, monkeypatch):
    write_reports(tmp_path / "in", "x.md")
    line = one_line_usage_error(run(tmp_path / "in", "--out", tmp_path / "o", "--scheduler", "tcp://127.0.0.1:1"))
    assert "--executor dask" in line
    pytest.importorskip("distributed")
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        line = one_line_usage_error(run(tmp_path / "in", "--out", tmp_path / "o", "--executor", "dask",
                                        "--scheduler", "tcp://127.0.0.1:1"))
    assert "cannot reach the Dask scheduler" in line


def test_15_a_scheduler_dying_mid_run_gives_rows_not_tracebacks(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")

    class Gone:
        def result(self):
            raise OSError("connection closed")

    class FakeClient:
        def __init__(self, *a, **k):
            pass

        def submit(self, *a, **k):
            return Gone()

        def close(self, **k):
            pass

    def dying(futures):
        raise distributed.comm.core.CommClosedError("scheduler gone")
        yield  # pragma: no cover

    monkeypatch.setattr(distributed, "Client", FakeClient)
    monkeypatch.setattr(distributed, "as_completed", dying)
    write_reports(tmp_path / "in", "a.md", "b.md")
    out = tmp_path / "o"
    result = run(tmp_path / "in", "--out", out, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert {(r["source"], r["error"]) for r in rows(out / "errors.csv")} == {("a.md", "internal_error"),
                                                                             ("b.md", "internal_error")}


# -- outputs people can use -----------------------------------------------------------------------------------

def test_18_dask_workers_get_absolute_paths(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the cluster's workers start here, not where the paths are relative to
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        here = tmp_path / "here"
        write_reports(here / "in", "x.md")
        shutil.copytree(ROOT / "models", here / "rules")
        monkeypatch.chdir(here)
        result = run("in", "--out", "o", "--executor", "dask", "--scheduler", cluster.scheduler_address,
                     "--models", "rules")
    assert result.exit_code == 0, result.output
    assert [r["source"] for r in rows(here / "o" / "documents.csv")] == ["x.md"]


def test_18_a_missing_file_is_reported_as_missing():
    from pipeline.errors import ReportError

    with pytest.raises(ReportError) as info:
        api.extract_file("/nonexistent/folder/report.md")
    assert info.value.kind == "unreadable_file" and "does not exist" in info.value.message


def test_19_setting_caused_failures_are_retried_on_the_next_run(tmp_path, monkeypatch):
    write_reports(tmp_path / "in", "slow.md")
    real = api.extract_document

    def slow(doc, **kw):
        time.sleep(1.5)
        return real(doc, **kw)

    monkeypatch.setattr(api, "extract_document", slow)
    out = tmp_path / "o"
    first = run(tmp_path / "in", "--out", out, "-j", "1", "--timeout", "0.5")
    assert first.exit_code == 1 and rows(out / "errors.csv")[0]["error"] == "timeout"
    second = run(tmp_path / "in", "--out", out, "-j", "1", "--timeout", "10")
    assert second.exit_code == 0, second.output
    assert rows(out / "errors.csv") == [] and len(rows(out / "documents.csv")) == 1


def test_19_content_failures_are_replayed_not_redone(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.md").write_text("", encoding="utf-8")
    out = tmp_path / "o"
    assert run(src, "--out", out, "-j", "1", "-q").exit_code == 1
    calls = []
    monkeypatch.setattr(batch, "process_one", lambda *a: calls.append(a) or pytest.fail("redone"))
    assert run(src, "--out", out, "-j", "1", "-q").exit_code == 1
    assert calls == [] and rows(out / "errors.csv")[0]["error"] == "empty_document"


def test_20_outputs_of_formats_no_longer_asked_for_are_removed(tmp_path):
    write_reports(tmp_path / "in", "x.md")
    out = tmp_path / "o"
    assert run(tmp_path / "in", "--out", out, "-j", "1", "-q", "--format", "csv,json,xlsx,sqlite").exit_code == 0
    assert (out / "report-data.sqlite").exists() and (out / "report-data.xlsx").exists()
    (out / "my-own.sqlite").write_bytes(b"mine")
    assert run(tmp_path / "in", "--out", out, "-j", "1", "-q", "--format", "csv").exit_code == 0
    assert not (out / "report-data.sqlite").exists() and not (out / "report-data.xlsx").exists()
    assert (out / "my-own.sqlite").read_bytes() == b"mine"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "report-data.sqlite" not in manifest["outputs"] and "documents.csv" in manifest["outputs"]


def test_21_outputs_respect_the_umask(tmp_path):
    write_reports(tmp_path / "in", "x.md")
    out = tmp_path / "o"
    old = os.umask(0o022)
    try:
        import pipeline.outdir as outdir

        outdir._umask = None  # read again
        assert run(tmp_path / "in", "--out", out, "-j", "1", "-q", "--format", "csv,json,xlsx,sqlite").exit_code == 0
    finally:
        os.umask(old)
        outdir._umask = None
    for path in [*out.glob("*.*"), *(out / "json").glob("*.json")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name


def test_23_failures_are_named_with_where_errors_csv_is(tmp_path):
    src = tmp_path / "in"
    write_reports(src, "good.md")
    (src / "empty.md").write_text("", encoding="utf-8")
    out = tmp_path / "o"
    result = run(src, "--out", out, "-j", "1")
    assert result.exit_code == 1
    assert "empty.md: empty_document" in result.output
    assert str(out / "errors.csv") in result.output
    assert "pages/s" not in result.output  # Markdown has no pages


def test_23_on_a_terminal_failures_are_listed_after_the_bar(tmp_path):
    import pty

    src = tmp_path / "in"
    write_reports(src, "good.md")
    (src / "empty.md").write_text("", encoding="utf-8")
    master, slave = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(src), "--out", str(tmp_path / "o"),
                           "-j", "1"], cwd=ROOT, stderr=slave, stdout=subprocess.PIPE, text=True, timeout=120)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    err = b"".join(chunks).decode("utf-8", "replace")
    assert done.returncode == 1
    assert "empty.md: empty_document" in err and "errors.csv" in err


# -- atomic writes ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("failing", ["os.replace", "os.fsync"])
def test_a_write_that_fails_midway_leaves_the_old_files(tmp_path, monkeypatch, failing):
    write_reports(tmp_path / "in", "x.md")
    out = tmp_path / "o"
    assert run(tmp_path / "in", "--out", out, "-j", "1", "-q", "--format", "csv,json,xlsx,sqlite").exit_code == 0
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (tmp_path / "in" / "x.md").write_text(REPORT.format(n="changed") + "\nAbout 45 new members.\n", encoding="utf-8")
    module, name = failing.split(".")

    def broken(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, name, broken)
    with pytest.raises(OSError):
        batch.run_batch([tmp_path / "in"], out, jobs=1, formats=("csv", "json", "xlsx", "sqlite"))
    monkeypatch.undo()
    after = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # byte for byte, and no temporary file left behind


def test_a_block_longer_than_spacys_default_limit_is_read(tmp_path):
    """spaCy refuses texts over 1,000,000 characters by default (a guard for its parser): one
    long paragraph, from a PDF or a text export without line breaks, must not be an internal error."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "long.txt").write_text("Harbour forum\n\n" + "More than 120 partners met in the port. " * 26000 + "\n",
                                  encoding="utf-8")
    summary = batch.run_batch([src], tmp_path / "o", jobs=1)
    assert summary.ok, summary.result.errors
    assert len(summary.result.reports[0].figures) >= 26000
