"""Errors a user sees when a file cannot be ingested; each names the file and the reason."""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be turned into paragraphs. The batch goes on without it."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
