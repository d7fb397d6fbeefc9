"""Start-up as users feel it: whole processes, interleaved, medians (issue 13).

Each case is a command run as its own process (`report-pipeline ...` from the venv this
script runs in), repeated --repeat times in interleaved rounds (case A, B, C, A, B, C...) so
that drift on a shared machine hits every case alike; the median of each is printed.

Cases: `--version`; `--help`; one small Markdown report end to end with `--jobs 1` and with the
default jobs (input/ecovem-conference-report-2022.md, every output written to a fresh folder).

Usage: python bench/startup.py [--repeat N]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).with_name("report-pipeline"))
REPORT = str(ROOT / "input" / "ecovem-conference-report-2022.md")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="startup-"))
    cases = {
        "--version": [CLI, "--version"],
        "--help": [CLI, "--help"],
        "one Markdown report, --jobs 1": [CLI, "extract", REPORT, "--out", "{out}", "-q", "--jobs", "1"],
        "one Markdown report, default jobs": [CLI, "extract", REPORT, "--out", "{out}", "-q"],
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    try:
        for round_ in range(args.repeat):
            for name, command in cases.items():
                out = work / f"out-{round_}-{len(times[name])}-{abs(hash(name))}"
                command = [part.replace("{out}", str(out)) for part in command]
                start = time.perf_counter()
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times[name].append(time.perf_counter() - start)
                shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"whole processes, median of {args.repeat} interleaved runs")
    print("| case | median s | min s | max s |")
    print("|---|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} | {max(values):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
