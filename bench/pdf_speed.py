"""PDF path against bare pdfplumber, on synthetic reports of several sizes, in one run.

For each size (default 100, 300 and 1000 pages) a report is generated with
tests/fixtures/render.make_long_pdf, then timed in fresh processes:
  bare     pdfplumber: open, `page.extract_words()` on every page, close the page
  pipeline `extract_file` (reading, layout, spaCy rules, all extractors; pipelines loaded first)
and the ratio pipeline / bare, pages per second and peak RSS of the pipeline process are
printed. Finally one batch of the three files runs with --jobs 1 and --jobs 2.
Usage: python bench/pdf_speed.py [PAGES ...]
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

BARE = r"""
import json, sys, time, pdfplumber
t = time.perf_counter()
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_words()
        page.close()
print(json.dumps({"seconds": time.perf_counter() - t}))
"""
PIPELINE = r"""
import json, resource, sys, time
from pipeline import extract_file
from pipeline.nlp import build_pipeline
for lang in ("en", "fr"):
    build_pipeline(lang)
t = time.perf_counter()
report = extract_file(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - t, "pages": report.document.pages,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(code: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    from fixtures.render import make_long_pdf
    from pipeline.batch import run_batch

    sizes = [int(a) for a in argv] or [100, 300, 1000]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pdfs"
        folder.mkdir()
        print(f"{'pages':>6} {'bare s':>8} {'pipeline s':>11} {'ratio':>6} {'pages/s':>8} {'peak RSS MB':>12}")
        for n in sizes:
            path = folder / f"report-{n}.pdf"
            make_long_pdf(path, n)
            bare = child(BARE, path)
            pipe = child(PIPELINE, path)
            print(f"{n:>6} {bare['seconds']:>8.1f} {pipe['seconds']:>11.1f} {pipe['seconds'] / bare['seconds']:>6.2f} "
                  f"{n / pipe['seconds']:>8.1f} {pipe['rss_mb']:>12.1f}")
        times = {}
        for jobs in (1, 2):
            t = time.perf_counter()
            run_batch([folder], Path(tmp) / f"out{jobs}", jobs=jobs, force=True)
            times[jobs] = time.perf_counter() - t
        print(f"batch of {len(sizes)} PDFs: --jobs 1 {times[1]:.1f} s, --jobs 2 {times[2]:.1f} s, "
              f"speed-up {times[1] / times[2]:.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
