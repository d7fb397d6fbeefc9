"""Text normalisation shared by every reader.

The contract wants NFC text, white space collapsed, no markup and no soft hyphens.
Readers clean each line with `clean_line`; heading heuristics live here too because
Markdown, plain text and (later) PDF lines are judged by the same rules.
"""
from __future__ import annotations

import re
import unicodedata

SOFT_HYPHEN = "\u00ad"
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_WS = re.compile(r"\s+")
# Emphasis markers that survive Markdown parsing when unbalanced (`EXAM4.0**: ...`).
_STRAY_EMPHASIS = re.compile(r"\*{2,}|(?<!\w)__|__(?!\w)")
_BULLET = re.compile(r"^\s*(?:[-*+•●▪◦‣∙·–—]|\u2022)\s+")
# `1.` `2)` `(a)` `b)` `iv.`; a letter with a full stop only before a capital (`p. 22` is a page)
_NUMBERED = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|\(?[a-hA-H]\)|\([a-hA-H]\.?\)|[a-hA-H]\.(?=\s+[A-Z])"
                       r"|\(?(?:[ivx]{1,5}|[IVX]{1,5})[.)])\s+")
# `2.1 Panel`, `3. Results`, `IV. Outcomes`: numbering that makes a line a heading.
HEADING_NUMBER = re.compile(r"^(?:(\d{1,2}(?:\.\d{1,2}){0,3})\.?|([IVX]{1,5})\.)\s+(?=\S)")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_line(text: str) -> str:
    """NFC, no soft hyphens or zero-width characters, stray `**` removed, spaces collapsed."""
    text = nfc(text).replace(SOFT_HYPHEN, "").translate(_ZERO_WIDTH)
    text = _STRAY_EMPHASIS.sub("", text)
    return _WS.sub(" ", text).strip()


def collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def strip_bullet(text: str) -> tuple[str, bool, bool]:
    """Remove a leading bullet or list number; returns (text, was_item, ordered)."""
    m = _BULLET.match(text)
    if m:
        return text[m.end():], True, False
    m = _NUMBERED.match(text)
    if m:
        return text[m.end():], True, True
    return text, False, False


def is_bullet_line(text: str) -> bool:
    return bool(_BULLET.match(text))


def letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


def is_caps_heading(text: str, max_words: int = 10) -> bool:
    """A short line in capitals (`NEXT STEPS`, `JOAO SANTOS (PRESENTATION)`)."""
    parts = text.split()
    if len(parts) > 3 * max_words:
        return False  # a paragraph line: no need to look at its letters
    words = [w for w in parts if any(c.isalpha() for c in w)]
    if len(words) > max_words or text.rstrip().endswith((".", ",", ";")):
        return False
    chars = letters(text)
    if len(chars) < 4:
        return False
    upper = sum(c.isupper() for c in chars)
    return upper / len(chars) >= 0.85 and len(text.split()) >= 1 and not text.startswith("http")


def numbered_heading(text: str, max_words: int = 12) -> int:
    """Level of a numbered heading (`2.1 Panel` -> 2), or 0 when the line is not one."""
    m = HEADING_NUMBER.match(text)
    if not m:
        return 0
    rest = text[m.end():]
    words = rest.split()
    if not words or len(words) > max_words or rest.rstrip()[-1:] in ".,;:!?":
        return 0
    first = next((c for c in rest if c.isalpha()), "")
    if not first.isupper():
        return 0
    if m.group(1):
        number = m.group(1)
        # `2022 Highlights` or `12 participants` are not numbered headings.
        if "." not in number and not text[m.start(1) + len(number):].startswith("."):
            return 0
        return number.count(".") + 1
    return 1


_SMALL_WORDS = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "from", "with", "by", "as",
                "vs", "de", "du", "des", "la", "le", "les", "et", "en", "à", "au", "aux", "sur", "pour", "d", "l"}


def is_title_case_line(text: str, max_words: int = 12) -> bool:
    """`First Winter Results from the ICEBREAK Initiative`: a short line in title case."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if not 3 <= len(words) <= max_words or text.rstrip()[-1:] in ".,;:!?" or not words[0][0].isupper() \
            or ":" in text:  # `Minutes: Jane Doe` is a label and a value
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(content) and sum(w[0].isupper() for w in content) >= 0.75 * len(content)


def looks_like_title(text: str, max_words: int = 14) -> bool:
    """Short, no final full stop: a line that may stand as a heading when emphasised."""
    words = text.split()
    return 0 < len(words) <= max_words and not text.rstrip().endswith((".", ";", ","))
