"""report-pipeline: event and conference reports in, normalised CSV and JSON out.

The library's functions are imported on first use (PEP 562), so that `report-pipeline --help`
and `--version` load neither spaCy nor pandas nor a PDF library.
"""
from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "extract_document": "api", "extract_file": "api", "extract_paths": "batch", "run_batch": "batch",
    "ReportError": "errors", "discover_inputs": "inputs", "BatchResult": "model", "Report": "model",
    "write_outputs": "writers",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
