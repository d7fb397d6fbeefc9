"""The same report as Markdown/text, PDF (four layouts), DOCX, HTML, PPTX and ODT gives the same rows.

Fixtures are rendered here from the reports in tests/reports and input/ (tests/fixtures/render.py),
extracted in one batch, and scored with the shared scorer against the same gold: every rendition
must score within 0.02 F1 per kind of its original, with the same metadata and sections.
"""
import json
import shutil
from pathlib import Path

import pytest

from eval.score import KINDS, score
from fixtures.render import PDF_LAYOUTS, render_all
from pipeline import extract_paths, write_outputs

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "tests" / "reports", ROOT / "input"]
GOLD = sorted((ROOT / "tests" / "reports" / "gold").glob("*.gold.json")) + sorted((ROOT / "tests" / "gold").glob("*.gold.json"))
VARIANTS = [f"{layout}.pdf" for layout in PDF_LAYOUTS] + ["docx", "html", "pptx", "odt"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    base = tmp_path_factory.mktemp("renditions")
    files = render_all(SOURCES, base / "files")
    assert len(files) == len(GOLD) * len(VARIANTS)
    for name, inputs in (("original", SOURCES), ("rendered", [base / "files"])):
        result = extract_paths(inputs)
        assert not result.errors, result.errors
        write_outputs(result, base / name)
    result = extract_paths(sorted((base / "files").glob("*.pdf")), pdf_engine="pdfium")
    assert not result.errors, result.errors
    write_outputs(result, base / "rendered-pdfium")
    return base


def gold_for(base: Path, variant: str | None) -> Path:
    folder = base / f"gold-{variant or 'original'}"
    folder.mkdir(exist_ok=True)
    for path in GOLD:
        data = json.loads(path.read_text(encoding="utf-8"))
        if variant:
            data["source"] = f"{Path(data['source']).stem}.{variant}"
        (folder / path.name).write_text(json.dumps(data), encoding="utf-8")
    return folder


def summary(out: Path, gold: Path):
    totals, extra, _ = score(out, gold)
    assert not extra["documents_missing"]
    return ({k: totals[k].prf()[2] for k in KINDS},
            extra["meta_ok"] / extra["meta_total"], extra["sections_found"] / extra["sections_gold"])


@pytest.mark.parametrize("variant", VARIANTS)
def test_rendition_scores_like_its_original(extracted, variant):
    f1, meta, sections = summary(extracted / "original", gold_for(extracted, None))
    r_f1, r_meta, r_sections = summary(extracted / "rendered", gold_for(extracted, variant))
    for kind in KINDS:
        assert r_f1[kind] >= f1[kind] - 0.02, (variant, kind, r_f1[kind], f1[kind])
    assert r_meta >= meta - 0.02 and r_sections >= sections - 0.02, (variant, r_meta, meta, r_sections, sections)


def test_fixture_generation_is_deterministic(tmp_path):
    a = render_all([ROOT / "input"], tmp_path / "a")
    b = render_all([ROOT / "input"], tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    shutil.rmtree(tmp_path / "a")


@pytest.mark.parametrize("layout", PDF_LAYOUTS)
def test_pdfium_engine_scores_like_pdfplumber(extracted, layout):
    """`--pdf-engine pdfium` reads every PDF rendition within 0.02 F1 of the default engine."""
    gold = gold_for(extracted, f"{layout}.pdf")
    f1, meta, sections = summary(extracted / "rendered", gold)
    p_f1, p_meta, p_sections = summary(extracted / "rendered-pdfium", gold)
    for kind in KINDS:
        assert p_f1[kind] >= f1[kind] - 0.02, (layout, kind, p_f1[kind], f1[kind])
    assert p_meta >= meta - 0.02 and p_sections >= sections - 0.02, (layout, p_meta, meta, p_sections, sections)
