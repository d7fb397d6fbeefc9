"""HTML reader on BeautifulSoup (lxml parser).

Headings h1-h6, paragraphs, nested lists, tables row by row, `a href` links
(absolute http(s) targets only), `<title>` and meta author/date as fallbacks.
Scripts, styles, navigation, page headers, footers and asides are skipped (a `<header>` inside
an article, section or main part is the article's own: its title, byline and date are read);
footnote markers (`<sup>2</sup>`) are dropped so they never glue onto numbers.
"""
from __future__ import annotations

import json
import re
import warnings

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, NavigableString, Tag

from .. import text as T
from ..model import HEADING, LIST_ITEM, TABLE_ROW
from .builder import DocumentBuilder, locate_links
from .lines import add_paragraph_lines

SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button",
        "select", "svg", "canvas", "iframe", "object", "head"}
BLOCKS = {"p", "div", "section", "article", "main", "body", "blockquote", "figure", "figcaption", "pre",
          "header", "address", "dl", "dt", "dd", "center", "details", "summary", "fieldset", "html"}
HEADINGS = {f"h{i}": i for i in range(1, 7)}
CONTENT = ("article", "section", "main")  # a <header> inside one of these is content, not the site's banner
_FOOTNOTE = re.compile(r"^[\d\s,*†‡§\[\]]+$")


class _Inline:
    """Text of inline content: lines split by <br>, links as (url, start, end) in the joined text."""

    def __init__(self) -> None:
        self.lines = [""]
        self.links: list[tuple[str, str]] = []

    def text(self, s: str) -> None:
        self.lines[-1] += s

    def result(self) -> tuple[list[str], list[tuple[str, int, int]]]:
        lines = [x for x in (T.clean_line(x) for x in self.lines) if x]
        return lines, locate_links(lines, self.links)


def _soup(text: str) -> BeautifulSoup:
    # a file holding only an address is a page to read, not a URL to fetch: no warning
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(text, "lxml")


def _absolute(href: str | None) -> str | None:
    href = (href or "").strip()
    return href if re.match(r"^(?:https?|ftp)://", href, re.I) else None


class _HtmlReader:
    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.section_level = 0
        self.card_href: str | None = None  # the address of a card (a link around a heading)

    def walk(self, node: Tag, depth: int = -1) -> None:
        """Emit blocks for block-level elements; gather runs of inline content as paragraphs."""
        inline = _Inline()
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                inline.text(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in SKIP and not (name == "header" and child.find_parent(CONTENT) is not None) \
                    or child.get("hidden") is not None or child.get("aria-hidden") == "true":
                continue
            if name in HEADINGS or name in BLOCKS or name in ("ul", "ol", "li", "table", "hr"):
                self._paragraph(inline)
                inline = _Inline()
                self._block(child, name, depth)
            elif name == "a" and child.find(list(HEADINGS)) is not None:
                # a card: a link wrapped around a heading and its text (HTML5 allows it); the
                # link's address goes on the card's heading
                self._paragraph(inline)
                inline = _Inline()
                self.card_href = _absolute(child.get("href"))
                self.walk(child, depth)
                self.card_href = None
            else:
                self._inline(child, inline)
        self._paragraph(inline)

    def _block(self, el: Tag, name: str, depth: int) -> None:
        if name in HEADINGS:
            inline = _Inline()
            self._inline(el, inline)
            if self.card_href:
                inline.links.append((self.card_href, "".join(inline.lines).strip()))
                self.card_href = None
            lines, links = inline.result()
            if lines:
                self.section_level = HEADINGS[name]
                self.builder.add(HEADING, [" ".join(lines)], level=HEADINGS[name], links=links)
        elif name in ("ul", "ol"):
            for li in el.find_all("li", recursive=False):
                self._item(li, depth + 1, ordered=(name == "ol"))
        elif name == "li":
            self._item(el, depth + 1, ordered=False)
        elif name == "table":
            self._table(el)
        elif name == "hr":
            return
        else:
            self.walk(el, depth)

    def _item(self, li: Tag, depth: int, ordered: bool) -> None:
        inline = _Inline()
        nested: list[Tag] = []
        for child in li.children:
            if isinstance(child, Tag) and child.name in ("ul", "ol"):
                nested.append(child)
            elif isinstance(child, Tag) and child.name in ("p", "div"):
                self._inline(child, inline)
                inline.lines.append("")
            elif isinstance(child, NavigableString) and not isinstance(child, Comment):
                inline.text(str(child))
            elif isinstance(child, Tag) and child.name not in SKIP:
                self._inline(child, inline)
        lines, links = inline.result()
        if lines:
            self.builder.add(LIST_ITEM, lines, depth=max(0, depth), ordered=ordered, links=links)
        for sub in nested:
            self._block(sub, sub.name, depth)

    def _table(self, table: Tag) -> None:
        first = True
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:
                continue
            cells, links = [], []
            header = first and (tr.find_parent("thead") is not None or bool(tr.find("th")))
            for cell in tr.find_all(["td", "th"], recursive=False):
                inline = _Inline()
                self._inline(cell, inline)
                lines, cell_links = inline.result()
                cells.append(" ".join(lines))
                links.extend(u for u, _, _ in cell_links)
            if not any(cells):
                continue
            text = " | ".join(c for c in cells if c)
            self.builder.add(TABLE_ROW, [text], cells=cells, header=header,
                             links=locate_links([text], [(u, u) for u in links]))
            first = False

    def _inline(self, el: Tag, inline: _Inline) -> None:
        name = el.name.lower()
        if name in SKIP:
            return
        if name == "br":
            inline.lines.append("")
            return
        if name == "sup":
            content = el.get_text()
            if _FOOTNOTE.match(content or "") or el.find("a") is not None and content.strip().isdigit():
                inline.text(" ")  # a footnote marker: keep the number before it apart
                return
        if name == "img":
            return
        start_link = None
        if name == "a":
            start_link = _absolute(el.get("href"))
        before = "".join(inline.lines)
        for child in el.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                inline.text(str(child))
            elif isinstance(child, Tag):
                if child.name in ("ul", "ol", "table"):
                    continue
                self._inline(child, inline)
        if start_link:
            anchor = "".join(inline.lines)[len(before):]
            inline.links.append((start_link, anchor))
        if name in ("p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"):
            inline.text(" ")

    def _paragraph(self, inline: _Inline) -> None:
        lines, links = inline.result()
        if lines:
            add_paragraph_lines(self.builder, lines, links=links, section_level=self.section_level)


def read_html_fragment(fragment: str, builder: DocumentBuilder) -> None:
    """Blocks of an HTML fragment (HTML inside a Markdown file), headings and lists kept."""
    soup = _soup(fragment)
    _HtmlReader(builder).walk(soup.body or soup)


def read_html(text: str, builder: DocumentBuilder) -> tuple[dict[str, str], dict[str, str]]:
    """Fill `builder` from HTML; returns (stated, fallback) metadata. Stated: an `Event` in
    JSON-LD (its name, start and end dates). Fallbacks, used when the text says nothing better:
    `<title>`, an article's JSON-LD headline, author and publication date, `<meta>` tags and the
    first `<time datetime>`."""
    soup = _soup(text)
    stated: dict[str, str] = {}
    meta: dict[str, str] = {}
    for item in _json_ld(soup):
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(str(k).endswith("Event") for k in kinds) and "date_start" not in stated:
            for key, field in (("date_start", "startDate"), ("date_end", "endDate"), ("title", "name")):
                if isinstance(item.get(field), str) and item[field].strip():
                    stated[key] = T.clean_line(_iso_day(item[field]))
        elif any(str(k) in ("Article", "BlogPosting", "NewsArticle", "Report", "WebPage") for k in kinds):
            if isinstance(item.get("headline"), str):
                meta.setdefault("title", T.clean_line(item["headline"]))
            author = item.get("author")
            author = author[0] if isinstance(author, list) and author else author
            name = author.get("name") if isinstance(author, dict) else author
            if isinstance(name, str) and name.strip():
                meta.setdefault("author", T.clean_line(name))
            if isinstance(item.get("datePublished"), str):
                meta.setdefault("date", _iso_day(item["datePublished"]))
    if soup.title and soup.title.get_text(strip=True):
        meta.setdefault("title", T.clean_line(soup.title.get_text()))
    for tag in soup.find_all("meta"):
        key = (tag.get("name") or tag.get("property") or "").lower()
        value = T.clean_line(tag.get("content") or "")
        if not value:
            continue
        if key in ("author", "dc.creator", "article:author") and "author" not in meta:
            meta["author"] = value
        elif key in ("date", "dc.date", "event:start_date", "article:published_time") and "date" not in meta:
            meta["date"] = _iso_day(value)
    if "author" not in meta:
        name = _byline(soup)
        if name:
            meta["author"] = name
    time = soup.find("time", attrs={"datetime": True})
    if time is not None and "date" not in meta and re.match(r"\d{4}-\d{2}-\d{2}", time["datetime"]):
        meta["date"] = time["datetime"][:10]
    root = soup.find("main") or soup.find("article") or soup.body or soup
    _HtmlReader(builder).walk(root)
    return stated, meta


def _byline(soup) -> str | None:
    """The page's byline by the web's own marks: `<a rel="author">`, `itemprop="author"` (its
    `itemprop="name"` inside), or an element of class `author` or `byline` (`By Ana Lopes`)."""
    marked = soup.find_all(attrs={"rel": "author"}, limit=3) + soup.find_all(attrs={"itemprop": "author"}, limit=3) \
        + soup.find_all(class_=_BYLINE_CLASS, limit=3)
    for found in marked:
        if found is None:
            continue
        inner = found.find(attrs={"itemprop": "name"}) if found.name != "a" else None
        name = re.sub(r"^(?:written by|posted by|by|par)\b\s*", "", T.clean_line((inner or found).get_text(" ")),
                      flags=re.I).strip()
        if name and len(name.split()) <= 6 and any(c.isupper() for c in name):
            return name
    return None


_BYLINE_CLASS = re.compile(r"^(?:author|byline|post-author|entry-author|article-author|author-name)$", re.I)


def _iso_day(value: str) -> str:
    """`2024-05-14T10:00+02:00` -> `2024-05-14`; any other form (`May 14, 2024`) whole, for the
    date reader."""
    return value[:10] if re.match(r"\d{4}-\d{2}-\d{2}", value) else value


def _json_ld(soup) -> list[dict]:
    """The objects of the page's JSON-LD scripts (a `@graph` flattened); bad JSON is skipped."""
    items: list[dict] = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (ValueError, RecursionError):  # bad or absurdly nested JSON: the page is still read
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                items.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    items.extend(g for g in graph if isinstance(g, dict))
    return items
