"""Regression checks: compare extracted tables with stored expected outputs.

Rows are matched on natural keys (`doc_id` + `project_id`, `url`, `figure_id`...), so a
report shows rows added, rows removed and changed cells (old -> new) table by table.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .writers import TABLES, csv_bytes

KEYS = {
    "documents": ("doc_id",), "sections": ("doc_id", "section_id"), "projects": ("doc_id", "project_id"),
    "urls": ("doc_id", "url"), "figures": ("doc_id", "figure_id"), "recommendations": ("doc_id", "rec_id"),
    "projects_index": ("project_id",), "mentions": ("doc_id", "mention_id"), "errors": ("source",),
}


@dataclass
class TableDiff:
    table: str
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[tuple[tuple, dict[str, tuple[str, str]]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _rows(data: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.lstrip("\ufeff"))))


def diff_tables(current: dict[str, list[dict]], expected_dir: Path) -> list[TableDiff]:
    """Differences between current table rows and the CSV files in `expected_dir`."""
    diffs = []
    for name in TABLES:
        now = _rows(csv_bytes(name, current.get(name, [])).decode("utf-8"))
        path = expected_dir / f"{name}.csv"
        before = _rows(path.read_text(encoding="utf-8")) if path.exists() else []
        key = KEYS[name]
        old = {tuple(r.get(k, "") for k in key): r for r in before}
        new = {tuple(r.get(k, "") for k in key): r for r in now}
        d = TableDiff(name)
        d.added = [new[k] for k in new if k not in old]
        d.removed = [old[k] for k in old if k not in new]
        for k in new:
            if k in old:
                cells = {c: (old[k].get(c, ""), v) for c, v in new[k].items() if old[k].get(c, "") != v}
                if cells:
                    d.changed.append((k, cells))
        diffs.append(d)
    return diffs


def _short(row: dict, key: tuple[str, ...]) -> str:
    label = next((row[c] for c in ("name", "url", "text", "heading", "title", "error") if row.get(c)), "")
    ids = "/".join(row.get(k, "") for k in key)
    return f"{ids}  {label[:80]}"


def format_diffs(diffs: list[TableDiff]) -> str:
    lines = []
    for d in diffs:
        if d.empty:
            continue
        key = KEYS[d.table]
        lines.append(f"{d.table}.csv: {len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed")
        lines += [f"  + {_short(r, key)}" for r in d.added]
        lines += [f"  - {_short(r, key)}" for r in d.removed]
        for k, cells in d.changed:
            lines.append(f"  ~ {'/'.join(k)}")
            lines += [f"      {c}: {old!r} -> {new!r}" for c, (old, new) in cells.items()]
    return "\n".join(lines) if lines else "no differences"
