"""Where ghqa keeps its data, and the settings a user can change through the environment."""

from __future__ import annotations

import os
from pathlib import Path


def ghqa_home() -> Path:
    """The data folder: $GHQA_HOME, else $XDG_DATA_HOME/ghqa, else ~/.local/share/ghqa."""
    if os.environ.get("GHQA_HOME"):
        return Path(os.environ["GHQA_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "ghqa"


class SetupError(Exception):
    """A setting or stored state the user must fix; the CLI shows its message without a traceback."""


class SettingError(SetupError, ValueError):
    """An environment setting with a value ghqa does not know."""
