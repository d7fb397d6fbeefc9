"""Language of a document: a vote of spaCy's own English and French stop-word lists."""
from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP

from ..rules import DEFAULT_LANGUAGE

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Words both lists share say nothing about the language.
_EN = frozenset(EN_STOP - FR_STOP)
_FR = frozenset(FR_STOP - EN_STOP)


def detect_language(text: str, sample_chars: int = 20000) -> str:
    words = _WORD.findall(text[:sample_chars].lower())
    en = sum(w in _EN for w in words)
    fr = sum(w in _FR or w.split("'")[0] in ("l", "d", "qu") for w in words)
    if en == fr:
        return DEFAULT_LANGUAGE
    return "fr" if fr > en else "en"
