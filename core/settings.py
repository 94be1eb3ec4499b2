"""Where ghqa keeps its data, and the settings a user can change through the environment."""

from __future__ import annotations

import os
from pathlib import Path

from ghqa.core.errors import SettingError

__all__ = ["ghqa_home", "vector_index_kind"]


def ghqa_home() -> Path:
    """The data folder: $GHQA_HOME, else $XDG_DATA_HOME/ghqa, else ~/.local/share/ghqa."""
    if os.environ.get("GHQA_HOME"):
        return Path(os.environ["GHQA_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "ghqa"


def vector_index_kind() -> str:
    """ "flat" (exact, the default) or "hnsw" (approximate, for very large corpora), from $GHQA_VECTOR_INDEX."""
    kind = os.environ.get("GHQA_VECTOR_INDEX", "flat").strip().lower()
    if kind not in ("flat", "hnsw"):
        raise SettingError(f"GHQA_VECTOR_INDEX must be 'flat' or 'hnsw', not {kind!r}")
    return kind
