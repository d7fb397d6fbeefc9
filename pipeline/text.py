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
# C0 and C1 control characters and DEL are never text (NUL, ESC, \x01 ... from broken
# exports): they crash XLSX writers and reach CSV cells as raw bytes. Tab, newline and
# the other white-space controls are white space and are collapsed like spaces.
_CONTROLS = dict.fromkeys((c for c in [*range(0x20), *range(0x7F, 0xA0)] if not chr(c).isspace()), None)
_CONTROLS_TO_SPACE = {**_CONTROLS, **{c: " " for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c).isspace()}}
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


def strip_controls(text: str) -> str:
    """Control characters removed, white-space controls (tab, newline...) turned into spaces."""
    if text.isprintable():
        return text
    return text.translate(_CONTROLS_TO_SPACE)


def drop_controls(text: str) -> str:
    """Control characters removed from a whole text, its white space (lines, tabs) kept: done
    before a parser sees the text (markdown-it turns NUL into U+FFFD)."""
    return text if text.isprintable() else text.translate(_CONTROLS)


def clean_line(text: str) -> str:
    """NFC, no soft hyphens, zero-width or control characters, stray `**` removed, spaces collapsed."""
    text = strip_controls(nfc(text)).replace(SOFT_HYPHEN, "").translate(_ZERO_WIDTH)
    text = _STRAY_EMPHASIS.sub("", text)
    return _WS.sub(" ", text).strip()


def display_path(path: str) -> str:
    """A faithful, printable rendering of a path: bytes that are not UTF-8 (surrogate escapes)
    and control characters become `\\xNN` escapes, so outputs stay valid UTF-8 text."""
    if path.isprintable():
        return path
    out = []
    for ch in path:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's escape of an undecodable byte
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF or (not ch.isprintable() and (code < 0x20 or 0x7F <= code < 0xA0)):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


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


def strip_heading_number(text: str) -> str:
    """`3.2 Nix` -> `Nix`, `IV. Results` -> `Results`: a heading without its numbering."""
    return HEADING_NUMBER.sub("", text, count=1)


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
