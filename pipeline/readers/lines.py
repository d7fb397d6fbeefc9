"""Turn the lines of one paragraph into blocks, the same way for every format.

A paragraph may really be a heading (bold-only, ALL CAPS, numbered `2.1 Panel`), a
run of bullet lines (`• item`), or a heading line followed by prose. Readers that
know better (Markdown headings, DOCX styles) bypass this.
"""
from __future__ import annotations

from .. import text as T
from ..model import HEADING, LIST_ITEM, PARAGRAPH
from .builder import DocumentBuilder


def heading_level(line: str, *, bold: bool = False, section_level: int = 0, title_case: bool = False) -> int:
    """Level for a line that stands as a heading, 0 when it is not one. `title_case`: a lone
    short line in title case counts too (plain text has no other way to mark a heading)."""
    numbered = T.numbered_heading(line)
    if numbered:
        return numbered
    if T.is_caps_heading(line):
        return section_level + 1 if section_level else 1
    if bold and T.looks_like_title(line.rstrip(":")):
        return section_level + 1 if section_level else 1
    if title_case and T.is_title_case_line(line):
        return section_level + 1 if section_level else 1
    return 0


def add_paragraph_lines(builder: DocumentBuilder, lines: list[str], *, links=None, bold: bool = False,
                        section_level: int = 0, page: int | None = None,
                        indents: list[int] | None = None, title_case: bool = False) -> None:
    lines = [line for line in lines if line]
    if not lines:
        return
    links = links or []
    if len(lines) == 1:
        level = heading_level(lines[0], bold=bold, section_level=section_level, title_case=title_case)
        if level:
            builder.add(HEADING, [lines[0].rstrip(":").strip()], level=level, page=page, links=links)
            return
    if len(lines) > 1 and not T.is_bullet_line(lines[0]):
        level = heading_level(lines[0], section_level=section_level)
        if level:
            builder.add(HEADING, [lines[0]], level=level, page=page)
            add_paragraph_lines(builder, lines[1:], section_level=section_level, page=page,
                                indents=indents[1:] if indents else None)
            return
    if not any(T.is_bullet_line(x) or _numbered_item(x) for x in lines):
        builder.add(PARAGRAPH, lines, page=page, links=links, bold=bold)
        return
    _add_items(builder, lines, links, page, indents)


def _numbered_item(line: str) -> bool:
    _, item, ordered = T.strip_bullet(line)
    return item and ordered


def _line_links(lines, links):
    """Split block-relative links into per-line ones: {line index: [(url, start, end)]}."""
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    per_line: dict[int, list] = {}
    for url, a, b in links:
        idx = max(i for i, s in enumerate(starts) if s <= a) if a < pos else len(lines) - 1
        per_line.setdefault(idx, []).append((url, a - starts[idx], b - starts[idx]))
    return per_line


class _Pending:
    """Lines gathered for one block, with their links re-based onto the block text."""

    def __init__(self, kind, depth=0, ordered=False):
        self.kind, self.depth, self.ordered = kind, depth, ordered
        self.lines: list[str] = []
        self.links: list[tuple[str, int, int]] = []
        self._len = -1

    def append(self, line, line_links, cut=0):
        start = self._len + 1
        self.lines.append(line)
        self._len = start + len(line)
        self.links.extend((u, max(0, start + a - cut), max(0, start + b - cut)) for u, a, b in line_links)


def _add_items(builder, lines, links, page, indents) -> None:
    """Bullet and numbered lines start items; other lines continue the current one."""
    indents = indents or [0] * len(lines)
    base = min(indents)
    per_line = _line_links(lines, links)
    blocks: list[_Pending] = []
    for idx, (line, indent) in enumerate(zip(lines, indents)):
        body, is_item, ordered = T.strip_bullet(line)
        if is_item:
            blocks.append(_Pending(LIST_ITEM, max(0, (indent - base) // 2), ordered))
            body = body.strip()
            blocks[-1].append(body, per_line.get(idx, []), cut=len(line) - len(body))
        else:
            if not blocks:
                blocks.append(_Pending(PARAGRAPH))
            blocks[-1].append(line, per_line.get(idx, []))
    for p in blocks:
        builder.add(p.kind, p.lines, depth=p.depth, ordered=p.ordered, page=page, links=p.links)
