"""Segmenter: heading blocks become a tree of sections.

Each heading opens a section that runs until the next heading of the same or a
higher rank. Levels in the output are depths in that tree (1 = top), so a report
whose first heading is `##` still starts at level 1. Blocks before the first
heading belong to no section.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .model import HEADING, Document, Section


@dataclass
class Segmentation:
    sections: list[Section]
    block_section: list[str | None]  # section id of each block, by block index

    @cached_property
    def by_id(self) -> dict[str, Section]:
        return {s.section_id: s for s in self.sections}

    def headings_above(self, section_id: str | None) -> list[str]:
        """Headings of a section and its ancestors, innermost first."""
        by_id = self.by_id
        out = []
        while section_id:
            section = by_id[section_id]
            out.append(section.heading)
            section_id = section.parent_id
        return out


def segment(doc: Document) -> Segmentation:
    sections: list[Section] = []
    raw_levels: list[int] = []  # the heading's own level, to compare ranks
    stack: list[int] = []  # indexes into sections of the open ancestors
    block_section: list[str | None] = []
    for block in doc.blocks:
        if block.kind == HEADING:
            while stack and raw_levels[stack[-1]] >= block.level:
                stack.pop()
            parent = sections[stack[-1]].section_id if stack else None
            sections.append(Section(
                section_id=f"s{len(sections) + 1}", parent_id=parent, level=len(stack) + 1,
                heading=block.text, page_start=block.page, page_end=block.page,
                char_start=block.char_start, char_end=block.char_end,
            ))
            raw_levels.append(block.level)
            stack.append(len(sections) - 1)
        # the block extends every open section
        for idx in stack:
            section = sections[idx]
            section.char_end = block.char_end
            if block.page is not None:
                section.page_end = block.page if section.page_end is None else max(section.page_end, block.page)
                if section.page_start is None:
                    section.page_start = block.page
        block_section.append(sections[stack[-1]].section_id if stack else None)
    return Segmentation(sections=sections, block_section=block_section)
