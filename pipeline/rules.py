"""Load the rules in `models/`: word lists, mappings and token patterns, per language.

Layout (see README, "Adding a rule"):

    models/common/*.json          shared by every language (currencies, URL rules, stop-lists)
    models/<lang>/*.json          mappings and word lists for one language
    models/<lang>/*.jsonl         spaCy Matcher / EntityRuler patterns, one per line

In a pattern, a string `"@file.key"` where a list is expected is replaced by that
list (or by the keys of that mapping), so a pattern can say
`{"LOWER": {"IN": "@dates.months"}}` and the months stay in one place.
Lines of a .jsonl file that are blank or start with `#` or `//` are ignored.

`validate_rules(models_dir)` checks a whole rules folder at once (every language): JSON
syntax, the keys the code reads and their types, the keys of each pattern row, `@file.key`
references, and each token pattern as spaCy's Matcher / EntityRuler would. A problem is a
`RulesError` with a one-line message naming the file (and the line, in a .jsonl file):
`models/en/figure_patterns.jsonl:12: pattern token 0: unknown attribute 'LOWERR'`.
`load_rules` runs the same checks on the language it loads, so rules that load cannot
fail later, in a spaCy component or an extractor.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

LANGUAGES = ("en", "fr")
# The token extensions `nlp.py` registers, which a pattern may test (`{"_": {"is_num": true}}`);
# named here so that checking a rule file does not need the pipelines (rules sit below nlp).
TOKEN_EXTENSIONS = ("is_num", "num", "num_approx", "num_words")
DEFAULT_LANGUAGE = "en"


def default_models_dir() -> Path:
    env = os.environ.get("REPORT_PIPELINE_MODELS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "models"


class RulesError(Exception):
    """A rule file that cannot be used; the message (one line) names the file and line."""


@dataclass
class Rules:
    lang: str
    data: dict[str, dict[str, Any]] = field(default_factory=dict)  # file stem -> content
    patterns: dict[str, list[dict]] = field(default_factory=dict)  # file stem -> jsonl rows
    # values derived from the rules (compiled regexes, parsed word lists), built once per Rules
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    models_dir: str = ""  # the folder the rules were read from (another language's files are beside)

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


# --- what the code reads from the JSON files --------------------------------------------
# Each check returns None or what is wrong with a value; its docstring-like `wants` says
# what was expected. Every key below is required in each language (common + language files
# merged), except the OPTIONAL ones, whose type is still checked when they are present.

def _what(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    kind = {str: "a string", int: "a number", float: "a number", list: "a list", dict: "an object"}
    text = json.dumps(value, ensure_ascii=False)
    return f"{kind.get(type(value), type(value).__name__)} {text if len(text) <= 40 else text[:37] + '...'}"


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


@dataclass(frozen=True)
class _Kind:
    wants: str
    check: Callable[[Any], str | None]  # None when fine, else what is wrong


def _list_of(item_ok: Callable[[Any], bool], item: str) -> Callable[[Any], str | None]:
    def check(value):
        if not isinstance(value, list):
            return f"got {_what(value)}"
        for i, v in enumerate(value):
            if not item_ok(v):
                return f"item {i} is {_what(v)}, not {item}"
        return None
    return check


def _map_of(value_ok: Callable[[Any], bool], item: str) -> Callable[[Any], str | None]:
    def check(value):
        if not isinstance(value, dict):
            return f"got {_what(value)}"
        for k, v in value.items():
            if not value_ok(v):
                return f"{k!r} maps to {_what(v)}, not {item}"
        return None
    return check


def _check_regexes(value):
    problem = _list_of(lambda v: isinstance(v, str), "a string")(value)
    if problem:
        return problem
    for i, pattern in enumerate(value):
        try:
            re.compile(pattern, re.I)
        except re.error as exc:
            return f"item {i} {pattern!r} is not a regular expression ({exc})"
    return None


def _check_years(value):
    if not isinstance(value, dict):
        return f"got {_what(value)}"
    for key in ("min", "max"):
        if key not in value:
            return f"no {key!r}"
        if not _is_int(value[key]):
            return f"{key!r} is {_what(value[key])}, not a whole number"
    return None


_STR_LIST = _Kind("a list of strings", _list_of(lambda v: isinstance(v, str), "a string"))
_REGEX_LIST = _Kind("a list of regular expressions", _check_regexes)
_STR_MAP = _Kind("an object of strings", _map_of(lambda v: isinstance(v, str), "a string"))
_NUMBER_MAP = _Kind("an object of numbers", _map_of(_is_number, "a number"))
_INT_MAP = _Kind("an object of whole numbers", _map_of(_is_int, "a whole number"))
_LIST_MAP = _Kind("an object of lists of strings", _map_of(
    lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), "a list of strings"))
_WEIGHTS = _Kind("an object of weights from -1 to 1", _map_of(
    lambda v: _is_number(v) and math.isfinite(v) and -1 <= v <= 1, "a number from -1 to 1"))
_THRESHOLDS = _Kind("an object of thresholds from 0 to 1", _map_of(
    lambda v: _is_number(v) and math.isfinite(v) and 0 <= v <= 1, "a number from 0 to 1"))
_INT = _Kind("a whole number", lambda v: None if _is_int(v) and v >= 0 else f"got {_what(v)}")
_STR = _Kind("a string", lambda v: None if isinstance(v, str) else f"got {_what(v)}")
_YEARS = _Kind('an object {"min": year, "max": year}', _check_years)
_EXCEPTIONS = _Kind('an object of token lists such as [{"ORTH": "aujourd\'hui"}]', _map_of(
    lambda v: isinstance(v, list) and v and all(
        isinstance(t, dict) and "ORTH" in t and all(k in ("ORTH", "NORM") and isinstance(x, str) for k, x in t.items())
        for t in v), 'a list of {"ORTH": ..., "NORM": ...} objects'))
_COMPOUND = _Kind('"before", "after" or ""', lambda v: None if v in ("", "before", "after") else f"got {_what(v)}")

SCHEMA: dict[str, dict[str, _Kind]] = {
    "currencies": {"symbols": _STR_MAP, "codes": _STR_LIST},
    "pdf": {"keep_hyphen_prefixes": _STR_LIST, "maybe_hyphen_prefixes": _STR_LIST, "section_names": _STR_LIST,
            "contents_headings": _STR_LIST, "ordinal_suffixes": _STR_LIST, "footnote_marks": _STR_LIST,
            "info_not_titles": _STR_LIST, "statement_labels": _STR_LIST, "exponent_units": _STR_LIST,
            "continuing_words": _STR_LIST},
    "urls": {"file_extensions": _STR_LIST, "trailing": _STR},
    "figures": {
        "qualifiers": _STR_MAP, "currency_words": _STR_MAP, "currency_joiners": _STR_LIST,
        "percent_words": _STR_LIST, "percent_unit": _STR, "rates": _STR_MAP, "rate_prefixes": _STR_LIST,
        "unit_skip": _STR_LIST, "adjective_suffixes": _STR_LIST, "of_determiners": _STR_LIST,
        "not_units": _STR_LIST, "label_words": _STR_LIST, "years": _YEARS, "compound_units": _COMPOUND,
        "word_multiplier_units": _STR_LIST, "plural_endings": _STR_LIST, "upper_units": _STR_LIST,
        "power_units": _STR_LIST,
    },
    "metadata": {
        "months": _INT_MAP, "weekdays": _STR_LIST, "ordinal_suffixes": _STR_LIST, "range_words": _STR_LIST,
        "day_fillers": _STR_LIST, "publication_words": _STR_LIST, "author_labels": _STR_LIST,
        "author_stops": _STR_LIST, "name_particles": _STR_LIST, "event_words": _STR_LIST,
        "title_words": _STR_LIST, "not_titles": _STR_LIST, "other_event_words": _STR_LIST,
    },
    "numbers": {
        "words": _NUMBER_MAP, "approximate": _NUMBER_MAP, "scales": _NUMBER_MAP, "money_scales": _NUMBER_MAP,
        "attached_scales": _NUMBER_MAP, "approximate_articles": _STR_LIST,
        "minus_signs": _STR_LIST, "minus_signs_inside": _STR_LIST, "sign_openers": _STR_LIST,
    },
    "projects": {
        "not_projects": _STR_LIST, "not_distinctive": _STR_LIST, "list_triggers": _STR_LIST,
        "context_words": _STR_LIST, "item_separators": _STR_LIST, "determiners": _STR_LIST,
        "generic_words": _STR_LIST, "not_name_heads": _STR_LIST, "website_labels": _STR_LIST,
        "max_name_words": _INT, "table_columns": _LIST_MAP, "sentence_words": _STR_LIST,
        "name_connectors": _STR_LIST, "code_hosts": _STR_LIST, "software_suffixes": _STR_LIST,
        "common_acronyms": _STR_LIST, "people_columns": _STR_LIST, "speech_verbs": _STR_LIST,
    },
    "tokenizer": {"range_dashes": _STR_LIST, "elisions": _STR_LIST, "joined_names": _STR},
    # a language's tokenizer defaults, exported from spaCy (tests/tools/export_spacy_defaults.py):
    # with them the pipeline is built without importing spacy.lang.<lang>
    "spacy_defaults": {"exceptions": _EXCEPTIONS, "prefixes": _STR_LIST, "suffixes": _STR_LIST,
                       "infixes": _STR_LIST, "number_words": _STR_LIST},
    "sections": {"reference_headings": _STR_LIST},
    "stop_words": {"stop_words": _STR_LIST},
    "confidence": {"projects": _WEIGHTS, "urls": _WEIGHTS, "figures": _WEIGHTS,
                   "recommendations": _WEIGHTS, "min_confidence": _THRESHOLDS},
    "recommendations": {
        "list_triggers": _STR_LIST, "list_blockers": _STR_LIST, "leadins": _REGEX_LIST, "split_on": _STR_LIST,
        "min_words": _INT, "split_min_item_words": _INT, "table_columns": _STR_LIST,
        "imperative_verbs": _STR_LIST, "imperative_min_items": _INT,
    },
}
# checked when present: day_fillers is read by no code; without the signs no number is negative
OPTIONAL = {("tokenizer", "joined_names"), ("metadata", "day_fillers"), ("numbers", "minus_signs"), ("numbers", "minus_signs_inside"),
            ("numbers", "sign_openers"), ("pdf", "section_names"), ("pdf", "contents_headings"),
            ("pdf", "ordinal_suffixes"), ("pdf", "footnote_marks"), ("pdf", "info_not_titles"),
            ("pdf", "statement_labels"), ("pdf", "exponent_units"), ("pdf", "continuing_words"),
            ("figures", "power_units"), ("spacy_defaults", "exceptions"), ("spacy_defaults", "prefixes"),
            ("spacy_defaults", "suffixes"), ("spacy_defaults", "infixes"), ("spacy_defaults", "number_words")}
COMMON_STEMS = ("currencies", "pdf", "urls", "tokenizer", "confidence")  # files that live in models/common/

# --- what the code reads from the .jsonl rows ---------------------------------------------
MATCHER_FILES = ("figure_patterns", "project_patterns", "recommendation_patterns")
RULER_FILES = ("known_projects",)
# labels an extractor acts on (None: any); a row with another label would do nothing
LABELS: dict[str, frozenset[str] | None] = {
    "figure_patterns": frozenset({"NOT_FIGURE", "RANGE", "CURRENCY", "QUALIFIER", "PERCENT", "RATE"}),
    "project_patterns": None,
    "recommendation_patterns": frozenset({"CALL", "NOT_CALL"}),
    "known_projects": frozenset({"PROJECT"}),
}
VALUE_LABELS = {"CURRENCY", "QUALIFIER", "RATE"}  # figure rows whose `value` the figure finder reads

_REF = re.compile(r"@([\w-]+)\.([\w-]+)")


# --- reading --------------------------------------------------------------------------------

def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RulesError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise RulesError(f"{path}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x})") from None


def _json_error(exc: json.JSONDecodeError) -> str:
    return f"invalid JSON: {exc.msg} (column {exc.colno})"


def _read_json(path: Path) -> dict:
    text = _decode(path)
    try:
        content = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RulesError(f"{path}:{exc.lineno}: {_json_error(exc)}") from None
    except ValueError as exc:  # e.g. numbers too large to convert
        raise RulesError(f"{path}: invalid JSON: {exc}") from None
    if not isinstance(content, dict):
        raise RulesError(f"{path}: expected a JSON object {{...}} holding the keys, got {_what(content)}")
    return content


def _read_jsonl(path: Path) -> list[tuple[int, dict]]:
    """(line number, row) for each row of a .jsonl file."""
    rows = []
    for number, line in enumerate(_decode(path).splitlines(), 1):
        line = line.strip()
        if not line or line.startswith(("#", "//")):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RulesError(f"{path}:{number}: {_json_error(exc)}") from None
        except ValueError as exc:
            raise RulesError(f"{path}:{number}: invalid JSON: {exc}") from None
        if not isinstance(row, dict):
            raise RulesError(f'{path}:{number}: expected an object {{"label": ..., "pattern": ...}}, got {_what(row)}')
        rows.append((number, row))
    return rows


def _key_line(path: Path, key: str) -> str:
    """`path:line` of the line where `key` is set in a JSON file, else `path`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, ValueError):
        return str(path)
    m = re.search(rf'^\s*"{re.escape(key)}"\s*:', text, re.M)
    return f"{path}:{text.count(chr(10), 0, m.start()) + 1}" if m else str(path)


def _check_json(path: Path, stem: str, content: dict) -> None:
    for key, kind in SCHEMA.get(stem, {}).items():
        if key in content:
            problem = kind.check(content[key])
            if problem:
                sep = ", " if problem.startswith("got ") else ": "
                raise RulesError(f"{_key_line(path, key)}: key {key!r} must be {kind.wants}{sep}{problem}")


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
    if isinstance(obj, str) and _REF.fullmatch(obj):
        return rules.words(obj[1:])
    if isinstance(obj, list):
        return [_resolve(x, rules) for x in obj]
    if isinstance(obj, dict):
        return {k: _resolve(v, rules) for k, v in obj.items()}
    return obj


def _refs(obj: Any, where: str):
    """(where, "@file.key") for each reference in a row."""
    if isinstance(obj, str) and _REF.fullmatch(obj):
        yield where, obj
    elif isinstance(obj, list):
        for i, x in enumerate(obj):
            yield from _refs(x, f"pattern token {i}" if where == "pattern" else where)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _refs(v, where or str(k))


# --- pattern rows --------------------------------------------------------------------------

class _PatternChecker:
    """Token patterns checked as spaCy will use them: the attribute names and value shapes
    of spaCy's pattern schema, operators, regexes, POS tags and `_` extensions, then one
    Matcher.add on a bare Vocab (no language, no pipeline) for anything else."""

    def __init__(self) -> None:
        from pydantic import ValidationError
        from spacy.matcher import Matcher
        from spacy.parts_of_speech import IDS
        from spacy.schemas import TokenPattern, TokenPatternNumber, TokenPatternString
        from spacy.vocab import Vocab

        self.matcher = Matcher(Vocab(), validate=False)
        self.token_model = TokenPattern
        self.validation_error = ValidationError
        self.has_extension = TOKEN_EXTENSIONS.__contains__
        self.pos_tags = sorted(t for t in IDS if t)
        self.attrs: dict[str, str] = {}  # upper-case attribute -> "string" | "number" | "bool" | "other"
        for name, f in TokenPattern.model_fields.items():
            ann = str(f.annotation)
            kind = ("string" if "TokenPatternString" in ann and "TokenPatternNumber" not in ann
                    else "number" if "TokenPatternNumber" in ann and "TokenPatternString" not in ann
                    else "bool" if "bool" in ann.lower() and "Union" not in ann.replace("Optional", "")
                    else "other")
            self.attrs[(f.alias or name).upper()] = kind  # the names the Matcher reads: `LOWER`, `_`
        self.string_ops = {(f.alias or n).upper() for n, f in TokenPatternString.model_fields.items()}
        self.number_ops = {(f.alias or n).upper() for n, f in TokenPatternNumber.model_fields.items()}
        self.count = 0

    def problem(self, pattern: Any) -> str | None:
        """None for a good Matcher pattern, else what is wrong."""
        if not isinstance(pattern, list):
            return f"key 'pattern' must be a list of token objects, got {_what(pattern)}"
        if not pattern:
            return "key 'pattern' is an empty list"
        for i, token in enumerate(pattern):
            if not isinstance(token, dict):
                return f"pattern token {i}: expected an object such as {{\"LOWER\": \"word\"}}, got {_what(token)}"
            problem = self._token(token)
            if problem:
                return f"pattern token {i}: {problem}"
        self.count += 1
        key = f"p{self.count}"
        try:
            self.matcher.add(key, [pattern])
        except Exception as exc:  # noqa: BLE001 - any refusal from spaCy is a bad pattern
            return " ".join(f"{exc}".split()) or type(exc).__name__
        self.matcher.remove(key)  # the checker is kept for the process: it holds no pattern
        return None

    def _token(self, token: dict) -> str | None:
        for name, value in token.items():
            attr = str(name).upper()
            kind = self.attrs.get(attr)
            if kind is None:
                close = difflib.get_close_matches(attr, self.attrs, n=1)
                return f"unknown attribute {name!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
            problem = self._value(attr, kind, value)
            if problem:
                return problem
        try:
            self.token_model.model_validate(token)
        except self.validation_error as exc:  # what the checks above missed, in spaCy's words
            err = exc.errors()[0]
            loc = " -> ".join(str(p) for p in err.get("loc", ()))
            return f"{loc}: {err.get('msg')}"
        return None

    def _value(self, attr: str, kind: str, value: Any) -> str | None:
        if value is None:
            return f"{attr} is null"
        if attr == "OP":
            if not isinstance(value, str) or not re.fullmatch(r"[+*?!]|\{\d+\}|\{\d+,\d*\}|\{\d*,\d+\}", value):
                return f"OP {value!r} is not an operator (one of + * ? ! {{n}} {{n,m}} {{n,}} {{,m}})"
        elif attr == "_":
            if not isinstance(value, dict):
                return f'_ must be an object such as {{"is_num": true}}, got {_what(value)}'
            for ext in value:
                if not self.has_extension(ext):
                    return f"unknown extension attribute '_.{ext}'"
        elif kind == "bool":
            if not isinstance(value, bool):
                return f"{attr} must be true or false, got {_what(value)}"
        elif kind in ("string", "number"):
            scalar_ok = isinstance(value, str) if kind == "string" else _is_number(value)
            if scalar_ok:
                return self._pos(attr, [value])
            if not isinstance(value, dict):
                return (f"{attr} must be {'a string' if kind == 'string' else 'a number'} or an object "
                        f"such as {{\"IN\": [...]}}, got {_what(value)}")
            ops = self.string_ops if kind == "string" else self.number_ops
            for op, arg in value.items():
                if str(op).upper() not in ops:
                    close = difflib.get_close_matches(str(op).upper(), ops, n=1)
                    return f"{attr}: unknown operator {op!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
                op = str(op).upper()
                if op in ("IN", "NOT_IN", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS"):
                    item_ok, item = ((lambda v: isinstance(v, str)), "a string") if kind == "string" \
                        else (_is_int, "a whole number")
                    if not isinstance(arg, list):
                        return f"{attr}: {op} must be a list, got {_what(arg)}"
                    bad = next((v for v in arg if not item_ok(v)), _MISSING)
                    if bad is not _MISSING:
                        return f"{attr}: {op} holds {_what(bad)}, not {item}"
                    if op in ("IN", "NOT_IN"):
                        problem = self._pos(attr, arg)
                        if problem:
                            return problem
                elif op == "REGEX" and isinstance(arg, str):
                    try:
                        re.compile(arg)
                    except re.error as exc:
                        return f"{attr}: REGEX {arg!r} is not a regular expression ({exc})"
        return None

    def _pos(self, attr: str, values: list) -> str | None:
        if attr != "POS":
            return None
        for v in values:
            if v not in self.pos_tags:
                return f"POS {v!r} is not a part-of-speech tag (one of {', '.join(self.pos_tags)})"
        return None


_MISSING = object()


def _slice_ok(value: Any) -> bool:
    return value is None or (isinstance(value, list) and len(value) == 2
                             and all(v is None or _is_int(v) for v in value))


def _check_row(stem: str, row: dict, checker: _PatternChecker) -> str | None:
    """None for a good row of `stem`.jsonl, else what is wrong."""
    for key in ("label", "pattern"):
        if key not in row:
            return f"missing key {key!r}"
    label = row["label"]
    if not isinstance(label, str) or not label:
        return f"key 'label' must be a string, got {_what(label)}"
    labels = LABELS.get(stem)
    if labels is not None and label not in labels:
        return f"unknown label {label!r} for {stem}.jsonl (one of {', '.join(sorted(labels))})"
    if stem in MATCHER_FILES:
        rid = row.get("id")
        if not isinstance(rid, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", rid):
            return ("missing key 'id' (a name for the rule, shown as its evidence)" if "id" not in row
                    else f"key 'id' must be a name of letters, digits, '-', '_' or '.', got {_what(rid)}")
    if stem == "figure_patterns" and label in VALUE_LABELS and not isinstance(row.get("value"), str):
        return f"a {label} row needs a key 'value' holding a string" + (
            f", got {_what(row['value'])}" if "value" in row else "")
    if stem == "project_patterns":
        for key in ("name", "alias"):
            if key in row and not _slice_ok(row[key]):
                return f"key {key!r} must be [start, end] (whole numbers or null) or null, got {_what(row[key])}"
        for key in ("needs_context", "trim_lower"):
            if key in row and not isinstance(row[key], bool):
                return f"key {key!r} must be true or false, got {_what(row[key])}"
        for key in ("name_before", "not_after"):
            if key in row and not (isinstance(row[key], list) and row[key]
                                   and all(isinstance(w, str) and w for w in row[key])):
                return f"key {key!r} must be a list of words, got {_what(row[key])}"
    pattern = row["pattern"]
    if stem in RULER_FILES:
        if "id" in row and not isinstance(row["id"], str):
            return f"key 'id' must be a string, got {_what(row['id'])}"
        if isinstance(pattern, str):
            return None if pattern.strip() else "key 'pattern' is an empty string"
        if not isinstance(pattern, list):
            return f"key 'pattern' must be a phrase (string) or a list of token objects, got {_what(pattern)}"
    return checker.problem(pattern)


# --- loading and validating ---------------------------------------------------------------

def _check_folder(base: Path, lang: str | None = None) -> None:
    if not base.is_dir():
        raise RulesError(f"{base}: not a rules folder (no such folder)")
    present = [code for code in LANGUAGES if (base / code).is_dir()]
    if not present:
        raise RulesError(f"{base}: not a rules folder (no {' or '.join(f'{c}/' for c in LANGUAGES)} subfolder)")
    for code in [lang] if lang else LANGUAGES:
        if code not in present:
            raise RulesError(f"{base}: no {code}/ subfolder (each language needs one: {', '.join(LANGUAGES)})")


def _read_rules(base: Path, lang: str, checker: _PatternChecker | None = None) -> Rules:
    """The rules of `lang` under `base`, every file checked (RulesError on the first problem)."""
    _check_folder(base, lang)
    checker = checker or _pattern_checker()
    rules = Rules(lang=lang, models_dir=str(base))
    json_paths: dict[str, list[Path]] = {}
    rows: dict[str, list[tuple[Path, int, dict]]] = {}
    for folder in (base / "common", base / lang):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.json")):
            content = _read_json(path)
            _check_json(path, path.stem, content)
            json_paths.setdefault(path.stem, []).append(path)
            _merge(rules.data.setdefault(path.stem, {}), content)
        for path in sorted(folder.glob("*.jsonl")):
            rows.setdefault(path.stem, []).extend((path, n, row) for n, row in _read_jsonl(path))
    for stem, keys in SCHEMA.items():
        missing = [k for k in keys if k not in rules.data.get(stem, {}) and (stem, k) not in OPTIONAL]
        if not missing:
            continue
        paths = json_paths.get(stem)
        if not paths:
            where = base / ("common" if stem in COMMON_STEMS else lang) / f"{stem}.json"
            raise RulesError(f"{where}: no such file (the rules need its keys {', '.join(missing)})")
        raise RulesError(f"{paths[-1]}: missing key {missing[0]!r} ({keys[missing[0]].wants})")
    for stem, found in rows.items():
        resolved = []
        ids: dict[str, tuple[Path, int]] = {}
        for path, number, row in found:
            if stem in MATCHER_FILES and isinstance(row.get("id"), str):
                if row["id"] in ids:  # an id names one rule: its evidence, its row in matches
                    first = ids[row["id"]]
                    raise RulesError(f"{path}:{number}: id {row['id']!r} is already the id of {first[0]}:{first[1]}")
                ids[row["id"]] = (path, number)
            for where, ref in _refs(row, ""):
                ref_stem, _, key = ref[1:].partition(".")
                value = rules.data.get(ref_stem, {}).get(key, _MISSING)
                if value is _MISSING:
                    why = f"{ref_stem}.json has no key {key!r}" if ref_stem in rules.data else f"no {ref_stem}.json"
                    raise RulesError(f"{path}:{number}: {where}: unknown reference {ref!r} ({why})")
                if not isinstance(value, (list, dict)):
                    raise RulesError(f"{path}:{number}: {where}: {ref!r} is {_what(value)}, not a list")
            row = _resolve(row, rules)
            if stem in MATCHER_FILES or stem in RULER_FILES:
                problem = _check_row(stem, row, checker)
                if problem:
                    raise RulesError(f"{path}:{number}: {problem}")
            resolved.append(row)
        rules.patterns[stem] = resolved
    return rules


@lru_cache(maxsize=1)
def _pattern_checker() -> "_PatternChecker":
    """One checker per process: building it reads spaCy's pattern schema (a tenth of a second)."""
    return _PatternChecker()


def validate_rules(models_dir: str | os.PathLike | None = None) -> None:
    """Check the rules folder (default: `default_models_dir()`) for every language; raises
    `RulesError` with a one-line message naming the file and line of the first problem. A
    folder whose files have not changed since it was checked in this process is not read again."""
    base = Path(models_dir) if models_dir else default_models_dir()
    _check_folder(base)
    _validate(str(base), rules_version(str(base)))


@lru_cache(maxsize=8)
def _validate(base: str, version: str) -> None:
    """Every language of `base` read and checked; cached by the files' hash (`version`)."""
    for lang in LANGUAGES:
        _read_rules(Path(base), lang, _pattern_checker())


def load_rules(lang: str, models_dir: str | os.PathLike | None = None) -> Rules:
    """The rules of `lang` (merged with models/common), checked, cached per process."""
    return _load_rules(lang, str(models_dir) if models_dir else "")


@lru_cache(maxsize=8)  # called with positional arguments only, so one entry per folder
def _load_rules(lang: str, models_dir: str) -> Rules:
    base = Path(models_dir) if models_dir else default_models_dir()
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    return _read_rules(base, lang)


def rules_version(models_dir: str | None = None) -> str:
    """Hash of every rule file, so outputs can say which rules made them."""
    base = Path(models_dir) if models_dir else default_models_dir()
    digest = hashlib.sha256()
    for path in sorted(base.rglob("*")):
        if path.is_file() and path.suffix in (".json", ".jsonl"):
            digest.update(path.relative_to(base).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
