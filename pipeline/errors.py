"""Errors that become rows of errors.csv instead of tracebacks."""
from __future__ import annotations

ERROR_KINDS = (
    "encrypted", "no_text_layer", "unreadable_pdf", "empty_document", "unreadable_docx",
    "unreadable_pptx", "unreadable_odt", "unsafe_document", "unreadable_text", "unsupported_format", "timeout", "internal_error", "unreadable_file",
)

# Kinds that the file's bytes decide, whatever the run's settings: a rerun may replay them from
# the manifest. The others depend on a setting (`timeout`, `encrypted`: --timeout, --password) or
# on the machine (`unreadable_file`: permissions; `internal_error`: a crash, a scheduler gone)
# and are tried again on every run.
CONTENT_ERRORS = frozenset({
    "no_text_layer", "unreadable_pdf", "empty_document", "unreadable_docx", "unreadable_pptx", "unreadable_odt",
    "unsafe_document",
    "unreadable_text", "unsupported_format",
})


class ReportError(Exception):
    """An input that cannot be processed; `kind` is one of ERROR_KINDS."""

    def __init__(self, kind: str, message: str) -> None:
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown error kind {kind!r}")
        super().__init__(message)
        self.kind = kind
        self.message = message
