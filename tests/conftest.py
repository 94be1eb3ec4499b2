"""Fixtures shared across the suite: the bundled corpus, indexed once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = Path(os.environ.get("GHQA_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def indexed_corpus(tmp_path_factory) -> Path:
    """A GHQA_HOME holding corpus/ ingested and embedded with the default embedder (about two minutes, once)."""
    from ghqa.services import open_services

    home = tmp_path_factory.mktemp("corpus_home")
    services = open_services(home, create=True)
    report = services.ingest([CORPUS])
    assert report.ok, report.failed
    services.sync_vectors()
    services.close()
    return home


@pytest.fixture
def corpus_copy(indexed_corpus: Path, tmp_path: Path) -> Path:
    """A private copy of the indexed corpus that a test may change."""
    home = tmp_path / "home"
    shutil.copytree(indexed_corpus, home)
    return home


from llm_server import server  # noqa: E402, F401  (the loopback LLM fixture, for qa and cli tests)
