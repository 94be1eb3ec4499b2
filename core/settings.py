"""Where ghqa keeps its data, and the settings a user can change through the environment."""

from __future__ import annotations

import os
from pathlib import Path

from ghqa.core.errors import SettingError

__all__ = ["ghqa_home", "positive_setting", "vector_index_kind"]


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


def positive_setting(name: str, default: float) -> float:
    """A positive number from the environment variable `name`, read at call time so a changed setting takes effect."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0
    # Also refuses nan and inf.
    if not 0 < value < float("inf"):
        raise SettingError(f"{name} must be a positive number, got {raw!r} / {name} 须为正数")
    return value
