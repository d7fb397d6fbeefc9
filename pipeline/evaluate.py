"""Score extracted rows against hand-made gold annotations (the product's gold format).

A gold file `NAME.gold.json` describes one input (`source` = its file name) with the
`document` metadata, `sections` (headings), `projects` (name, aliases, url), `urls`,
`figures` (value, value_max, unit), `recommendations` (text) and `optional_*` lists.
Matching, one to one and greedy, per document and kind:
  projects         normalised name (case, accents, punctuation dropped) = gold name or alias
  urls             host without `www.` and path without final `/`, scheme ignored
  figures          value within 1e-6 (a range also offers its value_max)
  recommendations  at least 70% of the gold's words and 30% of the prediction's words shared
A prediction matching an optional entry counts neither way; any other unmatched one is a
false positive. These are the rules of the shared scorer, so both give the same numbers.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("projects", "urls", "figures", "recommendations")


def _fold(text) -> str:
    text = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def name_key(text) -> str:
    return re.sub(r"[^a-z0-9]", "", _fold(text))


def url_key(url) -> str:
    u = _fold(url).strip().strip("<>").rstrip(".,;)")
    u = re.sub(r"^[a-z][a-z0-9+.-]*://", "", u)
    u = re.sub(r"^www\.", "", u)
    return u.split("#")[0].rstrip("/")


def _words(text) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", _fold(text)) if len(w) > 1}


def _number(value) -> float | None:
    try:
        return float(str(value).replace(",", ""))
    except (TypeError, ValueError):
        return None


def _same(kind: str, gold: dict, pred: dict) -> bool:
    if kind == "projects":
        keys = {name_key(gold["name"])} | {name_key(a) for a in gold.get("aliases", [])}
        return name_key(pred.get("name", "")) in keys
    if kind == "urls":
        return url_key(gold["url"]) == url_key(pred.get("url", ""))
    if kind == "figures":
        v = _number(pred.get("value"))
        return v is not None and abs(v - float(gold["value"])) <= 1e-6 * max(1.0, abs(float(gold["value"])))
    gw, pw = _words(gold["text"]), _words(pred.get("text", ""))
    return bool(gw and pw) and len(gw & pw) / len(gw) >= 0.7 and len(gw & pw) / len(pw) >= 0.3


def unit_agrees(gold_unit: str, pred_unit: str) -> bool:
    g, p = name_key(gold_unit or ""), name_key(pred_unit or "")
    if not g:
        return True
    if g == "eur":
        return "eur" in p or "€" in (pred_unit or "")
    if g == "percent":
        return any(f in p for f in ("percent", "pct", "percentage")) or "%" in (pred_unit or "")
    stem = g[:-1] if g.endswith("s") else g
    return stem[: max(4, len(stem) - 2)] in p


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Evaluation:
    kinds: dict[str, Tally]
    project_url: tuple[int, int] = (0, 0)  # correct, total
    figure_unit: tuple[int, int] = (0, 0)
    sections: tuple[int, int] = (0, 0)  # gold headings found, gold headings
    metadata: tuple[int, int] = (0, 0)
    missing: list[str] = field(default_factory=list)
    per_document: dict[str, dict[str, Tally]] = field(default_factory=dict)
    metadata_fields: dict[str, list[int]] = field(default_factory=dict)  # field -> [correct, scored]
    metadata_misses: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        out = {}
        for kind, t in self.kinds.items():
            p, r, f = t.prf()
            out[kind] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                         "tp": t.tp, "fp": t.fp, "fn": t.fn}
        ratio = lambda pair: round(pair[0] / pair[1], 3) if pair[1] else None  # noqa: E731
        out.update(project_url_accuracy=ratio(self.project_url), figure_unit_accuracy=ratio(self.figure_unit),
                   section_recall=ratio(self.sections), metadata_accuracy=ratio(self.metadata),
                   metadata_fields={k: ratio(v) for k, v in sorted(self.metadata_fields.items())},
                   documents_missing=self.missing,
                   macro_f1=round(sum(out[k]["f1"] for k in KINDS) / len(KINDS), 3))
        return out


def _describe(item: dict) -> str:
    for key in ("name", "url", "text", "value"):
        if item.get(key) not in (None, ""):
            return str(item[key])[:90]
    return str(item)[:90]


def evaluate(tables: dict[str, list[dict]], gold_dir: str | Path, sources=None) -> Evaluation:
    """Score table rows (as `writers.table_rows` gives them) against every gold file in `gold_dir`
    (only those whose `source` is in `sources`, when given). A document field that is `null`
    in gold (the report does not state it) is not scored."""
    docs = {Path(str(d.get("source", ""))).name: d for d in tables.get("documents", [])}
    ev = Evaluation(kinds={k: Tally() for k in KINDS})
    pu, fu, sec, meta = [0, 0], [0, 0], [0, 0], [0, 0]
    for gold_file in sorted(Path(gold_dir).glob("*.gold.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        if sources is not None and gold["source"] not in sources:
            continue
        doc = docs.get(gold["source"])
        doc_id = doc["doc_id"] if doc else None
        if doc is None:
            ev.missing.append(gold["source"])
        per = ev.per_document.setdefault(gold["source"], {})
        for kind in KINDS:
            preds = [dict(r) for r in tables.get(kind, []) if doc_id is not None and r.get("doc_id") == doc_id]
            if kind == "figures":
                preds += [dict(r, value=r["value_max"]) for r in preds if _number(r.get("value_max")) is not None]
            tally, pairs = _match(kind, gold.get(kind, []), gold.get("optional_" + kind, []), preds)
            per[kind] = tally
            total = ev.kinds[kind]
            total.tp, total.fp, total.fn = total.tp + tally.tp, total.fp + tally.fp, total.fn + tally.fn
            total.misses += [f"{gold['source']}: {m}" for m in tally.misses]
            total.extras += [f"{gold['source']}: {x}" for x in tally.extras]
            for g, p in pairs:
                if kind == "projects" and g.get("url"):
                    pu[1] += 1
                    pu[0] += url_key(g["url"]) == url_key(p.get("url") or "")
                if kind == "figures":
                    fu[1] += 1
                    fu[0] += unit_agrees(g.get("unit", ""), p.get("unit") or "")
        headings = [str(s.get("heading") or "") for s in tables.get("sections", []) if s.get("doc_id") == doc_id]
        for h in gold.get("sections", []):
            hw = _words(h)
            sec[1] += 1
            sec[0] += any(hw and len(hw & _words(p)) / len(hw) >= 0.8 for p in headings)
        for key, want in gold.get("document", {}).items():
            if want is None:  # not stated in the report: not scored
                continue
            got = str((doc or {}).get(key) or "")
            meta[1] += 1
            field_tally = ev.metadata_fields.setdefault(key, [0, 0])
            field_tally[1] += 1
            before = meta[0]
            if key == "title":
                meta[0] += bool(_words(want)) and len(_words(want) & _words(got)) / len(_words(want)) >= 0.8
            elif key in ("date_start", "date_end", "language"):
                meta[0] += got.strip()[: len(want)] == want
            else:
                meta[0] += name_key(want) in name_key(got)
            field_tally[0] += meta[0] - before
            if meta[0] == before:
                ev.metadata_misses.append(f"{gold['source']}: {key} {want!r} got {got!r}")
    ev.project_url, ev.figure_unit, ev.sections, ev.metadata = tuple(pu), tuple(fu), tuple(sec), tuple(meta)
    return ev


def _match(kind: str, gold: list, optional: list, preds: list) -> tuple[Tally, list]:
    tally, pairs, free = Tally(), [], list(range(len(preds)))
    for g in gold:
        hit = next((i for i in free if _same(kind, g, preds[i])), None)
        if hit is None:
            tally.fn += 1
            tally.misses.append(_describe(g))
        else:
            free.remove(hit)
            tally.tp += 1
            pairs.append((g, preds[hit]))
    free = [i for i in free if not any(_same(kind, o, preds[i]) for o in optional)]
    tally.fp = len(free)
    tally.extras = [_describe(preds[i]) for i in free]
    return tally, pairs


def format_table(ev: Evaluation, verbose: bool = False) -> str:
    s = ev.summary()
    lines = [f"{'kind':<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for kind in KINDS:
        k = s[kind]
        lines.append(f"{kind:<16}{k['precision']:>7.3f}{k['recall']:>7.3f}{k['f1']:>7.3f}"
                     f"{k['tp']:>6}{k['fp']:>6}{k['fn']:>6}")
    for key in ("project_url_accuracy", "figure_unit_accuracy", "section_recall", "metadata_accuracy",
                "documents_missing", "macro_f1"):
        lines.append(f"{key}: {s[key]}")
    if verbose:
        for kind in KINDS:
            lines += [f"  MISS  {kind}: {m}" for m in ev.kinds[kind].misses]
            lines += [f"  EXTRA {kind}: {x}" for x in ev.kinds[kind].extras]
    return "\n".join(lines)
