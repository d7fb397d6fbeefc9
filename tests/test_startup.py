"""Start-up cost, asserted by what is imported or built, never by time (issue 13): `--help`
and `--version` load no spaCy, pandas or PDF library; an English batch never builds (nor
imports) the French pipeline. Each check runs in a fresh interpreter, as a user's command does."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("spacy", "pandas", "pdfplumber", "pdfminer", "pypdfium2", "thinc", "numpy")


def _run(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_help_and_version_import_nothing_heavy():
    for args in (["--help"], ["--version"], ["extract", "--help"]):
        loaded = _run(f"""
import json, sys
from click.testing import CliRunner
from pipeline.cli import main
result = CliRunner().invoke(main, {args!r})
assert result.exit_code == 0, result.output
print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))
""")
        assert loaded == [], (args, loaded)


def test_an_english_batch_never_builds_the_french_pipeline(tmp_path):
    english = ROOT / "input" / "ecovem-conference-report-2022.md"
    french = ROOT / "tests" / "reports" / "compte-rendu-mobilites-rurales-2022.md"
    code = """
import json, sys
from pipeline.batch import run_batch
from pipeline import nlp
run_batch({inputs!r}, {out!r}, jobs=1)
print(json.dumps({{"fr_imported": "spacy.lang.fr" in sys.modules, "built": nlp._build_pipeline.cache_info().currsize}}))
"""
    state = _run(code.format(inputs=[str(english)], out=str(tmp_path / "en")))
    assert state == {"fr_imported": False, "built": 1}
    # a French report in the batch builds its pipeline when it comes, from spaCy's French
    # defaults as models/fr/spacy_defaults.json holds them: spacy.lang.fr is never imported
    state = _run(code.format(inputs=[str(english), str(french)], out=str(tmp_path / "both")))
    assert state == {"fr_imported": False, "built": 2}


def test_a_markdown_batch_never_imports_the_pdf_or_html_libraries(tmp_path):
    """Each format's reader comes with the first file of that format."""
    code = """
import json, sys
from pipeline.batch import run_batch
run_batch({inputs!r}, {out!r}, jobs=1)
print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {{"pdfplumber", "pdfminer", "pypdfium2", "bs4", "docx"}})))
"""
    loaded = _run(code.format(inputs=[str(ROOT / "input" / "ecovem-conference-report-2022.md")],
                              out=str(tmp_path / "md")))
    assert loaded == []
    html = tmp_path / "page.html"
    html.write_text("<html><body><h1>Forum 2024</h1><p>84 projects took part.</p></body></html>")
    loaded = _run(code.format(inputs=[str(html)], out=str(tmp_path / "html")))
    assert loaded == ["bs4"]


def test_the_pipeline_config_names_the_report_tokenizer():
    """spaCy builds our tokenizer directly (its default one, built first and thrown away, cost
    a fifth of a second per language)."""
    from pipeline.nlp import build_pipeline

    nlp = build_pipeline("en")
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "report_pipeline.tokenizer.v1"
    assert [t.text for t in nlp.tokenizer("30–40 projects, €5bn")] == ["30", "–", "40", "projects", ",", "€", "5", "bn"]


def test_building_a_language_pipeline_does_not_count_against_the_time_limit(tmp_path, monkeypatch):
    """A language's first document would otherwise pay its pipeline's build (seconds for
    French) out of its own --timeout."""
    import time

    from pipeline import batch
    from pipeline.batch import Settings, Task, process_one

    def slow_build(doc, models_dir=None):
        time.sleep(1.5)
        return "en"

    monkeypatch.setattr(batch, "prepare_language", slow_build)
    report = ROOT / "input" / "ecovem-conference-report-2022.md"
    status, _ = process_one(Task(path=str(report), source="r.md", sha256="", password=None), Settings(timeout=1.0))
    assert status == "ok"


def test_the_exported_french_defaults_are_spacys_own():
    """models/fr/spacy_defaults.json equals what the installed spaCy's French defaults give
    (after a spaCy upgrade: python tests/tools/export_spacy_defaults.py), and the pipeline built
    from it tokenizes as spaCy's French would, like_num included."""
    sys.path.insert(0, str(ROOT / "tests" / "tools"))
    from export_spacy_defaults import TARGET, exported

    shipped = json.loads(TARGET.read_text(encoding="utf-8"))
    fresh = exported()
    assert {k: v for k, v in shipped.items() if k != "_doc"} == {k: v for k, v in fresh.items() if k != "_doc"}

    import spacy
    from spacy.lang.fr.lex_attrs import like_num

    from pipeline.nlp import _report_tokenizer, build_pipeline
    from pipeline.rules import load_rules

    ours = build_pipeline("fr").tokenizer
    # the same tokenizer settings on spaCy's own French language (what the pipeline used before)
    theirs = _report_tokenizer(spacy.blank("fr"), load_rules("fr"))
    text = ("Aujourd'hui, l'Association a réuni 1 741 organisations (soit 27 %) : c.-à-d. vingt-deux "
            "régions, mille élèves, M. Dupont et Mme Durand ; voir https://exemple.fr/a-b?x=1 DCAT-AP.")
    assert [t.text for t in ours(text)] == [t.text for t in theirs(text)]
    assert [t.like_num for t in ours(text)] == [like_num(t.text) for t in theirs(text)]
