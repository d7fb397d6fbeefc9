#!/usr/bin/env python3
"""Score a part of the real corpus against its blind gold.

    python tests/real/score.py held_out            # P/R/F1 per kind, sections, metadata
    python tests/real/score.py tune -v             # and every miss and false positive
    python tests/real/score.py held_out --save tests/real/results/held_out-start.json

Uses the library (`extract_paths`, `evaluate`), the same path as `report-pipeline evaluate`.
"""
from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from pipeline.batch import extract_paths  # noqa: E402
from pipeline.evaluate import KINDS, evaluate  # noqa: E402
from pipeline.writers import table_rows  # noqa: E402


def score(part: str, min_confidence: float | None = None, jobs: int = 2):
    split = json.loads((HERE / "split.json").read_text(encoding="utf-8"))
    files = split[part] if part in ("tune", "held_out") else split["tune"] + split["held_out"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = extract_paths([HERE / "docs" / f for f in files], jobs=jobs, min_confidence=min_confidence)
    return evaluate(table_rows(result), HERE / "gold", sources=set(files)), result


def table(summary: dict) -> str:
    lines = ["| kind | P | R | F1 | tp | fp | fn |", "|---|---|---|---|---|---|---|"]
    for kind in KINDS:
        k = summary[kind]
        lines.append(f"| {kind} | {k['precision']:.3f} | {k['recall']:.3f} | {k['f1']:.3f} | {k['tp']} | {k['fp']} | {k['fn']} |")
    lines.append(f"| macro F1 | | | {summary['macro_f1']:.3f} | | | |")
    lines.append(f"\nsection recall {summary['section_recall']}, metadata {summary['metadata_accuracy']} "
                 f"({', '.join(f'{k} {v}' for k, v in summary['metadata_fields'].items())}), "
                 f"project URL {summary['project_url_accuracy']}, figure unit {summary['figure_unit_accuracy']}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("part", choices=["tune", "held_out", "all"])
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--min-confidence", type=float, default=None)
    ap.add_argument("--save", type=Path, default=None)
    args = ap.parse_args()
    ev, result = score(args.part, args.min_confidence)
    summary = ev.summary()
    print(table(summary))
    for e in result.errors:
        print(f"error: {e.source}: {e.error}: {e.message}")
    if args.verbose:
        for kind in KINDS:
            print(f"\n## {kind}: misses")
            print("\n".join("  - " + m for m in ev.kinds[kind].misses))
            print(f"## {kind}: false positives")
            print("\n".join("  + " + x for x in ev.kinds[kind].extras))
        print("\n## metadata misses")
        print("\n".join("  - " + m for m in ev.metadata_misses))
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
