"""What every extractor of one document shares: blocks, their spaCy docs, sections, URLs."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..model import LIST_ITEM, PARAGRAPH, Document
from ..segment import Segmentation


def words_in(text: str, phrases: set[str]) -> list[str]:
    """The phrases of `phrases` that occur in `text` as whole words (case-insensitive)."""
    low = " " + re.sub(r"[^\w'’+&-]+", " ", text.lower()) + " "
    return [p for p in phrases if " " + p.lower() + " " in low]


@dataclass
class BlockContext:
    doc: Document
    seg: Segmentation
    nlp_docs: list[Doc | None]  # by block index; None for blocks not processed
    urls: list[list] = field(default_factory=list)  # UrlHit lists by block index

    def docs(self):
        for i, d in enumerate(self.nlp_docs):
            if d is not None:
                yield i, d

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
        d = self.nlp_docs[i]
        if d is None:
            return self.doc.blocks[i].text
        sents = [s.text for s in d.sents if s.text.strip()]
        return sents[-1] if sents else self.doc.blocks[i].text
