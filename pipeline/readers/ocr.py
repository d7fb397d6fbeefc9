"""OCR for PDF pages without a usable text layer: pages rendered by PDFium, recognised by
Tesseract (the `tesseract` program with its `eng` and `fra` data, when installed) or RapidOCR
(PP-OCR models shipped inside the `rapidocr-onnxruntime` wheel, ONNX Runtime; the `[ocr]`
extra), and the recognised words fed to the same layout module as a text layer's (lines,
columns, headings by size). Nothing is downloaded at run time.

`--ocr auto` (default) recognises the pages that are images only, and every page of a PDF
whose text layer is missing or unusable; `force` every page; `off` none. `--ocr-engine auto`
takes Tesseract when installed (it reads French accents and word spaces; see the README's
measurements), else RapidOCR.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ReportError
from ..options import OCR_ENGINES, OCR_MODES  # noqa: F401 (re-exported)
from .layout import Line, Word, page_list, read_page
from .layout_settings import DEFAULT_SETTINGS, LayoutSettings

TESSERACT_DPI = 300
RAPIDOCR_DPI = 200
MAX_PIXELS = 40_000_000  # a page rendered larger than this is rendered at a lower resolution
MIN_CONFIDENCE = 30  # Tesseract's word confidence (0-100) below which a word is noise
LOW_CONFIDENCE = 70  # a page set whose mean word confidence is below this gets a warning


@dataclass(frozen=True)
class OcrSettings:
    mode: str = "auto"
    engine: str = "auto"
    languages: str = "eng+fra"  # Tesseract's language data to use, as `-l` takes it
    timeout: float = 120.0  # seconds one page may take in Tesseract


def engine_for(choice: str) -> str | None:
    """The engine `choice` names that is installed here (`auto`: Tesseract, else RapidOCR)."""
    if choice in ("auto", "tesseract") and _tesseract_version():
        return "tesseract"
    if choice in ("auto", "rapidocr") and _rapidocr_available():
        return "rapidocr"
    return None


def engine_label(choice: str, languages: str = OcrSettings.languages) -> str:
    """What `choice` resolves to here, with its version: `tesseract 5.3.0 (eng+fra)`, `rapidocr`,
    `none`. Runs record it, so that installing an engine makes a rerun try the scans again."""
    engine = engine_for(choice)
    if engine == "tesseract":
        return f"tesseract {_tesseract_version()} ({_tesseract_languages(languages)})"
    return engine or "none"


@lru_cache(maxsize=1)
def _tesseract_version() -> str | None:
    program = shutil.which("tesseract")
    if not program:
        return None
    try:
        done = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    first = (done.stdout or done.stderr).strip().splitlines()
    return first[0].split()[-1] if done.returncode == 0 and first else None


@lru_cache(maxsize=1)
def _tesseract_languages(wanted: str) -> str:
    """The languages of `wanted` (`eng+fra`) whose data is installed; `eng` when none is."""
    try:
        done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
        have = set(done.stdout.split())
    except (OSError, subprocess.SubprocessError):
        have = set()
    langs = [lang for lang in wanted.split("+") if lang in have]
    return "+".join(langs) or "eng"


def _rapidocr_available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _rapidocr():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def apply_ocr(path: Path, source: str, password: str | None, pages: list[list[Line]], heights: list[float],
              counts, warnings: list[str], ocr: OcrSettings, settings: LayoutSettings = DEFAULT_SETTINGS) -> None:
    """Replace the lines of the pages that need OCR (`counts.image_only` with `auto`; all with
    `force`) by the recognised ones, in place, before the text layer is diagnosed; the pages
    done are named in `warnings`. `pages[i]` is page i + 1."""
    if ocr.mode == "off":
        return
    numbers = list(range(1, len(pages) + 1)) if ocr.mode == "force" else list(counts.image_only)
    if ocr.mode == "auto" and (counts.chars == 0 or counts.cids > counts.chars):
        # no text layer, or one mostly of glyphs without Unicode mapping: every page
        numbers = list(range(1, len(pages) + 1))
    if not numbers:
        return
    engine = engine_for(ocr.engine)
    if engine is None:
        if ocr.mode == "force" or ocr.engine != "auto":
            raise ReportError("no_text_layer", f"{source}: OCR was asked for but no OCR engine is installed "
                                               "(install Tesseract, or pip install 'report-pipeline[ocr]')")
        return  # auto without an engine: the text layer's diagnosis stands, with its hint
    recognised, confidence, failures = recognise_pages(path, source, password, numbers, engine, ocr, settings)
    label = engine_label(engine, ocr.languages)
    if failures:
        warnings.append(f"page(s) {page_list(sorted(failures))}: OCR failed ({label}: "
                        f"{failures[min(failures)]}); their text is missing")
    if not any(line.text.strip() for lines, _ in recognised.values() for line in lines):
        # the text layer's diagnosis stands, and says what OCR did
        counts.ocr_found_nothing = f"{label}, which failed: {failures[min(failures)]}" if failures else label
        return
    done = []
    for number, (lines, height) in recognised.items():
        if number - 1 >= len(pages):
            continue
        pages[number - 1] = lines
        heights[number - 1] = height
        chars = sum(len(line.text) for line in lines)
        counts.chars += chars
        if number in counts.image_only:
            counts.image_only.remove(number)
        done.append(number)
    if len(done) == len(pages):
        counts.cids = 0  # every page's text is now the OCR's: no unmapped glyph is left
    if done:
        warnings.append(f"page(s) {page_list(done)}: text recognised by OCR ({label})")
        if confidence < LOW_CONFIDENCE:
            warnings.append(f"OCR confidence is low (mean {confidence:.0f}/100): the text may be wrong "
                            "(a script or language the engine does not read, a poor scan)")


def recognise_pages(path: Path, source: str, password: str | None, numbers: list[int], engine: str,
                    ocr: OcrSettings, settings: LayoutSettings = DEFAULT_SETTINGS
                    ) -> tuple[dict[int, tuple[list[Line], float]], float, dict[int, str]]:
    """Page number -> (lines, page height in points) for each page recognised; the mean
    confidence (0-100) of the words kept, weighted by their characters; page number -> why,
    for the pages the engine failed on."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path), password=password or None)
    except pdfium.PdfiumError as exc:
        if not password:
            raise ReportError("unreadable_pdf", f"{source}: PDFium cannot open the file to render it for OCR ({exc})")
        try:  # a password meant for other files of the batch: this one opens without one
            doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            raise ReportError("unreadable_pdf", f"{source}: PDFium cannot open the file to render it for OCR ({exc})")
    out: dict[int, tuple[list[Line], float]] = {}
    failures: dict[int, str] = {}
    scores: list[tuple[float, int]] = []  # (confidence, characters) of each word kept
    try:
        for number in numbers:
            if number > len(doc):
                continue
            page = doc[number - 1]
            try:
                width, height = page.get_width(), page.get_height()
                dpi = TESSERACT_DPI if engine == "tesseract" else RAPIDOCR_DPI
                scale = dpi / 72
                if width * height * scale * scale > MAX_PIXELS:  # a poster-sized page
                    scale = (MAX_PIXELS / max(1.0, width * height)) ** 0.5
                image = page.render(scale=scale, grayscale=True).to_pil()
            finally:
                page.close()
            try:
                words = _tesseract_words(image, scale, ocr, scores) if engine == "tesseract" \
                    else _rapidocr_words(image, scale, scores)
            except OcrFailed as exc:
                failures[number] = str(exc)
                continue
            lines = read_page(words, number, settings)
            for line in lines:
                line.release()
            out[number] = (lines, float(height))
    finally:
        doc.close()
    chars = sum(n for _, n in scores)
    return out, (sum(c * n for c, n in scores) / chars if chars else 0.0), failures


class OcrFailed(Exception):
    """The engine gave no result for a page (it failed or took too long)."""


def _tesseract_words(image, scale: float, ocr: OcrSettings, scores: list) -> list[Word]:
    """Words with their boxes from Tesseract's TSV. Each word takes its line's top, bottom and
    height (as size): Tesseract has already grouped a slightly turned scan's words into lines,
    which the layout module would otherwise cut where the line drifts."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        # one thread: Tesseract's OpenMP threads spin against each other (11 s a page on two
        # cores, 2 s with one); batch workers give the parallelism
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        done = subprocess.run(["tesseract", "stdin", "stdout", "-l", _tesseract_languages(ocr.languages),
                               "--psm", "3", "tsv"], input=buffer.getvalue(), capture_output=True,
                              timeout=ocr.timeout, env=env)
    except subprocess.TimeoutExpired:
        raise OcrFailed(f"more than {ocr.timeout:g} s")
    except OSError as exc:
        raise OcrFailed(str(exc))
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrFailed(f"exit status {done.returncode}{': ' + message[-1][:200] if message else ''}")
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t",
                               quoting=csv.QUOTE_NONE))
    line_boxes: dict[tuple, tuple[float, float]] = {}
    for r in rows:
        if r.get("level") == "4":  # a line's box
            line_boxes[(r["block_num"], r["par_num"], r["line_num"])] = (float(r["top"]), float(r["height"]))
    words = []
    for r in rows:
        text = (r.get("text") or "").strip()
        if r.get("level") != "5" or not text or float(r.get("conf") or -1) < MIN_CONFIDENCE:
            continue
        scores.append((float(r["conf"]), len(text)))
        left, top, width, height = (float(r[k]) for k in ("left", "top", "width", "height"))
        top, height = line_boxes.get((r["block_num"], r["par_num"], r["line_num"]), (top, height))
        words.append(Word(text=text, x0=left / scale, x1=(left + width) / scale, top=top / scale,
                          bottom=(top + height) / scale, size=round(height / scale, 1)))
    return words


def _rapidocr_words(image, scale: float, scores: list) -> list[Word]:
    """RapidOCR gives text lines with their quadrilaterals: each line is cut at its spaces, the
    words placed along it in proportion to their characters."""
    import numpy

    try:
        result, _ = _rapidocr()(numpy.array(image.convert("RGB")))
    except Exception as exc:  # noqa: BLE001 - ONNX Runtime and OpenCV raise their own kinds
        raise OcrFailed(f"{type(exc).__name__}: {exc}")
    words = []
    for box, text, score in result or []:
        scores.append((float(score) * 100, len(text)))
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        x0, x1, top, bottom = min(xs) / scale, max(xs) / scale, min(ys) / scale, max(ys) / scale
        parts = text.split()
        total = max(1, len(text))
        at = 0
        for part in parts:
            start = text.index(part, at)
            at = start + len(part)
            words.append(Word(text=part, x0=x0 + (x1 - x0) * start / total, x1=x0 + (x1 - x0) * at / total,
                              top=top, bottom=bottom, size=round(bottom - top, 1)))
    return words
