"""Projects: named projects and initiatives, one row per project per document.

Sources, strongest first: entries of lists or tables introduced as projects
(`ACRONYM: description <url>`), list items that pair a name with a website, token
patterns (`the X project`, `Full Name (ACRONYM)` in a sentence about projects,
`X, funded under ...`) and the gazetteer of known names. Forms of one project
(acronym and full name, `ECoVEM`/`ECOVEM`) are merged; the name is the shortest form.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from .. import text as T
from ..ids import project_key
from ..model import HEADING, PARAGRAPH, Block, Mention, Project
from ..nlp import doc_text, rule_of, sentence_of
from ..rules import Rules
from .confidence import ConfidenceModel, evidence_text
from .context import BlockContext, words_in
from .name_shapes import URLISH as _URLISH
from .name_shapes import Candidate, NameShapes, is_distinctive
from .name_shapes import mostly_capitals as _mostly_capitals

_INITIALS = re.compile(r"[A-Z]\.?-[A-Z]\.?")
_COUNT = re.compile(r"[+~]?\d[\d,.\u202f\u00a0]*[+%]?")
_PAREN = re.compile(r"^(?P<a>.+?)\s*\((?P<b>[^()]+)\)$")
_NAMED_LINK = re.compile(r"(?P<name>(?:[A-Z][\w'’&+.-]*[ -]?){1,4}?)\s*\(\s*<?(?P<url>(?:https?://|www\.)[^)\s]+)>?\s*\)")
_NAME_BEFORE_BRACKET = re.compile(r"(?P<name>(?:[A-Z][\w'’&+.-]*[ -]?){1,4}?)\s*\(\s*$")
_OPENING_NAME = re.compile(r"^([A-Z0-9][A-Za-z0-9+&.-]*[A-Za-z0-9+])(?:(\s*(?:\(|:|–|—|-\s|,))|(?=\s|$))")


@dataclass
class PatternMatch:
    name: str
    alias: str | None
    sent_start: int  # the sentence it stands in, as offsets in the block text
    sent_end: int
    strong: bool = False  # from the gazetteer
    start: int = 0  # the match itself
    end: int = 0
    rule: str = "gazetteer"  # the pattern's id


@dataclass
class ProjectGroup:
    forms: list[str]
    first_block: int
    description: str | None = None
    url: str | None = None
    evidence: list[str] = field(default_factory=list)


# `laminas-mime`, `pydata-sphinx-theme`: a lower-case package name of hyphenated parts
_PACKAGE_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")


class ProjectFinder:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.list_triggers = set(rules.words("projects.list_triggers"))
        self.context_words = set(rules.words("projects.context_words"))
        self.separators = rules.words("projects.item_separators")
        self.determiners = set(rules.words("projects.determiners"))
        self.elided_determiners = tuple(sorted(d for d in self.determiners if d[-1:] in "'’"))
        self.generic = set(rules.words("projects.generic_words"))
        self.not_heads = set(rules.words("projects.not_name_heads"))
        self.website_labels = sorted(rules.words("projects.website_labels"), key=len, reverse=True)
        self.shapes = NameShapes(rules)
        self.not_projects = self.shapes.not_projects
        # `Horizon Europe ABC`, `Erasmus+ XYZ`: a programme's name in front of the project's
        self.programme_prefixes = sorted((x for x in rules.words("projects.not_projects") if x[:1].isupper()),
                                         key=len, reverse=True)
        self.max_words = int(rules.get("projects.max_name_words", 6))
        self.table_columns = {k: [w.lower() for w in v] for k, v in rules.get("projects.table_columns", {}).items()}
        self.common_acronyms = self.shapes.common_acronyms
        self.people_columns = {w.lower() for w in rules.words("projects.people_columns")}
        self.action_words = {w.lower() for w in rules.words("recommendations.imperative_verbs")}
        self.connectors = {w.lower() for w in rules.words("projects.name_connectors")}
        self.event_name_words = {w.lower() for w in rules.words("projects.event_name_words")}
        self.months = {m.lower() for m in rules.get("metadata.months", {})}
        self.sentence_words = self.shapes.sentence_words
        self.languages = {w.lower() for w in rules.words("projects.programming_languages")}
        self.given_names = self.shapes.given_names
        self.particles = set(rules.words("metadata.name_particles"))

    # -- name checks ---------------------------------------------------------------
    def clean_name(self, name: str) -> str | None:
        name = name.strip().strip("*_\"'“”‘’.,;:()[]").strip()
        words = name.split()
        while words and words[0].lower() in self.determiners:
            words = words[1:]
        for elided in self.elided_determiners:  # `l'EPF` -> `EPF`
            if words and words[0].lower().startswith(elided) and len(words[0]) > len(elided) + 1:
                words[0] = words[0][len(elided):]
        name = " ".join(words)
        if not name or len(words) > self.max_words or not any(c.isalpha() for c in name):
            return None
        if name.count("(") != name.count(")") or name.count("[") != name.count("]") \
                or (name.count('"') + name.count("«") + name.count("»")) % 2 or name.count("“") != name.count("”"):
            return None  # a phrase cut inside brackets or quotes (`rubrique "Commentaires`), not a name
        if all(w.lower().strip(".,") in self.generic for w in re.split(r"[\s/]+", name) if w):
            return None
        if project_key(name) in self.not_projects or not project_key(name):
            return None
        if name.isupper() and name in self.common_acronyms:
            return None  # `CI`, `API`: words of the trade
        if words[0].lower().strip(".") in self.months and len(words) > 1 and words[1][:1].isdigit():
            return None  # `May 15, SPECs`: a date heads a line, not a name
        if len(words) > 1 and _COUNT.fullmatch(words[0]) and words[1][:1].isalpha():
            return None  # `31 Participants`, `41 Pull Requests`: a count of things, not a name
        return name

    def _name_like(self, head: str, strong: bool) -> bool:
        if head.lower().strip() in self.not_heads or _URLISH.fullmatch(head.strip()):
            return False
        words = head.split()
        if not words or len(words) > self.max_words:
            return False
        if strong:
            return True
        # outside a list of projects, a name has a distinctive word (`DIHVB`, `PoVE`, `3LoE`) and
        # is mostly capitalised words (`80 open issues on GitHub` is a phrase about a link)
        content = [w for w in words if w.lower() not in self.connectors]
        capitalised = sum(1 for w in content if w[:1].isupper() or is_distinctive(w))
        return any(is_distinctive(w) for w in words) and not head.rstrip().endswith(".") \
            and 2 * capitalised > len(content)

    # -- candidates from structure ---------------------------------------------------
    def split_entry(self, text: str) -> tuple[str, str | None]:
        """`NAME: description` -> (NAME, description); the earliest separator wins."""
        best = None
        for sep in self.separators:
            at = text.find(sep)
            if at > 0 and (best is None or at < best[0]):
                best = (at, sep)
        if best is None:
            return text, None
        at, sep = best
        return text[:at], text[at + len(sep):]

    def _entry(self, block: Block, index: int, strong: bool, url: str | None) -> Candidate | None:
        # the name ends at the first separator of the item, even when a PDF wrapped it over lines;
        # the description is what follows on that line
        head, desc = self.split_entry(block.text)
        first_line = block.lines[0] if block.lines else block.text
        if desc is not None and len(head) < len(first_line):
            desc = self.split_entry(first_line)[1] or desc
        if desc is None:
            head = _URLISH.sub("", head).strip(" ()[]–-")
            if len(head.split()) > 4 and not strong:
                return None
        if not self._name_like(head, strong):
            return None
        aliases: list[str] = []
        m = _PAREN.match(head.strip())
        if m:
            a, b = m.group("a").strip(), m.group("b").strip()
            # `Full Name (ACRONYM)` or `ACRONYM (Full Name)`: the shorter is the name
            head, alias = (b, a) if len(b) < len(a) else (a, b)
            if self.clean_name(alias):
                aliases.append(self.clean_name(alias))
        name = self.clean_name(head)
        if name is None:
            return None
        description = None
        if desc:
            description = _URLISH.sub("", desc).strip(" ,;:–-()[]") or None
        tag = "list:projects-section" if strong else "list:name-url"
        return Candidate(name, index, aliases, description, url, strong=strong, evidence=[tag])

    def _is_project_lead_in(self, text: str) -> bool:
        return bool(words_in(text, self.list_triggers))

    def find(self, ctx: BlockContext) -> list[Candidate]:
        cands: list[Candidate] = []
        blocks = ctx.doc.blocks
        # lists introduced as projects, and items pairing a name with a website
        for run in ctx.list_runs():
            if ctx.is_contents(run):
                continue
            lead = ctx.lead_in(run[0])
            project_list = lead is not None and self._is_project_lead_in(ctx.last_sentence(lead))
            if lead is None:
                headings = ctx.seg.headings_above(ctx.seg.block_section[run[0]])
                project_list = bool(headings) and self._is_project_lead_in(headings[0])
            for i in run:
                urls = ctx.urls[i]
                if not project_list and not urls:
                    continue
                cand = self._entry(blocks[i], i, project_list, urls[0].url if urls else None)
                if cand:
                    cands.append(cand)
        cands.extend(self._named_links(ctx))
        cands.extend(self._heading_subjects(ctx))
        cands.extend(self._section_entries(ctx))
        cands.extend(self._tables(ctx))
        cands.extend(self._patterns(ctx))
        cands.extend(self.shapes.repository_links(ctx))
        cands.extend(self.shapes.software_suffixes(ctx))
        cands.extend(self.shapes.distinctive(ctx, cands))
        cands.extend(self.shapes.acronyms(ctx, cands))
        cands.extend(self.shapes.domain_words(ctx, cands))
        self._website_lines(ctx, cands)
        return cands

    def _named_links(self, ctx: BlockContext) -> list[Candidate]:
        """`Bero-Alerta (www.bero-alerta.eus)`: a name with its website in brackets, in a sentence
        about projects (a context word) or with a distinctive name."""
        cands = []
        for i, block in enumerate(ctx.doc.blocks):
            if block.kind == HEADING:
                continue
            spans = [(m.group("name"), m.start(), m.start("url"), m.end()) for m in _NAMED_LINK.finditer(block.text)
                     ] if "(" in block.text else []  # the expression is slow on long text without brackets
            for link in block.links:  # `Bero-Alerta (website)`, the URL behind the bracketed word
                a, b = link.char_start - block.char_start, link.char_end - block.char_start
                m = _NAME_BEFORE_BRACKET.search(block.text[:a])
                if m and block.text[b:b + 1] == ")":
                    spans.append((m.group("name"), m.start(), a, b))
            for raw_name, start, url_start, end in spans:
                name = self.clean_name(raw_name)
                if not name:
                    continue
                sentence = ctx.sentence_at(i, start)
                if not (any(is_distinctive(w) for w in name.split()) or words_in(sentence, self.context_words)):
                    continue
                url = next((u.url for u in ctx.urls[i] if url_start <= u.char_start < end), None)
                cands.append(Candidate(name, i, [], None, url, evidence=["link:name-url"]))
        return cands

    def _heading_subjects(self, ctx: BlockContext) -> list[Candidate]:
        """`## Keycloak` (or `3.2 Nix`) over text that names it again at least twice: the section
        presents what its heading names (`heading:named-subject`). In a longer heading, a word
        shaped like a name (`### PHPCS is being forked`, `### Maintainers for laminas-mime`) that
        the section repeats twice names its subject too (`heading:named-word`)."""
        cands = []
        blocks = ctx.doc.blocks
        for i, block in enumerate(blocks):
            if block.kind != HEADING or ctx.in_references(i):
                continue
            words = T.strip_heading_number(block.text).strip().split()
            names: list[tuple[str, str]] = []
            if 1 <= len(words) <= 3 and words[0] not in self.sentence_words \
                    and not (len(words) > 1 and all(w.isupper() for w in words)) \
                    and all(w[:1].isupper() or is_distinctive(w) or w.lower() in self.connectors for w in words):
                names.append((" ".join(words), "heading:named-subject"))
            if len(words) > 1 and not all(w.isupper() for w in words):
                for word in (w.strip("()[],.;:!?\"'`*_") for w in words):
                    if len(word) >= 3 and (is_distinctive(word) or _PACKAGE_NAME.fullmatch(word)):
                        names.append((word, "heading:named-word"))
            if not names:
                continue
            body = []
            for later in blocks[i + 1:]:
                if later.kind == HEADING and later.level <= block.level:
                    break  # its subsections still belong to it
                body.append(later.text)
            for raw, tag in names:
                name = self.clean_name(raw)
                if not name:
                    continue
                said = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")
                if sum(len(said.findall(text)) for text in body) >= 2:  # once is a topic title (`License`)
                    cands.append(Candidate(name, i, [], None, None, evidence=[tag]))
        return cands

    def _section_entries(self, ctx: BlockContext) -> list[Candidate]:
        """In a section about projects (`PROJECT UPDATES`), a paragraph that opens with an
        acronym-like name followed by a separator or a bracket (`AQUACYCLE (reuse of ...) - E. J.`)."""
        cands = []
        for i, block in enumerate(ctx.doc.blocks):
            if block.kind != PARAGRAPH:
                continue
            headings = ctx.seg.headings_above(ctx.seg.block_section[i])
            if not headings or not self._is_project_lead_in(headings[0]):
                continue
            m = _OPENING_NAME.match(block.text)
            first_line = block.lines[0] if block.lines else block.text
            if not m or not is_distinctive(m.group(1)) or m.group(1).lower() in self.generic \
                    or m.group(1).lower() in self.not_heads or m.group(1).lower() in self.action_words:
                continue  # `ACTION: ...`, `IMPLEMENT ...`: a label or an order, not a name
            if not m.group(2) and len(first_line.split()) > 10:
                continue  # a sentence that starts with an acronym, not an entry
            name = self.clean_name(m.group(1))
            if name:
                urls = ctx.urls[i]
                cands.append(Candidate(name, i, [], None, urls[0].url if urls else None,
                                       evidence=["section:projects-entry"]))
        return cands

    def _tables(self, ctx: BlockContext) -> list[Candidate]:
        cands = []
        looks_like_header = lambda cells: any(v is not None for v in _table_columns(cells, self.table_columns).values())  # noqa: E731
        for i, header in ctx.table_rows(looks_like_header):
            block = ctx.doc.blocks[i]
            cols = _table_columns(header, self.table_columns)
            if cols.get("name") is None and cols.get("acronym") is None:
                continue
            if any(cell.rstrip().endswith(":") for cell in header) or \
                    any(w in self.people_columns for cell in header for w in re.findall(r"[\w-]+", cell)):
                continue  # `Project: | X | Date:` is a form, `Name | Organisation` a list of people
            cells = block.cells + [""] * (len(header) - len(block.cells))
            acronym = cells[cols["acronym"]] if cols.get("acronym") is not None else ""
            full = cells[cols["name"]] if cols.get("name") is not None else ""
            m = _PAREN.match((acronym or full).strip())
            if m:  # `Full Name (ACRONYM)` in one cell
                a, b = m.group("a").strip(), m.group("b").strip()
                acronym, full = (b, a) if len(b) < len(a) else (a, b)
            name = self.clean_name(acronym or full)
            if not name:
                continue
            aliases = [a for a in [self.clean_name(full)] if a and acronym and a != name]
            urls = ctx.urls[i]
            description = cells[cols["description"]] if cols.get("description") is not None else None
            cands.append(Candidate(name, i, aliases, description or (full if acronym else None),
                                   urls[0].url if urls else None, strong=True, evidence=["table:projects"]))
        return cands

    def match(self, doc) -> list[PatternMatch]:
        """Project mentions in one block's spaCy doc (pattern matches and gazetteer entities)."""
        found = []
        for span in doc.spans.get("project_rules", []):
            sent = sentence_of(doc, span.start)
            if _mostly_capitals(doc_text(doc)[sent.start_char:sent.end_char]):
                continue  # in `2. PROJECT UPDATES` every word looks like an acronym
            rule = rule_of(span, "project_rules")
            name = _before(span, rule["name_before"]) if "name_before" in rule else _slice(span, rule.get("name"))
            alias = _slice(span, rule.get("alias")) if rule.get("alias") else None
            if name and rule.get("trim_lower"):
                if span[-1].is_title and rule.get("name", [0, None])[1] == -1 and \
                        not (" " not in name and is_distinctive(name)):
                    # `the Mosaic Heritage Network` (but `the ICEBREAK Initiative` is ICEBREAK)
                    name = _slice(span, [rule["name"][0], None])
                name = _trim_lower(name, self.connectors)
                words = name.split()
                if len(words) > 1 and words[-1].lower() in self.languages:
                    name = " ".join(words[:-1])  # `the Wikidata Toolkit Java library`: written in Java
            if span.start > sent.start and doc[span.start - 1].lower_ in rule.get("not_after", ()):
                continue  # `Birds of a Feather is a ...`: the name is the end of a longer one
            name = self.clean_name(name) if name else None
            alias = self.clean_name(alias) if alias else None
            if not name:
                continue
            if rule.get("needs_context"):
                if not {t.lower_ for t in doc[sent.start:sent.end]} & self.context_words:
                    continue
                if alias and project_key(alias)[:1] != project_key(name)[:1]:
                    continue  # the acronym does not abbreviate the name
            first = span[0]
            if " " not in name and first.i == sent.start and first.is_title and first.text == name \
                    and "name_before" not in rule:
                continue  # `Publish project results ...`: a capitalised verb, not a name
            found.append(PatternMatch(name, alias, sent.start_char, sent.end_char,
                                      start=span.start_char, end=span.end_char, rule=span.id_))
        for ent in doc.ents:
            if ent.label_ == "PROJECT":
                sent = sentence_of(doc, ent.start)
                found.append(PatternMatch(ent.text, None, sent.start_char, sent.end_char, strong=True,
                                          start=ent.start_char, end=ent.end_char))
        # overlapping matches name one project: keep the one with an alias, then the longest
        kept: list[PatternMatch] = []
        for m in sorted(found, key=lambda m: (m.strong, m.alias is not None, m.end - m.start), reverse=True):
            if not any(k.start < m.end and m.start < k.end for k in kept):
                kept.append(m)
        return sorted(kept, key=lambda m: m.start)

    def _patterns(self, ctx: BlockContext) -> list[Candidate]:
        cands = []
        for i, analysis in enumerate(ctx.analyses):
            for m in analysis.projects:
                urls = [u.url for u in ctx.urls[i] if m.sent_start <= u.char_start < m.sent_end]
                tag = "gazetteer" if m.strong else f"pattern:{m.rule}"
                cands.append(Candidate(m.name, i, [m.alias] if m.alias else [], None,
                                       None if m.strong else (urls[0] if urls else None), strong=m.strong,
                                       evidence=[tag]))
        return cands

    def _website_lines(self, ctx: BlockContext, cands: list[Candidate]) -> None:
        """`Website: www.x.eu` right after a project's block gives its URL."""
        by_block = {}
        for c in cands:
            by_block.setdefault(c.block_index, c)
        for i, block in enumerate(ctx.doc.blocks):
            for n, line in enumerate(block.lines):
                low = line.lower()
                if not any(low.startswith(label) for label in self.website_labels) or not ctx.urls[i]:
                    continue
                target = by_block.get(i) if n > 0 else by_block.get(i - 1)
                if target is not None and target.url is None:
                    target.url = _url_in_line(ctx, i, line)
                    target.evidence.append("line:website")

    # -- rows --------------------------------------------------------------------------
    def rows(self, ctx: BlockContext, confidence: ConfidenceModel,
             min_confidence: float | None = None) -> tuple[list[Project], dict[str, str]]:
        """The document's project rows above the threshold, and the project each URL belongs to
        (URL -> project_id, including projects below the threshold)."""
        # a list of sources names works and publishers, not projects of the report
        candidates = [c for c in self.find(ctx) if not ctx.in_references(c.block_index)]
        projects: list[Project] = []
        url_owner: dict[str, str] = {}
        for g in sorted(self.merge(candidates), key=lambda g: g.first_block):
            name = min(g.forms, key=lambda f: (len(f), g.forms.index(f)))
            pid = project_key(name)
            if any(p.project_id == pid for p in projects):
                continue
            section_id, page = ctx.where(g.first_block)
            mentions = count_mentions(ctx.doc.text, g.forms)
            projects.append(Project(
                project_id=pid, name=name, description=g.description, url=g.url, mentions=mentions,
                section_id=section_id, page=page, aliases=[f for f in g.forms if f != name],
                evidence=list(g.evidence),
            ))
        owner_of: dict[str, str] = {}  # any written form's key -> the first project written so
        for p in projects:
            for form in [p.name] + p.aliases:
                owner_of.setdefault(project_key(form), p.project_id)
        for c in candidates:
            if c.url and project_key(c.name) in owner_of:
                url_owner.setdefault(c.url, owner_of[project_key(c.name)])
        self._domain_urls(ctx, projects, url_owner)
        kept = []
        for p in projects:
            evidence = p.evidence + _signals(p) + self.name_signals([p.name] + p.aliases)
            score = confidence.keep("projects", evidence, min_confidence)
            if score is not None:
                p.evidence, p.confidence = evidence_text(evidence), score
                kept.append(p)
        # every owner, kept or not: a URL's evidence must not depend on the threshold
        return kept, url_owner

    def name_signals(self, forms: list[str]) -> list[str]:
        """What the written forms say against being a project: `BioHackathon Europe`, `OpenSSF
        Presentation` name an event or a session (`event_name_words` of projects.json), unless a
        form says it is a project (`Open Review Initiative`)."""
        found = []
        words = {w.lower().strip("()[],.;:") for f in forms for w in f.split()}
        if words & self.event_name_words and not words & self.context_words:
            found.append("name:event")
        if any(self._person(f) or _INITIALS.fullmatch(f) for f in forms):
            found.append("name:person")  # `J-L` is a person's initials (Jean-Louis)
        return found

    def _person(self, name: str) -> bool:
        """`Anne Tilloy`, `Jonas van den Bogaard`, `Boris DOLLEY`, and a name that ends in one
        (`Red Hat Ana Jiménez`: a company and its speaker run together): a given name, then
        capitalised words or name particles (`given_names` of people.json, `name_particles` of
        metadata.json)."""
        words = name.split()
        for start in range(len(words) - 1):
            rest = words[start + 1:]
            if words[start].casefold() in self.given_names and len(rest) <= 3 and rest[-1][:1].isupper() \
                    and all(_name_word(w) or w in self.particles for w in rest):
                return True
        return False

    @staticmethod
    def _domain_urls(ctx: BlockContext, projects: list[Project], url_owner: dict[str, str]) -> None:
        """A website whose domain names the project (`ruralimob.fr`, `fieldloop.eu/dashboard`)."""
        all_urls = [hit for hits in ctx.urls for hit in hits]
        for p in projects:
            if p.url:
                continue
            keys = [k for k in {project_key(f) for f in [p.name] + p.aliases} if len(k) >= 4]
            hit = next((h for h in all_urls if h.domain and any(k in project_key(h.domain.rsplit(".", 1)[0])
                                                                 for k in keys)), None)
            if hit is not None:
                p.url = hit.url
                p.evidence.append("url:domain-names-project")
                url_owner.setdefault(hit.url, p.project_id)

    # -- merge -------------------------------------------------------------------------
    def without_programme(self, name: str) -> str | None:
        """`Horizon Europe ABC` -> `ABC`; None when no programme's name is in front."""
        for prefix in self.programme_prefixes:
            if name.startswith(prefix + " ") and len(name) > len(prefix) + 2:
                rest = self.clean_name(name[len(prefix) + 1:])
                if rest and rest != name:
                    return rest
        return None

    def merge(self, cands: list[Candidate]) -> list[ProjectGroup]:
        groups: list[ProjectGroup] = []
        index: dict[str, int] = {}
        for c in cands:
            bare = [b for b in (self.without_programme(f) for f in [c.name] + c.aliases) if b]
            if bare:  # the bare name and the name with its programme are one project
                c.aliases = list(dict.fromkeys(c.aliases + [c.name]))
                c.name = bare[0]
            keys = [project_key(f) for f in [c.name] + c.aliases]
            hit = next((index[k] for k in keys if k in index), None)
            if hit is None:
                groups.append(ProjectGroup(forms=[], first_block=c.block_index))
                hit = len(groups) - 1
            g = groups[hit]
            for form in [c.name] + c.aliases:
                if form not in g.forms:
                    g.forms.append(form)
                index.setdefault(project_key(form), hit)
            g.first_block = min(g.first_block, c.block_index)
            g.description = g.description or c.description
            g.url = g.url or c.url
            g.evidence.extend(t for t in c.evidence if t not in g.evidence)
        return groups


def _signals(p: Project) -> list[str]:
    """What the row itself shows: a project named again, with a website, written two ways."""
    found = []
    if p.mentions >= 2:
        found.append("mentions:repeated")
    if p.url:
        found.append("url:given")
    if p.aliases:
        found.append("alias:two-forms")
    if p.description:
        found.append("description:given")
    return found


def _name_word(word: str) -> bool:
    """A capitalised word of letters (`Tilloy`, `DOLLEY`, `Jiménez`, `O'Neil`, `Schneider-Lunitz`)."""
    return word[:1].isupper() and word.replace("-", "").replace("'", "").replace("’", "").isalpha()


def _trim_lower(name: str, connectors: set[str]) -> str:
    """`Terres d'Eau et` -> `Terres d'Eau`; `Värmevakt volunteer` -> `Värmevakt`."""
    words = name.split()
    while len(words) > 1 and (words[-1].lower() in connectors or re.sub(r"^[dlDL]['’]", "", words[-1])[:1].islower()):
        words.pop()
    return " ".join(words)


def _before(span, words: list[str]) -> str | None:
    """`WDumper is a tool ...` -> `WDumper`: the span's words before the first of `words`."""
    stop = {w.lower() for w in words}
    for tok in span:
        if tok.lower_ in stop:
            part = span[:tok.i - span.start]
            return part.text if len(part) else None
    return None


def _slice(span, bounds) -> str | None:
    if bounds is None:
        return span.text
    start, end = bounds
    part = span[start:end] if end is not None else span[start:]
    return part.text if len(part) else None


def _url_in_line(ctx: BlockContext, i: int, line: str) -> str | None:
    for hit in ctx.urls[i]:
        if hit.url.split("://")[-1].rstrip("/").lower() in line.lower():
            return hit.url
    return ctx.urls[i][0].url if ctx.urls[i] else None


def _table_columns(header: list[str], words: dict[str, list[str]]) -> dict[str, int | None]:
    """Which header cell is the acronym, name and description column: the longest phrase wins."""
    cols: dict[str, int | None] = {"acronym": None, "name": None, "description": None}
    for j, cell in enumerate(header):
        best = None
        for key, phrases in words.items():
            for phrase in phrases:
                if phrase == cell or phrase in cell.split() or cell.startswith(phrase):
                    if best is None or len(phrase) > best[1]:
                        best = (key, len(phrase))
        if best and best[0] in cols and cols[best[0]] is None:
            cols[best[0]] = j
    return cols


def _word_char(text: str, i: int) -> bool:
    """Whether text[i] exists and is a regex word character (`\\w`)."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


MENTION_GAP = 3  # forms of one project at most this many characters apart are one mention


def mention_spans(text: str, forms: list[str]) -> list[tuple[int, int]]:
    """Where any written form stands, longest first, spans never overlapping, in text order;
    a run of forms a few characters apart (`Green Skills Lab (GSL)`) is one mention, given by
    its first span."""
    taken = [(a, b) for a, b, _ in _placed_forms(text, dict.fromkeys(forms, ""))]
    return [span for i, span in enumerate(taken) if i == 0 or span[0] - taken[i - 1][1] > MENTION_GAP]


def count_mentions(text: str, forms: list[str]) -> int:
    """Occurrences of any written form, a run of forms counting once; at least 1."""
    return max(1, len(mention_spans(text, forms)))


def mention_rows(ctx: BlockContext, projects: list[Project]) -> list[Mention]:
    """Every mention of the projects kept, in reading order, with its sentence, section and
    page; and each project's `mentions` set to its count. The written forms of all projects
    are placed together, longest first, so words are one project's mention only (`AgroForum`
    inside `AgroForum Drylands` is that longer project's). A project whose forms the text does
    not hold as written has one mention, at the block that named it."""
    text = ctx.doc.text
    owner: dict[str, str] = {}  # written form -> the first project (in reading order) writing it
    for p in projects:
        for form in [p.name] + p.aliases:
            owner.setdefault(form, p.project_id)
    spans = _placed_forms(text, owner)
    starts = [b.char_start for b in ctx.doc.blocks]
    found: list[tuple[int, str, str, str, str | None, int | None]] = []
    last_end: dict[str, int] = {}
    for a, b, pid in spans:
        # `Green Skills Lab (GSL)`: forms of one project a few characters apart are one mention
        if pid in last_end and a - last_end[pid] <= MENTION_GAP:
            last_end[pid] = b
            continue
        last_end[pid] = b
        i = max(0, bisect.bisect_right(starts, a) - 1)
        section_id, page = ctx.where(i)
        found.append((a, pid, text[a:b], ctx.sentence_at(i, a - ctx.doc.blocks[i].char_start).strip(),
                      section_id, page))
    counted = {pid for _, pid, *_ in found}
    for p in projects:
        if p.project_id not in counted:
            found.append((len(text), p.project_id, p.name, "", p.section_id, p.page))
    found.sort(key=lambda m: (m[0], m[1]))
    counts = Counter(pid for _, pid, *_ in found)  # every project has a row, the fallback included
    for p in projects:
        p.mentions = counts[p.project_id]
    return [Mention(mention_id=f"m{n}", project_id=pid, text=written, sentence=sentence, section_id=section_id,
                    page=page)
            for n, (_, pid, written, sentence, section_id, page) in enumerate(found, start=1)]


def _placed_forms(text: str, owner: dict[str, str]) -> list[tuple[int, int, str]]:
    """(start, end, project_id) of every written form at word boundaries, longest forms placed
    first, never overlapping, in text order."""
    taken: list[tuple[int, int, str]] = []
    for form in sorted(owner, key=lambda f: (-len(f), f)):
        if not form:
            continue
        # str.find, then the word-boundary test: a regex per form over a long report is slow
        at = text.find(form)
        while at >= 0:
            end = at + len(form)
            if not _word_char(text, at - 1) and not _word_char(text, end):
                k = bisect.bisect_left(taken, (end, -1, ""))
                if k == 0 or taken[k - 1][1] <= at:
                    taken.insert(k, (at, end, owner[form]))
            at = text.find(form, at + 1)
    return taken
