"""Test doubles shared across the suite."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np


class BigramEmbedder:
    """A fast, deterministic stand-in for the default embedder: character bigrams hashed into a normalised vector.

    It counts its calls, so tests can check that unchanged text is never embedded twice."""

    batch_size = 8

    def __init__(self, name: str = "fake:bigrams", dim: int = 64):
        self.name = name
        self.dim = dim
        self.calls = 0
        self.passages = 0

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in zip(text, text[1:], strict=False):
            v[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % self.dim] += 1
        return v / max(float(np.linalg.norm(v)), 1e-12)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.passages += len(texts)
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vec(text)


def fake_home(root: Path, reports: dict[str, str]) -> Path:
    """A data folder under root holding the reports (file name → text), ingested and embedded with BigramEmbedder."""
    from ghqa.services import open_services

    folder = root / "reports"
    folder.mkdir()
    for name, text in reports.items():
        (folder / name).write_text(text, encoding="utf-8")
    services = open_services(root / "home", create=True)
    services.embedder = BigramEmbedder()
    report = services.ingest([folder])
    assert report.ok and len(report.stored) == len(reports), report.failed
    services.sync_vectors()
    services.close()
    return root / "home"


def fake_services(home: Path, monkeypatch) -> Iterator:
    """The services over a fake_home data folder, with BigramEmbedder as the embedder any open_services makes;
    for a fixture: `yield from fake_services(home, monkeypatch)`."""
    from ghqa.index import embedders

    from ghqa.services import open_services

    monkeypatch.setattr(embedders, "make_embedder", lambda spec=None: BigramEmbedder())
    opened = open_services(home)
    yield opened
    opened.close()
