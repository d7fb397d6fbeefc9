"""Plain-text reader: paragraphs are separated by blank lines.

Structure comes from the shape of lines alone: underlined titles (`===`, `---`),
short ALL-CAPS or numbered lines as headings, bullet and numbered lines as items
(nesting from indentation); every other line break is a soft one.
"""
from __future__ import annotations

import re

from .. import text as T
from ..model import HEADING
from .builder import DocumentBuilder
from .lines import add_paragraph_lines

_UNDERLINE = re.compile(r"^\s*(=+|-+|~+|\*+)\s*$")


def read_plaintext(source_text: str, builder: DocumentBuilder) -> dict[str, str]:
    raw_lines = source_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraph: list[tuple[str, int]] = []
    section_level = 0

    pending: list[str] = []  # a lone short line: a heading if prose follows it

    def emit(lines, indents):
        add_paragraph_lines(builder, lines, indents=indents, section_level=section_level, title_case=True)

    def release():
        """A pending line followed by something else than prose is a plain paragraph."""
        if pending:
            emit(pending[:], [0])
            pending.clear()

    def flush():
        nonlocal paragraph
        if not paragraph:
            return
        lines, indents = [line for line, _ in paragraph], [indent for _, indent in paragraph]
        paragraph = []
        if pending:
            if _is_prose(lines):
                builder.add(HEADING, pending[:], level=section_level + 1 if section_level else 1)
            else:
                emit(pending[:], [0])
            pending.clear()
        if _may_head(lines):
            pending.append(lines[0])
        else:
            emit(lines, indents)

    for raw in raw_lines:
        underline = _UNDERLINE.match(raw)
        if underline and paragraph and len(paragraph) == 1 and len(underline.group(1)) >= 3:
            # Setext-style title: the line above, underlined.
            title = paragraph[0][0]
            paragraph = []
            release()
            level = 1 if underline.group(1)[0] == "=" else 2
            builder.add(HEADING, [title], level=level)
            section_level = level
            continue
        if underline and len(underline.group(1)) >= 3:  # a rule
            flush()
            release()
            continue
        line = T.clean_line(raw)
        if not line:
            flush()
            continue
        indent = len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip())
        paragraph.append((line, indent))
    flush()
    release()
    return {}


def _may_head(lines: list[str]) -> bool:
    """A short standalone line, capitalised, without final punctuation (`Main outcomes`)."""
    if len(lines) != 1:
        return False
    line = lines[0]
    words = line.split()
    return (1 <= len(words) <= 8 and line[:1].isupper() and line[-1:] not in ".,;:!?…" and ":" not in line
            and not T.is_bullet_line(line)
            and not T.numbered_heading(line) and not T.is_caps_heading(line) and not T.is_title_case_line(line))


def _is_prose(lines: list[str]) -> bool:
    """A paragraph of sentences: many words, or a line ending as a sentence ends."""
    text = " ".join(lines)
    first = lines[0]
    if T.is_bullet_line(first) or T.numbered_heading(first) or T.is_caps_heading(first):
        return False
    return len(text.split()) >= 12 or text.rstrip()[-1:] in ".!?"
