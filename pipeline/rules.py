"""Load the rules in `models/`: word lists, mappings and token patterns, per language.

Layout (see README, "Adding a rule"):

    models/common/*.json          shared by every language (currencies, URL rules, stop-lists)
    models/<lang>/*.json          mappings and word lists for one language
    models/<lang>/*.jsonl         spaCy Matcher / EntityRuler patterns, one per line

In a pattern, a string `"@file.key"` where a list is expected is replaced by that
list (or by the keys of that mapping), so a pattern can say
`{"LOWER": {"IN": "@dates.months"}}` and the months stay in one place.
Lines of a .jsonl file that are blank or start with `#` or `//` are ignored.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"


def default_models_dir() -> Path:
    env = os.environ.get("REPORT_PIPELINE_MODELS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "models"


class RulesError(Exception):
    """A rule file that cannot be read; the message names the file and line."""


@dataclass
class Rules:
    lang: str
    data: dict[str, dict[str, Any]] = field(default_factory=dict)  # file stem -> content
    patterns: dict[str, list[dict]] = field(default_factory=dict)  # file stem -> jsonl rows
    # values derived from the rules (compiled regexes, parsed word lists), built once per Rules
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def get(self, ref: str, default: Any = None) -> Any:
        """`rules.get("figures.qualifiers")` -> the value of key qualifiers in figures.json."""
        stem, _, key = ref.partition(".")
        content = self.data.get(stem, {})
        if not key:
            return content
        return content.get(key, default)

    def words(self, ref: str) -> list[str]:
        value = self.get(ref, [])
        return list(value.keys()) if isinstance(value, dict) else list(value)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RulesError(f"{path}: {exc}") from exc


def _read_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith(("#", "//")):
            continue
        try:
            rows.append(json.loads(line))
        except ValueError as exc:
            raise RulesError(f"{path}:{number}: {exc}") from exc
    return rows


def _merge(into: dict, extra: dict) -> None:
    """Language files extend the common ones: lists are concatenated, mappings merged."""
    for key, value in extra.items():
        if key in into and isinstance(into[key], list) and isinstance(value, list):
            into[key] = into[key] + value
        elif key in into and isinstance(into[key], dict) and isinstance(value, dict):
            into[key] = {**into[key], **value}
        else:
            into[key] = value


def _resolve(obj: Any, rules: Rules) -> Any:
    if isinstance(obj, str) and obj.startswith("@"):
        return rules.words(obj[1:])
    if isinstance(obj, list):
        return [_resolve(x, rules) for x in obj]
    if isinstance(obj, dict):
        return {k: _resolve(v, rules) for k, v in obj.items()}
    return obj


def load_rules(lang: str, models_dir: str | os.PathLike | None = None) -> Rules:
    """The rules of `lang` (merged with models/common), cached per process."""
    return _load_rules(lang, str(models_dir) if models_dir else "")


@lru_cache(maxsize=8)  # called with positional arguments only, so one entry per folder
def _load_rules(lang: str, models_dir: str) -> Rules:
    base = Path(models_dir) if models_dir else default_models_dir()
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    if not (base / lang).is_dir():
        raise RulesError(f"no rules folder {base / lang}")
    rules = Rules(lang=lang)
    for folder in (base / "common", base / lang):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.json")):
            _merge(rules.data.setdefault(path.stem, {}), _read_json(path))
        for path in sorted(folder.glob("*.jsonl")):
            rules.patterns.setdefault(path.stem, []).extend(_read_jsonl(path))
    rules.patterns = {stem: _resolve(rows, rules) for stem, rows in rules.patterns.items()}
    return rules


def rules_version(models_dir: str | None = None) -> str:
    """Hash of every rule file, so outputs can say which rules made them."""
    base = Path(models_dir) if models_dir else default_models_dir()
    digest = hashlib.sha256()
    for path in sorted(base.rglob("*")):
        if path.is_file() and path.suffix in (".json", ".jsonl"):
            digest.update(path.relative_to(base).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
