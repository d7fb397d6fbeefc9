"""Peak memory of the PDF path against the page count.

Builds synthetic reports of N pages (tests/fixtures/render.make_long_pdf) and runs
`extract_file` on each in a fresh process, reporting wall time and peak resident memory
(ru_maxrss of the child, spaCy pipelines loaded before the clock starts).
Usage: python bench/pdf_memory.py [PAGES ...]   (default: 30 300)
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

CHILD = r"""
import json, resource, sys, time
from pipeline import extract_file
from pipeline.nlp import build_pipeline
build_pipeline("en")  # load spaCy before measuring: it is the same for every size
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t = time.perf_counter()
report = extract_file(sys.argv[1])
seconds = time.perf_counter() - t
print(json.dumps({"pages": report.document.pages, "seconds": seconds, "base_mb": base,
                  "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(pages: int, folder: Path) -> dict:
    from fixtures.render import make_long_pdf

    path = folder / f"long-{pages}.pdf"
    make_long_pdf(path, pages)
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [30, 300]
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(n, Path(tmp)) for n in sizes]
    print(f"{'pages':>6} {'seconds':>8} {'pages/s':>8} {'RSS peak MB':>12} {'RSS after load MB':>18}")
    for r in rows:
        print(f"{r['pages']:>6} {r['seconds']:>8.1f} {r['pages'] / r['seconds']:>8.1f} "
              f"{r['rss_peak_mb']:>12.1f} {r['base_mb']:>18.1f}")
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        grow = lambda r: r["rss_peak_mb"] - r["base_mb"]  # noqa: E731
        print(f"peak RSS {b['pages']} vs {a['pages']} pages: {b['rss_peak_mb'] / a['rss_peak_mb']:.2f}x "
              f"(growth above the loaded pipeline: {grow(a):.0f} MB vs {grow(b):.0f} MB)")


if __name__ == "__main__":
    main(sys.argv[1:])
