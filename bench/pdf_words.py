"""Word agreement between our PDF text and pdfminer's `extract_text`, per file and engine.

For every PDF given (default: the real corpus, tests/real/docs/*.pdf), the text of our
document model (`read_document`, both engines) and pdfminer's `extract_text` with default
`LAParams` are cut into words after the same normalisation (NFKC, lower case, letters and
digits only, hyphens inside words removed; a word hyphenated at a line end joined in
pdfminer's text, as we join it).
Printed per file and engine:
  ours_in_ref   share of our words found in pdfminer's (multiset): below 1, we glued or split words
  ref_in_ours   share of pdfminer's words found in ours: below 1, we lost words (running
                headers and footers we remove, page numbers, image text) or split them; and
                again with running lines kept (LayoutSettings that remove none), which the
                target is read against
and with -v the words of ours that pdfminer does not have, the likely glued or split ones.

Targets (issue 12): ours_in_ref >= 0.99 and ref_in_ours >= 0.97.

Usage: python bench/pdf_words.py [PDF ...] [--engine pdfplumber|pdfium|both] [-v]
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_WORD = re.compile(r"[^\W_]+")
_INNER_HYPHEN = re.compile(r"(?<=\w)[-\u2010\u2011](?=\w)")
# a word cut at a line end: `partner-\nships`; pdfminer keeps both halves
_LINE_END_HYPHEN = re.compile(r"(\w)[-\u00ad]\s*\n\s*(\w)")


def words(text: str) -> Counter:
    # `co-designing` and `co-\ndesigning` (joined below) are one word on both sides
    text = _INNER_HYPHEN.sub("", unicodedata.normalize("NFKC", text).lower())
    return Counter(_WORD.findall(text))


def reference_text(path: Path) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams

    text = extract_text(str(path), laparams=LAParams())
    return _LINE_END_HYPHEN.sub(r"\1\2", text)


# running headers and footers kept: a running line must then repeat on 200% of the pages
KEEP_RUNNING_LINES = {"running_min_share": 2.0, "page_number_zone": 0.0}


def our_text(path: Path, engine: str, layout: dict | None = None) -> str:
    from pipeline.readers import read_document

    doc = read_document(path, pdf_engine=engine, layout=layout)
    return "\n".join(b.text for b in doc.blocks)


def agreement(ours: Counter, ref: Counter) -> tuple[float, float]:
    common = sum((ours & ref).values())
    return common / max(1, sum(ours.values())), common / max(1, sum(ref.values()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--engine", choices=("pdfplumber", "pdfium", "both"), default="both")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    pdfs = args.pdfs or sorted((ROOT / "tests" / "real" / "docs").glob("*.pdf"))
    engines = ("pdfplumber", "pdfium") if args.engine == "both" else (args.engine,)
    print("| file | engine | our words | ours in pdfminer | pdfminer's in ours | pdfminer's in ours, running lines kept |")
    print("|---|---|---|---|---|---|")
    below: dict[str, list[str]] = {e: [] for e in engines}
    for path in pdfs:
        ref = words(reference_text(path))
        for engine in engines:
            ours = words(our_text(path, engine))
            a, b = agreement(ours, ref)
            _, kept = agreement(words(our_text(path, engine, KEEP_RUNNING_LINES)), ref)
            print(f"| {path.name} | {engine} | {sum(ours.values())} | {a:.4f} | {b:.4f} | {kept:.4f} |")
            if a < 0.99 or kept < 0.97:
                below[engine].append(path.name)
            if args.verbose:
                extra = ours - ref
                missing = ref - ours
                print(f"    ours only: {' '.join(w for w, _ in extra.most_common(25))}")
                print(f"    pdfminer only: {' '.join(w for w, _ in missing.most_common(25))}")
    for engine in engines:
        print(f"{engine}: {len(pdfs) - len(below[engine])}/{len(pdfs)} files meet both targets "
              f"(the second with running lines kept); below: {', '.join(below[engine]) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
