"""OCR accuracy and speed per engine and language: character error rate against the text layer.

Each own report (tests/reports, input/) is rendered as a PDF (tests/fixtures/render.render_pdf);
its first --pages pages are then turned into pictures of themselves, clean (grey, 200 dpi) and as
a simulated scan (turned by 0.6 degrees, specks of noise: fixtures.render.scan_image), in a PDF
without any text layer. Both are read with `--ocr force` by each engine installed, and the text
of those pages, as the document model gives it (same layout module, so the reading order is
compared like for like), is compared with the text of the same pages read from the original PDF's
text layer. CER = Levenshtein distance / length of the reference, after white space is collapsed
(rapidfuzz). Also printed: pages per second of each engine (whole read, rendering included), and
the accented letters (é è à ç ...) of the reference that the engine got right.

Usage: python bench/ocr_cer.py [--pages N] [--engine tesseract|rapidocr ...] [--docs N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
ACCENTED = set("éèêëàâäîïôöùûüçœÉÈÊÀÂÎÔÙÛÇ")


def page_text(doc, pages: set[int]) -> str:
    text = " ".join(b.text for b in doc.blocks if b.page in pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def accents_kept(got: str, ref: str) -> float:
    """Share of the reference's accented letters found in the OCR text (multiset)."""
    want = [c for c in ref if c in ACCENTED]
    if not want:
        return 1.0
    have = {c: got.count(c) for c in set(want)}
    kept = 0
    for c in want:
        if have[c] > 0:
            have[c] -= 1
            kept += 1
    return kept / len(want)


def main(argv: list[str]) -> int:
    from rapidfuzz.distance import Levenshtein

    from fixtures.render import make_image_pdf, render_pdf
    from pipeline.extractors.language import detect_language
    from pipeline.readers import read_document
    from pipeline.readers.ocr import engine_for

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2)
    parser.add_argument("--docs", type=int, default=3, help="reports per language")
    parser.add_argument("--engine", action="append", choices=["tesseract", "rapidocr"])
    args = parser.parse_args(argv)
    engines = [e for e in (args.engine or ["tesseract", "rapidocr"]) if engine_for(e) == e]
    sources = sorted(p for folder in (ROOT / "tests" / "reports", ROOT / "input") for p in folder.glob("*.md"))
    by_lang: dict[str, list[Path]] = {"en": [], "fr": []}
    for path in sources:
        lang = detect_language(path.read_text(encoding="utf-8"))
        if lang in by_lang and len(by_lang[lang]) < args.docs:
            by_lang[lang].append(path)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for lang, paths in by_lang.items():
            for path in paths:
                original = render_pdf(read_document(path), Path(tmp) / f"{path.stem}.pdf")
                reference_doc = read_document(original, ocr="off")
                pages = set(range(1, min(args.pages, reference_doc.pages or 1) + 1))
                reference = page_text(reference_doc, pages)
                for variant in ("clean", "scan"):
                    images = make_image_pdf(original, Path(tmp) / f"{path.stem}.{variant}.pdf",
                                            scan=variant == "scan", pages=pages, keep_others=False)
                    for engine in engines:
                        started = time.perf_counter()
                        doc = read_document(images, ocr="force", ocr_engine=engine)
                        seconds = time.perf_counter() - started
                        got = page_text(doc, pages)
                        rows.append({"lang": lang, "doc": path.stem, "variant": variant, "engine": engine,
                                     "cer": Levenshtein.distance(got, reference) / max(1, len(reference)),
                                     "pages_per_s": (doc.pages or 1) / seconds,
                                     "accents": accents_kept(got, reference)})
                        print(f"{lang} {path.stem[:40]:<40} {variant:<5} {engine:<9} CER {rows[-1]['cer']:.4f} "
                              f"accents {rows[-1]['accents']:.2f} {rows[-1]['pages_per_s']:.2f} pages/s", flush=True)
    print("\n| engine | language | clean CER | scan CER | accents kept | pages/s |")
    print("|---|---|---|---|---|---|")
    for engine in engines:
        for lang in by_lang:
            mine = [r for r in rows if r["engine"] == engine and r["lang"] == lang]
            if not mine:
                continue
            clean = statistics.mean(r["cer"] for r in mine if r["variant"] == "clean")
            scan = statistics.mean(r["cer"] for r in mine if r["variant"] == "scan")
            accents = statistics.mean(r["accents"] for r in mine)
            speed = statistics.median(r["pages_per_s"] for r in mine)
            print(f"| {engine} | {lang} | {clean:.2%} | {scan:.2%} | {accents:.0%} | {speed:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
