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

    def flush():
        nonlocal paragraph
        if paragraph:
            add_paragraph_lines(builder, [line for line, _ in paragraph],
                                indents=[indent for _, indent in paragraph],
                                section_level=section_level, title_case=True)
            paragraph = []

    for raw in raw_lines:
        underline = _UNDERLINE.match(raw)
        if underline and paragraph and len(paragraph) == 1 and len(underline.group(1)) >= 3:
            # Setext-style title: the line above, underlined.
            title = paragraph[0][0]
            paragraph = []
            level = 1 if underline.group(1)[0] == "=" else 2
            builder.add(HEADING, [title], level=level)
            section_level = level
            continue
        if underline and len(underline.group(1)) >= 3:  # a rule
            flush()
            continue
        line = T.clean_line(raw)
        if not line:
            flush()
            continue
        indent = len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip())
        paragraph.append((line, indent))
    flush()
    return {}
