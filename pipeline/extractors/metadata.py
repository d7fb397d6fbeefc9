"""Document metadata: title, event date range and author.

Dates are recognised with expressions built from the month, weekday, ordinal and
range words of `models/<lang>/metadata.json`; a date in a line that speaks of
publication (`Published 9 December 2024`) is not the event's. Front matter or file
properties fill what the text does not say.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..model import HEADING, Document
from ..rules import Rules


@dataclass
class Metadata:
    title: str | None
    date_start: str | None
    date_end: str | None
    author: str | None


_YEAR = re.compile(r"(?:19|20)\d{2}(?!\d)")


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
            re.compile(r"(?<!\d)(?P<y1>(?:19|20)\d{2})-(?P<m1>\d{2})-(?P<d1>\d{2})(?:\s*(?:to|au|–|-|/)\s*(?P<y2>(?:19|20)\d{2})-(?P<m2>\d{2})-(?P<d2>\d{2}))?"),
        ]

    def _month(self, value: str | None) -> int | None:
        if value is None:
            return None
        return int(value) if value.isdigit() else self.months.get(value.lower().rstrip("."))

    def find(self, text: str, skip=None) -> tuple[str, str] | None:
        """The first date or date range in `text` (a line, or a block whose lines a PDF may have
        wrapped); `skip(text, start)` can rule a match out, e.g. a publication date."""
        if not _YEAR.search(text):
            return None  # every date form has a year: most blocks are out in one cheap search
        best = None
        for pattern in self.patterns:
            for m in pattern.finditer(text):
                if skip is not None and skip(text, m.start()):
                    continue
                found = self._dates(m)
                if found and (best is None or m.start() < best[0]):
                    best = (m.start(), found)
                break
        return best[1] if best else None

    def _dates(self, m: re.Match) -> tuple[str, str] | None:
        g = m.groupdict()
        y2 = g.get("y2")
        y1 = g.get("y1") or y2
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
        self.name_particles = set(rules.words("metadata.name_particles"))

    def find(self, doc: Document, head_blocks: int = 25) -> Metadata:
        meta, fallback = doc.meta, doc.meta_fallback
        title = meta.get("title") or self._title(doc) or fallback.get("title")
        start, end = self._front_matter_dates(meta)
        if not start:
            for block in doc.blocks:
                found = self.dates.find(block.text, skip=self._published)
                if found:
                    start, end = found
                    break
        for source in (meta, fallback):
            if not start and source.get("date"):
                found = self.dates.find(source["date"])
                start, end = found if found else (None, None)
        author = meta.get("author") or self._author(doc, head_blocks) or fallback.get("author")
        return Metadata(title=title, date_start=start, date_end=end, author=author)

    def _published(self, text: str, start: int) -> bool:
        """A publication word in the same sentence, just before the date."""
        before = text[max(0, start - 60):start].lower()
        before = re.split(r"[.;!?]\s", before)[-1]
        return any(w in before for w in self.publication)

    def _front_matter_dates(self, meta: dict[str, str]) -> tuple[str | None, str | None]:
        for a, b in (("date_start", "date_end"), ("start_date", "end_date"), ("event_date", "event_date_end")):
            if meta.get(a):
                s = self.dates.find(meta[a])
                e = self.dates.find(meta.get(b, "")) if meta.get(b) else None
                if s:
                    return s[0], (e[1] if e else s[1])
        return None, None

    @staticmethod
    def _title(doc: Document) -> str | None:
        for block in doc.blocks[:10]:
            if block.kind == HEADING:
                return block.text
        first = doc.blocks[0].text if doc.blocks else ""
        return first if 0 < len(first.split()) <= 25 else None

    def _author(self, doc: Document, head_blocks: int) -> str | None:
        for block in doc.blocks[:head_blocks]:
            for line in block.lines:
                m = self.author_line.match(line.strip())
                if not m:
                    continue
                name = self._name(m.group("rest"), colon=bool(m.group("colon")))
                if name:
                    return name
        return None

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
