"""spaCy pipelines: blank `en`/`fr` languages plus rule components configured from `models/`.

Components (registered by name, configured by the rules folder):
- `report_numbers`: merges each number expression (`1 741`, `87,5`, `eleven`) into one
  token and sets `token._.is_num` / `token._.num` (a Decimal) / `token._.num_approx`.
- `report_figure_rules`: Matcher (figure_patterns.jsonl) and PhraseMatchers (qualifiers,
  rates, currency and percent words) -> `doc.spans["figure_rules"]`.
- `report_project_rules`: Matcher (project_patterns.jsonl) -> `doc.spans["project_rules"]`
  and an EntityRuler gazetteer (known_projects.jsonl) -> `doc.ents`.
- `report_call_rules`: Matcher (recommendation_patterns.jsonl) -> `doc.spans["call_rules"]`.
No statistical model is loaded and nothing is downloaded.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from .numbers import scan_numbers
from .rules import Rules, load_rules

for _name, _default in (("is_num", False), ("num", None), ("num_approx", False), ("num_words", False)):
    if not Token.has_extension(_name):
        Token.set_extension(_name, default=_default)
if not Span.has_extension("rule"):
    Span.set_extension("rule", default=None)  # the pattern row (dict) that produced the span


def _rules(models_dir: str, lang: str) -> Rules:
    return load_rules(lang, models_dir or None)


@Language.factory("report_numbers", default_config={"models_dir": ""})
def make_numbers(nlp: Language, name: str, models_dir: str):
    return NumberMerger(_rules(models_dir, nlp.lang))


class NumberMerger:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match in scan_numbers(doc.text, self.rules):
            span = doc.char_span(match.start, match.end, alignment_mode="expand")
            if span is None:
                continue
            if span.start_char != match.start or span.end_char != match.end:
                extra = doc.text[span.start_char:match.start] + doc.text[match.end:span.end_char]
                if any(c.isalnum() for c in extra):
                    continue  # digits inside a larger word: a name, not a number
            spans.append((span, match))
        taken: set[int] = set()
        with doc.retokenize() as retok:
            for span, match in spans:
                if any(i in taken for i in range(span.start, span.end)):
                    continue
                taken.update(range(span.start, span.end))
                if len(span) > 1:
                    retok.merge(span)
        for span, match in spans:
            token = doc.char_span(match.start, match.end, alignment_mode="expand")
            if token is None:
                continue
            tok = token[0]
            tok._.is_num = True
            tok._.num = match.value
            tok._.num_approx = match.approx
            tok._.num_words = match.words
        return doc


def _phrase_matcher(nlp: Language, groups: dict[str, list[str]]) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for key, phrases in groups.items():
        docs = [nlp.make_doc(p) for p in phrases if p]
        if docs:
            matcher.add(key, docs)
    return matcher


class _PatternComponent:
    """A Matcher over a pattern file; matches go to doc.spans[span_key] with their row."""

    span_key = ""

    def __init__(self, nlp: Language, rows: list[dict]) -> None:
        self.matcher = Matcher(nlp.vocab)
        self.rows: dict[str, dict] = {}
        for i, row in enumerate(rows):
            key = f"{row.get('label', 'RULE')}#{i}"
            self.rows[key] = row
            self.matcher.add(key, [row["pattern"]], greedy="LONGEST")

    def matches(self, doc: Doc) -> list[Span]:
        spans = []
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            row = self.rows[key]
            span = Span(doc, start, end, label=row.get("label", "RULE"))
            span._.rule = row
            spans.append(span)
        spans.sort(key=lambda s: (s.start, -len(s)))
        return spans


@Language.factory("report_figure_rules", default_config={"models_dir": ""})
def make_figure_rules(nlp: Language, name: str, models_dir: str):
    return FigureRules(nlp, _rules(models_dir, nlp.lang))


class FigureRules(_PatternComponent):
    span_key = "figure_rules"

    def __init__(self, nlp: Language, rules: Rules) -> None:
        super().__init__(nlp, rules.patterns.get("figure_patterns", []))
        groups: dict[str, list[str]] = {}
        for phrase, code in rules.get("figures.qualifiers", {}).items():
            groups.setdefault(f"QUALIFIER|{code}", []).append(phrase)
        for phrase, period in rules.get("figures.rates", {}).items():
            groups.setdefault(f"RATE|{period}", []).append(phrase)
        for phrase, code in rules.get("figures.currency_words", {}).items():
            groups.setdefault(f"CURRENCY|{code}", []).append(phrase)
        for symbol, code in rules.get("currencies.symbols", {}).items():
            groups.setdefault(f"CURRENCY|{code}", []).append(symbol)
        for code in rules.get("currencies.codes", []):
            groups.setdefault(f"CURRENCY|{code}", []).append(code)
        groups["PERCENT|"] = list(rules.get("figures.percent_words", []))
        self.phrases = _phrase_matcher(nlp, groups)

    def __call__(self, doc: Doc) -> Doc:
        spans = self.matches(doc)
        for match_id, start, end in self.phrases(doc):
            label, _, value = doc.vocab.strings[match_id].partition("|")
            span = Span(doc, start, end, label=label)
            span._.rule = {"label": label, "value": value}
            spans.append(span)
        doc.spans[self.span_key] = sorted(spans, key=lambda s: (s.start, -len(s)))
        return doc


@Language.factory("report_project_rules", default_config={"models_dir": ""})
def make_project_rules(nlp: Language, name: str, models_dir: str):
    return ProjectRules(nlp, _rules(models_dir, nlp.lang))


class ProjectRules(_PatternComponent):
    span_key = "project_rules"

    def __init__(self, nlp: Language, rules: Rules) -> None:
        super().__init__(nlp, rules.patterns.get("project_patterns", []))

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.span_key] = self.matches(doc)
        return doc


@Language.factory("report_call_rules", default_config={"models_dir": ""})
def make_call_rules(nlp: Language, name: str, models_dir: str):
    return CallRules(nlp, _rules(models_dir, nlp.lang))


class CallRules(_PatternComponent):
    span_key = "call_rules"

    def __init__(self, nlp: Language, rules: Rules) -> None:
        super().__init__(nlp, rules.patterns.get("recommendation_patterns", []))

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.span_key] = self.matches(doc)
        return doc


def _tune_tokenizer(nlp: Language) -> None:
    """Split what the figure rules need apart: `30–40`, `3.5bn`, `d’euros`, `€5`."""
    infixes = list(nlp.Defaults.infixes) + [
        r"(?<=[0-9])[-–—](?=[0-9])",
        r"(?<=\b[dlDLjJnNsScCmMtT])[’'](?=\w)",
        r"(?<=\bqu)[’'](?=\w)",
        r"(?<=\bjusqu)[’'](?=\w)",
    ]
    suffixes = list(nlp.Defaults.suffixes) + [r"(?<=[0-9])(?:bn|mn|mln|Mds|Md|md|k|K|M|m)"]
    prefixes = list(nlp.Defaults.prefixes) + [r"US\$", r"[€£$¥₹]"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search


@lru_cache(maxsize=4)
def build_pipeline(lang: str, models_dir: str = "") -> Language:
    """A blank spaCy pipeline for `lang` with the report rule components; cached per process."""
    nlp = spacy.blank(lang)
    _tune_tokenizer(nlp)
    nlp.add_pipe("sentencizer")
    cfg = {"models_dir": models_dir}
    nlp.add_pipe("report_numbers", config=cfg)
    nlp.add_pipe("report_figure_rules", config=cfg)
    nlp.add_pipe("report_project_rules", config=cfg)
    nlp.add_pipe("report_call_rules", config=cfg)
    known = load_rules(lang, models_dir or None).patterns.get("known_projects", [])
    if known:  # an empty EntityRuler only warns on every document
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(known)
    return nlp
