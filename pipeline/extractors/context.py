"""What every extractor of one document shares: blocks, sections, URLs and what spaCy found
in each block. spaCy docs are not kept: each block's doc is reduced to a `BlockAnalysis`
as `nlp.pipe` yields it, so memory does not grow with the document's token count."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Document
from ..segment import Segmentation


def _bare_heading(heading: str) -> str:
    """`7. References:` -> `references`."""
    return re.sub(r"^[\dIVXivx.\s)-]+(?=\w)", "", heading).strip(" :.").casefold()


CONTENTS_MIN_ITEMS = 3
CONTENTS_SHARE = 0.6


_PAGE_NUMBER = re.compile(r"\d{1,4}\s*$")
_LEADERS = re.compile(r"[.…·_]{3,}")


def _contents_key(text: str) -> str:
    """`2.1 Material ........ 4` -> `material`: a heading as a contents list writes it (the page
    number cut in linear steps: a regex over the leaders backtracks on long runs of dots)."""
    tail = max(0, len(text) - 12)
    m = _PAGE_NUMBER.search(text, tail)
    if m:
        text = text[: m.start()]
    return " ".join(_bare_heading(text.rstrip(" .…·_")).split())


def _contents_entry(block) -> bool:
    """An item that shows it belongs to a contents list: leaders, a page number, or a link to a
    place in the page (`#material`)."""
    return bool(_LEADERS.search(block.text)) or bool(_PAGE_NUMBER.search(block.text[-6:])) \
        or any("#" in link.url for link in block.links)


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
    calls: list[tuple[str, list[str]]] = field(default_factory=list)  # sentences calling for action, rule ids


@dataclass
class BlockContext:
    doc: Document
    seg: Segmentation
    analyses: list[BlockAnalysis]  # by block index
    urls: list[list] = field(default_factory=list)  # UrlHit lists by block index
    reference_headings: frozenset[str] = frozenset()  # sections.json: headings of source lists
    _in_references: set[int] | None = None
    _heading_keys: set[str] | None = None
    _headers: dict[int, list[str]] | None = None

    def header_of(self, i: int) -> list[str] | None:
        """The header cells (lower-case) above table row i, if its table has one."""
        if self._headers is None:  # a header names things: a row of numbers continues the table
            self._headers = dict(self.table_rows(lambda cells: not any(c.strip()[:1].isdigit() for c in cells)))
        return self._headers.get(i)

    def in_references(self, i: int) -> bool:
        """Whether block i stands in a list of sources (`References`, `Bibliographie`)."""
        if self._in_references is None:
            marked = {s.section_id for s in self.seg.sections if _bare_heading(s.heading) in self.reference_headings}
            by_id = self.seg.by_id
            inside = set()
            for s in self.seg.sections:
                at = s.section_id
                while at and at not in marked:
                    at = by_id[at].parent_id
                if at:
                    inside.add(s.section_id)
            self._in_references = {j for j, sec in enumerate(self.seg.block_section) if sec in inside}
        return i in self._in_references

    def where(self, i: int) -> tuple[str | None, int | None]:
        """The section and page of block i, as rows report them."""
        return self.seg.block_section[i], self.doc.blocks[i].page

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

    def is_contents(self, run: list[int]) -> bool:
        """Whether a list is the document's table of contents: most of its items are the
        texts of headings met elsewhere and are marked as entries (an HTML page's list of
        in-page links, a contents list with leaders and page numbers). Its items recommend
        nothing and present no project."""
        if len(run) < CONTENTS_MIN_ITEMS:
            return False
        if self._heading_keys is None:
            self._heading_keys = {_contents_key(b.text) for b in self.doc.blocks if b.kind == HEADING}
        found = sum(1 for i in run if _contents_key(self.doc.blocks[i].text) in self._heading_keys)
        # a list of projects or recommendations, each then given its own section, is no contents
        # list: it must also look like one (leaders, page numbers, in-page links)
        marked = sum(1 for i in run if _contents_entry(self.doc.blocks[i]))
        return found >= CONTENTS_SHARE * len(run) and marked >= CONTENTS_SHARE * len(run)

    def lead_in(self, first_item: int) -> int | None:
        """The paragraph that introduces a list, if it stands right before it in the same section."""
        j = first_item - 1
        if j < 0 or self.doc.blocks[j].kind != PARAGRAPH:
            return None
        if self.seg.block_section[j] != self.seg.block_section[first_item]:
            return None
        return j

    def sentence_at(self, i: int, offset: int) -> str:
        text = self.doc.blocks[i].text
        for a, b in self.analyses[i].sentences:
            if a <= offset < b:
                return text[a:b]
        return text

    def last_sentence(self, i: int) -> str:
        text = self.doc.blocks[i].text
        sents = [text[a:b] for a, b in self.analyses[i].sentences if text[a:b].strip()]
        return sents[-1] if sents else text

    def table_rows(self, looks_like_header) -> list[tuple[int, list[str]]]:
        """(block index, header cells, lower-case) for every data row of a table with a header.

        A table broken by a page or column break often starts again with a data row that a
        reader took for a header: with the earlier header's width, not looking like a header
        (`looks_like_header(cells)` is False) and on a later page or carrying a link, it is
        read as data under the earlier header.
        """
        rows, header, last_header, last_page = [], None, None, None
        for i, block in enumerate(self.doc.blocks):
            if block.kind != TABLE_ROW:
                header = None
                continue
            if block.header:
                cells = [c.strip().lower() for c in block.cells]
                later = block.page is not None and last_page is not None and block.page > last_page
                continued = last_header is not None and len(cells) == len(last_header) \
                    and not looks_like_header(cells) and (later or bool(self.urls[i]))
                if not continued:
                    header = last_header = cells
                    last_page = block.page
                    continue
                header = last_header
            if header is not None:
                rows.append((i, header))
                last_page = block.page
        return rows
