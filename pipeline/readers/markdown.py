"""Markdown reader (markdown-it-py, CommonMark plus tables and YAML front matter).

Markdown gives explicit structure; what it does not mark up is recovered with the
same line heuristics as plain text: bold-only lines, short ALL-CAPS lines and
numbered lines (`2.1 Panel`) become headings, lines starting with `•` become items.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .. import text as T
from ..model import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW
from .builder import DocumentBuilder, locate_links
from .lines import add_paragraph_lines

_HTML_STRUCTURE = re.compile(r"<\s*(?:h[1-6]|ul|ol|table|p|blockquote)\b", re.I)
_FOOTNOTE_MARK = re.compile(r"^[\d\s,*†‡§]+$")
_TAG = re.compile(r"^<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")


def _parser() -> MarkdownIt:
    # footnotes: their text (often a URL) is part of the report, read as paragraphs at the end
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(footnote_plugin)


class _TextOfHtml(HTMLParser):
    """Visible text of an HTML fragment embedded in Markdown (comments dropped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(fragment: str) -> list[str]:
    parser = _TextOfHtml()
    parser.feed(fragment)
    parser.close()
    return [T.clean_line(line) for line in "".join(parser.parts).split("\n")]


class _Inline:
    """Render an `inline` token: lines of clean text, links, and whether all of it is bold."""

    def __init__(self, children) -> None:
        self.lines: list[str] = [""]
        self.links: list[tuple[str, str]] = []  # (href, visible text)
        self._link: list | None = None
        self._sup: list[str] | None = None
        self._strong = 0
        self._plain_chars = 0  # visible characters outside bold
        for tok in children or []:
            self._token(tok)

    def _emit(self, text: str) -> None:
        if self._sup is not None:
            self._sup.append(text)
            return
        self.lines[-1] += text
        if self._link is not None:
            self._link[1] += text
        if not self._strong and text.strip(" :.-–"):
            self._plain_chars += len(text.strip())

    def _token(self, tok) -> None:
        kind = tok.type
        if kind in ("text", "code_inline"):
            self._emit(tok.content)
        elif kind in ("softbreak", "hardbreak"):
            self.lines.append("")
        elif kind == "link_open":
            self._link = [tok.attrs.get("href", ""), ""]
        elif kind == "link_close" and self._link is not None:
            self.links.append((self._link[0], self._link[1]))
            self._link = None
        elif kind == "strong_open":
            self._strong += 1
        elif kind == "strong_close":
            self._strong = max(0, self._strong - 1)
        elif kind == "image":
            self._emit(tok.content)
        elif kind == "html_inline":
            self._html(tok.content)

    def _html(self, raw: str) -> None:
        m = _TAG.match(raw)
        if not m:  # comments, processing instructions
            return
        closing, tag = m.group(1), m.group(2).lower()
        if tag == "br":
            self.lines.append("")
        elif tag == "sup" and not closing:
            self._sup = []
        elif tag == "sup" and closing and self._sup is not None:
            content = "".join(self._sup)
            self._sup = None
            # `3<sup>rd</sup>` is an ordinal; `2021<sup>2</sup>` is a footnote marker
            # that must not glue onto the number.
            if content.strip() and not _FOOTNOTE_MARK.match(content):
                self._emit(content)

    @property
    def bold_only(self) -> bool:
        return self._plain_chars == 0 and any(line.strip() for line in self.lines)


def read_markdown(source_text: str, builder: DocumentBuilder) -> dict[str, str]:
    """Fill `builder` from Markdown; returns the front matter fields used as metadata."""
    tokens = _parser().parse(source_text)
    meta: dict[str, str] = {}
    list_stack: list[bool] = []  # ordered?
    item_numbers: list[str] = []
    current_heading_level = 0
    in_item_first_para = False
    row: list[str] = []
    row_header = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if kind == "front_matter":
            meta = _front_matter(tok.content)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            list_stack.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
        elif kind == "list_item_open":
            item_numbers.append(tok.info or "")
            in_item_first_para = True
        elif kind == "list_item_close":
            item_numbers.pop()
            in_item_first_para = False
        elif kind == "heading_open":
            inline = _Inline(tokens[i + 1].children)
            current_heading_level = int(tok.tag[1])
            lines = [T.clean_line(x) for x in inline.lines]
            builder.add(HEADING, [" ".join(x for x in lines if x)], level=current_heading_level,
                        links=locate_links(lines, inline.links))
            i += 2
        elif kind == "paragraph_open":
            inline = _Inline(tokens[i + 1].children)
            lines = [T.clean_line(x) for x in inline.lines]
            links = locate_links(lines, inline.links)
            if list_stack:
                _list_paragraph(builder, tokens, i, lines, links, list_stack, item_numbers,
                                in_item_first_para, current_heading_level)
                in_item_first_para = False
            else:
                add_paragraph_lines(builder, lines, links=links, bold=inline.bold_only,
                                    section_level=current_heading_level)
            i += 2
        elif kind == "tr_open":
            row, row_header = [], False
        elif kind in ("th_open", "td_open"):
            row_header = row_header or kind == "th_open"
            inline = _Inline(tokens[i + 1].children)
            row.append(T.clean_line(" ".join(inline.lines)))
            i += 1
        elif kind == "tr_close":
            builder.add(TABLE_ROW, [" | ".join(c for c in row if c)], cells=row, header=row_header)
        elif kind == "html_block" and _HTML_STRUCTURE.search(tok.content):
            from .html import read_html_fragment  # BeautifulSoup only for reports that need it
            read_html_fragment(tok.content, builder)  # `<h2>`, `<ul>`, `<table>` keep their structure
        elif kind == "html_block":
            add_paragraph_lines(builder, [x for x in html_text(tok.content) if x],
                                section_level=current_heading_level)
        elif kind in ("code_block", "fence"):
            builder.add(PARAGRAPH, [T.clean_line(x) for x in tok.content.splitlines()])
        i += 1
    return meta


def _list_paragraph(builder, tokens, i, lines, links, list_stack, item_numbers, first, section_level):
    depth = len(list_stack) - 1
    ordered = list_stack[-1]
    if first and ordered and depth == 0 and _lone_numbered_heading(tokens, i, lines):
        number = item_numbers[-1]
        builder.add(HEADING, [f"{number}. {lines[0]}"], level=1)
        return
    if not first and builder.blocks and builder.blocks[-1].kind == LIST_ITEM:
        builder.extend_last(lines, links)  # a second paragraph of the same item
        return
    builder.add(LIST_ITEM, lines, depth=depth, links=links, ordered=ordered)


def _lone_numbered_heading(tokens, i, lines) -> bool:
    """`1. Introduction` alone in its list, followed by prose: a numbered heading."""
    if len(lines) != 1 or not T.looks_like_title(lines[0], max_words=8):
        return False
    first = next((c for c in lines[0] if c.isalpha()), "")
    if not first.isupper():
        return False
    # paragraph_open, inline, paragraph_close, list_item_close, ordered_list_close
    j = i + 3
    return (j + 1 < len(tokens) and tokens[j].type == "list_item_close"
            and tokens[j + 1].type == "ordered_list_close")


def _front_matter(content: str) -> dict[str, str]:
    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    meta = {}
    for key, value in data.items():
        if value is None or isinstance(value, (dict, list)):
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                meta[str(key).lower()] = ", ".join(value)
            elif isinstance(value, list) and any(isinstance(v, dict) and isinstance(v.get("name"), str)
                                                 for v in value):
                # `authors: [{name: Rutger Vos (RAV), affiliation: 1}, ...]` (JOSS, BioHackrXiv)
                meta[str(key).lower()] = ", ".join(re.sub(r"\s*\([^()]*\)$", "", v["name"]) for v in value
                                                   if isinstance(v, dict) and isinstance(v.get("name"), str))
            continue
        meta[str(key).lower()] = T.clean_line(str(value))
    return meta
