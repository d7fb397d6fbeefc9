"""Find and parse numbers in running text, English and French conventions.

This is the part of figure extraction that token patterns cannot express: digit
grouping (`1,741`, `1 741`, `2.315`), decimal commas (`87,5`), scale letters glued
to the number (`£2m`, `3.5bn`), and what is a number only in appearance (times,
numeric dates, phone numbers, dotted versions, ordinals, digits inside names), and
which dash before a number is a minus sign (`-200`, `−3 %`) rather than a range, a list
dash or a hyphen (`10-20`, `COVID-19`); the sign characters are in `models/common/numbers.json`.
Number words (`eleven`, `quatre`, `une vingtaine`) come from `models/<lang>/numbers.json`.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .rules import Rules

_SPACES = "\u00a0\u202f\u2009 "
# Not numbers, whatever their context: consumed first so their digits never match.
_NOT_NUMBERS = re.compile(
    r"\d{1,2}\s?[:hH]\s?\d{2}(?!\d)"  # 10:00, 10h30, 17 h 30
    r"|\d{4}-\d{1,2}-\d{1,2}"  # 2022-02-03
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}(?!\d)"  # 03/02/2022, 3.2.2022
    r"|\+\d[\d ().-]{6,}\d"  # +33 1 23 45 67 89
    r"|0(?<![0-9]0)\d(?:[ .-]\d{2}){4}(?!\d)"  # 01 23 45 67 89 (no digit before the 0)
    r"|\d+(?:\.\d+){2,}(?!\d)"  # 3.0.1 (unless it is 1.741.000, see below)
)
_DIGIT = re.compile(r"\d")
# The digits after a hyphen belong to a name when the word before it holds a letter: `H2020-123`, `COVID-19`.
_NAME_BEFORE_HYPHEN = re.compile(r"[^\W\d_]\w*-$")
_DOT_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")
_LITERAL = re.compile(
    r"(?<![\w.,/])"
    r"(?P<num>\d{1,3}(?:[,\u00a0\u202f\u2009 ]\d{3})+(?:[.,]\d+)?"
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?"
    r"|\d+(?:[.,]\d+)?)"
    r"(?P<suffix>[a-zA-Z]{1,3})?"
    r"(?![\w]|[.,]\d)"
)


@dataclass
class NumberMatch:
    start: int
    end: int
    value: Decimal
    approx: bool = False
    words: bool = False  # written out (`eleven`)
    scaled: bool = False  # a glued scale letter (`2m`) was applied


def parse_number(literal: str, lang: str = "en") -> Decimal | None:
    """`1,741` -> 1741, `1 741` -> 1741, `87,5` -> 87.5, `2.315` (fr) -> 2315; None if not a number."""
    s = literal.strip()
    for sp in _SPACES:
        if sp in s:
            groups = s.split(sp)
            if len(groups[0]) > 3 or not all(len(g) == 3 for g in groups[1:-1]) \
                    or len(groups[-1].split(",")[0].split(".")[0]) != 3:
                return None
            s = s.replace(sp, "")
    if "," in s and "." in s:
        # The later mark is the decimal one: 1,741.5 or 1.741,5
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "," in s:
        parts = s.split(",")
        grouped = len(parts) > 2 or (len(parts[1]) == 3 and parts[0] != "0")
        s = s.replace(",", "") if grouped else s.replace(",", ".")
    elif s.count(".") > 1:
        s = s.replace(".", "")
    elif "." in s and lang == "fr":
        whole, frac = s.split(".")
        if len(frac) == 3 and whole != "0":
            s = whole + frac
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def _number_words(rules: Rules) -> tuple[dict[str, Decimal], dict[str, Decimal], re.Pattern | None]:
    if "number_words" not in rules.cache:
        rules.cache["number_words"] = _compile_number_words(rules)
    return rules.cache["number_words"]


def _compile_number_words(rules: Rules) -> tuple[dict[str, Decimal], dict[str, Decimal], re.Pattern | None]:
    exact = {k.lower(): Decimal(str(v)) for k, v in rules.get("numbers.words", {}).items()}
    approx = {k.lower(): Decimal(str(v)) for k, v in rules.get("numbers.approximate", {}).items()}
    names = sorted(set(exact) | set(approx), key=len, reverse=True)
    if not names:
        return exact, approx, None
    alt = "|".join(re.escape(n) for n in names)
    # `twenty-five`, `vingt-cinq`: two number words joined by a hyphen add up.
    pattern = re.compile(rf"(?<![\w-])(?P<a>{alt})(?:-(?P<b>{alt}))?(?![\w-])", re.I)
    return exact, approx, pattern


def scan_numbers(text: str, rules: Rules) -> list[NumberMatch]:
    scales = rules.cache.get("attached_scales")
    if scales is None:
        scales = rules.cache["attached_scales"] = {
            k: Decimal(str(v)) for k, v in rules.get("numbers.attached_scales", {}).items()}
    found: list[NumberMatch] = []
    if _DIGIT.search(text):
        _scan_literals(text, rules, scales, found)
    exact, approx, pattern = _number_words(rules)
    if pattern is not None:
        for m in pattern.finditer(text):
            a, b = m.group("a").lower(), (m.group("b") or "").lower()
            if a in approx and not b:
                found.append(NumberMatch(m.start(), m.end(), approx[a], approx=True, words=True))
            elif a in exact and (not b or b in exact):
                value = exact[a] + (exact[b] if b else 0)
                found.append(NumberMatch(m.start(), m.end(), value, words=True))
    found.sort(key=lambda n: n.start)
    return found


def _scan_literals(text: str, rules: Rules, scales: dict[str, Decimal], found: list[NumberMatch]) -> None:
    lang = rules.lang
    signs = _signs(rules)
    blocked = [m.span() for m in _NOT_NUMBERS.finditer(text) if not _DOT_GROUPED.fullmatch(m.group())]
    blocked_ends = [y for _, y in blocked]  # finditer spans are sorted and disjoint

    def free(a: int, b: int) -> bool:
        k = bisect_right(blocked_ends, a)  # the first blocked span ending after a
        return k == len(blocked) or blocked[k][0] >= b

    for m in _LITERAL.finditer(text):
        start, end = m.span()
        if not free(start, end) or (start >= 2 and text[start - 1] == "-"
                                    and _NAME_BEFORE_HYPHEN.search(text, max(0, start - 40), start)):
            continue  # blocked, or the digits of a name like `COVID-19` or `H2020-123`
        suffix = m.group("suffix")
        if re.match(r"0\d", m.group("num")):
            continue  # `014` in `n° 2025-014`: an identifier, not a quantity
        value = parse_number(m.group("num"), lang)
        if value is None:
            # `2019 100 people`: a grouping that is not one; read the parts alone.
            found.extend(_split_parts(m.group("num"), start, lang))
            continue
        scaled = False
        if suffix:
            if suffix not in scales:
                continue  # `5G`, `3D`, `4x`: part of a name or a label
            value *= scales[suffix]
            scaled = True
        if _minus_before(text, start, signs):
            start, value = start - 1, -value
        found.append(NumberMatch(start, end, value, scaled=scaled))


def _signs(rules: Rules) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(minus signs, minus signs only inside the text, characters that may open a signed number)."""
    signs = rules.cache.get("number_signs")
    if signs is None:
        signs = rules.cache["number_signs"] = (
            frozenset(rules.words("numbers.minus_signs")), frozenset(rules.words("numbers.minus_signs_inside")),
            frozenset(rules.words("numbers.sign_openers")))
    return signs


def _minus_before(text: str, start: int, signs: tuple[frozenset[str], frozenset[str], frozenset[str]]) -> bool:
    """Whether the character before the digits at `start` is a minus sign of the number.

    It must touch the digits and follow the start of the text, a space or an opening bracket
    (`-200`, `(−3 %)`, not `COVID-19`), and no number may stand right before it: `10 -20`,
    `10% -20%` and `2022-2023` are ranges. An en dash is not a sign at the start of the text,
    where it is more likely a list dash.
    """
    minus, inside, openers = signs
    if start < 1:
        return False
    sign = text[start - 1]
    if sign not in minus and sign not in inside:
        return False
    if start == 1:
        return sign in minus
    before = text[start - 2]
    if not (before in openers or before.isspace()) or (sign not in minus and before in "\n\r"):
        return False
    tail = text[max(0, start - 16):start - 1].rstrip().rstrip("%").rstrip()
    return not tail[-1:].isdigit()


def _split_parts(literal: str, offset: int, lang: str) -> list[NumberMatch]:
    out, pos = [], 0
    for part in re.split(r"[\u00a0\u202f\u2009 ]", literal):
        at = literal.index(part, pos)
        value = parse_number(part, lang)
        if value is not None:
            out.append(NumberMatch(offset + at, offset + at + len(part), value))
        pos = at + len(part)
    return out


def to_number(value: Decimal) -> int | float:
    """A JSON-ready number: int when integral."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def format_number(value: Decimal | float | int | None) -> str:
    """Plain decimal notation, `.` as decimal mark, no grouping, no exponent."""
    if value is None:
        return ""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")
