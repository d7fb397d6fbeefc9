"""OCR of PDF pages without a text layer (issue 14): pages rendered as pictures of themselves
(tests/fixtures/render.make_image_pdf) are read back through the engine installed, through the
same layout module, into the same rows. Tests of an engine skip where it is not installed."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.render import make_image_pdf, render_pdf

from pipeline import extract_file
from pipeline.cli import main
from pipeline.errors import ReportError
from pipeline.readers import ocr as ocr_module
from pipeline.readers import read_document

REPORT = """# Regional Innovation Forum 2024

Lyon, 12 March 2024.

## Results

The call received 84 projects from 1741 organisations in 55 countries.
The programme has a budget of 7 billion euros.

## Compte rendu

La conférence a réuni 350 participants à Lyon, où les élèves ont présenté leurs créations.
"""
ENGINES = [e for e in ("tesseract", "rapidocr") if ocr_module.engine_for(e) == e]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    base = tmp_path_factory.mktemp("ocr")
    source = base / "forum.md"
    source.write_text(REPORT, encoding="utf-8")
    text_pdf = render_pdf(read_document(source), base / "forum.pdf")
    return {"text": text_pdf, "image": make_image_pdf(text_pdf, base / "forum-scan.pdf", scan=True)}


@pytest.mark.parametrize("engine", ENGINES or [pytest.param("none", marks=pytest.mark.skip("no OCR engine"))])
def test_an_image_only_pdf_is_read_by_ocr(pdfs, engine):
    report = extract_file(pdfs["image"], ocr_engine=engine)
    assert any("text recognised by OCR" in w for w in report.document.warnings.split("; "))
    values = {float(f.value) for f in report.figures}
    if engine == "tesseract":  # words, spaces and accents as written (see the README's measurements)
        assert {84, 1741, 55, 7_000_000_000, 350} <= values
        assert report.document.title.startswith("Regional Innovation Forum")
        assert "élèves ont présenté leurs créations" in " ".join(f.sentence for f in report.figures)
    else:
        assert {1741, 350} <= values


def test_without_ocr_an_image_only_pdf_has_no_text_layer(pdfs):
    with pytest.raises(ReportError) as err:
        read_document(pdfs["image"], ocr="off")
    assert err.value.kind == "no_text_layer"
    result = CliRunner().invoke(main, ["extract", str(pdfs["image"]), "--out", str(pdfs["image"].parent / "off"),
                                       "--ocr", "off", "-q"])
    assert result.exit_code == 1
    assert "no_text_layer" in (pdfs["image"].parent / "off" / "errors.csv").read_text(encoding="utf-8")


@pytest.mark.skipif(not ENGINES, reason="no OCR engine")
def test_only_the_pages_without_text_are_recognised(pdfs, tmp_path):
    mixed = make_image_pdf(pdfs["text"], tmp_path / "mixed.pdf", pages=[1])
    doc = read_document(mixed)
    ocr_warnings = [w for w in doc.warnings if "OCR" in w]
    assert len(ocr_warnings) == 1 and ocr_warnings[0].startswith("page(s) 1:")
    forced = read_document(pdfs["text"], ocr="force")
    assert any(w.startswith("page(s) 1") and "OCR" in w for w in forced.warnings)


def test_ocr_asked_for_without_an_engine_is_a_specific_error(pdfs, monkeypatch):
    monkeypatch.setattr(ocr_module, "engine_for", lambda choice: None)
    with pytest.raises(ReportError) as err:
        read_document(pdfs["image"], ocr="force")
    assert err.value.kind == "no_text_layer" and "no OCR engine is installed" in err.value.message
    # auto without an engine: the text layer's own diagnosis, with its hint
    with pytest.raises(ReportError) as err:
        read_document(pdfs["image"])
    assert err.value.kind == "no_text_layer" and "OCR" in err.value.message


def test_the_cli_offers_the_ocr_modes_and_engines():
    out = CliRunner().invoke(main, ["extract", "--help"]).output
    assert "--ocr [auto|off|force]" in out and "--ocr-engine [auto|tesseract|rapidocr]" in out
    bad = CliRunner().invoke(main, ["extract", "--ocr", "sometimes", "input"])
    assert bad.exit_code == 2


@pytest.mark.skipif(not ENGINES, reason="no OCR engine")
def test_a_rerun_after_an_engine_is_installed_reads_the_scan(pdfs, tmp_path, monkeypatch):
    """Runs record the engine found: a scan that failed for want of one is tried again."""
    from pipeline.batch import run_batch

    real = ocr_module.engine_for
    monkeypatch.setattr(ocr_module, "engine_for", lambda choice: None)
    first = run_batch([pdfs["image"]], tmp_path / "out", jobs=1)
    assert [e.error for e in first.result.errors] == ["no_text_layer"]
    monkeypatch.setattr(ocr_module, "engine_for", real)
    second = run_batch([pdfs["image"]], tmp_path / "out", jobs=1)
    assert not second.result.errors and second.skipped == 0


@pytest.mark.skipif(not ENGINES, reason="no OCR engine")
def test_pages_the_engine_fails_on_are_named(pdfs, tmp_path, monkeypatch):
    two = make_image_pdf(pdfs["text"], tmp_path / "two.pdf")  # every page an image
    real = ocr_module.recognise_pages

    def failing_second(path, source, password, numbers, engine, ocr, settings):
        out, confidence, failures = real(path, source, password, [n for n in numbers if n != 2], engine, ocr,
                                         settings)
        return out, confidence, {**failures, **({2: "exit status 1"} if 2 in numbers else {})}

    monkeypatch.setattr(ocr_module, "recognise_pages", failing_second)
    doc = read_document(two)
    if doc.pages >= 2:
        assert any(w.startswith("page(s) 2: OCR failed") for w in doc.warnings)
        assert not any(w.startswith("page(s) 1-2: text recognised") for w in doc.warnings)


@pytest.mark.skipif(not ENGINES, reason="no OCR engine")
def test_a_batch_password_does_not_stop_ocr_of_a_scan_that_needs_none(pdfs, tmp_path):
    import pypdfium2 as pdfium
    from reportlab.lib import pdfencrypt
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    page = pdfium.PdfDocument(str(pdfs["text"]))[0]
    image = page.render(scale=200 / 72, grayscale=True).to_pil()
    width, height = page.get_width(), page.get_height()
    path = tmp_path / "owner-only.pdf"
    canvas = Canvas(str(path), pagesize=(width, height), invariant=1,
                    encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=0))
    canvas.drawImage(ImageReader(image), 0, 0, width, height)
    canvas.showPage()
    canvas.save()
    doc = read_document(path, password="for-another-file")
    assert any("text recognised by OCR" in w for w in doc.warnings)
