"""The spaCy layer: gating patterns by their required words never changes what they find,
sentence bounds and number tokens are what spaCy itself would say."""
from pathlib import Path

import pytest
from spacy.matcher import Matcher

from pipeline.extractors.language import detect_language
from pipeline.extractors.projects import count_mentions
from pipeline.nlp import build_pipeline, numbers_in, rule_of, rule_value, sentences
from pipeline.readers import read_document

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted(p for folder in (ROOT / "tests" / "reports", ROOT / "input") for p in folder.glob("*.*")
                 if p.suffix in (".md", ".txt"))
COMPONENTS = ("report_figure_rules", "report_project_rules", "report_call_rules")


@pytest.fixture(scope="module")
def processed():
    docs = []
    for path in REPORTS:
        document = read_document(path, None)
        nlp = build_pipeline(detect_language(document.text))
        docs.extend(nlp.pipe(b.text for b in document.blocks))
    return docs


def test_gated_patterns_find_what_an_ungated_matcher_finds(processed):
    checked = 0
    for doc in processed:
        for name in COMPONENTS:
            component = build_pipeline(doc.lang_).get_pipe(name)
            plain = Matcher(doc.vocab)
            for key, pattern, _, _ in component.rows:
                plain.add(key, [pattern], greedy="LONGEST")
            expected = sorted((start, end, doc.vocab.strings[m]) for m, start, end in plain(doc, allow_missing=True))
            found = sorted((s.start, s.end, f"{s.label_}:{s.id_}") for s in component.matches(doc))
            assert found == expected, (name, doc.text[:80])
            checked += len(expected)
    assert checked > 300  # the reports do exercise the patterns


def test_rule_spans_carry_their_pattern_row(processed):
    labels = {rule_of(span, "call_rules")["label"] for doc in processed for span in doc.spans["call_rules"]}
    assert labels == {"CALL", "NOT_CALL"}
    assert {span.id_ for doc in processed for span in doc.spans["call_rules"]} >= {"should", "need-to"}
    figure_values = {rule_value(span, "figure_rules") for doc in processed for span in doc.spans["figure_rules"]
                     if span.label_ == "CURRENCY"}
    assert "EUR" in figure_values
    qualifiers = {rule_value(span, "figure_rules") for doc in processed for span in doc.spans["figure_rules"]
                  if span.label_ == "QUALIFIER"}
    assert {"gt", "approx"} <= qualifiers


def test_sentence_bounds_match_spacy(processed):
    for doc in processed:
        assert [(s.start, s.end, s.start_char, s.end_char) for s in sentences(doc)] == \
               [(s.start, s.end, s.start_char, s.end_char) for s in doc.sents]


def test_number_tokens_are_pos_num_with_values():
    nlp = build_pipeline("en")
    doc = nlp("We funded 1,741 organisations with EUR 3.5bn and eleven pilots at 10:00.")
    nums = {doc[i].text: m.value for i, m in numbers_in(doc).items()}
    assert nums == {"1,741": 1741, "3.5bn": 3_500_000_000, "eleven": 11}
    assert [t.text for t in doc if t.pos_ == "NUM"] == ["1,741", "3.5bn", "eleven"]
    assert doc[2]._.is_num and doc[2]._.num == 1741 and not doc[0]._.is_num


def test_count_mentions_whole_words_longest_first():
    text = "GSL met. Green Skills Lab (GSL) said GSLX is not GSL, nor is preGSL. gsl is lower case."
    assert count_mentions(text, ["GSL", "Green Skills Lab"]) == 3
    assert count_mentions("nothing here", ["GSL"]) == 1  # a named project counts once at least


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_components_declare_what_they_assign_and_require(lang):
    analysis = build_pipeline(lang).analyze_pipes(pretty=False)
    assert not any(analysis["problems"].values())
    summary = analysis["summary"]
    assert summary["report_numbers"]["retokenizes"] and "token.pos" in summary["report_numbers"]["assigns"]
    assert summary["report_figure_rules"]["requires"] == ["token.pos"]
    assert all(summary[name]["assigns"] == ["doc.spans"]
               for name in ("report_figure_rules", "report_project_rules", "report_call_rules"))


def test_elisions_split_only_in_french():
    fr = [t.text for t in build_pipeline("fr")("plus d’euros et l’outil")]
    en = [t.text for t in build_pipeline("en")("d’Artagnan's sword")]
    assert "euros" in fr and "outil" in fr
    assert "d’Artagnan" in en


def test_building_pipelines_again_does_not_grow_a_registry():
    import pipeline.nlp as nlp_module
    assert not hasattr(nlp_module, "_RULE_ROWS")
    component = build_pipeline("en").get_pipe("report_call_rules")
    assert {row["id"] for row in component.row_by_id.values()} >= {"should", "need-to"}
