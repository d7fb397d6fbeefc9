"""Language of a document: a vote of the English and French stop-word lists of `models/`
(copied from spaCy's: importing spaCy's French package to read them took over two seconds)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..rules import DEFAULT_LANGUAGE, LANGUAGES, load_rules

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@lru_cache(maxsize=4)
def _stop_words(models_dir: str) -> dict[str, frozenset[str]]:
    return {lang: frozenset(w.lower() for w in load_rules(lang, models_dir or None).words("stop_words.stop_words"))
            for lang in LANGUAGES}


def common_words(models_dir: str = "") -> frozenset[str]:
    """The stop words of every language (`models/<lang>/stop_words.json`)."""
    return frozenset().union(*_stop_words(models_dir).values())


@lru_cache(maxsize=4)
def _votes(models_dir: str) -> tuple[frozenset[str], frozenset[str]]:
    """English-only and French-only stop words: words both lists share say nothing."""
    words = _stop_words(models_dir)
    return words["en"] - words["fr"], words["fr"] - words["en"]


def detect_language(text: str, sample_chars: int = 20000, models_dir: str | None = None) -> str:
    only_en, only_fr = _votes(str(models_dir or ""))
    words = _WORD.findall(text[:sample_chars].lower())
    en = sum(w in only_en for w in words)
    fr = sum(w in only_fr or w.split("'")[0] in ("l", "d", "qu") for w in words)
    if en == fr:
        return DEFAULT_LANGUAGE
    return "fr" if fr > en else "en"
