"""Names found by their shape rather than by what the text says of them: camel-case and
letter-digit names (`VacancyLens`, `TalentMap360`), acronyms a report keeps using (`ENA`,
`DCAT-AP`), software packages by their suffix (`Yao.jl`) and software named by a link to its
repository (`[ddeboer/imap](https://github.com/ddeboer/imap)`). Each candidate names its
evidence (`shape:*`, `link:code-repository`); the word lists are in `models/<lang>/projects.json`
and `models/common/projects.json`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ids import fold, project_key
from ..model import HEADING
from ..rules import Rules
from .context import BlockContext

URLISH = re.compile(r"(?:https?://|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/\S*)?", re.I)
# `ENA`, `DCAT-AP`, `TES-K`, `CV32E40P`: two or more capitals, maybe digits and hyphens
# (one unambiguous token pattern, the two capitals counted in code: no backtracking on long runs)
_ACRONYM = re.compile(r"(?<![\w./@-])([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)(?![\w@-]|\.\w)")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_WORD = re.compile(r"(?<![\w./@-])[^\W\d_][\w]*(?![\w@-]|\.\w)")
# `eProcurement`, `ECatalogue`, `mHealth`: a one-letter prefix on a word (of digital_field_words)
_E_COMPOUND = re.compile(r"[eEmMi][A-Z][a-z]+")
# `dElectricite`, `lEurope`: a French elision whose apostrophe was lost
_ELIDED = re.compile(r"[dlDL][A-ZÀ-Ý][a-zà-ÿ]{3,}")
# `VacancyLens`, `TalentMap360`, `Skills2Market`, `eTwinning`, `RDFShape`, `WDumper`: a capital
# or a digit inside one word that also has lower-case letters
# (each part starts with a capital or a whole run of digits, and a leading run of capitals ends
# right before the capital that opens a lower-case part, so a word splits one way only)
_CAMEL = re.compile(r"(?<![\w@/.-])((?:[A-Z]{1,8}(?=[A-Z][a-z])|[A-Z][a-z]+|[a-z]+)(?:[A-Z][a-z]*|\d+(?!\d)[a-z]*)+)(?![\w@/-])"
                    r"((?:\s[A-Z][a-z]+(?:[A-Z][a-z]+)*(?![\w@/-])){0,2})")


def is_distinctive(word: str) -> bool:
    """A word shaped like a name: two capitals (`DIHVB`, `PoVE`), a capital inside (`CoolStreets`)
    or letters mixed with digits (`3LoE`, `EXAM4.0`)."""
    word = word.strip("()[],.;:")
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2:
        return False
    capitals = sum(c.isupper() for c in letters)
    inner_capital = any(c.isupper() for c in word[1:])
    digits = any(c.isdigit() for c in word)
    return capitals >= 2 or (inner_capital and any(c.islower() for c in word)) or (digits and len(letters) >= 2)


@dataclass
class Candidate:
    name: str
    block_index: int
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    url: str | None = None
    strong: bool = False  # from a list/table of projects: trusted without context
    evidence: list[str] = field(default_factory=list)  # the rules that found it (confidence.json)


def mostly_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.7 * len(letters)


def _coined(word: str) -> bool:
    """A coined name (`RDFShape`, `WESkit`, `BiBiGrid`, `DevStats`, `ZeroCostDL4Mic`) rather than
    words run together as an identifier (`AnatomicalStructure`, `LoadBalancer`): a run of
    capitals, a digit, or a part of three letters or fewer."""
    first = word.split()[0]
    if re.search(r"[A-Z]{2}|\d", first):
        return True
    parts = re.findall(r"[A-Z]?[a-z]+", first)
    return len(parts) >= 2 and any(len(p) <= 3 for p in parts)


class NameShapes:
    def __init__(self, rules: Rules) -> None:
        self.generic = set(rules.words("projects.generic_words"))
        self.sentence_words = set(rules.words("projects.sentence_words"))
        self.not_distinctive = {w.lower() for w in rules.words("projects.not_distinctive")}
        self.not_projects = {project_key(x) for x in rules.words("projects.not_projects")}
        self.code_hosts = {h.lower() for h in rules.words("projects.code_hosts")}
        suffixes = "|".join(re.escape(x.lstrip(".")) for x in rules.words("projects.software_suffixes"))
        self.suffixed = re.compile(rf"(?<![\w./@-])([A-Za-z][\w-]*\.(?:{suffixes}))(?![\w/@-]|\.\w)") if suffixes else None
        self.common_acronyms = {a.upper() for a in rules.words("projects.common_acronyms")}
        self.speech_verbs = {w.lower() for w in rules.words("projects.speech_verbs")}
        self.given_names = {w.casefold() for w in rules.words("people.given_names")}
        self.digital_fields = {w.lower() for w in rules.words("projects.digital_field_words")}
        self.platform_domains = {w.lower() for w in rules.words("projects.platform_domains")}

    def repository_links(self, ctx: BlockContext) -> list[Candidate]:
        """`[ddeboer/imap](https://github.com/ddeboer/imap)`: a link to a code repository or package
        page whose text is the repository's name names a software project."""
        cands = []
        for i, block in enumerate(ctx.doc.blocks):
            for link in block.links:
                text = ctx.doc.text[link.char_start:link.char_end].strip(" `*_\"'“”«»‘’")
                m = re.match(r"^(?:https?://)?([^/]+)/(.+?)/?$", link.url.split("#")[0].split("?")[0])
                if not m or m.group(1).lower() not in self.code_hosts or not text or " " in text \
                        or URLISH.match(text) or not any(c.isalpha() for c in text):
                    continue
                # the repository itself (`owner/repo`, `project/name`), not an issue or a pull request
                parts = m.group(2).split("/")
                if len(parts) != 2:
                    continue
                repo = parts[1].lower()
                if project_key(text.rsplit("/", 1)[-1]) != project_key(repo) or not project_key(repo):
                    continue
                cands.append(Candidate(text, i, [], None, link.url, evidence=["link:code-repository"]))
        return cands

    def domain_words(self, ctx: BlockContext, found: list[Candidate]) -> list[Candidate]:
        """`Prodige` and prodige-opensource.org, `Acceslibre` and acceslibre.beta.gouv.fr: a word
        the report writes capitalised, at least twice and once inside a sentence, that a label of
        one of its web addresses spells (accents and case aside), names the project the site is
        for. Platforms and parts of sites (`github`, `docs`, `events`) are no such label."""
        known = {project_key(c.name) for c in found}
        labels: dict[str, str] = {}  # folded label -> the address it came from (first met)
        for hits in ctx.urls:
            for hit in hits:
                parts = (hit.domain or "").lower().split(".")[:-1]  # the top-level domain names nothing
                for label in parts:
                    for word in {label, label.split("-")[0]}:
                        if len(word) >= 4 and word.isalpha() and word not in self.platform_domains:
                            labels.setdefault(fold(word), hit.url)
        if not labels:
            return []
        forms: dict[str, list[tuple[str, int]]] = {}
        text = ctx.doc.text
        for m in _WORD.finditer(text):
            key = fold(m.group())
            if key in labels:
                forms.setdefault(key, []).append((m.group(), m.start()))
        cands = []
        for key, seen in forms.items():
            written = [w for w, _ in seen]
            if len(seen) < 2 or any(w.islower() for w in written) or any(w.isupper() and len(w) > 1 for w in written[:1]):
                continue  # a common word (`cartes`), or an acronym the acronym shape already reads
            inside = [at for _, at in seen if text[:at].rstrip()[-1:] not in ("", ".", "!", "?", ":", "\n")]
            name = max(written, key=written.count)  # the first form met wins a tie: deterministic
            if not inside or project_key(name) in known or name.lower() in self.generic \
                    or name.casefold() in self.given_names or project_key(name) in self.not_projects:
                continue
            first = next((i for i, b in enumerate(ctx.doc.blocks) if name in b.text), 0)
            cands.append(Candidate(name, first, [], None, labels[key], evidence=["url:domain-word"]))
        return cands

    def software_suffixes(self, ctx: BlockContext) -> list[Candidate]:
        """`Yao.jl`, `Images.jl`, `d3.js`: a name with a software package's suffix."""
        if self.suffixed is None:
            return []
        pattern = self.suffixed
        cands = []
        for i, block in enumerate(ctx.doc.blocks):
            if ctx.in_references(i):
                continue
            for m in pattern.finditer(block.text):
                if not any(u.char_start <= m.start() < u.char_end for u in ctx.urls[i]):
                    cands.append(Candidate(m.group(1), i, [], None, None, evidence=["shape:software-suffix"]))
        return cands

    def acronyms(self, ctx: BlockContext, found: list[Candidate]) -> list[Candidate]:
        """Acronyms a report keeps using (`ENA`, `DCAT-AP`, `TES-K`) in its sentences, except
        the common abbreviations of the trade (`API`, `PDF`, `FAIR`)."""
        known = {project_key(f) for c in found for f in [c.name] + c.aliases}
        seen: dict[str, list[int]] = {}
        people: set[str] = set()
        for i, block in enumerate(ctx.doc.blocks):
            if block.kind == HEADING or ctx.in_references(i) or mostly_capitals(block.text):
                continue
            for m in _ACRONYM.finditer(block.text):
                if sum(c.isupper() for c in m.group(1)) < 2:
                    continue
                rest = block.text[m.end():m.end() + 20].lstrip()
                if rest.startswith(":") and m.start() == 0 or (rest.split()[:1] and rest.split()[0].lower() in self.speech_verbs):
                    people.add(m.group(1))  # `BVN proposed ...`, `SVH: ...`: a person's initials
                # the words right before and after, from a bounded window (long blocks stay linear)
                before = block.text[max(0, m.start() - 64):m.start()].split()[-1:]
                after = block.text[m.end():m.end() + 64].split()[:1]
                if any(w.isupper() and sum(c.isalpha() for c in w) >= 2 for w in before + after):
                    continue  # a word of a name in capitals (`TALENT JOURNEY`), not an acronym
                if any(w[:1] in "{}?" or w[-1:] in "{}" for w in before + after):
                    continue  # a keyword of code or a query (`} UNION {`, `WHERE ?x`)
                seen.setdefault(m.group(1), []).append(i)
        cands = []
        for word, blocks in seen.items():
            key = project_key(word)
            if len(set(blocks)) < 2 or len(word) < 3 or key in known or word.upper() in self.common_acronyms \
                    or key in self.not_projects or _ROMAN.match(word) or word in people:
                continue
            cands.append(Candidate(word, blocks[0], [], None, None, evidence=["shape:acronym-repeated"]))
        return cands

    def distinctive(self, ctx: BlockContext, found: list[Candidate]) -> list[Candidate]:
        """Camel-case or letter-digit names (`VacancyLens`, `TalentMap360`) that a report uses
        as names: in a heading, or at least twice. Brands and other such words are in
        `not_distinctive` of projects.json."""
        known = {project_key(f) for c in found for f in [c.name] + c.aliases}
        seen: dict[str, list[int]] = {}
        in_heading: set[str] = set()
        longer: dict[str, str] = {}
        for i, block in enumerate(ctx.doc.blocks):
            if ctx.in_references(i):
                continue
            for word, more in _CAMEL.findall(block.text):
                if sum(c.isalpha() for c in word) < 3:
                    continue  # `v0`, `q1`, `x86`: versions and labels
                # `AgroForum Drylands`: capitalised words right after belong to the name when
                # the report writes them together again (not a speaker's given name: `LambdaTest Lenka`)
                if more and not any(w.lower() in self.generic or w in self.sentence_words
                                    or w.casefold() in self.given_names for w in more.split()):
                    longer.setdefault(word, word + more)
                    if longer[word] == word + more and (word + more) in seen:
                        word += more
                    elif (word + more) not in seen:
                        seen.setdefault(word + more, [])
                seen.setdefault(word, []).append(i)
                if block.kind == HEADING:
                    in_heading.add(word)
        seen = {w: blocks for w, blocks in seen.items() if blocks}
        cands = []
        for word, blocks in seen.items():
            key = project_key(word)
            if re.search(r"[A-Z]s$", word.split()[0]):
                continue  # `CoVEs`, `SMEs`: the plural of an acronym names a kind of thing
            if (_E_COMPOUND.fullmatch(word) and word[1:].lower() in self.digital_fields) or _ELIDED.fullmatch(word):
                continue  # `eProcurement`, `eSignature`, `mHealth`: a field of work gone digital
            if key in known or any(k.startswith(key) for k in known) or word.lower() in self.not_distinctive \
                    or key in self.not_projects or word.upper() in self.common_acronyms:
                continue  # `SoilWitness` of `SoilWitness Europe` is the same project
            if word[:1].islower() and sum(c.isupper() for c in word) >= 2:
                continue  # `citesAsAuthority`, `usesDataFrom`: an identifier of code, not a name
            tag = "shape:in-heading" if word in in_heading else "shape:repeated" if len(blocks) >= 2 \
                else "shape:coined-once" if _coined(word) else "shape:camel-once"
            cands.append(Candidate(word, blocks[0], [], None, None, evidence=[tag]))
        return cands
