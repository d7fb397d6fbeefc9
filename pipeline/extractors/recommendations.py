"""Recommendations: items of lists introduced as recommendations / conclusions / next
steps (kind `list`), and sentences that call for action (kind `sentence`).

A list counts when the sentence introducing it, or a heading above it, holds a
trigger word from `recommendations.json` (and the lead-in is not descriptive:
agenda, participants...). Sentences count when a CALL pattern of
`recommendation_patterns.jsonl` matches and no NOT_CALL pattern overlaps it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import LIST_ITEM, PARAGRAPH, TABLE_ROW, Recommendation
from ..nlp import doc_text, sentences
from ..rules import Rules
from .confidence import ConfidenceModel, evidence_text
from .context import BlockContext, words_in


# `Seth Van Hooland`, `BVN`, `J-L. Zimmermann`, `La Poste`: the subject that opens a reported item
_REPORTING_SUBJECT = re.compile(r"^\s*(?:(?:[A-ZÀ-Ý][\w.'’-]*|van|von|de|du|la|le)\s+){1,4}")


@dataclass
class RecommendationHit:
    text: str
    kind: str
    block_index: int
    evidence: list[str] = field(default_factory=list)


class RecommendationFinder:
    def __init__(self, rules: Rules) -> None:
        self.triggers = set(rules.words("recommendations.list_triggers"))
        self.blockers = set(rules.words("recommendations.list_blockers"))
        self.leadins = [re.compile(p, re.I) for p in rules.words("recommendations.leadins")]
        self.split_on = rules.words("recommendations.split_on")
        self.min_words = int(rules.get("recommendations.min_words", 3))
        self.table_columns = {w.lower() for w in rules.words("recommendations.table_columns")}
        self.split_min_item_words = int(rules.get("recommendations.split_min_item_words", 40))
        self.imperatives = {w.lower() for w in rules.words("recommendations.imperative_verbs")}
        self.openers = {w.lower() for w in rules.words("recommendations.imperative_openers")}
        self.imperative_min_items = int(rules.get("recommendations.imperative_min_items", 2))
        self.reporting = {w.lower() for w in rules.words("recommendations.reporting_verbs")}
        labels = "|".join(re.escape(w) for w in sorted(rules.words("recommendations.item_labels"), key=len, reverse=True))
        # `(Recommendation) ...`, `[Action] ...`, `Recommendation: ...`, `Next step - ...`
        self.item_label = re.compile(rf"^\s*(?:[(\[]\s*(?:{labels})\s*[)\]]\s*[:.–—-]?|(?:{labels})\s*[:–—]|(?:{labels})\s+-)\s+(?=\S)",
                                     re.I) if labels else None

    def opens_with_imperative(self, text: str) -> bool:
        """`Create a community page ...`, not `Update from FINOS` (a title) or `Use cases`."""
        words = re.findall(r"[^\W\d_][\w'’-]*", text)
        while len(words) > 3 and words[0].lower() in self.openers:
            words = words[1:]  # `Or create an issue ...`, `First check ...`
        if len(words) < 3 or words[0].lower() not in self.imperatives:
            return False
        return sum(w[:1].isupper() for w in words[1:4]) <= 1

    def list_evidence(self, ctx: BlockContext, run: list[int]) -> str | None:
        """How a list is introduced as recommendations (`list:lead-in`, `list:heading`), or None."""
        lead = ctx.lead_in(run[0])
        if lead is not None:
            sentence = ctx.last_sentence(lead)
            if words_in(sentence, self.triggers):
                return "list:lead-in"
            if words_in(sentence, self.blockers):
                return None
        headings = ctx.seg.headings_above(ctx.seg.block_section[run[0]])
        # only the heading of its own section: a trigger word in a parent heading or in the title
        # (`Minutes and action items`) does not make every list below it a list of recommendations
        return "list:heading" if any(words_in(h, self.triggers) for h in headings[:1]) else None

    def rows(self, ctx: BlockContext, confidence: ConfidenceModel,
             min_confidence: float | None = None) -> list[Recommendation]:
        recs: list[Recommendation] = []
        for hit in self.find(ctx):
            score = confidence.keep("recommendations", hit.evidence, min_confidence)
            if score is None:
                continue
            section_id, page = ctx.where(hit.block_index)
            recs.append(Recommendation(rec_id=f"r{len(recs) + 1}", text=hit.text, kind=hit.kind,
                                       section_id=section_id, page=page, evidence=evidence_text(hit.evidence),
                                       confidence=score))
        return recs

    def find(self, ctx: BlockContext) -> list[RecommendationHit]:
        hits: list[RecommendationHit] = []
        in_list: set[int] = set()
        for run in ctx.list_runs():
            if ctx.is_contents(run):
                continue
            how = self.list_evidence(ctx, run)
            unlabelled = {i: self._unlabelled(ctx.doc.blocks[i].text) for i in run}
            if how is None and any(t is not None for t in unlabelled.values()):
                # items each marked as a recommendation (`(Recommendation) DOE should ...`): whole
                # items, the mark left out; the other items stay ordinary text
                for i, text in unlabelled.items():
                    if text is not None:
                        in_list.add(i)
                        hits.append(RecommendationHit(text, "list", i, ["list:labelled-item"]))
                continue
            if how is None:
                # `- Implement ...`, `- Mettre en place ...`: a list of actions needs no lead-in
                orders = [i for i in run if self.opens_with_imperative(ctx.doc.blocks[i].text)]
                if len(orders) < max(self.imperative_min_items, (len(run) + 1) // 2):
                    continue
                run, how = orders, "list:imperative"
            for i in run:
                text = ctx.doc.blocks[i].text
                if how == "list:heading" and self._reports(text):
                    continue  # `BVN presented the categorisation ...`: what happened, under the heading
                in_list.add(i)
                for part in self.split_item(unlabelled[i] or text):
                    if not part.rstrip().endswith("?"):  # a question asks, it does not recommend
                        hits.append(RecommendationHit(part, "list", i, [how]))
        for i, column in self._table_cells(ctx):
            in_list.add(i)
            hits.append(RecommendationHit(column, "list", i, ["table:column"]))
        for i, column in self._section_tables(ctx, in_list):
            in_list.add(i)
            hits.append(RecommendationHit(column, "list", i, ["table:section"]))
        for i, analysis in enumerate(ctx.analyses):
            if i in in_list or ctx.doc.blocks[i].kind not in (PARAGRAPH, LIST_ITEM, TABLE_ROW):
                continue
            for sentence, rules in analysis.calls:
                text = self.clean_sentence(sentence)
                if len(text.split()) >= self.min_words:
                    hits.append(RecommendationHit(text, "sentence", i, [f"call:{r}" for r in rules]))
        hits = [h for h in hits if not ctx.in_references(h.block_index)]
        hits.sort(key=lambda h: h.block_index)
        seen, unique = set(), []
        for h in hits:
            key = re.sub(r"\W+", " ", h.text.casefold()).strip()
            if key and key not in seen:
                seen.add(key)
                unique.append(h)
        return unique

    def _table_cells(self, ctx: BlockContext):
        """(block index, text) of table cells in a column headed `Action`, `Recommendation`..."""
        def column(header):
            return next((j for j, h in enumerate(header) if h.rstrip(":") in self.table_columns), None)

        for i, header in ctx.table_rows(lambda cells: column(cells) is not None):
            cells = ctx.doc.blocks[i].cells
            j = column(header)
            if j is not None and j < len(cells) and any(c.isalpha() for c in cells[j]):
                yield i, cells[j].strip()

    def _section_tables(self, ctx: BlockContext, done: set[int]):
        """(block index, text) of the widest column of a table in a section headed `Action
        items`, `Next steps` (`| Volunteering Person | Item |`): its rows are the section's items."""
        tables: dict[int, list[int]] = {}
        for i, header in ctx.table_rows(lambda cells: True):
            if i not in done:
                tables.setdefault(id(header), []).append(i)
        for rows in tables.values():
            headings = ctx.seg.headings_above(ctx.seg.block_section[rows[0]])
            if not any(words_in(h, self.triggers) for h in headings[:1]):
                continue
            cells = [ctx.doc.blocks[i].cells for i in rows]
            width = max(len(c) for c in cells)
            words = [sum(len(c[j].split()) for c in cells if j < len(c)) / len(cells) for j in range(width)]
            j = max(range(width), key=lambda k: words[k])
            if words[j] < self.min_words:
                continue
            for i, row in zip(rows, cells):
                if j < len(row) and any(ch.isalpha() for ch in row[j]):
                    yield i, row[j].strip()

    @staticmethod
    def calls(doc) -> list[tuple[str, list[str]]]:
        """Sentences of one block's spaCy doc with a CALL match that no NOT_CALL match vetoes,
        each with the ids of the CALL patterns in it."""
        marks = doc.spans.get("call_rules", [])
        vetoes = [s for s in marks if s.label_ == "NOT_CALL"]
        calls = [c for c in marks if c.label_ == "CALL"
                 and not any(v.start < c.end and c.start < v.end for v in vetoes)]
        if not calls:
            return []
        found = []
        for sent in sentences(doc):
            rules = list(dict.fromkeys(c.id_ for c in calls if sent.start <= c.start < sent.end))
            text = doc_text(doc)[sent.start_char:sent.end_char]
            if rules and not text.rstrip().endswith("?"):
                found.append((text, rules))
        return found

    def _reports(self, text: str) -> bool:
        """Whether an item opens by reporting what someone said or did: a subject of one to
        three capitalised words (a name, initials, a pronoun), then a reporting verb (`BVN
        presented ...`, `OSM indique ...`); not a verb used as a participle (`the tools presented`)."""
        m = _REPORTING_SUBJECT.match(text)
        if not m:
            return False
        rest = " " + " ".join(re.findall(r"[\w'’]+", text[m.end():].lower())[:3]) + " "
        return any(rest.startswith(f" {verb} ") for verb in self.reporting)

    def _unlabelled(self, text: str) -> str | None:
        """The item's text without its recommendation mark, or None when it has none."""
        if self.item_label is None:
            return None
        m = self.item_label.match(text)
        return text[m.end():].strip() if m else None

    def split_item(self, text: str) -> list[str]:
        """Split at `;` only where every part can stand alone."""
        text = text.strip().rstrip(";,").strip()
        if not any(c.isalpha() for c in text):
            return []
        if len(text.split()) < self.split_min_item_words:
            return [text]  # a short item is one recommendation, even with a `;` inside
        for mark in self.split_on:
            parts = [p.strip() for p in text.split(mark)]
            parts = [p for p in parts if p]
            if len(parts) > 1 and all(len(p.split()) >= self.min_words for p in parts):
                return parts
        return [text]

    def clean_sentence(self, text: str) -> str:
        """Drop reporting lead-ins (`It was stressed that`) and a closing aside in brackets."""
        text = text.strip()
        for pattern in self.leadins:
            text = pattern.sub("", text, count=1)
        trailing = re.search(r"\s*\([^()]*\)\s*[.;:]?\s*$", text)
        if trailing and trailing.start() > len(text) // 2:
            text = text[: trailing.start()]
        text = text.strip().rstrip(";,:").strip()
        return text
