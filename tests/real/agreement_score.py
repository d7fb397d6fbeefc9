#!/usr/bin/env python3
"""Agreement between two blind annotators: score annotator B's gold as if it were the tool's
output against annotator A's gold (A's optional entries excused), and the other way round.

The targets of the accuracy issue only make sense below what two careful people agree on.
B's required entries play the output (B's own optional entries are left out, as a tool that
writes only what it is sure of); metadata and sections are scored as for the tool.

    python tests/real/agreement_score.py tests/real/gold tests/real/agreement   # both directions and their mean
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from pipeline import evaluate as scoring  # noqa: E402


def as_tables(gold_dir: Path, sources: set[str]) -> dict[str, list[dict]]:
    """Gold files read as the table rows `evaluate` scores."""
    tables: dict[str, list[dict]] = {k: [] for k in ("documents", "sections", *scoring.KINDS)}
    for path in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold["source"] not in sources:
            continue
        doc_id = gold["source"]
        tables["documents"].append({"doc_id": doc_id, "source": gold["source"], **(gold.get("document") or {})})
        tables["sections"] += [{"doc_id": doc_id, "heading": h} for h in gold.get("sections", [])]
        tables["projects"] += [{"doc_id": doc_id, "name": p["name"], "url": p.get("url")} for p in gold["projects"]]
        tables["urls"] += [{"doc_id": doc_id, "url": u["url"]} for u in gold["urls"]]
        tables["figures"] += [{"doc_id": doc_id, "value": f["value"], "value_max": f.get("value_max"),
                               "unit": f.get("unit")} for f in gold["figures"]]
        tables["recommendations"] += [{"doc_id": doc_id, "text": r["text"]} for r in gold["recommendations"]]
    return tables


def main() -> int:
    a_dir, b_dir = Path(sys.argv[1]), Path(sys.argv[2])
    shared = ({json.loads(p.read_text(encoding="utf-8"))["source"] for p in a_dir.glob("*.gold.json")}
              & {json.loads(p.read_text(encoding="utf-8"))["source"] for p in b_dir.glob("*.gold.json")})
    results = {}
    for name, (gold, pred) in {"B scored against A": (a_dir, b_dir), "A scored against B": (b_dir, a_dir)}.items():
        ev = scoring.evaluate(as_tables(pred, shared), gold, sources=shared)
        results[name] = ev.summary()
        print(f"## {name} ({len(shared)} documents)\n")
        print(scoring.format_table(ev))
        print()
    print("## mean of both directions\n")
    for key in (*scoring.KINDS,):
        print(f"- {key}: F1 {sum(r[key]['f1'] for r in results.values()) / 2:.3f}")
    for key in ("macro_f1", "section_recall", "metadata_accuracy"):
        print(f"- {key}: {sum(r[key] for r in results.values()) / 2:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
