"""Batch behaviour: hangs become `timeout` rows, passwords per file, every bad file a row."""
import csv
import json
import time

from click.testing import CliRunner
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import pipeline.api as api
from pipeline.batch import extract_paths
from pipeline.nlp import build_pipeline
from pipeline.cli import main


def rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def secret_pdf(path, password):
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1,
                      encrypt=pdfencrypt.StandardEncryption(password, canPrint=1))
    c.drawString(60, 700, "Board minutes: 12 partners attended.")
    c.showPage()
    c.save()


def test_a_hang_becomes_a_timeout_row(tmp_path, monkeypatch):
    (tmp_path / "slow.md").write_text("# Slow\n\nText.\n", encoding="utf-8")
    (tmp_path / "fast.md").write_text("# Fast\n\n84 projects.\n", encoding="utf-8")
    real = api.extract_document

    def slow(doc, **kw):
        if doc.source == "slow.md":
            time.sleep(5)
        return real(doc, **kw)

    monkeypatch.setattr(api, "extract_document", slow)
    for lang in ("en", "fr"):  # a fresh process builds the pipelines first; that is not the file's time
        build_pipeline(lang)
    started = time.monotonic()
    result = extract_paths([tmp_path], timeout=1.0)
    assert time.monotonic() - started < 4.5
    assert [(e.source, e.error) for e in result.errors] == [("slow.md", "timeout")]
    assert [r.document.source for r in result.reports] == ["fast.md"]


def test_password_map_and_wrong_passwords(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    secret_pdf(src / "a.pdf", "alpha")
    secret_pdf(src / "b.pdf", "beta")
    secret_pdf(src / "c.pdf", "gamma")
    pw = tmp_path / "pw.json"
    pw.write_text(json.dumps({"a.pdf": "alpha", "b*.pdf": "beta"}), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(src), "--out", str(out), "--passwords", str(pw), "-q"])
    assert result.exit_code == 1
    assert [r["source"] for r in rows(out / "documents.csv")] == ["a.pdf", "b.pdf"]
    (err,) = rows(out / "errors.csv")
    assert (err["source"], err["error"]) == ("c.pdf", "encrypted") and "--password" in err["message"]
    out2 = tmp_path / "out2"
    result = CliRunner().invoke(main, ["extract", str(src / "c.pdf"), "--out", str(out2), "--password", "wrong"])
    assert result.exit_code == 1
    assert rows(out2 / "errors.csv")[0]["message"].endswith("the password given does not open this PDF")


def test_bad_passwords_file_is_a_usage_error(tmp_path):
    (tmp_path / "r.md").write_text("# R\n", encoding="utf-8")
    (tmp_path / "pw.json").write_text("[1, 2]", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "r.md"), "--passwords", str(tmp_path / "pw.json"),
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
