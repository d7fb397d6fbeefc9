"""Markdown and plain-text throughput, end to end, on one core.

Copies the Markdown and text reports of tests/reports and input/ into a folder COPIES times
(default 10, about 0.8 MB), then runs `run_batch` (read, segment, spaCy rules, extractors,
every output file written) with --jobs 1 after a warm-up, and prints MB/s, best of three
runs; then the same for one long Markdown file (the English Markdown reports joined, COPIES
times over).
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
    from pipeline.extractors.language import detect_language

    copies = int(argv[0]) if argv else 10
    repeat = 3
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
        runs = []
        for _ in range(repeat):  # this machine's speed drifts: the best of a few runs
            started = time.perf_counter()
            summary = run_batch([folder], Path(tmp) / "out", jobs=1, force=True)
            runs.append(time.perf_counter() - started)
        seconds = min(runs)
        print(f"{summary.processed} Markdown/text files, {size / 1e6:.2f} MB: best of {repeat} runs "
              f"{seconds:.2f} s, {size / 1e6 / seconds:.2f} MB/s on one core (--jobs 1, outputs written)")
        big = Path(tmp) / "long-report.md"  # one long document: the English Markdown reports joined
        text = "\n\n".join(p.read_text(encoding="utf-8") for p in sources if p.suffix == ".md"
                           and detect_language(p.read_text(encoding="utf-8")) == "en")
        big.write_text("\n\n".join([text] * copies), encoding="utf-8")
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            run_batch([big], Path(tmp) / "out-long", jobs=1, force=True)
            runs.append(time.perf_counter() - started)
        size = big.stat().st_size
        print(f"one Markdown file of {size / 1e6:.2f} MB: best of {repeat} runs {min(runs):.2f} s, "
              f"{size / 1e6 / min(runs):.2f} MB/s")


if __name__ == "__main__":
    main(sys.argv[1:])
