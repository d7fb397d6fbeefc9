"""report-pipeline: event and conference reports in, normalised CSV and JSON out."""
from __future__ import annotations

__version__ = "0.1.0"

from .api import extract_document, extract_file  # noqa: E402
from .batch import extract_paths, run_batch  # noqa: E402
from .errors import ReportError  # noqa: E402
from .inputs import discover_inputs  # noqa: E402
from .model import BatchResult, Report  # noqa: E402
from .writers import write_outputs  # noqa: E402

__all__ = ["BatchResult", "Report", "ReportError", "discover_inputs", "extract_document", "extract_file",
           "extract_paths", "run_batch", "write_outputs", "__version__"]
