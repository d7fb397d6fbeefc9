"""The real PDFs of ../shared/corpus/pdf (public test suites: encrypted, broken, scanned, odd fonts).
Not copied into the project: this test runs only where that folder exists."""
import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.readers.ocr import engine_for

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf"
PASSWORDS = {"jsvine_pdfplumber__password-example.pdf": "test", "*aes-256-r6.pdf": "usersecret",
             "py-pdf_pypdf__r6-user-password.pdf": "asdfzxcv"}
# scans and text layers of unmapped glyphs: read by OCR where an engine is installed (issue 14)
OCR_READ = ("jsvine_pdfplumber__issue-203-decimalize.pdf", "pdfminer_pdfminer.six__175.pdf",
            "pymupdf_PyMuPDF__test_3863.pdf", "pymupdf_PyMuPDF__test_3072.pdf", "pymupdf_PyMuPDF__test_3362.pdf")
HAS_OCR = engine_for("auto") is not None
EXPECTED_ERRORS = {
    **({} if HAS_OCR else {name: "no_text_layer" for name in OCR_READ}),
    "jsvine_pdfplumber__empty.pdf": "unreadable_pdf",
    # eight Type 3 glyphs without Unicode mapping; OCR of the page finds no text either
    "pymupdf_PyMuPDF__type3font.pdf": "no_text_layer",
    "qpdf_qpdf__bad-content.pdf": "unreadable_pdf",
    "qpdf_qpdf__fuzz-16214.pdf": "unreadable_pdf",
    "qpdf_qpdf__issue-117.pdf": "unreadable_pdf",
    "qpdf_qpdf__issue-146.pdf": "unreadable_pdf",
    "qpdf_qpdf__issue-335a.pdf": "unreadable_pdf",
    "qpdf_qpdf__empty.pdf": "empty_document",
}


def rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def extract_corpus(tmp_path, inputs: list[str], *options: str) -> tuple[dict, dict]:
    """Run the CLI over the corpus; the documents and errors rows by file name."""
    pw = tmp_path / "pw.json"
    pw.write_text(json.dumps(PASSWORDS), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", *inputs, "--out", str(out), "--passwords", str(pw), *options, "-q"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    docs = {Path(r["source"]).name: r for r in rows(out / "documents.csv")}
    errors = {Path(r["source"]).name: r for r in rows(out / "errors.csv")}
    return docs, errors


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/pdf is not here")
def test_corpus_every_file_is_a_row_with_a_specific_outcome(tmp_path):
    files = sorted(p.name for p in CORPUS.glob("*.pdf"))
    docs, errors = extract_corpus(tmp_path, [str(CORPUS / f) for f in files])
    assert sorted(docs) + sorted(errors) and sorted([*docs, *errors]) == files
    assert {name: r["error"] for name, r in errors.items()} == EXPECTED_ERRORS
    for name in ("jsvine_pdfplumber__password-example.pdf", "pdfminer_pdfminer.six__aes-256-r6.pdf",
                 "py-pdf_pypdf__r6-user-password.pdf", "py-pdf_pypdf__r4-owner-password.pdf"):
        assert name in docs
    assert int(docs["pymupdf_PyMuPDF__mupdf_explored.pdf"]["pages"]) == 285
    assert "could not be read" in docs["pymupdf_PyMuPDF__test_2861.pdf"]["warnings"]
    for r in errors.values():
        assert len(r["message"]) > 30
    if HAS_OCR:
        for name in OCR_READ:
            assert "text recognised by OCR" in docs[name]["warnings"], name
        # a typewritten scan gives its words back: its headings, its figures' sentences
        scan = (tmp_path / "out" / "json" / f"{docs['pdfminer_pdfminer.six__175.pdf']['doc_id']}.json").read_text(
            encoding="utf-8")
        assert "ACCESSORY KIT NO. AK-120A" in scan and "Inflate main gear tires to 19 psi." in scan


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/pdf is not here")
def test_corpus_with_the_pdfium_engine_gives_every_file_a_specific_row(tmp_path):
    files = sorted(p.name for p in CORPUS.glob("*.pdf"))
    docs, errors = extract_corpus(tmp_path, [str(CORPUS)], "--pdf-engine", "pdfium")
    assert sorted(n for n in [*docs, *errors] if n.endswith(".pdf")) == files
    # PDFium reads some files pdfminer cannot, and refuses others outright; never an internal error
    assert {r["error"] for r in errors.values()} <= {"unreadable_pdf", "no_text_layer", "empty_document"}
    assert set(errors) <= set(EXPECTED_ERRORS) | {"py-pdf_sample-files__unreadablemetadata.pdf"}
    assert "jsvine_pdfplumber__password-example.pdf" in docs
    assert int(docs["pymupdf_PyMuPDF__mupdf_explored.pdf"]["pages"]) == 285
