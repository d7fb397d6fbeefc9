"""Stable identifiers: doc_id from the file name and bytes, project_id from the name."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def fold(text: str) -> str:
    """Case-folded, accents removed."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=1 << 16)  # called for every candidate name and form, many times over
def project_key(name: str) -> str:
    """`EuropeanPlatform UrbanGreening` -> `europeanplatformurbangreening`."""
    return re.sub(r"[^a-z0-9]", "", fold(name))


def slug(text: str, max_length: int = 60) -> str:
    """A safe file-name slug: ASCII letters, digits and single hyphens."""
    s = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return s[:max_length].strip("-") or "document"


def doc_id(file_name_stem: str, sha256: str) -> str:
    return f"{slug(file_name_stem)}-{sha256[:8]}"
