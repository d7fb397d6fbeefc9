"""Assemble reader output into a `Document`.

Readers call `add()` with the cleaned lines of each block; the builder joins them,
assigns character offsets into the document text (blocks separated by a blank line)
and re-bases link offsets. Keeping this in one place is what makes every format
produce the same model. It is also where link targets are checked, whatever the reader:
a target that does not parse as a web address (`javascript:...`, `https://x.eu/"><script>`)
is dropped, and its anchor stays plain text.
"""
from __future__ import annotations

from .. import text as T
from ..model import TABLE_ROW, Block, Document, Link
from ..weburls import valid_url

BLOCK_SEPARATOR = "\n\n"


class DocumentBuilder:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._offset = 0

    def add(
        self,
        kind: str,
        lines: list[str],
        *,
        level: int = 0,
        depth: int = 0,
        page: int | None = None,
        links: list[tuple[str, int, int]] | None = None,
        ordered: bool = False,
        bold: bool = False,
        cells: list[str] | None = None,
        header: bool = False,
        front: bool = False,
    ) -> Block | None:
        """Add a block. `links` are (url, start, end) offsets into " ".join(lines)."""
        # readers clean their lines; this keeps control characters out of the model whatever they do
        lines = [T.strip_controls(line) for line in lines if line]
        if not lines:
            return None
        text = " ".join(lines)
        if self.blocks:
            self._offset += len(BLOCK_SEPARATOR)
        start = self._offset
        block = Block(
            kind=kind, text=text, level=level, depth=depth, page=page,
            char_start=start, char_end=start + len(text), lines=lines,
            links=[Link(url, start + a, start + b) for url, a, b in valid_links(links)],
            ordered=ordered, bold=bold, cells=[T.strip_controls(c) for c in cells or []], header=header,
            front=front,
        )
        self._offset = block.char_end
        self.blocks.append(block)
        return block

    def extend_last(self, lines: list[str], links: list[tuple[str, int, int]] | None = None) -> None:
        """Append lines to the last block (a list item continued by another paragraph)."""
        block = self.blocks[-1]
        lines = [T.strip_controls(line) for line in lines if line]
        if not lines:
            return
        shift = block.char_end + 1
        block.lines.extend(lines)
        block.text = " ".join(block.lines)
        block.char_end = block.char_start + len(block.text)
        block.links.extend(Link(url, shift + a, shift + b) for url, a, b in valid_links(links))
        self._offset = block.char_end

    def build(self, *, source: str, path: str, fmt: str, sha256: str, pages: int | None = None,
              meta: dict[str, str] | None = None, meta_fallback: dict[str, str] | None = None,
              warnings: list[str] | None = None) -> Document:
        text = BLOCK_SEPARATOR.join(b.text for b in self.blocks)
        return Document(source=source, path=path, format=fmt, sha256=sha256, text=text,
                        blocks=self.blocks, pages=pages, meta=_clean_meta(meta),
                        meta_fallback=_clean_meta(meta_fallback),
                        warnings=warnings or [])


def _clean_meta(meta: dict[str, str] | None) -> dict[str, str]:
    """Metadata values as text without control characters, white space collapsed."""
    return {k: T.collapse(T.strip_controls(str(v))) for k, v in (meta or {}).items()}


def locate_links(lines: list[str], links: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """(url, anchor text) pairs -> (url, start, end) in " ".join(lines), searched in order.

    A link whose anchor cannot be found (or is empty) points at the end of the block; page-internal
    (`#...`) and `mailto:` links are left out. Targets that are not web addresses are dropped
    when the block is added (`valid_links`), after their anchor has been passed here, so that
    the next link still finds its own.
    """
    joined = " ".join(x for x in lines if x)
    found, pos = [], 0
    for url, anchor in links:
        if not url or url.startswith(("#", "mailto:")):
            continue
        anchor = T.clean_line(anchor)
        at = joined.find(anchor, pos) if anchor else -1
        if at < 0:
            found.append((url, len(joined), len(joined)))
        else:
            found.append((url, at, at + len(anchor)))
            pos = at + len(anchor)
    return found


def valid_links(links: list[tuple[str, int, int]] | None) -> list[tuple[str, int, int]]:
    """The (url, start, end) links whose target parses as a web address (`weburls.valid_url`:
    http(s) or a bare domain, no quotes, angle brackets, backslashes, spaces or control characters,
    a known public suffix or an IP, a port in range); surrounding spaces are dropped from the target."""
    out = []
    for url, a, b in links or []:
        url = (url or "").strip()
        if valid_url(url):
            out.append((url, a, b))
    return out


def add_table_row(builder: DocumentBuilder, cells: list[str], urls: list[str], *, header: bool,
                  page: int | None) -> None:
    """One table row of cells (`""` for a covered cell) and the URLs linked inside them; a row
    with no text is left out."""
    if not any(cells):
        return
    text = " | ".join(c for c in cells if c)
    builder.add(TABLE_ROW, [text], cells=cells, header=header, page=page,
                links=locate_links([text], [(u, u) for u in urls]))
