"""Export spaCy's French tokenizer defaults to models/fr/spacy_defaults.json.

`spacy.blank("fr")` imports spacy.lang.fr, whose tokenizer exceptions module compiles a large
regular expression (TOKEN_MATCH, hyphenated compounds) at import: 2.4 s in every process that
meets a French report, for a pattern our pipeline then replaces with `tokenizer.joined_names`.
The pipeline builds its French language from this file instead (pipeline/nlp.py), with the same
exceptions, affixes and number words, so the tokens are the same; tests/test_startup.py checks
that the file still equals what the installed spaCy gives. Rerun after upgrading spaCy:

    python tests/tools/export_spacy_defaults.py

spaCy is MIT-licensed (Explosion AI); the data below is its own.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "models" / "fr" / "spacy_defaults.json"


def exported() -> dict:
    import spacy
    from spacy.attrs import IDS
    from spacy.lang.fr import French
    from spacy.lang.fr import lex_attrs

    names = {v: k for k, v in IDS.items()}
    defaults = French.Defaults
    return {
        "_doc": ("spaCy's French tokenizer defaults (spaCy " + spacy.__version__ + ", MIT licence), exported by "
                 "tests/tools/export_spacy_defaults.py so that building the French pipeline does not import "
                 "spacy.lang.fr (2.4 s). exceptions: text -> the tokens it is split into (ORTH, NORM); prefixes, "
                 "suffixes, infixes: the affix patterns; number_words: the words token.like_num accepts."),
        "exceptions": {text: [{names[k]: v for k, v in sorted(piece.items())} for piece in pieces]
                       for text, pieces in sorted(defaults.tokenizer_exceptions.items())},
        "prefixes": list(defaults.prefixes),
        "suffixes": list(defaults.suffixes),
        "infixes": list(defaults.infixes),
        "number_words": sorted(lex_attrs._num_words | lex_attrs._ordinal_words),
    }


def main() -> int:
    TARGET.write_text(json.dumps(exported(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"written {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
