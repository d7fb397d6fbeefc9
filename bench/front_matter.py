"""Rows that come from front matter: title pages and tables of contents, per PDF.

Front matter is found here without the reader's own flags, so that the count is a check and
not a tautology: a contents entry is a block with dot leaders (or `…`) before a page number, or a
line ending in a page number under a `Contents`/`Sommaire` heading; a title page is page 1 of a
PDF of several pages holding at most 120 words. A row counts when its text (a figure's sentence,
a recommendation's text, a project's name) stands in a contents entry, or in a block of a title
page that is not a sentence of 12 words or more (an abstract is text) nor a list item.

Usage: python bench/front_matter.py [PDF ...] [--engine pdfplumber|pdfium] [-v]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LEADERS = re.compile(r"(?:\.\s?){4,}\s*\d{1,4}\s*$|…+\s*\d{1,4}\s*$")
ENDS_WITH_PAGE = re.compile(r"\D\s\d{1,4}\s*$")
CONTENTS = {"contents", "table of contents", "sommaire", "table des matières"}


def front_texts(doc) -> list[tuple[int | None, str]]:
    out, in_contents = [], False
    first_page_words = sum(len(b.text.split()) for b in doc.blocks if b.page == 1)
    title_page = (doc.pages or 0) > 1 and first_page_words <= 120
    for b in doc.blocks:
        if b.kind == "heading":
            in_contents = b.text.strip(" :").lower() in CONTENTS
        if LEADERS.search(b.text) or (in_contents and ENDS_WITH_PAGE.search(b.text)):
            out.append((b.page, b.text))
            continue
        if b.kind != "heading":
            in_contents = False
        sentence = len(b.text.split()) >= 12 and b.text.rstrip()[-1:] in ".!?:;"
        if title_page and b.page == 1 and b.kind != "list_item" and not sentence:
            out.append((b.page, b.text))
    return out


def main() -> int:
    from pipeline.api import extract_document
    from pipeline.readers import read_document

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--engine", choices=("pdfplumber", "pdfium"), default="pdfplumber")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    pdfs = args.pdfs or sorted((ROOT / "tests" / "real" / "docs").glob("*.pdf"))
    total = 0
    print("| file | front blocks | figures | projects | recommendations |")
    print("|---|---|---|---|---|")
    for path in pdfs:
        doc = read_document(path, pdf_engine=args.engine)
        front = front_texts(doc)
        report = extract_document(doc)

        def inside(text: str, page) -> bool:
            return bool(text) and any(text in t for p, t in front if page is None or p == page)

        figures = [f for f in report.figures if inside(f.sentence or f.text, f.page)]
        projects = [p for p in report.projects if p.page in {q for q, _ in front} and inside(p.name, p.page)
                    and not any(p.name in b.text for b in doc.blocks if (b.page, b.text) not in front)]
        recs = [r for r in report.recommendations if inside(r.text, r.page)]
        total += len(figures) + len(projects) + len(recs)
        print(f"| {path.name} | {len(front)} | {len(figures)} | {len(projects)} | {len(recs)} |")
        if args.verbose:
            for row in figures + projects + recs:
                print("    ", row)
    print(f"rows from front matter: {total} over {len(pdfs)} PDFs ({args.engine})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
