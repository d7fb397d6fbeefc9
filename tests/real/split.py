#!/usr/bin/env python3
"""Split the real corpus into a tune part and a held-out part, once, before any rule work.

Documents from one repository stay together (one author's layout and phrasing in both parts
would leak). Each repository goes to held-out when a seeded hash of its name falls in the
lower half, so the split does not depend on the order or number of the other documents, and
a document added later joins its repository's part. The result is `split.json`; the script
refuses to change an existing assignment (held-out is frozen) and only adds new documents.

    python tests/real/split.py          # writes tests/real/split.json, prints the composition
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = "report-pipeline-real-corpus-2026-11-29"
MIN_HELD_OUT = {"documents": 15, "pdf": 5, "fr": 4}


def repositories() -> dict[str, str]:
    """file name -> origin repository (owner/name), from the tables in sources/*.md."""
    origin = {}
    for table in [HERE / "SOURCES.md"]:
        for line in table.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 5 or not (HERE / "docs" / cells[0]).is_file():
                continue
            m = re.search(r"github\.com/([\w.-]+/[\w.-]+)|github ([\w.-]+/[\w.-]+)", cells[4])
            origin[cells[0]] = (m.group(1) or m.group(2)).lower() if m else cells[4]
    return origin


def held_out(group: str) -> bool:
    return int(hashlib.sha256(f"{SEED}:{group}".encode()).hexdigest(), 16) % 100 < 50


def composition(files: list[str]) -> dict[str, int]:
    return {"documents": len(files), "pdf": sum(f.endswith(".pdf") for f in files),
            "fr": sum(f.rsplit(".", 1)[0].endswith("-fr") for f in files),
            "html": sum(f.endswith((".html", ".htm")) for f in files),
            "md/txt": sum(f.endswith((".md", ".txt")) for f in files), "docx": sum(f.endswith(".docx") for f in files)}


def main() -> int:
    origin = repositories()
    docs = sorted(p.name for p in (HERE / "docs").iterdir() if p.is_file())
    missing = [d for d in docs if d not in origin]
    if missing:
        print(f"no source row for: {', '.join(missing)}", file=sys.stderr)
        return 1
    path = HERE / "split.json"
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"tune": [], "held_out": []}
    split = {"seed": SEED, "tune": list(old["tune"]), "held_out": list(old["held_out"])}
    for doc in docs:
        if doc in split["tune"] or doc in split["held_out"]:
            continue
        split["held_out" if held_out(origin[doc]) else "tune"].append(doc)
    split["tune"] = sorted(d for d in split["tune"] if d in docs)
    split["held_out"] = sorted(d for d in split["held_out"] if d in docs)
    short = {k: v for k, v in MIN_HELD_OUT.items() if composition(split["held_out"])[k] < v}
    for part in ("tune", "held_out"):
        print(part, composition(split[part]))
    if short:
        print(f"held-out part below its minimum: {short}", file=sys.stderr)
        return 1
    path.write_text(json.dumps(split, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
