"""Speed as users feel it: every issue-13 target measured as whole processes (issue 13).

Every measurement is a command run as its own process, start-up included: `python -m pipeline
...` of each checkout given by --tree (default: this one), so an older commit is measured with
the same inputs on the same machine in the same run (`git worktree add /tmp/old COMMIT`, then
`--tree /tmp/old --tree .`). Cases run in interleaved rounds (A, B, C, A, B, C, ...; every tree
within a round) so that drift on a shared machine hits each alike; medians are printed, and
ratios are medians of the per-round ratios. Every output goes to a fresh folder.

Cases and targets:
  --version, --help                                   <= 0.3 s
  one small Markdown report, default options          <= 1.0 s   (input/ecovem-...md)
  107-page report PDF (tests/fixtures/render.make_long_pdf), default engine
                                                      <= 1.15x bare pdfplumber `extract_words`
                                                      run as its own process on the same file
  the same PDF, --pdf-engine pdfium                   >= 60 pages/s
  reader only (`read_document`, in a process of its own; the time printed is the read, measured
  inside the process): pdfium reader                  >= 25x the pdfplumber reader
  Markdown and text batch, --jobs 1                   >= 1 MB/s per core
  mixed batch (Markdown, text, PDF, DOCX, HTML renditions of tests/reports and input/),
  --jobs 2 vs --jobs 1                                >= 1.7x
  peak memory (maximum RSS of the process), default engine, 1000 pages vs 100
                                                      <= 1.5x   (measured in the first round only)

Usage: python bench/whole_process.py [--repeat N] [--tree DIR ...] [--skip-memory] [--md-copies N]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
REPORT = ROOT / "input" / "ecovem-conference-report-2022.md"

BARE = r"""
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_words()
        page.close()
"""
READER = r"""
import sys, time
from pathlib import Path
import pipeline.readers.pdf, pipeline.readers.pdf_pdfium  # the PDF libraries: imports are not the read
from pipeline.readers import read_document
from pipeline.rules import load_rules
load_rules("en")
t = time.perf_counter()
read_document(Path(sys.argv[1]), pdf_engine=sys.argv[2])
print(time.perf_counter() - t)
"""


def run(command: list[str], tree: Path) -> tuple[float, str]:
    """Wall seconds and stdout of one process."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {err.decode()[-400:]}")
    return seconds, out.decode()


def peak_rss(command: list[str], tree: Path) -> float:
    """Maximum resident memory of one process, in MB (os.wait4 on that process alone)."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    proc = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode})")
    return usage.ru_maxrss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tree", type=Path, action="append", help="a checkout whose `pipeline` is "
                        "measured (repeat the option to compare checkouts); default: this one")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--md-copies", type=int, default=12, help="copies of the Markdown/text reports")
    parser.add_argument("--pages", type=int, default=107)
    args = parser.parse_args(argv)
    from fixtures.render import make_long_pdf, render_all

    trees = [t.resolve() for t in (args.tree or [ROOT])]
    py = sys.executable
    cli = [py, "-m", "pipeline"]
    work = Path(tempfile.mkdtemp(prefix="whole-process-"))
    try:
        pdf = make_long_pdf(work / f"report-{args.pages}.pdf", args.pages)
        md = work / "markdown"
        md.mkdir()
        sources = sorted(p for folder in (ROOT / "tests" / "reports", ROOT / "input")
                         for p in folder.glob("*.*") if p.suffix in (".md", ".txt"))
        for k in range(args.md_copies):
            for path in sources:
                shutil.copy(path, md / f"{path.stem}-{k}{path.suffix}")
        md_mb = sum(p.stat().st_size for p in md.iterdir()) / 1e6
        mixed = work / "mixed"
        render_all([ROOT / "tests" / "reports", ROOT / "input"], mixed)
        for path in sources:
            shutil.copy(path, mixed)
        mixed_files = len(list(mixed.iterdir()))

        cases: dict[str, list[str]] = {
            "--version": cli + ["--version"],
            "--help": cli + ["--help"],
            "one Markdown report, default options": cli + ["extract", str(REPORT), "--out", "{out}", "-q"],
            f"bare pdfplumber extract_words, {args.pages} pages": [py, "-c", BARE, str(pdf)],
            f"{args.pages}-page PDF, default engine": cli + ["extract", str(pdf), "--out", "{out}", "-q"],
            f"{args.pages}-page PDF, pdfium engine": cli + ["extract", str(pdf), "--out", "{out}", "-q",
                                                            "--pdf-engine", "pdfium"],
            "reader only, pdfplumber": [py, "-c", READER, str(pdf), "pdfplumber"],
            "reader only, pdfium": [py, "-c", READER, str(pdf), "pdfium"],
            f"Markdown/text batch {md_mb:.2f} MB, --jobs 1": cli + ["extract", str(md), "--out", "{out}", "-q",
                                                                    "--jobs", "1"],
            f"mixed batch of {mixed_files} files, --jobs 1": cli + ["extract", str(mixed), "--out", "{out}",
                                                                   "-q", "--jobs", "1"],
            f"mixed batch of {mixed_files} files, --jobs 2": cli + ["extract", str(mixed), "--out", "{out}",
                                                                   "-q", "--jobs", "2"],
        }
        seconds = {tree: {name: [] for name in cases} for tree in trees}
        reads = {tree: {"pdfplumber": [], "pdfium": []} for tree in trees}
        counter = 0
        for _ in range(args.repeat):
            for name, command in cases.items():
                for tree in trees:
                    counter += 1
                    out = work / f"out-{counter}"
                    wall, stdout = run([part.replace("{out}", str(out)) for part in command], tree)
                    seconds[tree][name].append(wall)
                    if name.startswith("reader only"):
                        reads[tree][name.rsplit(", ", 1)[1]].append(float(stdout.strip().splitlines()[-1]))
                    shutil.rmtree(out, ignore_errors=True)
        memory: dict = {tree: {} for tree in trees}
        if not args.skip_memory:
            for n in (100, 1000):
                path = make_long_pdf(work / f"memory-{n}.pdf", n)
                for tree in trees:
                    out = str(work / f"mem-{n}-{tree.name}")
                    memory[tree][n] = peak_rss(cli + ["extract", str(path), "--out", out, "-q"], tree)
        for tree in trees:
            _report(args, tree, cases, seconds[tree], reads[tree], memory[tree], md_mb)
            print()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _report(args, tree: Path, cases, seconds, reads, memory, md_mb: float) -> None:
    med = {name: statistics.median(values) for name, values in seconds.items()}
    names = list(cases)

    def ratio(a: str, b: str) -> float:  # median of the per-round ratios
        return statistics.median(x / y for x, y in zip(seconds[a], seconds[b]))

    commit = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    print(f"tree {tree} ({commit}); python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
          f"whole processes, medians of {args.repeat} interleaved rounds")
    print("| case | median s | min s | max s |")
    print("|---|---|---|---|")
    for name in names:
        values = seconds[name]
        print(f"| {name} | {med[name]:.2f} | {min(values):.2f} | {max(values):.2f} |")
    bare, default, pdfium = names[3], names[4], names[5]
    md, jobs1, jobs2 = names[8], names[9], names[10]
    read_ratio = statistics.median(a / b for a, b in zip(reads["pdfplumber"], reads["pdfium"]))
    print("\n| target | measured | goal | met |")
    print("|---|---|---|---|")
    rows = [
        ("--version", med["--version"], "<= 0.3 s", med["--version"] <= 0.3, "{:.2f} s"),
        ("--help", med["--help"], "<= 0.3 s", med["--help"] <= 0.3, "{:.2f} s"),
        ("one small Markdown report", med[names[2]], "<= 1.0 s", med[names[2]] <= 1.0, "{:.2f} s"),
        (f"{args.pages}-page PDF / bare pdfplumber", ratio(default, bare), "<= 1.15x",
         ratio(default, bare) <= 1.15, "{:.2f}x"),
        ("pdfium engine, pages/s end to end", args.pages / med[pdfium], ">= 60", args.pages / med[pdfium] >= 60,
         "{:.1f}"),
        ("pdfium reader vs pdfplumber reader (read time)", read_ratio, ">= 25x", read_ratio >= 25, "{:.1f}x"),
        ("Markdown/text MB/s, one core", md_mb / med[md], ">= 1.0", md_mb / med[md] >= 1.0, "{:.2f}"),
        ("--jobs 2 vs --jobs 1, mixed batch", ratio(jobs1, jobs2), ">= 1.7x", ratio(jobs1, jobs2) >= 1.7, "{:.2f}x"),
    ]
    if memory:
        rows.append(("peak RSS 1000 pages / 100 pages", memory[1000] / memory[100], "<= 1.5x",
                     memory[1000] / memory[100] <= 1.5,
                     "{:.2f}x" + f" ({memory[1000]:.0f} MB / {memory[100]:.0f} MB)"))
    for label, value, goal, met, fmt in rows:
        print(f"| {label} | {fmt.format(value)} | {goal} | {'yes' if met else 'no'} |")
    print(f"\nreader read times (median s): pdfplumber {statistics.median(reads['pdfplumber']):.2f}, "
          f"pdfium {statistics.median(reads['pdfium']):.2f}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
