"""What the command line offers and checks before any work: engines, formats, limits.

Kept apart from the modules that do the work (and import spaCy, pandas, the PDF libraries) so
that `report-pipeline --help` and `--version` load none of them; those modules import these
names from here.
"""
from __future__ import annotations

import math

PDF_ENGINES = ("pdfplumber", "pdfium")
OCR_MODES = ("auto", "off", "force")  # readers/ocr.py
OCR_ENGINES = ("auto", "tesseract", "rapidocr")
FORMATS = ("csv", "json", "xlsx", "sqlite", "parquet")
DEFAULT_TIMEOUT = 120.0  # seconds per file
MAX_TIMEOUT = 7 * 24 * 3600.0


def check_timeout(value: float | None) -> float | None:
    """A usable --timeout: finite, >= 0 and within range (0 or None: no limit); raises ValueError."""
    if value is None:
        return None
    if math.isnan(value) or math.isinf(value) or value < 0:
        raise ValueError(f"{value} is not a number of seconds (use 0 for no limit)")
    if value > MAX_TIMEOUT:
        raise ValueError(f"{value:g} s is more than a week (use 0 for no limit)")
    return value or None


def check_confidence(value: float | None) -> float | None:
    """A confidence threshold between 0 and 1, or None; ValueError otherwise."""
    if value is None:
        return None
    if not 0.0 <= value <= 1.0:  # also refuses nan
        raise ValueError(f"{value!r} is not between 0 and 1")
    return float(value)
