"""PDF speed and memory, both engines, against bare pdfplumber, in one run.

For each size (default 100, 300 and 1000 pages) a report is generated with
tests/fixtures/render.make_long_pdf (reportlab: headings, paragraphs, lists, links, figures),
then measured in fresh processes, in --repeat rounds (medians are printed):
  bare          pdfplumber: open, `page.extract_words()` on every page, close the page
  <engine> read `read_document` only (parsing and layout: the engine's share)
  <engine> all  `extract_file`: reading, layout, spaCy rules, every extractor
                (the spaCy pipelines and the suffix list are loaded before the clock starts,
                then frozen out of the garbage collector, as in a batch worker: `warm_up`)
Printed per size: seconds, the ratio pipeline / bare pdfplumber, pages per second and peak
RSS of the pipeline process; the PDFium engine's speed-up over the pdfplumber engine, for the
reader and end to end; peak memory of the largest size against the smallest. Last, a batch of
--batch-files PDFs of --batch-pages pages each runs through `run_batch` with --jobs 1 and 2.

Usage: python bench/pdf_speed.py [PAGES ...] [--repeat N] [--batch-files N] [--batch-pages N]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

BARE = r"""
import json, resource, sys, time, pdfplumber
t = time.perf_counter()
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_words()
        page.close()
print(json.dumps({"seconds": time.perf_counter() - t,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
PIPELINE = r"""
import json, resource, sys, time
from pathlib import Path
from pipeline import extract_file
from pipeline.api import warm_up
from pipeline.readers import read_document
path, engine, mode = sys.argv[1:4]
warm_up(freeze=True)  # as a batch worker does
t = time.perf_counter()
if mode == "read":
    pages = read_document(Path(path), None, pdf_engine=engine).pages
else:
    pages = extract_file(path, pdf_engine=engine).document.pages
print(json.dumps({"seconds": time.perf_counter() - t, "pages": pages,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
ENGINES = ("pdfplumber", "pdfium")


def child(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(path: Path, repeat: int) -> list[dict]:
    """`repeat` rounds; a round runs every measurement once, back to back, so the ratios
    within a round compare runs made under the same load (this machine's speed drifts)."""
    rounds = []
    for _ in range(repeat):
        r = {"bare": child(BARE, str(path))}
        for engine in ENGINES:
            for mode in ("read", "all"):
                r[engine, mode] = child(PIPELINE, str(path), engine, mode)
        rounds.append(r)
    return rounds


def median(values: list[float]) -> float:
    return statistics.median(values)


def main(argv: list[str]) -> None:
    from fixtures.render import make_long_pdf
    from pipeline.batch import run_batch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=int, default=[100, 300, 1000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--batch-files", type=int, default=6)
    parser.add_argument("--batch-pages", type=int, default=60)
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians of {args.repeat} rounds, "
          "each measurement in a fresh process\n")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in args.pages:
            path = folder / f"report-{n}.pdf"
            make_long_pdf(path, n)
            row = {"pages": n, "rounds": measure(path, args.repeat)}
            rows.append(row)
            _print_size(row)
        _print_summary(rows)
        batch = folder / "batch"
        batch.mkdir()
        for i in range(args.batch_files):
            make_long_pdf(batch / f"report-{i}.pdf", args.batch_pages)
        times = {}
        for jobs in (1, 2):
            started = time.perf_counter()
            run_batch([batch], folder / f"out{jobs}", jobs=jobs, force=True)
            times[jobs] = time.perf_counter() - started
        print(f"\nbatch of {args.batch_files} PDFs x {args.batch_pages} pages (pdfplumber engine, run_batch, "
              f"outputs written): --jobs 1 {times[1]:.1f} s, --jobs 2 {times[2]:.1f} s, "
              f"speed-up {times[1] / times[2]:.2f}x (target >= 1.7x)")


def _seconds(row: dict, key) -> float:
    return median([r[key]["seconds"] for r in row["rounds"]])


def _ratio(row: dict, a, b) -> float:
    """Median over the rounds of seconds(a) / seconds(b)."""
    return median([r[a]["seconds"] / r[b]["seconds"] for r in row["rounds"]])


def _rss(row: dict, key) -> float:
    return max(r[key]["rss_mb"] for r in row["rounds"])


def _print_size(row: dict) -> None:
    n, bare = row["pages"], _seconds(row, "bare")
    print(f"{n} pages: bare pdfplumber extract_words {bare:.2f} s ({n / bare:.1f} pages/s)")
    print(f"  {'engine':<11} {'read s':>7} {'all s':>7} {'all/bare':>9} {'pages/s':>8} {'peak RSS MB':>12}")
    for engine in ENGINES:
        print(f"  {engine:<11} {_seconds(row, (engine, 'read')):>7.2f} {_seconds(row, (engine, 'all')):>7.2f} "
              f"{_ratio(row, (engine, 'all'), 'bare'):>9.2f} {n / _seconds(row, (engine, 'all')):>8.1f} "
              f"{_rss(row, (engine, 'all')):>12.1f}")
    print(f"  pdfium engine vs pdfplumber engine: reader {_ratio(row, ('pdfplumber', 'read'), ('pdfium', 'read')):.1f}x "
          f"faster, end to end {_ratio(row, ('pdfplumber', 'all'), ('pdfium', 'all')):.1f}x; "
          f"pdfium reader vs bare pdfplumber {_ratio(row, 'bare', ('pdfium', 'read')):.1f}x")


def _print_summary(rows: list[dict]) -> None:
    worst = max(_ratio(r, ("pdfplumber", "all"), "bare") for r in rows)
    print(f"\npipeline (pdfplumber engine) / bare pdfplumber: worst {worst:.2f}x (target <= 1.15x)")
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        for engine in ENGINES:
            a, b = _rss(small, (engine, "all")), _rss(large, (engine, "all"))
            print(f"peak RSS {engine}: {large['pages']} pages {b:.0f} MB vs {small['pages']} pages {a:.0f} MB "
                  f"= {b / a:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main(sys.argv[1:])
