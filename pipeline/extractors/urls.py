"""URLs: schemes, `www.` forms, bare domains checked against the public suffix list,
link targets, and URLs split over two lines joined again. E-mail addresses are not URLs.

Only what parses as a web address is kept (`weburls.valid_url`, the check the readers'
link targets go through too).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


from ..model import Block, Url
from ..rules import Rules, default_models_dir
from .language import common_words
from ..weburls import SCHEME, public_suffixes, valid_url
from .confidence import ConfidenceModel, evidence_text

# A URL in text ends at a space, a quote, an angle bracket, a backslash or a backtick (the
# delimiters of RFC 3986, appendix C). Any `scheme://` is read whole, so that `ftp://x.eu/f`
# or `javascript://x.eu/...` is rejected as a whole rather than read as the bare domain `x.eu/...`.
_URL_CHARS = r"[^\s<>\"'\\`“”‘’«»]"
_URL = re.compile(
    rf"(?P<url>(?<![\w+.-])[a-z][a-z0-9+.-]*://{_URL_CHARS}+"
    rf"|www\d?\.{_URL_CHARS}+"
    rf"|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+[a-z]{{2,24}}(?![\w@-])(?:/{_URL_CHARS}*)?)",
    re.I,
)
_HOST_LABEL = re.compile(r"^[a-z0-9-]+$")
# A line-final URL continues on the next line when that line starts with path-like text.
_CONTINUATION = re.compile(r"^[\w\-./?=&%#~+]*[/.=?&%#_-][\w\-./?=&%#~+]*")




def _form(url: str) -> str:
    """How a URL was written: with its scheme, as `www.`, or as a bare domain."""
    if SCHEME.match(url):
        return "url:scheme"
    return "url:www" if url.lower().startswith("www") else "url:bare-domain"


def _link_words(text: str, url: str) -> str:
    """The visible words of a link, or "" when they write the address itself (in full or in
    part: `example.org`, `github.com/x/y`) or are empty."""
    words = " ".join(text.split()).strip(" .,;:()[]<>\"'“”«»")
    if not words or re.match(r"(?:https?|ftp|www)\b", words, re.I):
        return ""  # the address written out, or the part of it a line end left under the link
    bare = re.sub(r"^[a-z][a-z0-9+.-]*://(www\d?\.)?", "", url, flags=re.I).rstrip("/").lower()
    written = words.rstrip("/").lower()  # no scheme: words opening with one were left above
    if written and (written in bare or bare in written or ("." in written and " " not in written)):
        return ""
    return words


@dataclass
class UrlHit:
    url: str
    domain: str | None
    char_start: int  # offset in the block text (approximate when a line break was joined)
    char_end: int
    link_text: str = ""  # a link's own words when they are not the URL (`here`, `the website`)


class UrlFinder:
    def __init__(self, rules: Rules) -> None:
        self.trailing = rules.get("urls.trailing", ".,;:!?)]}>'\"")
        self.file_extensions = {e.lower() for e in rules.words("urls.file_extensions")}
        # the common words of every language: a URL cut at a line end never takes one
        folder = rules.models_dir if rules.models_dir and Path(rules.models_dir) != default_models_dir() else ""
        self.stop_words = common_words(folder)

    def rows(self, ctx, url_owner: dict[str, str], confidence: ConfidenceModel,
             min_confidence: float | None = None, projects: set[str] | None = None) -> list[Url]:
        """One row per distinct URL of the document, mentions counted per position. A URL of a
        project (`url_owner`) is linked to it when the project is among `projects` (its rows)."""
        urls: list[Url] = []
        by_url: dict[str, Url] = {}
        positions: dict[str, set[int]] = {}
        forms: dict[str, list[str]] = {}
        owner_by_identity = {self.identity(u): pid for u, pid in url_owner.items()}
        for i, hits in enumerate(ctx.urls):
            for hit in hits:
                key = self.identity(hit.url)
                positions.setdefault(key, set()).add(ctx.doc.blocks[i].char_start + hit.char_start)
                forms.setdefault(key, []).append(_form(hit.url))
                row = by_url.get(key)
                if row is None:
                    section_id, page = ctx.where(i)
                    by_url[key] = Url(url_id="", url=hit.url, domain=hit.domain, project_id=owner_by_identity.get(key),
                                      mentions=0, section_id=section_id, page=page, link_text=hit.link_text or None)
                    urls.append(by_url[key])
                else:
                    if hit.link_text and not row.link_text:
                        row.link_text = hit.link_text
                    if "://" in hit.url and "://" not in row.url:
                        row.url = hit.url  # `[www.x.eu](https://www.x.eu)`: keep the form with its scheme
        kept = []
        for u in urls:
            key = self.identity(u.url)
            u.mentions = len(positions[key])
            evidence = forms[key] + (["project:owner"] if u.project_id else [])
            score = confidence.keep("urls", evidence, min_confidence)
            if score is None:
                continue
            if projects is not None and u.project_id not in projects:
                u.project_id = None
            u.url_id, u.evidence, u.confidence = f"u{len(kept) + 1}", evidence_text(evidence), score
            kept.append(u)
        return kept

    def normalise(self, raw: str) -> str | None:
        """Strip trailing punctuation and markup; lower-case scheme and host; None if not a URL."""
        url = raw.strip().strip("<>")
        while url and url[-1] in self.trailing:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break  # a closing bracket that belongs to the URL (Wikipedia style)
            url = url[:-1]
        if not url or not valid_url(url):
            return None
        has_scheme = SCHEME.match(url) is not None
        try:
            parts = urlsplit(url if has_scheme else "//" + url)
        except ValueError:
            return None
        host = (parts.hostname or "").lower()  # a valid host (`valid_url`): a domain or an IP
        if not has_scheme:
            if not host.startswith("www") and not self._bare_domain_ok(url, host):
                return None
            return parts.netloc.lower() + url[len(parts.netloc):]
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, _, hostport = netloc.rpartition("@")
            netloc = userinfo + "@" + hostport.lower()
        else:
            netloc = netloc.lower()
        return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))

    def _bare_domain_ok(self, raw: str, host: str) -> bool:
        labels = host.split(".")
        if labels[-1] in self.file_extensions or not all(_HOST_LABEL.match(x) for x in labels):
            return False
        if raw.split("/")[0] != raw.split("/")[0].lower():
            return False  # `ASP.NET`, `Node.Js`: names, not domains
        psl = public_suffixes()
        return psl.publicsuffix(host) is not None and psl.privatesuffix(host) is not None

    @staticmethod
    def identity(url: str) -> str:
        """What makes two URLs the same address: host without `www.`, path without final `/`."""
        rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url, flags=re.I)
        host, _, path = rest.partition("/")
        host = re.sub(r"^www\d?\.", "", host.lower())
        return (host + "/" + path).rstrip("/")

    def domain(self, url: str) -> str | None:
        host = urlsplit(url if "://" in url else "//" + url).hostname or ""
        host = host.lower()
        if re.fullmatch(r"[\d.]+", host):
            return host
        private = public_suffixes().privatesuffix(host)
        return private or host or None

    def find(self, block: Block) -> list[UrlHit]:
        hits: list[UrlHit] = []
        seen_spans: list[tuple[int, int]] = []
        pos = 0
        lines = block.lines or [block.text]
        consumed = [0] * len(lines)  # characters of a line taken as the end of a broken URL
        for n, line in enumerate(lines):
            for m in _URL.finditer(line):
                if m.start() < consumed[n]:
                    continue
                raw = m.group("url")
                if line[m.start() - 1:m.start()] == "@" or line[m.end():m.end() + 1] == "@":
                    continue  # part of an e-mail address
                start = pos + m.start()
                k = n
                while m.end() == len(line) and k + 1 < len(lines):  # broken over one or more lines
                    more = self._continuation(raw, lines[k + 1])
                    raw += more
                    k += 1
                    consumed[k] = len(more)
                    if not more or len(more) < len(lines[k].split(" ")[0]) or " " in lines[k].strip():
                        break
                url = self.normalise(raw)
                if url:
                    hits.append(UrlHit(url, self.domain(url), start, pos + m.end()))
                    seen_spans.append((start, pos + m.end()))
            pos += len(line) + 1
        written = [self.identity(h.url) for h in hits]
        for link in block.links:
            url = self.normalise(link.url)
            if not url or not re.match(r"^[a-z]+://", url):
                continue
            key = self.identity(url)
            if any(w != key and w.startswith(key) for w in written):
                continue  # a link cut at a line break, where the text gives the whole URL
            start, end = link.char_start - block.char_start, link.char_end - block.char_start
            hits.append(UrlHit(url, self.domain(url), start, end, _link_words(block.text[start:end], url)))
        hits.sort(key=lambda h: h.char_start)
        return hits

    def _continuation(self, url: str, next_line: str) -> str:
        """The part of the next line that continues a URL broken at a line end, or "".

        `https://example.eu/long/` + `path.html` or `/more`: path-like text joins. A plain
        word joins only after a URL that cannot end there (`.../`) and when it is not a
        common word of the sentence (`https://x.eu/` + `and`, or a capitalised `Sur`).
        """
        m = _CONTINUATION.match(next_line)
        if m and m.group() and (url.endswith(("/", "-", "_", "=", "?", "&", "."))
                                or m.group().startswith(("/", "?", "#", "&", "=", "-", "_", "."))):
            return m.group()
        word = re.match(r"[a-z0-9][a-z0-9-]*", next_line)
        if word and url.endswith(("/", "-", "_", "=")) and word.group() not in self.stop_words \
                and len(word.group()) > 2 and next_line[word.end():word.end() + 1] in ("", " ", ".", ",", ";", ")"):
            return word.group()
        return ""
