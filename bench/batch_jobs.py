"""Time a batch with --jobs 1 and --jobs 2 on the same mixed folder, in one run.

Renders the reports of tests/reports and input/ as Markdown/text originals plus PDF (four
layouts), DOCX and HTML (tests/fixtures/render.py), then runs `run_batch` with --force for
each job count and prints seconds and the speed-up. Usage: python bench/batch_jobs.py
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    from fixtures.render import render_all
    from pipeline.batch import run_batch

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        sources = [ROOT / "tests" / "reports", ROOT / "input"]
        render_all(sources, folder)
        for src in sources:
            for path in src.glob("*.*"):
                shutil.copy(path, folder)
        files = len(list(folder.iterdir()))
        times = {}
        for jobs in (1, 2):
            started = time.perf_counter()
            summary = run_batch([folder], Path(tmp) / f"out{jobs}", jobs=jobs, force=True)
            times[jobs] = time.perf_counter() - started
            print(f"--jobs {jobs}: {files} files, {summary.pages} pages, {times[jobs]:.1f} s")
        print(f"speed-up --jobs 2 vs --jobs 1: {times[1] / times[2]:.2f}x")


if __name__ == "__main__":
    main()
