"""A broken rules folder is one RulesError naming the file and line, found before any input is read."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.nlp import build_pipeline
from pipeline.rules import LANGUAGES, RulesError, load_rules, validate_rules

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def models(tmp_path):
    folder = tmp_path / "models"
    shutil.copytree(ROOT / "models", folder)
    return folder


def add_line(path: Path, line: str) -> int:
    """Append a line to a .jsonl file; returns its line number."""
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def add_row(path: Path, row: dict) -> int:
    if path.stem.endswith("_patterns") and "id" not in row:
        row = {"id": "added-rule", **row}  # every matcher rule has a name
    return add_line(path, json.dumps(row, ensure_ascii=False))


@pytest.mark.parametrize("row, expected", [
    ({"label": "CALL", "pattern": [{"LOWER": "ought"}]}, "missing key 'id'"),
    ({"label": "CALL", "id": "has space", "pattern": [{"LOWER": "ought"}]}, "key 'id' must be a name"),
])
def test_a_matcher_rule_needs_a_name(models, row, expected):
    path = models / "en" / "recommendation_patterns.jsonl"
    line = add_line(path, json.dumps(row))
    assert error_of(models).startswith(f"{path}:{line}: {expected}")


def edit_json(path: Path, change) -> None:
    content = json.loads(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(json.dumps(content, ensure_ascii=False, indent=2), encoding="utf-8")


def line_of(path: Path, key: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(f'"{key}"'))


def error_of(models_dir: Path) -> str:
    with pytest.raises(RulesError) as caught:
        validate_rules(str(models_dir))
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_the_project_rules_validate():
    validate_rules(None)
    validate_rules(str(ROOT / "models"))
    for lang in LANGUAGES:
        assert load_rules(lang, str(ROOT / "models")).patterns["figure_patterns"]


def test_an_empty_or_missing_folder_is_not_a_rules_folder(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert error_of(empty) == f"{empty}: not a rules folder (no en/ or fr/ subfolder)"
    assert error_of(tmp_path / "nowhere") == f"{tmp_path / 'nowhere'}: not a rules folder (no such folder)"


def test_every_language_needs_its_folder(models):
    shutil.rmtree(models / "fr")
    assert error_of(models) == f"{models}: no fr/ subfolder (each language needs one: en, fr)"


def test_malformed_json_names_file_and_line(models):
    path = models / "en" / "figures.json"
    line = line_of(path, "unit_skip")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = lines[line - 1].replace('"unit_skip": [', '"unit_skip": [,')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = error_of(models)
    assert message.startswith(f"{path}:{line}: invalid JSON: Expecting value (column ")


def test_a_json_file_must_hold_an_object(models):
    path = models / "common" / "urls.json"
    path.write_text('["example"]\n', encoding="utf-8")
    assert error_of(models) == f'{path}: expected a JSON object {{...}} holding the keys, got a list ["example"]'


def test_a_bad_jsonl_line_names_file_and_line(models):
    path = models / "en" / "recommendation_patterns.jsonl"
    line = add_line(path, '{"label": "CALL", "pattern": [{"LOWER": "we"}, {"LOWER": "urge"}]')
    message = error_of(models)
    assert message.startswith(f"{path}:{line}: invalid JSON: Expecting ',' delimiter (column ")


def test_a_jsonl_row_must_be_an_object(models):
    path = models / "fr" / "recommendation_patterns.jsonl"
    line = add_line(path, '[{"LOWER": "il"}]')
    expected = f'{path}:{line}: expected an object {{"label": ..., "pattern": ...}}, got a list'
    assert error_of(models).startswith(expected)


def test_text_that_is_not_utf8_names_the_line(models):
    path = models / "en" / "project_patterns.jsonl"
    line = add_line(path, "# comment")
    path.write_bytes(path.read_bytes().replace(b"# comment", b"# caf\xe9"))
    assert error_of(models) == f"{path}:{line}: not UTF-8 text (byte 0xe9)"


@pytest.mark.parametrize("token, expected", [
    ({"LOWERR": "the"}, "pattern token 0: unknown attribute 'LOWERR' (did you mean 'LOWER'?)"),
    ({"LOWER": 5}, 'pattern token 0: LOWER must be a string or an object such as {"IN": [...]}, got a number 5'),
    ({"LOWER": {"IN": "the"}}, 'pattern token 0: LOWER: IN must be a list, got a string "the"'),
    ({"LOWER": {"IN": ["the", 3]}}, "pattern token 0: LOWER: IN holds a number 3, not a string"),
    ({"LOWER": {"INN": ["the"]}}, "pattern token 0: LOWER: unknown operator 'INN' (did you mean 'IN'?)"),
    ({"TEXT": {"REGEX": "^(ab"}}, "pattern token 0: TEXT: REGEX '^(ab' is not a regular expression "
                                  "(missing ), unterminated subpattern at position 1)"),
    ({"LOWER": "the", "OP": "{1,x}"},
     "pattern token 0: OP '{1,x}' is not an operator (one of + * ? ! {n} {n,m} {n,} {,m})"),
    ({"POS": "NUMBER"}, "pattern token 0: POS 'NUMBER' is not a part-of-speech tag (one of ADJ, "),
    ({"IS_TITLE": "yes"}, 'pattern token 0: IS_TITLE must be true or false, got a string "yes"'),
    ({"LOWER": None}, "pattern token 0: LOWER is null"),
    ({"_": {"is_number": True}}, "pattern token 0: unknown extension attribute '_.is_number'"),
    ("the", 'pattern token 0: expected an object such as {"LOWER": "word"}, got a string "the"'),
])
def test_a_pattern_spacy_rejects_names_file_line_and_token(models, token, expected):
    path = models / "en" / "figure_patterns.jsonl"
    line = add_row(path, {"label": "NOT_FIGURE", "pattern": [token, {"POS": "NUM"}]})
    assert error_of(models).startswith(f"{path}:{line}: {expected}")


@pytest.mark.parametrize("row, expected", [
    ({"label": 5, "pattern": [{"LOWER": "should"}]}, "key 'label' must be a string, got a number 5"),
    ({"label": ["CALL"], "pattern": [{"LOWER": "should"}]}, 'key \'label\' must be a string, got a list ["CALL"]'),
    ({"label": "CALLS", "pattern": [{"LOWER": "should"}]},
     "unknown label 'CALLS' for recommendation_patterns.jsonl (one of CALL, NOT_CALL)"),
    ({"label": "CALL"}, "missing key 'pattern'"),
    ({"pattern": [{"LOWER": "should"}]}, "missing key 'label'"),
    ({"label": "CALL", "pattern": []}, "key 'pattern' is an empty list"),
    ({"label": "CALL", "pattern": "should"},
     'key \'pattern\' must be a list of token objects, got a string "should"'),
    ({"label": "CALL", "pattern": [{"LOWER": {"IN": "@recommendations.list_trigger"}}]},
     "pattern token 0: unknown reference '@recommendations.list_trigger' "
     "(recommendations.json has no key 'list_trigger')"),
    ({"label": "CALL", "pattern": [{"LOWER": {"IN": "@recomendations.list_triggers"}}]},
     "pattern token 0: unknown reference '@recomendations.list_triggers' (no recomendations.json)"),
    ({"label": "CALL", "pattern": [{"LOWER": {"IN": "@recommendations.min_words"}}]},
     "pattern token 0: '@recommendations.min_words' is a number 3, not a list"),
])
def test_a_bad_row_names_file_and_line(models, row, expected):
    path = models / "fr" / "recommendation_patterns.jsonl"
    line = add_row(path, row)
    assert error_of(models) == f"{path}:{line}: {expected}"


def test_rows_carry_the_keys_the_extractors_read(models):
    figures = models / "en" / "figure_patterns.jsonl"
    line = add_row(figures, {"label": "CURRENCY", "pattern": [{"LOWER": "bucks"}]})
    assert error_of(models) == f"{figures}:{line}: a CURRENCY row needs a key 'value' holding a string"
    shutil.copy(ROOT / "models" / "en" / "figure_patterns.jsonl", figures)
    projects = models / "en" / "project_patterns.jsonl"
    line = add_row(projects, {"label": "PROJECT", "pattern": [{"IS_TITLE": True}], "name": [0]})
    assert error_of(models) == (f"{projects}:{line}: key 'name' must be [start, end] (whole numbers or null) "
                                "or null, got a list [0]")


def test_gazetteer_rows_are_checked_as_the_entity_ruler_reads_them(models):
    path = models / "fr" / "known_projects.jsonl"
    add_row(path, {"label": "PROJECT", "pattern": "AquaLoop", "id": "aqualoop"})
    add_row(path, {"label": "PROJECT", "pattern": [{"LOWER": "aqua"}, {"LOWER": "loop"}]})
    validate_rules(str(models))
    nlp = build_pipeline("fr", str(models))  # what validates, spaCy takes
    assert [e.text for e in nlp("Le projet AquaLoop et aqua loop.").ents] == ["AquaLoop", "aqua loop"]
    line = add_row(path, {"label": "PROJECT", "pattern": "AquaLoop", "id": 7})
    assert error_of(models) == f"{path}:{line}: key 'id' must be a string, got a number 7"
    shutil.copy(ROOT / "models" / "fr" / "known_projects.jsonl", path)
    line = add_row(path, {"label": "PROJECT", "pattern": [{"LOWER": "aqua", "ORTHO": "Loop"}]})
    assert error_of(models) == f"{path}:{line}: pattern token 0: unknown attribute 'ORTHO' (did you mean 'ORTH'?)"


def test_json_keys_have_the_types_the_code_reads(models):
    path = models / "fr" / "numbers.json"
    edit_json(path, lambda c: c.update(scales=["million"]))
    assert error_of(models) == (f"{path}:{line_of(path, 'scales')}: key 'scales' must be an object of numbers, "
                                'got a list ["million"]')
    shutil.copy(ROOT / "models" / "fr" / "numbers.json", path)
    path = models / "en" / "figures.json"
    edit_json(path, lambda c: c["years"].pop("max"))
    assert error_of(models) == (f"{path}:{line_of(path, 'years')}: key 'years' must be an object "
                                "{\"min\": year, \"max\": year}: no 'max'")
    shutil.copy(ROOT / "models" / "en" / "figures.json", path)
    path = models / "en" / "recommendations.json"
    edit_json(path, lambda c: c["leadins"].append("^(we"))
    assert error_of(models).startswith(f"{path}:{line_of(path, 'leadins')}: key 'leadins' must be a list of "
                                       f"regular expressions: item ")


def test_required_keys_and_files(models):
    path = models / "en" / "figures.json"
    edit_json(path, lambda c: c.pop("unit_skip"))
    assert error_of(models) == f"{path}: missing key 'unit_skip' (a list of strings)"
    shutil.copy(ROOT / "models" / "en" / "figures.json", path)
    (models / "fr" / "metadata.json").unlink()
    message = error_of(models)
    assert message.startswith(f"{models / 'fr' / 'metadata.json'}: no such file (the rules need its keys months, ")


def test_load_rules_raises_the_same_one_line_error(models):
    path = models / "fr" / "figure_patterns.jsonl"
    line = add_row(path, {"label": "RANGE", "pattern": [{"POS": "NUM"}, {"LOWERR": "à"}, {"POS": "NUM"}]})
    with pytest.raises(RulesError) as caught:
        load_rules("fr", str(models))
    assert str(caught.value) == f"{path}:{line}: pattern token 1: unknown attribute 'LOWERR' (did you mean 'LOWER'?)"
    assert load_rules("en", str(models)).lang == "en"  # only the French rules are broken


def test_only_file_key_strings_are_references(models):
    path = models / "en" / "recommendation_patterns.jsonl"
    add_row(path, {"label": "CALL", "pattern": [{"ORTH": "@"}, {"LOWER": "team"}]})
    validate_rules(str(models))
    rows = load_rules("en", str(models)).patterns["recommendation_patterns"]
    assert rows[-1]["pattern"][0] == {"ORTH": "@"}


def test_two_rules_of_one_file_cannot_share_an_id(models):
    path = models / "en" / "project_patterns.jsonl"
    line = add_line(path, json.dumps({"label": "PROJECT", "id": "X-project",
                                      "pattern": [{"LOWER": "alliance"}], "name": [0, None]}))
    assert error_of(models).startswith(f"{path}:{line}: id 'X-project' is already the id of")


def test_a_rules_folder_without_stop_words_is_refused(tmp_path):
    """Language detection reads them: without them every French report would read as English."""
    import shutil

    from pipeline.rules import RulesError, validate_rules

    copy = tmp_path / "models"
    shutil.copytree(Path(__file__).resolve().parent.parent / "models", copy)
    (copy / "fr" / "stop_words.json").unlink()
    with pytest.raises(RulesError, match="stop_words"):
        validate_rules(copy)
