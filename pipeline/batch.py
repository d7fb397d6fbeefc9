"""Batches: parallel, incremental and safe.

- Work runs in worker processes (`jobs`), in this process (`jobs=1`) or on Dask
  (`executor="dask"`); spaCy pipelines are built once per worker.
- A manifest in the output folder records each input's SHA-256, its doc_id and the
  pipeline and rules versions. A rerun processes only new or changed inputs (their
  per-document JSON is the cache of the others), drops inputs that disappeared, and
  redoes everything when the rules changed or `force` is set.
- Each document's JSON is written as soon as it is done and the manifest entry after
  it; the tables are rebuilt from every document at the end. Every file is written to
  a temporary name and renamed, so an interrupted batch leaves complete files and the
  next run finishes the work. Outputs are the same whatever the order and the workers.
"""
from __future__ import annotations

import gc
import json
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__
from .api import DEFAULT_TIMEOUT, BatchResult, discover_inputs, extract_file, password_for, time_limit, warm_up
from .errors import ReportError
from .model import ErrorRow, Report
from .readers import file_sha256
from .rules import rules_version
from .writers import atomic_write, read_report_json, report_json, write_outputs

MANIFEST = "manifest.json"
MANIFEST_INTERVAL = 1.0  # seconds between manifest writes during a batch


@dataclass
class Task:
    path: str
    source: str
    sha256: str
    password: str | None


@dataclass
class BatchSummary:
    result: BatchResult
    processed: int = 0
    skipped: int = 0
    pages: int = 0
    seconds: float = 0.0
    sources: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.result.ok

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0.0
        return (f"{len(self.result.reports)} ok, {len(self.result.errors)} failed, {self.skipped} unchanged; "
                f"{self.processed} processed, {self.pages} pages in {self.seconds:.1f} s ({rate:.1f} pages/s)")


# -- work done in a worker -------------------------------------------------------------

_WORKER: dict = {}


def _init_worker(models_dir: str | None, timeout: float | None, pdf_engine: str = "pdfplumber") -> None:
    _WORKER.update(models_dir=models_dir, timeout=timeout, pdf_engine=pdf_engine)
    warm_up(models_dir, freeze=True)


def process(task: Task, models_dir: str | None = None, timeout: float | None = None,
            pdf_engine: str = "pdfplumber") -> tuple[str, object]:
    """Extract one input: ("ok", Report) or ("error", ErrorRow); never raises."""
    models_dir = _WORKER.get("models_dir", models_dir)
    timeout = _WORKER.get("timeout", timeout)
    pdf_engine = _WORKER.get("pdf_engine", pdf_engine)
    try:
        with time_limit(timeout, task.source):
            return "ok", extract_file(task.path, source=task.source, models_dir=models_dir, password=task.password,
                                      pdf_engine=pdf_engine)
    except ReportError as exc:
        return "error", ErrorRow(task.source, exc.kind, exc.message)
    except RecursionError:
        return "error", ErrorRow(task.source, "unreadable_pdf" if task.path.lower().endswith(".pdf")
                                 else "internal_error", f"{task.source}: structure nested too deeply to read")
    except Exception as exc:  # noqa: BLE001 - one broken file never stops a batch
        return "error", ErrorRow(task.source, "internal_error",
                                 f"{type(exc).__name__}: {exc}; please report this file")


# -- executors ---------------------------------------------------------------------------

def _run_local(tasks: list[Task], jobs: int, models_dir, timeout, on_done, engine: str = "pdfplumber") -> None:
    init = (models_dir, timeout, engine)
    if jobs <= 1:
        _init_worker(*init)  # freezes the objects alive now out of the GC's reach, for the batch
        try:
            for task in tasks:
                on_done(task, *process(task))
        finally:
            _WORKER.clear()
            gc.unfreeze()  # the caller's process gets its collector back as it was
        return
    pending = list(tasks)
    while pending:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=init) as pool:
            futures = {pool.submit(process, t): t for t in pending}
            done: set[int] = set()
            try:
                for future in as_completed(futures):
                    task = futures[future]
                    on_done(task, *future.result())
                    done.add(id(task))
                pending = []
            except BrokenProcessPool:
                # a worker died (a crash in a native library): isolate the files left, one by one
                pending = [t for t in pending if id(t) not in done]
                for task in pending:
                    on_done(task, *_isolated(task, init))
                pending = []


def _isolated(task: Task, init: tuple) -> tuple[str, object]:
    try:
        with ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=init) as pool:
            return pool.submit(process, task).result()
    except BrokenProcessPool:
        return "error", ErrorRow(task.source, "internal_error",
                                 f"{task.source}: the worker process crashed on this file; please report it")


def _run_dask(tasks: list[Task], jobs: int, models_dir, timeout, on_done, scheduler: str | None,
              engine: str = "pdfplumber") -> None:
    try:
        from distributed import Client, LocalCluster, as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise RuntimeError("the dask executor needs the extra: pip install 'report-pipeline[dask]'") from exc
    cluster = None
    client = Client(scheduler) if scheduler else None
    if client is None:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = {client.submit(process, t, models_dir, timeout, engine, pure=False): t for t in tasks}
        for future in dask_completed(list(futures)):
            on_done(futures[future], *future.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# -- the batch -----------------------------------------------------------------------------

def _read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_manifest(out: Path, manifest: dict) -> None:
    atomic_write(out / MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def run_batch(inputs, out_dir, *, jobs: int = 1, force: bool = False, models_dir: str | None = None,
              password: str | None = None, passwords: dict[str, str] | None = None,
              timeout: float | None = DEFAULT_TIMEOUT, executor: str = "local", scheduler: str | None = None,
              formats=("csv", "json"), bom: bool = False, pdf_engine: str = "pdfplumber",
              on_file: Callable[[str, str, int], None] | None = None,
              on_start: Callable[[int], None] | None = None) -> BatchSummary:
    """Extract `inputs` into `out_dir` incrementally; see the module docstring."""
    started = time.monotonic()
    out = Path(out_dir)
    (out / "json").mkdir(parents=True, exist_ok=True)
    found = discover_inputs(inputs)
    versions = {"pipeline": __version__, "rules": rules_version(models_dir), "pdf_engine": pdf_engine}
    old = _read_manifest(out)
    reuse = not force and all(old.get(k) == v for k, v in versions.items())
    old_files = old.get("files", {}) if reuse else {}
    manifest = {**versions, "files": {}}

    reports: dict[str, Report] = {}
    errors: dict[str, ErrorRow] = {}
    tasks: list[Task] = []
    summary = BatchSummary(result=BatchResult())
    for path, source in found:
        sha = file_sha256(path) if path.is_file() else ""
        entry = old_files.get(source)
        if entry and entry.get("sha256") == sha:
            cached = _cached(out, entry, source)
            if cached is not None:
                kind, value = cached
                (reports if kind == "ok" else errors)[source] = value
                manifest["files"][source] = entry
                summary.skipped += 1
                continue
        tasks.append(Task(str(path), source, sha, password_for(path, source, password, passwords)))
    if on_start:
        on_start(len(tasks))

    flushed = [time.monotonic()]

    def done(task: Task, kind: str, value) -> None:
        entry = {"sha256": task.sha256, "status": kind}
        if kind == "ok":
            report: Report = value
            atomic_write(out / "json" / f"{report.doc_id}.json", report_json(report))
            reports[task.source] = report
            entry["doc_id"] = report.doc_id
            summary.pages += report.document.pages or 0
        else:
            errors[task.source] = value
            entry["error"] = {"error": value.error, "message": value.message}
        manifest["files"][task.source] = entry
        summary.processed += 1
        # the manifest records progress for a rerun after an interruption; rewriting it after
        # every small file would cost more than the file, so at most once per second
        if time.monotonic() - flushed[0] >= MANIFEST_INTERVAL:
            _write_manifest(out, {**manifest, "files": {**old_files, **manifest["files"]}})
            flushed[0] = time.monotonic()
        if on_file:
            on_file(task.source, "ok" if kind == "ok" else value.error, (value.document.pages or 0) if kind == "ok" else 0)

    if tasks:
        if executor == "dask":
            _run_dask(tasks, jobs, models_dir, timeout, done, scheduler, pdf_engine)
        else:
            _run_local(tasks, jobs, models_dir, timeout, done, pdf_engine)
    summary.result = BatchResult(reports=sorted(reports.values(), key=lambda r: r.doc_id),
                                 errors=sorted(errors.values(), key=lambda e: e.source))
    write_outputs(summary.result, out, formats=formats, bom=bom,
                  json_written={reports[t.source].doc_id for t in tasks if t.source in reports})
    _write_manifest(out, manifest)  # only now do entries of vanished inputs go
    summary.seconds = time.monotonic() - started
    summary.sources = [s for _, s in found]
    return summary


def _cached(out: Path, entry: dict, source: str) -> tuple[str, object] | None:
    if entry.get("status") == "error" and entry.get("error"):
        return "error", ErrorRow(source=source, **entry["error"])
    path = out / "json" / f"{entry.get('doc_id', '')}.json"
    try:
        return "ok", read_report_json(path.read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        return None  # the cache is gone or damaged: process the file again
