"""Every error ghqa reports to a user: each carries a message that says what is wrong and what to do."""

from __future__ import annotations

__all__ = ["EmptyStoreError", "GhqaError", "IngestError", "SettingError", "SetupError", "StoreError"]


class GhqaError(Exception):
    """Base of the errors ghqa raises on purpose; the CLI and the UI show their message without a traceback."""


class SetupError(GhqaError):
    """A setting or stored state the user must fix."""


class SettingError(SetupError, ValueError):
    """An environment setting with a value ghqa does not know."""


class StoreError(SetupError):
    """A store that cannot be used as it is."""


class EmptyStoreError(StoreError):
    """No store in the data folder, or one holding no reports: `ghqa ingest` fills it."""


class IngestError(GhqaError):
    """A file that cannot be turned into paragraphs. The batch goes on without it."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
