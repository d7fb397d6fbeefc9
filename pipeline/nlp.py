"""spaCy pipelines: blank `en`/`fr` languages plus rule components configured from `models/`.

Components (registered by name, configured by the rules folder):
- `report_numbers`: merges each number expression (`1 741`, `87,5`, `eleven`) into one
  token, tags it POS `NUM` and records its value (`numbers_in(doc)`, also readable as
  `token._.is_num` / `token._.num` (a Decimal) / `token._.num_approx` / `token._.num_words`).
- `report_figure_rules`: Matcher (figure_patterns.jsonl) and PhraseMatchers (qualifiers,
  rates, currency and percent words) -> `doc.spans["figure_rules"]`.
- `report_project_rules`: Matcher (project_patterns.jsonl) -> `doc.spans["project_rules"]`
  and an EntityRuler gazetteer (known_projects.jsonl) -> `doc.ents`.
- `report_call_rules`: Matcher (recommendation_patterns.jsonl) -> `doc.spans["call_rules"]`.
No statistical model is loaded and nothing is downloaded.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import numpy

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import SpanRuler
from spacy.attrs import IDX, LENGTH, LOWER, ORTH, POS, SENT_START
from spacy.tokens import Doc, Span, Token
from spacy.tokenizer import Tokenizer
from spacy.util import registry, compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from .numbers import NumberMatch, scan_numbers
from .rules import TOKEN_EXTENSIONS, Rules, load_rules

NUMBERS_KEY = "report_numbers"  # doc.user_data key: {token index: NumberMatch}


class _TextKeepingTokenizer:
    """The language's tokenizer, keeping the text it was given on the doc (`doc_text`)."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data["report_text"] = text  # spaCy keeps the text exactly: doc.text == text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name):  # rules, special cases, vocab: the wrapped tokenizer's
        return getattr(self.tokenizer, name)


def doc_text(doc: Doc) -> str:
    """A doc's text, joined once: `doc.text` joins every token again on each call."""
    text = doc.user_data.get("report_text")
    if text is None:
        text = doc.user_data["report_text"] = doc.text
    return text


def numbers_in(doc: Doc) -> dict[int, NumberMatch]:
    """The number tokens of a processed doc, by token index (set by `report_numbers`)."""
    return doc.user_data.get(NUMBERS_KEY, {})


def _number_attr(attr: str, default):
    def get(token: Token):
        match = numbers_in(token.doc).get(token.i)
        return default if match is None else getattr(match, attr)
    return get


# Kept for patterns and users that read them; the extractors use `numbers_in` (much faster).
_EXTENSIONS = (("is_num", None, False), ("num", "value", None), ("num_approx", "approx", False),
               ("num_words", "words", False))
assert tuple(n for n, _, _ in _EXTENSIONS) == TOKEN_EXTENSIONS  # what rule checking accepts
for _name, _attr, _default in _EXTENSIONS:
    if not Token.has_extension(_name):
        getter = (lambda t: t.i in numbers_in(t.doc)) if _attr is None else _number_attr(_attr, _default)
        Token.set_extension(_name, getter=getter)
RULE_ROWS_KEY = "report_rule_rows"  # doc.user_data key: {span key: {span id: pattern row}}


def rule_of(span: Span, span_key: str | None = None) -> dict | None:
    """The pattern row that produced a span of `doc.spans[span_key]` (also `span._.rule`).

    Each component keeps its own rows by pattern id and leaves a reference to them on the
    docs it marks, so nothing grows with the number of pipelines built."""
    maps = span.doc.user_data.get(RULE_ROWS_KEY, {})
    if span_key is not None:
        return maps.get(span_key, {}).get(span.id)
    return next((rows[span.id] for rows in maps.values() if span.id in rows), None)


def rule_value(span: Span, span_key: str) -> str:
    """What a value span stands for: its pattern row's `value`, else its pattern `id`
    (`{"label": "QUALIFIER", "pattern": "more than", "id": "gt"}` -> `gt`)."""
    row = rule_of(span, span_key)
    return row["value"] if row is not None and "value" in row else span.id_


if not Span.has_extension("rule"):
    Span.set_extension("rule", getter=rule_of)


def _rules(models_dir: str, lang: str) -> Rules:
    return load_rules(lang, models_dir or None)


@Language.factory("report_sentence_repair", default_config={"models_dir": ""}, assigns=["token.is_sent_start"],
                  requires=["token.is_sent_start"])
def make_sentence_repair(nlp: Language, name: str, models_dir: str):
    return SentenceRepair(_rules(models_dir, nlp.lang))


class SentenceRepair:
    """Undo the sentencizer's break after an abbreviation's period when the text runs on in
    lower case or digits (`a Zoom, etc. to discuss`, `cf. la page`, `approx. 30`), and after a
    title before a name (`Mme. Durand`); the words are `abbreviations` and `titles` of
    tokenizer.json."""

    def __init__(self, rules: Rules) -> None:
        self.abbreviations = {w.lower().rstrip(".") for w in rules.words("tokenizer.abbreviations")}
        self.titles = {w.lower().rstrip(".") for w in rules.words("tokenizer.titles")}

    def __call__(self, doc: Doc) -> Doc:
        if not (self.abbreviations or self.titles):
            return doc
        # only the sentence starts, from one array, and the repairs written back as one array:
        # a Token object per token, and spaCy's per-token setter, cost quadratic time on long blocks
        starts = doc.to_array([SENT_START]).astype("int64").reshape(-1, 1)  # -1 comes as a wrapped uint64
        repaired = False
        for i in numpy.flatnonzero(starts[:, 0] == 1).tolist():
            if i == 0:
                continue
            tok, prev = doc[i], doc[i - 1]
            if prev.text == "." and tok.i >= 2 and not doc[tok.i - 2].whitespace_:
                at = tok.i - 2  # `etc` `.`
            elif prev.text.endswith(".") and len(prev) > 1:
                at = tok.i - 1  # `Mme.`
            else:
                continue
            if at > 0 and doc[at - 1].like_num:
                continue  # `40 ms.`, `45 min.`: a unit ends the sentence
            word = doc[at].lower_.rstrip(".")
            runs_on = tok.is_lower or tok.like_num or tok.is_punct
            if (word in self.abbreviations and runs_on) or (word in self.titles and tok.is_title):
                starts[i, 0] = -1
                repaired = True
        if repaired:
            doc.from_array([SENT_START], starts.astype("uint64"))
        return doc


@Language.factory("report_numbers", default_config={"models_dir": ""}, assigns=["token.pos"], retokenizes=True)
def make_numbers(nlp: Language, name: str, models_dir: str):
    return NumberMerger(_rules(models_dir, nlp.lang))


class NumberMerger:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        text = doc_text(doc)
        for match in scan_numbers(text, self.rules):
            span = doc.char_span(match.start, match.end, alignment_mode="expand")
            if span is None:
                continue
            if span.start_char != match.start or span.end_char != match.end:
                extra = text[span.start_char:match.start] + text[match.end:span.end_char]
                if any(c.isalnum() for c in extra):
                    continue  # digits inside a larger word: a name, not a number
            spans.append((span, match))
        if not spans:
            doc.user_data[NUMBERS_KEY] = {}
            return doc
        taken: set[int] = set()
        with doc.retokenize() as retok:
            for span, match in spans:
                if any(i in taken for i in range(span.start, span.end)):
                    continue
                taken.update(range(span.start, span.end))
                if len(span) > 1:
                    retok.merge(span)
        found: dict[int, NumberMatch] = {}
        for span, match in spans:
            token = doc.char_span(match.start, match.end, alignment_mode="expand")
            if token is None:
                continue
            tok = token[0]
            # POS NUM is what patterns test (`{"POS": "NUM"}`): a C attribute, unlike `_.is_num`
            tok.pos_ = "NUM"
            found[tok.i] = match
        doc.user_data[NUMBERS_KEY] = found
        return doc


def figure_phrase_patterns(rules: Rules) -> list[dict]:
    """The figure phrase words of `models/` as SpanRuler patterns with label and id."""
    groups = [("QUALIFIER", rules.get("figures.qualifiers", {})), ("RATE", rules.get("figures.rates", {})),
              ("CURRENCY", rules.get("figures.currency_words", {})), ("CURRENCY", rules.get("currencies.symbols", {})),
              ("CURRENCY", {code: code for code in rules.get("currencies.codes", [])}),
              ("PERCENT", {word: "percent" for word in rules.get("figures.percent_words", [])})]
    return [{"label": label, "pattern": phrase, "id": value}
            for label, phrases in groups for phrase, value in phrases.items() if phrase]


class _PatternComponent:
    """A Matcher over a pattern file; matches go to doc.spans[span_key], `rule_of(span)` is the row.

    A block is matched only with the patterns that could match it: every token a pattern
    requires (no `?`/`*` operator) that names literal words (`LOWER`, `ORTH`, `TEXT`) or a `POS`
    must find one of them in the block. Most blocks hold few of the trigger words, and the
    Matcher's cost grows with the patterns it tries at every token. One Matcher is built per
    set of candidate patterns met, on first use.
    """

    span_key = ""

    def __init__(self, nlp: Language, rows: list[dict]) -> None:
        self.vocab = nlp.vocab
        self.rows: list[tuple[str, list, str, int]] = []  # per pattern: key, pattern, label, span id
        self.requirements: list[list[tuple[int, frozenset[int]]]] = []
        self.labels: dict[int, tuple[str, int]] = {}  # match id -> (label, span id)
        self.row_by_id: dict[int, dict] = {}  # span id (the pattern's `id`) -> pattern row
        for row in rows:
            label = row.get("label", "RULE")
            key = f"{label}:{row['id']}"
            Matcher(nlp.vocab).add(key, [row["pattern"]])  # a bad pattern fails here, at load time
            span_id = nlp.vocab.strings.add(row["id"])
            self.row_by_id[span_id] = row
            self.rows.append((key, row["pattern"], label, span_id))
            self.labels[nlp.vocab.strings.add(key)] = (label, span_id)
            self.requirements.append(_requirements(row["pattern"], nlp.vocab.strings))
        # Each required token is a bit; a word (hash) present in a block sets the bits of the
        # tokens it satisfies, and a pattern is a candidate when all its bits are set.
        self.bits: dict[int, dict[int, int]] = {}  # attr -> hash -> bits
        self.masks: list[int] = []
        bit = 1
        for reqs in self.requirements:
            mask = 0
            for attr, hashes in reqs:
                for h in hashes:
                    by_hash = self.bits.setdefault(attr, {})
                    by_hash[h] = by_hash.get(h, 0) | bit
                mask |= bit
                bit <<= 1
            self.masks.append(mask)
        self.keys = {attr: frozenset(by_hash) for attr, by_hash in self.bits.items()}
        self._matchers: dict[tuple[int, ...], Matcher] = {}

    def could_match(self, doc: Doc) -> tuple[int, ...]:
        """The indexes of the patterns whose required words are all in doc."""
        have = 0
        for attr, keys in self.keys.items():
            by_hash = self.bits[attr]
            for h in keys.intersection(_present(doc, attr)):
                have |= by_hash[h]
        return tuple(i for i, mask in enumerate(self.masks) if have & mask == mask)

    def _matcher(self, subset: tuple[int, ...]) -> Matcher:
        matcher = self._matchers.get(subset)
        if matcher is None:
            if len(self._matchers) >= 512:  # a long, varied batch: start over rather than grow
                self._matchers.clear()
            matcher = self._matchers[subset] = Matcher(self.vocab)
            for i in subset:
                key, pattern, _, _ = self.rows[i]
                matcher.add(key, [pattern], greedy="LONGEST")
        return matcher

    def matches(self, doc: Doc) -> list[Span]:
        doc.user_data.setdefault(RULE_ROWS_KEY, {})[self.span_key] = self.row_by_id
        subset = self.could_match(doc)
        if not subset:
            return []
        spans = []
        # allow_missing: POS is set on number tokens only, a block without numbers has none
        for match_id, start, end in self._matcher(subset)(doc, allow_missing=True):
            label, span_id = self.labels[match_id]
            spans.append(Span(doc, start, end, label=label, span_id=span_id))
        spans.sort(key=lambda s: (s.start, -len(s)))
        return spans


@dataclass(frozen=True)
class Sentence:
    start: int  # token indexes
    end: int
    start_char: int
    end_char: int


def sentences(doc: Doc) -> list[Sentence]:
    """The sentences of a processed doc, computed once from one array (`doc.sents` builds
    a Python object per token on every call)."""
    cached = doc.user_data.get("report_sentences")
    if cached is not None:
        return cached
    out: list[Sentence] = []
    if len(doc):
        arr = doc.to_array([SENT_START, IDX, LENGTH]).astype("int64")
        starts = [0] + [i for i in numpy.flatnonzero(arr[:, 0] == 1).tolist() if i]
        for start, end in zip(starts, starts[1:] + [len(doc)]):
            out.append(Sentence(start, end, int(arr[start, 1]), int(arr[end - 1, 1] + arr[end - 1, 2])))
    doc.user_data["report_sentences"] = out
    return out


def sentence_of(doc: Doc, i: int) -> Sentence:
    """The sentence holding token i."""
    sents = sentences(doc)
    starts = doc.user_data.get("report_sentence_starts")
    if starts is None:
        starts = doc.user_data["report_sentence_starts"] = [s.start for s in sents]
    return sents[bisect_right(starts, i) - 1]


def _present(doc: Doc, attr: int) -> set[int]:
    """The values (hashes) of `attr` in doc, computed once per doc for all components."""
    cache = doc.user_data.setdefault("report_present", {})
    if attr not in cache:
        cache[attr] = set(doc.count_by(attr))
    return cache[attr]


# ORTH and TEXT are checked as LOWER: a looser test, one set per doc for all of them
_LITERAL_ATTRS = {"LOWER": LOWER, "ORTH": LOWER, "TEXT": LOWER, "POS": POS}


def _requirements(pattern: list[dict], strings) -> list[tuple[int, frozenset[int]]]:
    """(attribute, hashes) for each token of `pattern` that must be present, one of the hashes."""
    reqs = []
    for token in pattern:
        op = str(token.get("OP", "1"))
        if op in ("?", "*", "!") or op.startswith(("{0", "{,")):
            continue
        for name, value in token.items():
            attr = _LITERAL_ATTRS.get(name.upper())
            if attr is None:
                continue
            if isinstance(value, dict) and set(value) == {"IN"}:
                value = value["IN"]
            if isinstance(value, str):
                value = [value]
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                if attr == LOWER:
                    value = [v.lower() for v in value]
                reqs.append((attr, frozenset(strings.add(v) for v in value)))
    return reqs


@Language.factory("report_figure_rules", default_config={"models_dir": ""}, assigns=["doc.spans"],
                  requires=["token.pos"])
def make_figure_rules(nlp: Language, name: str, models_dir: str):
    return FigureRules(nlp, _rules(models_dir, nlp.lang))


class FigureRules(_PatternComponent):
    span_key = "figure_rules"

    def __init__(self, nlp: Language, rules: Rules) -> None:
        super().__init__(nlp, rules.patterns.get("figure_patterns", []))
        # phrase groups as SpanRuler patterns: the label says what a phrase marks, the id its
        # value (`{"label": "QUALIFIER", "pattern": "more than", "id": "gt"}`)
        self.phrases = SpanRuler(nlp, name="figure_phrases", phrase_matcher_attr="LOWER", validate=True)
        self.phrases.add_patterns(figure_phrase_patterns(rules))

    def __call__(self, doc: Doc) -> Doc:
        if not numbers_in(doc):  # every mark qualifies a number: none, nothing to mark
            doc.spans[self.span_key] = []
            return doc
        spans = self.matches(doc) + (self.phrases.match(doc) if self.phrases.patterns else [])
        doc.spans[self.span_key] = sorted(spans, key=lambda s: (s.start, -len(s)))
        return doc


@Language.factory("report_project_rules", default_config={"models_dir": ""}, assigns=["doc.spans"],
                  requires=["token.is_sent_start"])
def make_project_rules(nlp: Language, name: str, models_dir: str):
    return ProjectRules(nlp, _rules(models_dir, nlp.lang))


class ProjectRules(_PatternComponent):
    span_key = "project_rules"

    def __init__(self, nlp: Language, rules: Rules) -> None:
        super().__init__(nlp, rules.patterns.get("project_patterns", []))

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.span_key] = self.matches(doc)
        return doc


@Language.factory("report_call_rules", default_config={"models_dir": ""}, assigns=["doc.spans"],
                  requires=["token.is_sent_start"])
def make_call_rules(nlp: Language, name: str, models_dir: str):
    return CallRules(nlp, _rules(models_dir, nlp.lang))


class CallRules(_PatternComponent):
    span_key = "call_rules"

    def __init__(self, nlp: Language, rules: Rules) -> None:
        super().__init__(nlp, rules.patterns.get("recommendation_patterns", []))

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.span_key] = self.matches(doc)
        return doc


@registry.tokenizers("report_pipeline.tokenizer.v1")
def make_report_tokenizer(models_dir: str = ""):
    """The language's own tokenizer, built once with the splits the figure rules need (the
    pipeline's config names it, so spaCy never builds its default tokenizer first)."""
    def create(nlp: Language) -> _TextKeepingTokenizer:
        return _TextKeepingTokenizer(_report_tokenizer(nlp, load_rules(nlp.lang, models_dir or None)))
    return create


def _report_tokenizer(nlp: Language, rules: Rules) -> Tokenizer:
    """Split what the figure rules need apart: `30–40`, `3.5bn`, `€5` and, in French, `d’euros`;
    the characters and words come from `models/` (tokenizer.json, currencies.json, numbers.json)."""
    def alternatives(items) -> str:
        return "|".join(re.escape(i) for i in sorted(set(items), key=len, reverse=True))

    defaults = nlp.Defaults
    infixes = list(defaults.infixes or ())
    dashes = rules.words("tokenizer.range_dashes")
    if dashes:
        infixes.append(rf"(?<=[0-9])(?:{alternatives(dashes)})(?=[0-9])")
    elisions = rules.words("tokenizer.elisions")
    for word in elisions:  # fixed-width look-behinds, one per word
        infixes.append(rf"(?<=\b(?i:{re.escape(word)}))[’'](?=\w)")
    suffixes = list(defaults.suffixes or ())
    scales = rules.words("numbers.attached_scales")
    if scales:
        suffixes.append(rf"(?<=[0-9])(?:{alternatives(scales)})")
    prefixes = list(defaults.prefixes or ())
    special = dict(defaults.tokenizer_exceptions or {})
    if elisions:
        # an elided word keeps its apostrophe, as one token (`s'`, `qu'`, `c'`: spaCy's own
        # French prefixes cover only some), so `2013 s'est` has no unit `s`; alone before a
        # space too (`l' export`, a PDF's stray space)
        prefixes.append(rf"(?i:{alternatives(elisions)})[’'](?=\w)")
        for word in elisions:
            for form in {word, word.capitalize()}:
                for apostrophe in "'’":
                    special[form + apostrophe] = [{ORTH: form + apostrophe}]
    symbols = [s for s in rules.words("currencies.symbols") if not s.isalpha()]  # `CHF 5` is two words anyway
    if symbols:
        prefixes.append(alternatives(symbols))
    joined = rules.get("tokenizer.joined_names")
    # one tokenizer with every setting at once: each setter (and each special case added)
    # reloads all of spaCy's special cases again
    return Tokenizer(
        nlp.vocab, rules=special, prefix_search=compile_prefix_regex(prefixes).search,
        suffix_search=compile_suffix_regex(suffixes).search, infix_finditer=compile_infix_regex(infixes).finditer,
        # `DCAT-AP`, `TES-K`: one word, so a name pattern sees it whole
        token_match=re.compile(joined).match if joined else defaults.token_match,
        url_match=defaults.url_match)


@lru_cache(maxsize=4)
def _exported_language(lang: str, models_dir: str) -> type[Language] | None:
    """A Language class for `lang` whose defaults come from `models/<lang>/spacy_defaults.json`
    (spaCy's tokenizer exceptions, affixes and number words, exported by
    tests/tools/export_spacy_defaults.py); None when the rules folder has no such file.
    Importing spacy.lang.fr costs 2.4 s (a large regular expression compiled at import, which
    this pipeline replaces by `tokenizer.joined_names` anyway)."""
    defaults = load_rules(lang, models_dir or None).get("spacy_defaults")
    if not defaults or not all(k in defaults for k in ("exceptions", "prefixes", "suffixes", "infixes")):
        return None
    from spacy.attrs import IDS, LIKE_NUM
    from spacy.lang.tokenizer_exceptions import URL_MATCH
    from spacy.language import BaseDefaults

    number_words = frozenset(defaults.get("number_words", ()))

    def like_num(text: str) -> bool:  # spacy.lang.fr.lex_attrs.like_num, its words from the file
        if text.startswith(("+", "-", "±", "~")):
            text = text[1:]
        text = text.replace(",", "").replace(".", "")
        if text.isdigit():
            return True
        if text.count("/") == 1:
            num, denom = text.split("/")
            if num.isdigit() and denom.isdigit():
                return True
        return text.lower() in number_words

    class Defaults(BaseDefaults):
        tokenizer_exceptions = {text: [{IDS[k]: v for k, v in piece.items()} for piece in pieces]
                                for text, pieces in defaults["exceptions"].items()}
        prefixes = list(defaults["prefixes"])
        suffixes = list(defaults["suffixes"])
        infixes = list(defaults["infixes"])
        url_match = URL_MATCH
        lex_attr_getters = {LIKE_NUM: like_num}

    return type(f"Report{lang.capitalize()}", (Language,), {"lang": lang, "Defaults": Defaults})


def build_pipeline(lang: str, models_dir: str | None = "") -> Language:
    """A blank spaCy pipeline for `lang` with the report rule components; cached per process."""
    return _build_pipeline(lang, str(models_dir or ""))


@lru_cache(maxsize=4)  # called with positional arguments only, so one entry per pipeline
def _build_pipeline(lang: str, models_dir: str) -> Language:
    tokenizer = {"@tokenizers": "report_pipeline.tokenizer.v1", "models_dir": models_dir}
    exported = _exported_language(lang, models_dir)
    if exported is not None:  # spaCy's own defaults, read from models/ (no spacy.lang.<lang> import)
        nlp = exported.from_config({"nlp": {"lang": lang, "tokenizer": tokenizer}})
    else:
        nlp = spacy.blank(lang, config={"nlp": {"tokenizer": tokenizer}})
    # spaCy's 1,000,000-character guard is for the parser and NER, which these pipelines do not
    # have; a report's longest block is bounded by the readers' own size limits instead
    nlp.max_length = 10**9
    rules = load_rules(lang, models_dir or None)
    nlp.add_pipe("sentencizer")
    cfg = {"models_dir": models_dir}
    nlp.add_pipe("report_sentence_repair", config=cfg)
    nlp.add_pipe("report_numbers", config=cfg)
    nlp.add_pipe("report_figure_rules", config=cfg)
    nlp.add_pipe("report_project_rules", config=cfg)
    nlp.add_pipe("report_call_rules", config=cfg)
    known = rules.patterns.get("known_projects", [])
    if known:  # an empty EntityRuler only warns on every document
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(known)
    return nlp
