from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def extract_text(tmp_path):
    """Run the whole pipeline on a report given as text; returns the Report."""
    from pipeline import extract_file

    def run(text: str, name: str = "report.md"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return extract_file(path)

    return run
