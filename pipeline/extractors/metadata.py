"""Document metadata: title, event date range and author.

Dates are recognised with expressions built from the month, weekday, ordinal and
range words of `models/<lang>/metadata.json`; a date in a line that speaks of
publication (`Published 9 December 2024`) is not the event's. Front matter or file
properties fill what the text does not say.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import HEADING, Document
from ..rules import Rules


@dataclass
class Metadata:
    title: str | None
    date_start: str | None
    date_end: str | None
    author: str | None


_YEAR = re.compile(r"(?:19|20)\d{2}(?!\d)")
# `Leonid Kostrykin 1,2 , Tatiana Woller 3 , ...`, `Jose Emilio Labra Gayo1*, ...`
# `Series: ...`, `Submitted: 07 Mar 2025`: a label of up to three words, then its value
_LABELLED = re.compile(r"^\s*(?:[\w’'-]+\s+){0,2}[\w’'-]+\s*:\s+\S")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_AFFILIATED = re.compile(r"^(?P<name>(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]*[^\W\d_])\s*[\d*†‡]+(?:\s*,\s*[\d*†‡]+)*\s*"
                         r"(?:,|and\b|&)\s*[A-Z]")
_LIST_SEPARATORS = re.compile(r"\s*(?:[,;&]|\band\b|\bet\b)\s*")
# `L. Sexton-Kennedy, B. Hegner, B. Viren`
_INITIALLED = re.compile(r"^(?P<name>(?:[A-Z]\.\s?){1,3}[A-Z][\w'’-]+)\s*,\s*(?:[A-Z]\.\s?){1,3}[A-Z]")


def _whole_words(words) -> re.Pattern:
    """One expression finding any of `words` (lower case) as a whole word; never matches if none."""
    alternatives = _alt(w.lower() for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if alternatives else re.compile(r"(?!)")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class DateFinder:
    def __init__(self, rules: Rules) -> None:
        self.months = {k.lower(): int(v) for k, v in rules.get("metadata.months", {}).items()}
        month = rf"(?P<§>{_alt(self.months)})\.?"
        weekday = rf"(?:(?:{_alt(rules.words('metadata.weekdays'))})\.?,?\s+)?"
        ordinal = rf"(?:{_alt(rules.words('metadata.ordinal_suffixes'))})?"
        day = rf"{weekday}(?:the\s+)?(?P<§>\d{{1,2}}){ordinal}"
        rng = rf"\s*(?:{_alt(rules.words('metadata.range_words'))})\s*"
        of = r"(?:\s+of)?\s+"
        year = r"(?P<§>(?:19|20)\d{2})(?!\d)"
        D1, D2 = day.replace("§", "d1"), day.replace("§", "d2")  # named groups per position
        M1, M2 = month.replace("§", "m1"), month.replace("§", "m2")
        Y1, Y2 = year.replace("§", "y1"), year.replace("§", "y2")
        self.patterns = [
            re.compile(rf"(?<!\d){D1}{of}{M1},?\s*(?:{Y1})?{rng}{D2}{of}{M2},?\s*{Y2}", re.I),
            re.compile(rf"(?<!\d){D1}{rng}{D2}{of}{M1},?\s*{Y1}", re.I),
            re.compile(rf"\b{M1}\s+{D1}{rng}{D2},?\s*{Y1}", re.I),
            re.compile(rf"\b{M1}\s+{D1}{rng}{M2}\s+{D2},?\s*{Y1}", re.I),
            re.compile(rf"(?<!\d){D1}{of}{M1},?\s*{Y1}", re.I),
            re.compile(rf"\b{M1}\s+{D1},?\s*{Y1}", re.I),
            # year first: `2014-11-08`, `2014.11.08`, `2014/11/08` (one separator throughout)
            # (not in a web address's path: `geotrek.fr/2021/09/13/programme.html`)
            re.compile(r"(?<![\d./])(?P<y1>(?:19|20)\d{2})(?P<s>[-./])(?P<m1>\d{2})(?P=s)(?P<d1>\d{2})(?![\d.]\d|/[^\W\d_])"
                       r"(?:\s*(?:to|au|–|-|/)\s*(?P<y2>(?:19|20)\d{2})(?P=s)(?P<m2>\d{2})(?P=s)(?P<d2>\d{2}))?"),
            # `17-Oct-2014`
            re.compile(rf"(?<![\d-])(?P<d1>\d{{1,2}})-{M1}-{Y1}", re.I),
            # `15/09/2021`, `22.03.2024`: day first, as written in Europe (a first number over 12
            # can only be a day; a second one over 12 makes it month first)
            re.compile(r"(?<![\d/.])(?P<d1>\d{1,2})[/.](?P<m1>\d{1,2})[/.](?P<y1>(?:19|20)\d{2})(?![\d/])"),
        ]
        # without a year (`14 et 15 octobre`, `on Aug 24`): only with a year from elsewhere
        self.yearless = [
            re.compile(rf"(?<!\d){D1}{rng}{D2}{of}{M1}(?![\w])", re.I),
            re.compile(rf"\b{M1}\s+{D1}{rng}{D2}(?!\d)", re.I),
            re.compile(rf"(?<!\d){D1}{of}{M1}(?![\w])(?!,?\s*\d)", re.I),
            re.compile(rf"\b{M1}\s+{D1}(?!\d)(?!,?\s*\d)", re.I),
        ]

    def _month(self, value: str | None) -> int | None:
        if value is None:
            return None
        return int(value) if value.isdigit() else self.months.get(value.lower().rstrip("."))

    def find(self, text: str, skip=None, year: int | None = None) -> tuple[str, str] | None:
        """The first date or date range in `text` (a line, or a block whose lines a PDF may have
        wrapped); `skip(text, start)` can rule a match out, e.g. a publication date. With `year`,
        a date written without one (`14 et 15 octobre`) is read in that year."""
        found = self.find_at(text, skip, year)
        return found[1] if found else None

    def find_at(self, text: str, skip=None, year: int | None = None) -> tuple[int, tuple[str, str], int] | None:
        """(offset, dates, end offset) of the first date in `text`, as `find`."""
        best = None
        patterns = self.patterns if _YEAR.search(text) else []
        low = text.lower() if year is not None else ""
        if year is not None and any(m in low for m in self.months):
            patterns = patterns + self.yearless
        for pattern in patterns:
            for m in pattern.finditer(text):
                if skip is not None and skip(text, m.start()):
                    continue
                found = self._dates(m, year)
                if found and (best is None or m.start() < best[0]):
                    best = (m.start(), found, m.end())
                break
        return best

    def _dates(self, m: re.Match, year: int | None = None) -> tuple[str, str] | None:
        g = m.groupdict()
        y2 = g.get("y2")
        y1 = g.get("y1") or y2 or (str(year) if year else None)
        if g.get("m1") and g["m1"].isdigit() and g.get("d1") and int(g["m1"]) > 12 >= int(g["d1"]):
            g["d1"], g["m1"] = g["m1"], g["d1"]  # `09/15/2021`: month first
        m1 = self._month(g.get("m1"))
        m2 = self._month(g.get("m2")) or m1
        d1 = g.get("d1")
        d2 = g.get("d2") or d1
        if not (y1 and m1 and d1):
            return None
        try:
            end = date(int(y2 or y1), m2, int(d2))
            start = date(int(y1), m1, int(d1))
            if start > end and y2 is None:  # `30 Dec - 2 Jan 2026`
                start = date(int(y1) - 1, m1, int(d1))
        except ValueError:
            return None
        if start > end:
            return None
        return start.isoformat(), end.isoformat()


class MetadataFinder:
    def __init__(self, rules: Rules) -> None:
        self.dates = DateFinder(rules)
        self.publication = [w.lower() for w in rules.words("metadata.publication_words")]
        labels = _alt(rules.words("metadata.author_labels"))
        # `Author: X`, `By X`, and a by-line after a word or two (`Summary written by X`)
        self.author_line = re.compile(rf"^(?:[*_(]*[^\W\d_]+\s+){{0,2}}?(?:{labels})\s*(?P<colon>[:：]|\s-\s)?\s*(?P<rest>.+)$",
                                      re.I)
        self.author_stops = rules.words("metadata.author_stops")
        # words of an event or a report's title (`Open Science Day`, `Kick-off Meeting`): a dateline
        # naming one of them names no author
        self.thing_words = {w.lower() for w in rules.words("metadata.title_words") + rules.words("projects.event_name_words")
                            + rules.words("metadata.dateline_not_names") if " " not in w}
        self.name_particles = set(rules.words("metadata.name_particles"))
        # a word of these lists as a whole word, in the sentence just before a date
        self.event_words = _whole_words(rules.words("metadata.event_words"))
        self.title_words = [w.lower() for w in rules.words("metadata.title_words")]
        self.not_titles = {w.lower() for w in rules.words("metadata.not_titles")}
        self.other_events = _whole_words(rules.words("metadata.other_event_words"))
        self.bare_label = re.compile(rf"^[*_]*(?:{labels})[*_]*\s*[:：]?$", re.I)
        self.given_names = {w.casefold() for w in rules.words("people.given_names")}
        self.info_not_titles = tuple(w.casefold() for w in rules.words("pdf.info_not_titles"))
        self.not_person_words = {w.casefold() for w in rules.words("people.not_person_words")}

    def find(self, doc: Document, head_blocks: int = 25) -> Metadata:
        meta, fallback = doc.meta, doc.meta_fallback
        title = meta.get("title") or self._title(doc, self._info_title(fallback.get("title")), fallback.get("page_title"))
        start, end = self._front_matter_dates(meta)
        if not start:
            start, end = self._event_dates(doc, meta, fallback)
        author = meta.get("author") or meta.get("authors") or self._author(doc, head_blocks) \
            or self._person(fallback.get("author"))
        return Metadata(title=title, date_start=start, date_end=end, author=author)

    def _event_dates(self, doc: Document, meta, fallback) -> tuple[str | None, str | None]:
        """The event's dates: a date the text ties to the event (`held on`, `Date and Time:`),
        else the first date not marked as publication, else a date without year read in the
        year of the publication date, else the publication date itself."""
        first = None
        for block in doc.blocks:
            # each line (a form's `Date: ...`), and the block whole (a date a PDF wrapped)
            texts = (block.lines if len(block.lines) > 1 else []) + [block.text]
            for text in texts:
                found = self.dates.find_at(text, skip=self._published)
                if not found:
                    continue
                if self._about_event(text, found[0]):
                    return self._through_later_dates(text, found)
                first = first or found[1]
        if first:
            return first
        published = next((self.dates.find(s["date"]) for s in (meta, fallback) if s.get("date")), None)
        if published:
            year = int(published[0][:4])
            for block in doc.blocks:
                found = self.dates.find(block.text, skip=self._published, year=year)
                if found and found[0] <= published[0]:
                    return found
            return published
        return None, None

    def _through_later_dates(self, text: str, found: tuple[int, tuple[str, str], int]) -> tuple[str, str]:
        """`Meeting Date/Time: 2019-10-10 / 09.30 – 17.00 2019-10-11 / 09.30 – 15.00`: the days a
        field ties to the event run from its first date to its last (within a month)."""
        _, (start, end), at = found
        field = re.split(r" \| |[.;!?](?:\s|$)", text[at:])[0]  # the field's cell, its sentence
        while True:
            more = self.dates.find_at(field, skip=self._published)
            if not more:
                return start, end
            later = more[1][1]
            if later > end and date.fromisoformat(later) - date.fromisoformat(start) <= timedelta(days=31):
                end = later
            field = field[more[2]:]

    def _about_event(self, line: str, start: int) -> bool:
        before = line[max(0, start - 80):start].lower()
        before = re.split(r"[.;!?]\s", before)[-1]
        return bool(self.event_words.search(before)) and not self.other_events.search(before)

    def _published(self, text: str, start: int) -> bool:
        """A publication word, or a word of another event (`next meeting`), in the same
        sentence just before the date."""
        before = text[max(0, start - 60):start].lower()
        before = re.split(r"[.;!?]\s", before)[-1]
        return any(w in before for w in self.publication) or bool(self.other_events.search(before))

    def _front_matter_dates(self, meta: dict[str, str]) -> tuple[str | None, str | None]:
        for a, b in (("date_start", "date_end"), ("start_date", "end_date"), ("event_date", "event_date_end")):
            if meta.get(a):
                s = self.dates.find(meta[a])
                e = self.dates.find(meta.get(b, "")) if meta.get(b) else None
                if s:
                    return s[0], (e[1] if e else s[1])
        return None, None

    def _title(self, doc: Document, fallback: str | None, page_title: str | None = None) -> str | None:
        """The report's own title among its first headings (and the first block, and the page's
        `<title>`): not a table of contents, a question, a label ending in `:` or a masthead
        when a heading that names a report follows."""
        candidates = []
        for i, block in enumerate(doc.blocks[:12]):
            if block.kind == HEADING or i == 0:
                candidates.append((i, block.text, block.kind == HEADING and block.level <= 1))
        if fallback:
            candidates.append((12, fallback, False))
        best = None
        has_top = any(top for _, _, top in candidates)
        for rank, (i, text, top) in enumerate(candidates):
            words = text.split()
            bare = text.strip(" *_#").lower()
            if not words or len(words) > 25 or bare.rstrip(":?") in self.not_titles or bare.endswith((":", "?")) \
                    or re.search(r"\.{4,}|…{2,}", text):
                continue  # a table of contents entry (`ABOUT THIS REPORT ....... 3`)
            if not top and has_top and _LABELLED.match(text):
                continue  # a field of a masthead (`BioHackathon series: ...`) above the title
            # earlier candidates first, counted among candidates: a letterhead's extra paragraph
            # does not push the title down
            score = -0.1 * rank + (0.5 if top else 0.0) + (0.4 if any(w in bare for w in self.title_words) else 0.0)
            score += 0.3 if len(words) >= 3 else 0.0
            score += 0.4 if text == page_title else 0.0  # the largest text of a PDF's first page
            if best is None or score > best[0]:
                best = (score, text)
        return best[1] if best else None

    def _author(self, doc: Document, head_blocks: int) -> str | None:
        # icons set in a private-use glyph (an ORCID logo after each name) are not text
        lines = [" ".join(_PRIVATE_USE.sub(" ", line).split())
                 for block in doc.blocks[:head_blocks] for line in (block.lines or [block.text])]
        for n, line in enumerate(lines):
            m = self.author_line.match(line)
            if m:
                name = self._name(m.group("rest"), colon=bool(m.group("colon")))
                if name:
                    return name
            if self.bare_label.match(line) and n + 1 < len(lines):  # `Authors` over a line of names
                name = self._name(lines[n + 1], colon=True)
                if name:
                    return name
        for line in lines[:40]:
            name = self._byline(line)
            if name:
                return name
        return None

    def _byline(self, line: str) -> str | None:
        """`7 September 2019 | Roger Luo, Jun Tian`: names beside a date (`December 05, 2023 -
        Radovan Bast`: after it); `Leonid Kostrykin 1,2 ,
        Tatiana Woller 3`: names with affiliation marks; `L. Sexton-Kennedy, B. Hegner`."""
        parts = [p.strip() for p in re.split(r"\s[|·•]\s", line)]
        if len(parts) >= 2:
            dated = [self.dates.find(p) is not None for p in parts]
            for p, is_date in zip(parts, dated):
                if any(dated) and not is_date:
                    name = self._name(p, colon=False)
                    if name:
                        return name
        # `December 05, 2023 - Radovan Bast`: a blog's dateline, the date first
        parts = [p.strip() for p in re.split(r"\s[-–—]\s", line)]
        if len(parts) == 2 and self.dates.find(parts[0]) is not None and self.dates.find(parts[1]) is None \
                and 2 <= len(parts[1].split()) <= 4 and not self._names_a_thing(parts[1]):
            name = self._name(parts[1], colon=False)
            if name:
                return name
        m = _AFFILIATED.match(line) or _INITIALLED.match(line)
        if m:
            return self._name(m.group("name"), colon=False)
        return self._name_list(line)

    def _person(self, value: str | None) -> str | None:
        """A file's author property when it names a person (`Ferhat Erata`, `Erata, Ferhat`),
        not an organisation, a login or a tool (`European Commission`, `jdoe`, `python-docx`)."""
        if not value:
            return None
        first = re.split(r"\s*(?:;|\band\b|&|/)\s*", value.strip())[0]
        parts = [p.strip() for p in first.split(",")]
        if len(parts) == 2 and 1 <= len(parts[0].split()) <= 2 and 1 <= len(parts[1].split()) <= 2:
            first = f"{parts[1]} {parts[0]}"  # `Erata, Ferhat`
        elif len(parts) > 1:
            first = parts[0]
        name = self._name(first, colon=False)
        if not name or len(name.split()) > 4:
            return None
        words = [w.strip(".").casefold() for w in re.split(r"[\s-]+", name)]
        if any(w in self.not_person_words or w in self.thing_words for w in words):
            return None
        if words[0] in self.given_names or all(re.fullmatch(r"[A-Z]\.|[A-Z][a-z\u00e0-\u00ff'’]+(?:-[A-Z][a-z\u00e0-\u00ff]+)?", w)
                                               for w in name.split()):
            return name  # `Ferhat Erata`, `F. Erata`: a given name first, or capitalised words
        return None

    def _info_title(self, value: str | None) -> str | None:
        """A file's title property unless it is a producer's, a template's or a file's name."""
        if not value:
            return None
        low = " ".join(value.split()).casefold()
        # a producer's or template's name as the whole value, or before a separator (`Microsoft
        # Word - draft3.docx`); `Report of the Fourth Workshop` is a title
        named = any(low == w or re.match(re.escape(w) + r"\s*[-–:]", low) for w in self.info_not_titles)
        if named or low.startswith("untitled") or re.fullmatch(r"[\w.-]+", low) and not re.search(r"[a-z]{3,}", low) \
                or re.fullmatch(r"[\w-]*[_.][\w.-]*", low):
            return None  # `python-docx`, `report_v2`, `D5_1`
        return value

    def _name_list(self, line: str) -> str | None:
        """`Jose Emilio Labra Gayo, Ammar Ammar, Dan Brickley`: a line of full names (affiliation
        marks left out by the reader), the first opening with a given name; its first name."""
        parts = [p.strip() for p in _LIST_SEPARATORS.split(line) if p.strip()]
        if len(parts) < 2:
            return None
        names = [self._name(p, colon=False) for p in parts]
        first = names[0]
        if not first or first.split()[0].casefold() not in self.given_names or self._names_a_thing(line):
            return None
        return first if sum(1 for n in names if n) >= max(2, 0.6 * len(parts)) else None

    def _names_a_thing(self, text: str) -> bool:
        """`Open Science Day`, `Kick-off Meeting`: words of an event or a title, not a person."""
        words = {w.lower().strip(".,:;") for w in re.split(r"[\s-]+", text)}
        return bool(words & self.thing_words)

    def _name(self, rest: str, colon: bool) -> str | None:
        cut = len(rest)
        for stop in self.author_stops:
            at = rest.find(stop)
            if 0 < at < cut:
                cut = at
        name = rest[:cut].strip(" .:;")
        words = name.split()
        if not words or len(words) > 6 or any(c.isdigit() for c in name):
            return None
        # `By 2030, ...` is a sentence, not a by-line: every word of a name is capitalised
        if not all(w[:1].isupper() or w.lower() in self.name_particles for w in words):
            return None
        if not colon and len(words) < 2:
            return None
        return name
