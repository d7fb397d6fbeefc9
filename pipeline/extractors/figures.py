"""Figures: quantities stated in the text, in base units with unit, qualifier and rate.

The spaCy components have already merged numbers into tokens (`numbers_in(doc)`) and
marked qualifiers, currencies, percent words, rates, ranges and non-figures in
`doc.spans["figure_rules"]`. This module reads those marks around each number and
decides, with the few rules that patterns cannot express: a year is not a figure
unless it counts something, a number right after a capitalised word is part of a
name (`Industry 4.0`), and the unit is the counted noun past any adjectives.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from spacy.tokens import Doc, Token

from ..model import TABLE_ROW, Figure
from ..nlp import doc_text, numbers_in, rule_value, sentence_of
from ..rules import Rules
from .confidence import ConfidenceModel, evidence_text
from .name_shapes import is_distinctive
from .name_shapes import mostly_capitals as _mostly_capitals

_LEADERS = re.compile(r"(?:[.…·�_]\s?){5,}")
_GROUPED_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(?:[.,]\d{3})+$")  # not `0.250`


@dataclass
class FigureHit:
    value: Decimal
    value_max: Decimal | None
    unit: str | None
    qualifier: str | None
    per: str | None
    text: str
    sentence: str
    char_start: int  # offset in the block text
    evidence: list[str] = field(default_factory=list)


class FigureFinder:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.scales = {k.lower(): Decimal(str(v)) for k, v in rules.get("numbers.scales", {}).items()}
        self.money_scales = {k.lower(): Decimal(str(v)) for k, v in rules.get("numbers.money_scales", {}).items()}
        self.joiners = set(rules.words("figures.currency_joiners"))
        self.of_determiners = set(rules.words("figures.of_determiners"))
        self.not_units = set(rules.words("figures.not_units"))
        self.unit_skip = set(rules.words("figures.unit_skip"))
        self.adj_suffixes = tuple(rules.words("figures.adjective_suffixes"))
        self.rate_prefixes = set(rules.words("figures.rate_prefixes"))
        self.qualifier_words = {w.lower() for w in rules.words("figures.qualifiers")}
        self.label_words = set(rules.words("figures.label_words"))
        years = rules.get("figures.years", {"min": 1900, "max": 2100})
        self.year_min, self.year_max = years["min"], years["max"]
        self.percent_unit = rules.get("figures.percent_unit", "percent")
        self.compound = rules.get("figures.compound_units", "")
        self.approx_articles = set(rules.words("numbers.approximate_articles"))
        self.word_multipliers = set(rules.words("figures.word_multiplier_units"))
        self.plural = tuple(rules.words("figures.plural_endings"))
        self.upper_units = {w.upper() for w in rules.words("figures.upper_units")}
        self.power_units = {w.lower() for w in rules.words("figures.power_units")}

    def find(self, doc: Doc) -> list[FigureHit]:
        nums = numbers_in(doc)
        if not nums:
            return []
        marks = doc.spans["figure_rules"] if "figure_rules" in doc.spans else []
        blocked: set[int] = set()
        ranges: dict[int, int] = {}
        ends: dict[str, dict[int, object]] = {"QUALIFIER": {}, "CURRENCY": {}}
        starts: dict[str, dict[int, object]] = {"CURRENCY": {}, "PERCENT": {}, "RATE": {}}
        for span in marks:
            if span.label_ == "NOT_FIGURE":
                blocked.update(i for i in range(span.start, span.end) if i in nums)
            elif span.label_ == "RANGE":
                inside = [i for i in range(span.start, span.end) if i in nums]
                if len(inside) >= 2:
                    ranges.setdefault(inside[0], inside[-1])
            if span.label_ in ends:
                ends[span.label_].setdefault(span.end, span)
            if span.label_ in starts:
                current = starts[span.label_].get(span.start)
                if current is None or len(span) > len(current):
                    starts[span.label_][span.start] = span
        hits: list[FigureHit] = []
        consumed: set[int] = set()
        for i in sorted(nums):
            if i in consumed or i in blocked:
                continue
            hit = self._figure(doc, doc[i], ranges, ends, starts, consumed)
            if hit is not None:
                hits.append(hit)
        return hits

    def _figure(self, doc, tok: Token, ranges, ends, starts, consumed) -> FigureHit | None:
        first = tok.i
        last = ranges.get(tok.i, tok.i)
        nums = numbers_in(doc)
        number = nums[tok.i]
        value = number.value
        value_max = nums[last].value if last != tok.i else None
        if value_max is not None and doc[last].i in consumed:
            value_max, last = None, tok.i
        nxt = last + 1
        # scale word after the number (`7 billion`, `3,2 millions`)
        scale = None
        if nxt < len(doc) and doc[nxt].lower_ in self.scales:
            scale = self.scales[doc[nxt].lower_]
            nxt += 1
        # money before (`EUR 3.7`, `€125,000`) or after (`euros`, `d'euros`, `M€`)
        currency = None
        cur_before = ends["CURRENCY"].get(first)
        if cur_before is not None:
            currency = rule_value(cur_before, "figure_rules")
            first = cur_before.start
        if scale is None and nxt < len(doc) and doc[nxt].lower_ in self.money_scales:
            after = doc[nxt + 1] if nxt + 1 < len(doc) else None
            if currency or (after is not None and after.i in starts["CURRENCY"]):
                scale = self.money_scales[doc[nxt].lower_]
                nxt += 1
        cur_at = nxt
        if cur_at < len(doc) and doc[cur_at].lower_ in self.joiners and cur_at + 1 in starts["CURRENCY"] \
                and (scale is not None or currency is None):
            cur_at += 1
        if currency is None and cur_at in starts["CURRENCY"]:
            span = starts["CURRENCY"][cur_at]
            currency = rule_value(span, "figure_rules")
            nxt = span.end
        if scale is not None:
            value *= scale
            if value_max is not None:
                value_max *= scale
        percent = None
        if currency is None and nxt in starts["PERCENT"]:
            percent = starts["PERCENT"][nxt]
            nxt = percent.end
        # qualifier right before (`more than`, `près de`)
        qualifier = None
        q = ends["QUALIFIER"].get(first)
        if q is not None:
            qualifier = rule_value(q, "figure_rules")
            first = q.start
        elif number.approx:
            qualifier = "approx"
            if first > 0 and doc[first - 1].lower_ in self.approx_articles:
                first -= 1
        if self._is_label(doc, first, tok, currency, qualifier):
            return None
        unit, unit_end = None, nxt
        if currency:
            unit = currency
        elif percent is not None:
            unit = self.percent_unit
        else:
            unit, unit_end = self._unit(doc, nxt, allow_of=number.approx or scale is not None)
            if unit is None:  # `9 out of 15 members`, `9 sur 15 membres`: the noun after the total
                unit = self._unit_after_total(doc, nxt)
        if self._is_year(doc, tok, value, value_max, unit, unit_end, currency, percent):
            return None
        if unit and scale is None and not currency and percent is None and unit.endswith(self.plural) \
                and _GROUPED_THOUSANDS.match(tok.text):
            # `4.000 datasets`, `1,250 participants`: people and things are counted in whole
            # numbers, so a mark before three digits groups thousands, whatever the language
            value = Decimal(re.sub(r"\D", "", tok.text))
            if value_max is not None and _GROUPED_THOUSANDS.match(doc[last].text):
                value_max = Decimal(re.sub(r"\D", "", doc[last].text))
        if unit and not currency and percent is None and tok.text.isdigit() and len(tok.text) >= 4 \
                and doc[unit_end - 1].is_title:
            return None  # `16900 Lammi`: a postal code before a place name
        if number.words and (not unit or unit in self.word_multipliers):
            return None  # a written number counts something, and `two times` is a manner of speaking
        # rate: `people/year`, `per year`, `par an`, `per participant`
        per, end = None, unit_end if unit else nxt
        rate = starts["RATE"].get(end)
        if rate is not None:
            per, end = rule_value(rate, "figure_rules"), rate.end
        elif end + 1 < len(doc) and doc[end].lower_ in self.rate_prefixes and doc[end + 1].is_alpha \
                and doc[end + 1].lower_ not in self.not_units:
            per, end = doc[end + 1].lower_, end + 2
        consumed.update(range(first, max(end, last + 1)))
        span = doc[first:max(end, last + 1, first + 1)]
        evidence = ["number:words" if number.words else "number:digits",
                    "unit:currency" if currency else "unit:percent" if percent is not None
                    else "unit:noun" if unit else "unit:none"]
        evidence += [f"qualifier:{qualifier}"] * bool(qualifier) + ["range"] * (value_max is not None) + \
            ["rate"] * bool(per)
        return FigureHit(value=value, value_max=value_max, unit=unit, qualifier=qualifier, per=per,
                         text=span.text, sentence=_sentence_text(doc, tok.i).strip(), char_start=span.start_char,
                         evidence=evidence)

    def _is_label(self, doc, first: int, tok: Token, currency, qualifier) -> bool:
        """`Industry 4.0`, `MANUFACTURING 4.0`, `Horizon 2020`: a number naming something."""
        if first == 0 or currency or qualifier:
            return False
        prev = doc[first - 1]
        if prev.is_alpha and prev.is_upper and len(prev) >= 2 and not _mostly_capitals(_sentence_text(doc, prev.i)):
            return True  # `CC BY 4.0`, `COVID 19`, `WP 5`: an acronym's number (not in `PASSES 8,500`)
        if not prev.is_alpha or prev.lower_ in self.not_units or prev.lower_ in self.qualifier_words:
            return False
        if prev.lower_ in self.label_words:
            return True
        if prev.i == sentence_of(doc, prev.i).start:
            return False
        return prev.is_title or prev.is_upper

    def _is_year(self, doc, tok, value, value_max, unit, unit_end, currency, percent) -> bool:
        if currency or percent:
            return False

        def year_like(t: Token) -> bool:
            number = numbers_in(doc)[t.i]
            return (not number.words and len(t.text) == 4 and t.text.isdigit()
                    and self.year_min <= number.value <= self.year_max)

        if not year_like(tok):
            return False
        if value_max is not None:
            return True  # 2019-2020
        if unit is None:
            return True
        after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        prev = doc[tok.i - 1] if tok.i > 0 else None
        # `2000 participants` counts; `2020 Pilot projects`, `1990 reference levels`, `in 2021 projects` do not
        return (after is not None and after.text[:1].isupper()) or not unit.endswith(self.plural) or \
            (prev is not None and prev.lower_ in self.not_units)

    def _unit(self, doc: Doc, i: int, allow_of: bool) -> tuple[str | None, int]:
        """The counted noun from token i: `2,400 registered delegates` -> delegates."""
        n = len(doc)
        if i < n and doc[i].lower_ in self.joiners | {"of"}:
            after = doc[i + 1] if i + 1 < n else None
            if after is not None and after.lower_ in self.of_determiners:
                i += 2
            elif allow_of:
                i += 1
        k = i
        for _ in range(4):
            if k >= n:
                return None, i
            word, end = self._word(doc, k)
            if word is None or word in self.not_units:
                return None, i
            nxt_word = self._word(doc, end)[0] if end < n else None
            skippable = word in self.unit_skip or (self.adj_suffixes and word.endswith(self.adj_suffixes))
            if skippable and nxt_word and nxt_word not in self.not_units and end not in numbers_in(doc):
                k = end
                continue
            if _starts_a_name(doc, k, end, self.plural) or self._upper_name_after_mark(doc, k, end):
                return None, i  # `1 Institut Pasteur`, `4 Government Open Source`: a name, not a noun counted
            return self._compound(doc, word, end)
        return None, i

    def _compound(self, doc: Doc, word: str, end: int) -> tuple[str, int]:
        """`drone flights` (modifier before a plural head), `tables rondes` (agreeing adjective after)."""
        if end >= len(doc) or not doc[end].is_lower:
            return word, end
        nxt, nxt_end = self._word(doc, end)
        if nxt is None or nxt in self.not_units or nxt in self.unit_skip:
            return word, end
        plural = self.plural
        if self.compound == "before" and not word.endswith(plural) and nxt.endswith(plural):
            return f"{word} {nxt}", nxt_end
        if self.compound == "after" and word.endswith(plural) and nxt.endswith(plural):
            return f"{word} {nxt}", nxt_end
        return word, end

    def _unit_after_total(self, doc: Doc, i: int) -> str | None:
        words = [t.lower_ for t in doc[i:i + 2]]
        skip = 2 if words == ["out", "of"] else 1 if words[:1] in (["sur"], ["of"]) else 0
        total = i + skip
        if not skip or total >= len(doc) or total not in numbers_in(doc):
            return None
        return self._unit(doc, total + 1, allow_of=False)[0]

    def _upper_name_after_mark(self, doc: Doc, k: int, end: int) -> bool:
        """`1 WESO Research Group`, `2 CERN, Geneva`: an affiliation mark or a contents number
        opening a line, before a name in capitals (not `10 FTE`, nor `27 EU` inside a sentence)."""
        tok, num = doc[k], k - 1
        if not (tok.is_upper and len(tok) >= 2 and end == k + 1 and tok.text.upper() not in self.upper_units):
            return False
        if num < 0 or num not in numbers_in(doc):
            return False
        opens = num == 0 or doc[num].is_sent_start or "\n" in doc[num - 1].text_with_ws
        return opens and not _mostly_capitals(_sentence_text(doc, k))

    def _word(self, doc: Doc, k: int) -> tuple[str | None, int]:
        """A word at k, hyphenated compounds joined (`non-EU`, `re-skilling`); a unit with its
        power (`m²`, `km2`) is a word too."""
        tok = doc[k]
        if tok.lower_ in self.power_units and k not in numbers_in(doc):
            return tok.lower_, k + 1
        if not tok.is_alpha or k in numbers_in(doc):
            return None, k
        end = k + 1
        while end + 1 < len(doc) and doc[end].text in ("-", "‑") and not doc[end - 1].whitespace_ \
                and not doc[end].whitespace_ and doc[end + 1].is_alpha:
            end += 2
        return doc[k:end].text.lower(), end


def figure_rows(ctx, confidence: ConfidenceModel, min_confidence: float | None = None) -> list[Figure]:
    """The figure rows of a document, from the hits of each block's analysis."""
    figures: list[Figure] = []
    for i, analysis in enumerate(ctx.analyses):
        if not analysis.figures or ctx.in_references(i):
            continue  # pages, volumes and years of a list of sources
        block = ctx.doc.blocks[i]
        if _LEADERS.search(block.text):
            continue  # a table of contents entry (`Security ........ 8`): page numbers
        if block.kind != TABLE_ROW and not any(c.isalpha() for c in block.text.replace("%", "")):
            continue  # `0% 20% 40% 60%`: a chart's axis, a line of numbers stating nothing
        for hit in analysis.figures:
            unit, evidence = hit.unit, hit.evidence + [f"block:{block.kind}"]
            if unit is None and block.kind == TABLE_ROW:
                unit = table_label(ctx, i, hit.char_start)
                if unit:
                    evidence = [t for t in evidence if t != "unit:none"] + ["unit:table-label"]
            score = confidence.keep("figures", evidence, min_confidence)
            if score is None:
                continue
            section_id, page = ctx.where(i)
            figures.append(Figure(
                figure_id=f"f{len(figures) + 1}", value=hit.value, value_max=hit.value_max, unit=unit,
                qualifier=hit.qualifier, per=hit.per, text=hit.text, sentence=hit.sentence,
                section_id=section_id, page=page, evidence=evidence_text(evidence), confidence=score,
            ))
    return figures


def _starts_a_name(doc: Doc, k: int, end: int, plural: tuple[str, ...]) -> bool:
    """A capitalised word followed by another capitalised word: an affiliation, a place, a table
    of contents entry (`1 Institut Pasteur`, `3 Open Source Program`), not a counted noun
    (but `41 Pull Requests`, whose capitalised words end in a plural, is one)."""
    first = doc[k]
    if not (first.is_title or (first.is_upper and len(first) >= 2)):
        return False
    run = [first]
    while len(run) < 3 and end < len(doc) and doc[end].is_alpha and doc[end].is_title:
        run.append(doc[end])
        end += 1
    if len(run) == 1:
        return False
    return not (run[-1].is_title and run[-1].lower_.endswith(plural))


def table_label(ctx, i: int, offset: int) -> str | None:
    """The counted noun of a number in a table cell: the row's label (`Registrants | 90 | 118`),
    else its column's header (`Participants` over `45`); None when neither reads as a noun."""
    block = ctx.doc.blocks[i]
    cells = block.cells
    if not cells:
        return None
    # the cell whose text holds the offset (readers join the non-empty cells with " | ")
    column, at = len(cells) - 1, 0
    for j, cell in enumerate(cells):
        if not cell:
            continue
        start = block.text.find(cell, at)
        if start < 0:
            break
        if offset < start + len(cell):
            column = j
            break
        at = start + len(cell)
    candidates = []
    if column > 0:
        candidates.append(cells[0])
    header = ctx.header_of(i)
    if header and column < len(header):
        candidates.append(header[column])
    for text in candidates:
        words = text.strip().split()
        if 1 <= len(words) <= 4 and words[0][:1].isalpha() and not any(c.isdigit() for c in text) \
                and not (len(words) == 1 and is_distinctive(words[0])):
            return text.strip().lower()
    return None


def _sentence_text(doc: Doc, i: int) -> str:
    sent = sentence_of(doc, i)
    return doc_text(doc)[sent.start_char:sent.end_char]
