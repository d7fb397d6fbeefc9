"""Extractors: each reads the document model and the spaCy docs, and returns typed rows."""
