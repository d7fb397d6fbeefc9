"""Property tests: whatever the bytes or text, readers and extractors answer with a Report or a
ReportError of a known kind, never another exception."""
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import ReportError, extract_file
from pipeline.errors import ERROR_KINDS

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks a little like reports: markup, numbers, bullets, URLs, both languages.
PIECES = st.sampled_from([
    "# ", "## ", "- ", "* ", "• ", "1. ", "**", "<sup>2</sup>", "<!-- c -->", "\n", "\n\n", "  \n", "---\n",
    "https://x.eu/a", "www.y.org", "[t](http://z.com)", "<https://w.eu>", "1 741", "3,2 millions", "87,5 %",
    "€125,000", "EUR 3.7 million", "between 30 and 40", "Session 4", "p. 22", "2022", "3rd", "eleven",
    "The ABC project", "Full Name (FN)", "should", "il faut", "recommendations:", "Author: A B",
    "du 4 au 6 novembre 2025", "| a | b |\n|---|---|\n| c | d |\n", "(", ")", ":", ";", "é", "\u00a0", "\t",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=40).map("".join)


def run(name: str, data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            report = extract_file(path)
        except ReportError as exc:
            assert exc.kind in ERROR_KINDS
            return None
        assert report.document.doc_id
        return report


@SETTINGS
@given(TEXT, st.sampled_from(["r.md", "r.txt", "r.html"]))
def test_any_text_gives_a_report_or_a_known_error(text, name):
    run(name, text.encode("utf-8"))


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(["r.pdf", "r.docx", "r.md", "r.txt", "r.html"]))
def test_any_bytes_give_a_report_or_a_known_error(data, name):
    run(name, data)


@SETTINGS
@given(st.binary(max_size=2000))
def test_corrupted_pdf_bytes(tail):
    head = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    run("r.pdf", head + tail)
