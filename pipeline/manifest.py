"""The output folder's manifest.json: what each input gave in the last run (its SHA-256, its
doc_id or its error), read back by the next run (incremental runs) and by `inspect --project`."""
from __future__ import annotations

import json
from pathlib import Path

from .errors import CONTENT_ERRORS
from .model import ErrorRow, Report
from .outdir import atomic_write
from .writers import read_report_json

MANIFEST = "manifest.json"


def read_manifest(out: Path) -> dict:
    """The manifest of `out` as an object; {} when there is none or it cannot be read."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def write_manifest(out: Path, manifest: dict) -> None:
    atomic_write(out / MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def cached_result(out: Path, entry: dict, source: str) -> tuple[str, Report | ErrorRow] | None:
    """A manifest entry's result, when it may be replayed: documents from their JSON, and
    only the failures the file's bytes decide (see CONTENT_ERRORS)."""
    if entry.get("status") == "error":
        error = entry.get("error")
        if isinstance(error, dict) and error.get("error") in CONTENT_ERRORS:
            return "error", ErrorRow(source=source, error=error["error"], message=str(error.get("message", "")))
        return None
    if entry.get("status") != "ok":
        return None
    doc_id = entry.get("doc_id")
    if not isinstance(doc_id, str) or "/" in doc_id or doc_id.startswith("."):
        return None
    try:
        report = read_report_json((out / "json" / f"{doc_id}.json").read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        return None  # the cache is gone or damaged: process the file again
    return ("ok", report) if report.document.source == source else None
