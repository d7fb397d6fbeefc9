"""Batches: parallel, incremental and safe.

- Every input goes through `process_one`, whatever runs it: this process (`jobs=1` or a
  single file), local worker processes, or Dask (`executor="dask"`). It turns every failure
  into an `ErrorRow` of the contract's kinds; spaCy pipelines are built once per worker.
- A manifest in the output folder records each input's SHA-256, its doc_id or error, the
  pipeline and rules versions, and every file the run wrote. A rerun processes only new or
  changed inputs (their per-document JSON is the cache of the others), drops inputs that
  disappeared, redoes everything when the rules changed or `force` is set, and tries again
  every failure that a setting or the machine may have caused (`errors.CONTENT_ERRORS`
  are the only ones replayed).
- Inputs with the same bytes are one document: the first source (in sorted order) names it,
  the others are listed in its `duplicates` column.
- The output folder is locked for the run; each document's JSON is written as soon as it is
  done and the manifest after it; the tables are rebuilt from every document at the end.
  Every file is written to a temporary name and renamed; only files an earlier run wrote
  (the manifest says which) are ever deleted. Outputs are the same whatever the order and
  the workers.
"""
from __future__ import annotations

import gc
import os
import fnmatch
import signal
import threading
import time
from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from . import api  # its functions are looked up at call time: a test may replace one
from .api import prepare_language, warm_up
from .errors import ReportError
from .manifest import MANIFEST, cached_result, read_manifest, write_manifest
from .inputs import discover_inputs
from .model import BatchResult, ErrorRow, Report
from .outdir import OutputFolder, atomic_write
from .readers import file_sha256, read_document
from .readers.ocr import engine_label
from .options import DEFAULT_TIMEOUT, MAX_TIMEOUT, check_confidence, check_timeout  # noqa: F401 (re-exported)
from .rules import rules_version, validate_rules
from .text import display_path, strip_controls
from .writers import output_names, report_json, write_outputs

MANIFEST_INTERVAL = 1.0  # seconds between manifest writes during a batch
WORKERS_PER_CPU = 2  # more processes than this only share the same cores and memory


class SchedulerError(Exception):
    """The Dask scheduler cannot be reached (a usage error: the address or the cluster)."""


@dataclass(frozen=True)
class Settings:
    """What every file of a run is processed with; sent to each worker once."""

    models_dir: str | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    pdf_engine: str = "pdfplumber"
    min_confidence: float | None = None  # None: the thresholds of models/common/confidence.json
    ocr: str = "auto"  # auto, off, force (readers/ocr.py)
    ocr_engine: str = "auto"


@dataclass
class Task:
    path: str  # absolute, so that a worker elsewhere (Dask) opens the same file
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
    removed: list[str] = field(default_factory=list)  # outputs of an earlier run no longer produced

    @property
    def ok(self) -> bool:
        return self.result.ok

    def line(self) -> str:
        text = (f"{len(self.result.reports)} ok, {len(self.result.errors)} failed, {self.skipped} unchanged; "
                f"{self.processed} processed")
        if self.pages:
            rate = self.pages / self.seconds if self.seconds else 0.0
            return text + f", {self.pages} pages in {self.seconds:.1f} s ({rate:.1f} pages/s)"
        return text + f" in {self.seconds:.1f} s"




# -- one file ----------------------------------------------------------------------------

class TimeLimitExceeded(BaseException):
    """Raised by the alarm inside the work. A BaseException, so that no reader's or library's
    `except Exception` can swallow it as a page error and go on."""


@contextmanager
def time_limit(seconds: float | None, source: str, stated: float | None = None):
    """Turn a hang into a `timeout` ReportError (SIGALRM; only where signals can be used);
    `stated`: the limit the message names when `seconds` is what is left of it.

    The alarm repeats every 0.2 s after the limit, so even code that catches everything once
    is interrupted again; the file ends within about the limit."""
    usable = seconds and seconds > 0 and hasattr(signal, "setitimer") and \
        threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.2)
    try:
        yield
    except TimeLimitExceeded:
        raise ReportError("timeout", f"{source}: gave up after {stated or seconds:g} s; raise --timeout or check the file") \
            from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process_one(task: Task, settings: Settings) -> tuple[str, Report | ErrorRow]:
    """Extract one input: ("ok", Report) or ("error", ErrorRow); never raises an Exception
    (KeyboardInterrupt and SystemExit still go through)."""
    try:
        try:
            # reading and extracting count against the file's limit; building its language's
            # pipeline (once per process, seconds for French) does not
            started = time.monotonic()
            with time_limit(settings.timeout, task.source):
                doc = read_document(Path(task.path), task.source, password=task.password,
                                    models_dir=settings.models_dir, pdf_engine=settings.pdf_engine,
                                    ocr=settings.ocr, ocr_engine=settings.ocr_engine)
            reading = time.monotonic() - started
            prepare_language(doc, settings.models_dir)
            left = max(0.001, settings.timeout - reading) if settings.timeout else settings.timeout
            with time_limit(left, task.source, settings.timeout):
                return "ok", api.extract_document(doc, models_dir=settings.models_dir,
                                                  min_confidence=settings.min_confidence)
        except TimeLimitExceeded:  # the alarm fired between two statements of time_limit itself
            raise ReportError("timeout", f"{task.source}: gave up after {settings.timeout:g} s; "
                                         "raise --timeout or check the file") from None
    except ReportError as exc:
        return "error", _error(task.source, exc.kind, exc.message)
    except RecursionError:
        return "error", _error(task.source, "unreadable_pdf" if task.path.lower().endswith(".pdf")
                               else "internal_error", f"{task.source}: structure nested too deeply to read")
    except MemoryError:
        return "error", _error(task.source, "unsafe_document", f"{task.source}: reading it needs more memory "
                                                               "than this machine has")
    except Exception as exc:  # noqa: BLE001 - one broken file never stops a batch
        return "error", _error(task.source, "internal_error",
                               f"{task.source}: {type(exc).__name__}: {exc}; please report this file")


def _error(source: str, kind: str, message: str) -> ErrorRow:
    return ErrorRow(source=source, error=kind, message=display_path(strip_controls(message)))


# -- worker processes ----------------------------------------------------------------------

_SETTINGS: list[Settings] = []


def _init_worker(settings: Settings, parent: int) -> None:
    # Ctrl-C goes to the whole process group: the parent handles it, workers just stop
    # when told, without printing tracebacks of their own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent)
    _SETTINGS[:] = [settings]
    warm_up(settings.models_dir, freeze=True, languages=())


def _exit_with_parent(parent: int) -> None:
    """A worker never outlives the batch (`kill -9` of the parent): the kernel kills it when
    the parent dies (Linux), and a watchdog thread notices a new parent anywhere else."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="report-pipeline-parent-watch", daemon=True).start()


def _work(task: Task) -> tuple[str, Report | ErrorRow]:
    return process_one(task, _SETTINGS[0])


def worker_count(jobs: int, tasks: int) -> int:
    """Workers worth starting: no more than the files, nor than WORKERS_PER_CPU per core."""
    return max(1, min(jobs, tasks, WORKERS_PER_CPU * (os.cpu_count() or 1)))


def _run_local(tasks: list[Task], jobs: int, settings: Settings, on_done) -> None:
    workers = worker_count(jobs, len(tasks))
    if workers <= 1:
        warm_up(settings.models_dir, freeze=True, languages=())  # out of the GC's reach for the batch
        try:
            for task in tasks:
                on_done(task, *process_one(task, settings))
        finally:
            gc.unfreeze()  # the caller's process gets its collector back as it was
        return
    pending = list(tasks)
    while pending:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(settings, os.getpid()))
        futures = {}
        try:
            futures = {pool.submit(_work, t): t for t in pending}
            not_done = set(futures)
            while not_done:
                finished, not_done = wait(not_done, return_when=FIRST_COMPLETED)
                for future in finished:
                    task = futures[future]
                    on_done(task, *future.result())
                    pending.remove(task)
        except BrokenProcessPool:
            # a worker died (a crash in a native library): isolate the files left, one by one
            _stop(pool)
            for task in list(pending):
                on_done(task, *_isolated(task, settings))
                pending.remove(task)
        except BaseException:
            _stop(pool)  # Ctrl-C or an error of ours: workers go at once, unfinished work is dropped
            raise
        else:
            pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        try:
            proc.kill()
        except (OSError, ValueError):
            pass
    for proc in processes:
        try:
            proc.join(5)
        except (OSError, ValueError, AssertionError):
            pass


def _isolated(task: Task, settings: Settings) -> tuple[str, Report | ErrorRow]:
    pool = ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=(settings, os.getpid()))
    try:
        return pool.submit(_work, task).result()
    except BrokenProcessPool:
        return "error", _error(task.source, "internal_error",
                               f"{task.source}: the worker process crashed on this file; please report it")
    finally:
        _stop(pool)


def _run_dask(tasks: list[Task], jobs: int, settings: Settings, on_done, scheduler: str | None) -> None:
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise SchedulerError("the dask executor needs the extra: pip install 'report-pipeline[dask]'") from exc
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)  # gives up after distributed.comm.timeouts.connect
        else:
            cluster = LocalCluster(n_workers=worker_count(jobs, len(tasks)), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler {scheduler or '(local cluster)'}: "
                             f"{_one_line(exc)}") from None
    left = {id(t): t for t in tasks}
    try:
        futures = {client.submit(process_one, t, settings, pure=False): t for t in tasks}
        for future in dask_completed(list(futures)):
            task = futures[future]
            try:
                kind, value = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker or the scheduler went away
                kind, value = "error", _error(task.source, "internal_error",
                                              f"{task.source}: the Dask worker failed ({_one_line(exc)})")
            on_done(task, kind, value)
            left.pop(id(task), None)
    except (OSError, TimeoutError) as exc:
        # the scheduler died mid-run: what is left becomes error rows, tried again next run
        why = _one_line(exc)
        for task in left.values():
            on_done(task, "error", _error(task.source, "internal_error",
                                          f"{task.source}: the Dask scheduler stopped answering ({why}); "
                                          "run again to retry"))
    finally:
        try:
            client.close(timeout=5)
        except Exception:  # noqa: BLE001 - closing a dead connection may fail too
            pass
        if cluster is not None:
            cluster.close()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


# -- planning a run ------------------------------------------------------------------------------

@dataclass
class _Plan:
    tasks: list[Task]
    errors: dict[str, ErrorRow]  # source -> row, for inputs that never reach a worker
    duplicates: dict[str, list[str]]  # first source -> the other sources with the same bytes
    warnings: list[str]
    sources: list[str]

    def duplicates_text(self, source: str) -> str | None:
        """The `duplicates` cell of the document read from `source`."""
        others = self.duplicates.get(source)
        return "; ".join(others) if others else None


def password_for(path: Path, source: str, password: str | None, passwords: dict[str, str] | None) -> str | None:
    """A per-file password (by source path, file name or glob pattern), else the common one."""
    if passwords:
        for key in (source, path.name):
            if key in passwords:
                return passwords[key]
        for pattern, value in passwords.items():
            if fnmatch.fnmatch(source, pattern) or fnmatch.fnmatch(path.name, pattern):
                return value
    return password


def _plan(inputs: Iterable, password: str | None, passwords: dict[str, str] | None) -> _Plan:
    found = discover_inputs(inputs)
    errors = {e.source: e for e in found.errors}
    by_sha: dict[str, list] = defaultdict(list)
    for item in found.files:
        try:
            sha = file_sha256(item.path)
        except OSError as exc:
            errors[item.source] = ErrorRow(item.source, "unreadable_file",
                                           f"{item.source}: cannot read the file ({exc.strerror or exc})")
            continue
        by_sha[sha].append(item)
    tasks, duplicates = [], {}
    for sha, items in by_sha.items():
        items.sort(key=lambda i: i.source)
        first = items[0]
        if len(items) > 1:
            duplicates[first.source] = [i.source for i in items[1:]]
        tasks.append(Task(os.path.abspath(first.path), first.source, sha,
                          password_for(first.path, first.source, password, passwords)))
    tasks.sort(key=lambda t: t.source)
    sources = sorted([i.source for i in found.files] + list(errors))
    return _Plan(tasks, errors, duplicates, found.warnings, sources)


def _execute(tasks: list[Task], settings: Settings, jobs: int, executor: str, scheduler: str | None, on_done) -> None:
    if not tasks:
        return
    if executor == "dask":
        _run_dask(tasks, jobs, settings, on_done, scheduler)
    else:
        _run_local(tasks, jobs, settings, on_done)


def _result(plan: _Plan, reports: dict[str, Report], errors: dict[str, ErrorRow]) -> BatchResult:
    """The batch's sorted result: each document names its duplicates, and a failed input's
    duplicates fail the same way."""
    for source, report in reports.items():
        report.document.duplicates = plan.duplicates_text(source)
    for first, others in plan.duplicates.items():
        if first in errors:
            e = errors[first]
            for other in others:
                errors[other] = ErrorRow(other, e.error, f"{other}: same bytes as {first}; {e.message}")
    return BatchResult(reports=sorted(reports.values(), key=lambda r: r.doc_id),
                       errors=sorted(errors.values(), key=lambda e: e.source), warnings=plan.warnings)


def extract_paths(paths: Iterable[str | os.PathLike], models_dir: str | None = None, on_file=None, *,
                  password: str | None = None, passwords: dict[str, str] | None = None,
                  timeout: float | None = DEFAULT_TIMEOUT, pdf_engine: str = "pdfplumber",
                  jobs: int = 1, min_confidence: float | None = None, ocr: str = "auto",
                  ocr_engine: str = "auto") -> BatchResult:
    """Extract every input into memory, writing nothing; a failing file becomes an ErrorRow
    and the batch goes on. `on_file(source, status)` is called as each file ends."""
    plan = _plan(paths, password, passwords)
    settings = Settings(_absolute(models_dir), check_timeout(timeout), pdf_engine, check_confidence(min_confidence),
                        ocr, ocr_engine)
    reports: dict[str, Report] = {}
    errors = dict(plan.errors)

    def done(task: Task, kind: str, value) -> None:
        if kind == "ok":
            reports[task.source] = value
        else:
            errors[task.source] = value
        if on_file is not None:
            on_file(task.source, "ok" if kind == "ok" else value.error)

    _execute(plan.tasks, settings, jobs, "local", None, done)
    return _result(plan, reports, errors)




def _absolute(models_dir) -> str | None:
    return os.path.abspath(models_dir) if models_dir else None


# -- the batch -----------------------------------------------------------------------------

def run_batch(inputs, out_dir, *, jobs: int = 1, force: bool = False, models_dir: str | None = None,
              password: str | None = None, passwords: dict[str, str] | None = None,
              timeout: float | None = DEFAULT_TIMEOUT, executor: str = "local", scheduler: str | None = None,
              formats=("csv", "json"), bom: bool = False, pdf_engine: str = "pdfplumber",
              min_confidence: float | None = None, ocr: str = "auto", ocr_engine: str = "auto",
              on_file: Callable[[str, str, int], None] | None = None,
              on_start: Callable[[int], None] | None = None) -> BatchSummary:
    """Extract `inputs` into `out_dir` incrementally; see the module docstring.

    Raises OutputFolderError (OutputLocked) when the folder cannot be used, RulesError when the
    rules folder is broken (checked once here, before any worker starts), SchedulerError when the
    Dask scheduler cannot be reached; every problem of an input is an error row."""
    started = time.monotonic()
    settings = Settings(_absolute(models_dir), check_timeout(timeout), pdf_engine, check_confidence(min_confidence),
                        ocr, ocr_engine)
    validate_rules(settings.models_dir)
    folder = OutputFolder(out_dir, subfolders=("json", "parquet") if "parquet" in formats else ("json",))
    with folder:
        folder.check_targets(output_names(formats) + [MANIFEST])
        summary = _run_locked(folder, inputs, settings, jobs=jobs, force=force, password=password,
                              passwords=passwords, executor=executor, scheduler=scheduler, formats=formats,
                              bom=bom, on_file=on_file, on_start=on_start)
    summary.seconds = time.monotonic() - started
    return summary


def _run_locked(folder: OutputFolder, inputs, settings: Settings, *, jobs, force, password, passwords, executor,
                scheduler, formats, bom, on_file, on_start) -> BatchSummary:
    out = folder.path
    plan = _plan(inputs, password, passwords)
    versions = {"pipeline": __version__, "rules": rules_version(settings.models_dir),
                "pdf_engine": settings.pdf_engine,
                # the engine found here, not only the one asked for: installing one redoes the scans
                "ocr": settings.ocr if settings.ocr == "off" else f"{settings.ocr}/{engine_label(settings.ocr_engine)}",
                "min_confidence": "models" if settings.min_confidence is None else repr(settings.min_confidence)}
    old = read_manifest(out)
    old_outputs = set(old.get("outputs", [])) | {f"json/{e['doc_id']}.json" for e in old.get("files", {}).values()
                                                  if isinstance(e, dict) and isinstance(e.get("doc_id"), str)}
    reuse = not force and all(old.get(k) == v for k, v in versions.items())
    old_files = old.get("files", {}) if reuse else {}
    manifest = {**versions, "files": {}}
    outputs = set(old_outputs)  # what the folder holds of ours while the run goes on

    reports: dict[str, Report] = {}
    errors: dict[str, ErrorRow] = dict(plan.errors)
    tasks: list[Task] = []
    summary = BatchSummary(result=BatchResult(), sources=plan.sources)
    for task in plan.tasks:
        entry = old_files.get(task.source)
        if isinstance(entry, dict) and entry.get("sha256") == task.sha256:
            cached = cached_result(out, entry, task.source)
            if cached is not None:
                kind, value = cached
                (reports if kind == "ok" else errors)[task.source] = value
                manifest["files"][task.source] = entry
                summary.skipped += 1
                continue
        tasks.append(task)
    for task in plan.tasks:
        for other in plan.duplicates.get(task.source, ()):
            manifest["files"][other] = {"sha256": task.sha256, "status": "duplicate", "duplicate_of": task.source}
    if on_start:
        on_start(len(tasks))

    flushed = [time.monotonic()]
    json_written: set[str] = set()

    def flush() -> None:
        write_manifest(out, {**manifest, "files": {**old_files, **manifest["files"]}, "outputs": sorted(outputs)})
        flushed[0] = time.monotonic()

    def done(task: Task, kind: str, value) -> None:
        entry = {"sha256": task.sha256, "status": kind}
        if kind == "ok":
            report: Report = value
            report.document.duplicates = plan.duplicates_text(task.source)
            atomic_write(out / "json" / f"{report.doc_id}.json", report_json(report))
            json_written.add(report.doc_id)
            outputs.add(f"json/{report.doc_id}.json")
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
            flush()
        if on_file:
            on_file(task.source, "ok" if kind == "ok" else value.error,
                    (value.document.pages or 0) if kind == "ok" else 0)

    try:
        _execute(tasks, settings, jobs, executor, scheduler, done)
    except BaseException:
        flush()  # Ctrl-C, a lost scheduler: keep what is done for the next run
        raise
    summary.result = _result(plan, reports, errors)
    for e in summary.result.errors:
        if manifest["files"].get(e.source, {}).get("status") == "duplicate":
            manifest["files"][e.source].update(status="error", error={"error": e.error, "message": e.message})
    # cached documents whose duplicates changed are written again (write_outputs compares bytes)
    written = write_outputs(summary.result, out, formats=formats, bom=bom, json_written=json_written)
    now = {p.relative_to(out).as_posix() for p in written}
    # only files an earlier run wrote and this one did not: stale JSON, formats not asked for
    summary.removed = folder.remove_owned(old_outputs - now)
    manifest["outputs"] = sorted(now)
    write_manifest(out, manifest)  # only now do entries of vanished inputs go
    return summary
