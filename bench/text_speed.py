"""Markdown and plain-text throughput, end to end, on one core.

Copies the Markdown and text reports of tests/reports and input/ into a folder COPIES times
(default 10, about 2 MB), then runs `run_batch` (read, segment, spaCy rules, extractors,
every output file written) with --jobs 1 after one warm-up document, and prints MB/s.
Usage: python bench/text_speed.py [COPIES]
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> None:
    from pipeline import extract_file
    from pipeline.batch import run_batch

    copies = int(argv[0]) if argv else 10
    sources = sorted(p for folder in (ROOT / "tests" / "reports", ROOT / "input")
                     for p in folder.glob("*.*") if p.suffix in (".md", ".txt"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for k in range(copies):
            for path in sources:
                shutil.copy(path, folder / f"{path.stem}-{k}{path.suffix}")
        size = sum(p.stat().st_size for p in folder.iterdir())
        for path in sources:  # load both languages' pipelines and the suffix list first
            extract_file(path)
        started = time.perf_counter()
        summary = run_batch([folder], Path(tmp) / "out", jobs=1, force=True)
        seconds = time.perf_counter() - started
        print(f"{summary.processed} Markdown/text files, {size / 1e6:.2f} MB: {seconds:.2f} s, "
              f"{size / 1e6 / seconds:.2f} MB/s on one core (--jobs 1, outputs written)")


if __name__ == "__main__":
    main(sys.argv[1:])
