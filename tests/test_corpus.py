"""The real PDFs of ../shared/corpus/pdf (public test suites: encrypted, broken, scanned, odd fonts).
Not copied into the project: this test runs only where that folder exists."""
import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf"
PASSWORDS = {"jsvine_pdfplumber__password-example.pdf": "test", "*aes-256-r6.pdf": "usersecret",
             "py-pdf_pypdf__r6-user-password.pdf": "asdfzxcv"}
EXPECTED_ERRORS = {
    "jsvine_pdfplumber__empty.pdf": "unreadable_pdf",
    "jsvine_pdfplumber__issue-203-decimalize.pdf": "no_text_layer",
    "pdfminer_pdfminer.six__175.pdf": "no_text_layer",
    "pymupdf_PyMuPDF__test_3863.pdf": "no_text_layer",
    "pymupdf_PyMuPDF__test_3072.pdf": "no_text_layer",
    "pymupdf_PyMuPDF__type3font.pdf": "no_text_layer",
    "pymupdf_PyMuPDF__test_3362.pdf": "no_text_layer",
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
