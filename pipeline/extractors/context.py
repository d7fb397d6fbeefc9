"""What every extractor of one document shares: blocks, sections, URLs and what spaCy found
in each block. spaCy docs are not kept: each block's doc is reduced to a `BlockAnalysis`
as `nlp.pipe` yields it, so memory does not grow with the document's token count."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import LIST_ITEM, PARAGRAPH, Document
from ..segment import Segmentation


def words_in(text: str, phrases: set[str]) -> list[str]:
    """The phrases of `phrases` that occur in `text` as whole words (case-insensitive)."""
    low = " " + re.sub(r"[^\w'’+&-]+", " ", text.lower()) + " "
    return [p for p in phrases if " " + p.lower() + " " in low]


@dataclass
class BlockAnalysis:
    """What the rule components found in one block."""

    sentences: list[tuple[int, int]] = field(default_factory=list)  # offsets in the block text
    figures: list = field(default_factory=list)  # FigureHit
    projects: list = field(default_factory=list)  # PatternMatch
    calls: list[str] = field(default_factory=list)  # sentences that call for action


@dataclass
class BlockContext:
    doc: Document
    seg: Segmentation
    analyses: list[BlockAnalysis]  # by block index
    urls: list[list] = field(default_factory=list)  # UrlHit lists by block index

    def list_runs(self) -> list[list[int]]:
        """Consecutive list items (any depth) form one list."""
        runs, current = [], []
        for i, block in enumerate(self.doc.blocks):
            if block.kind == LIST_ITEM:
                current.append(i)
            elif current:
                runs.append(current)
                current = []
        if current:
            runs.append(current)
        return runs

    def lead_in(self, first_item: int) -> int | None:
        """The paragraph that introduces a list, if it stands right before it in the same section."""
        j = first_item - 1
        if j < 0 or self.doc.blocks[j].kind != PARAGRAPH:
            return None
        if self.seg.block_section[j] != self.seg.block_section[first_item]:
            return None
        return j

    def last_sentence(self, i: int) -> str:
        text = self.doc.blocks[i].text
        sents = [text[a:b] for a, b in self.analyses[i].sentences if text[a:b].strip()]
        return sents[-1] if sents else text
