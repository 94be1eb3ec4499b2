"""ghqa: semantic search and cited answers over Chinese trade-union work reports.

>>> import ghqa
>>> reports = ghqa.open()                       # the store in $GHQA_HOME (see README, "Configuration")
>>> reports.search("工资集体协商", k=5).hits[0].locator()
>>> reports.ask("哪些乡镇开展了工资集体协商？").text
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ghqa.services import Services

__all__ = ["__version__", "open"]

try:
    __version__ = version("ghqa")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"


def open(  # noqa: A001 (like io.open)
    home: str | Path | None = None, embedder: str | None = None, create: bool = False
) -> Services:
    """The reports in a data folder (default: $GHQA_HOME), with search, ask, ingest and remove.

    A folder without a store raises EmptyStoreError (a mistyped path makes nothing); create=True makes one."""
    from ghqa.services import open_services

    return open_services(Path(home).expanduser() if home else None, embedder, create=create)
