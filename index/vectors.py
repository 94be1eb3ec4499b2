"""The FAISS vector index of chunk embeddings, saved under the data folder and kept in step with the store.

Files, per embedder: ``vectors-{slug}.faiss`` (the index; its ids are chunk ids) and ``vectors-{slug}.json``
(embedder name, dim, kind, count, the store's data_version it matches, and the input hash of every id). Both are
written to a temp file and renamed, the index first, so a crash leaves a sidecar that is never newer than its index.
Vectors come from the store's embedding cache whenever they can, so rebuilding or repairing the index is cheap.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from ghqa.core.errors import SetupError, StoreError
from ghqa.index.store import folder_error
from ghqa.ingest.clean import to_simplified

if TYPE_CHECKING:
    import faiss
    from ghqa.index.embedders import Embedder
    from ghqa.index.store import Store

log = logging.getLogger("ghqa")

KINDS = ("flat", "hnsw")
HNSW_M = 32
HNSW_EF_SEARCH = 64  # faiss's default of 16 misses true neighbours too often for a QA top-k
TEMP_SUFFIX = ".tmp"


class EmbedderMismatch(SetupError):
    """The index on disk was built by another embedder (or one with another dimension)."""


@dataclass
class SyncReport:
    added: int  # ids put into the index (new chunks, and chunks whose input changed)
    removed: int  # ids taken out (deleted chunks, and chunks whose input changed)
    embedded: int  # passages run through the embedder
    cached: int  # vectors taken from the store's embedding cache


def embed_input(row: Mapping[str, Any]) -> str:
    """The text embedded for a chunk: its article title and section headings, then its text, in Simplified script.

    A report names its town and year in the title, not in each paragraph, so the title must travel with the text.
    Queries are embedded in Simplified too, so a Simplified question meets Traditional text on equal terms. Only
    text from the source goes in: derived metadata (unit, places) can be corrected without re-embedding.
    """
    path = row["section_path"]
    headings = json.loads(path) if isinstance(path, str) else list(path or [])
    context = " › ".join(h for h in [row["article_title"] or "", *headings] if h)
    return to_simplified(f"{context}\n{row['text']}" if context else row["text"])


def input_hash(text: str) -> str:
    """The embedding cache key of an embed_input() string."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def index_paths(home: Path | str, embedder_name: str) -> tuple[Path, Path]:
    """The index file and its JSON sidecar for an embedder."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", embedder_name).strip("_.")
    if len(slug) > 80:  # a long local model path: keep the name readable and unique
        slug = f"{slug[:60]}-{hashlib.sha1(embedder_name.encode()).hexdigest()[:12]}"
    base = Path(home) / f"vectors-{slug}"
    return base.with_suffix(".faiss"), base.with_suffix(".json")


class VectorIndex:
    """A faiss IndexIDMap2 over an exact inner-product index ("flat") or an HNSW graph ("hnsw"); ids are chunk ids."""

    def __init__(
        self,
        index: faiss.IndexIDMap2,
        embedder_name: str,
        kind: str,
        data_version: int = -1,
        hashes: dict[int, str] | None = None,
    ):
        self.index = index
        self.embedder_name = embedder_name
        self.kind = kind
        self.dim: int = index.d
        self.data_version = data_version  # the store's data_version this index was last synced to
        self.hashes: dict[int, str] = hashes or {}  # chunk id → input_hash of the text its vector came from
        self._ids: np.ndarray | None = None

    @classmethod
    def empty(cls, dim: int, embedder_name: str, kind: str = "flat") -> VectorIndex:
        import faiss

        if kind == "flat":
            inner = faiss.IndexFlatIP(dim)
        elif kind == "hnsw":
            inner = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efSearch = HNSW_EF_SEARCH
        else:
            raise ValueError(f"unknown index kind {kind!r}: use one of {', '.join(KINDS)}")
        return cls(faiss.IndexIDMap2(inner), embedder_name, kind)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def ids(self) -> np.ndarray:
        """The chunk ids in the index, sorted (int64)."""
        if self._ids is None:
            import faiss

            self._ids = np.sort(faiss.vector_to_array(self.index.id_map).astype(np.int64))
        return self._ids

    def add(self, ids: Iterable[int], vectors: np.ndarray) -> None:
        ids = np.asarray(list(ids), dtype=np.int64)
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), self.dim), ids)
            self._ids = None

    def remove(self, ids: Iterable[int]) -> None:
        ids = np.asarray(list(ids), dtype=np.int64)
        if not len(ids):
            return
        if self.kind == "flat":
            self.index.remove_ids(ids)
        else:  # HNSW graphs cannot delete: rebuild from the vectors that stay
            keep = self.ids()[~np.isin(self.ids(), ids)]
            vectors = self.index.reconstruct_batch(keep) if len(keep) else np.zeros((0, self.dim), np.float32)
            self.index = VectorIndex.empty(self.dim, self.embedder_name, self.kind).index
            self.add(keep, vectors)
        self._ids = None

    def search(self, query_vec: np.ndarray, k: int, ids: Iterable[int] | None = None) -> list[tuple[int, float]]:
        """The k chunks most similar to a query vector, as (chunk id, cosine score), best first.

        With ids, only those chunks are considered (filters by file, place, year …), scored exactly.
        """
        if ids is not None:
            return self.search_subset(query_vec, ids, k)
        if k <= 0 or not len(self):
            return []
        query = np.ascontiguousarray(query_vec, dtype=np.float32).reshape(1, self.dim)
        scores, found = self.index.search(query, min(k, len(self)))
        return [(int(i), float(s)) for i, s in zip(found[0], scores[0], strict=True) if i >= 0]

    def search_subset(self, query_vec: np.ndarray, ids: Iterable[int], k: int | None = None) -> list[tuple[int, float]]:
        """Exact scores for the given chunk ids (those in the index), best first, the top k if k is given."""
        wanted = np.unique(np.asarray(list(ids), dtype=np.int64))
        wanted = wanted[np.isin(wanted, self.ids())]
        if not len(wanted) or (k is not None and k <= 0):
            return []
        scores = self.index.reconstruct_batch(wanted) @ np.asarray(query_vec, dtype=np.float32).reshape(self.dim)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(int(wanted[i]), float(scores[i])) for i in order]

    def save(self, home: Path | str) -> None:
        """Write the index and then its sidecar, each atomically."""
        import faiss

        index_file, sidecar = index_paths(home, self.embedder_name)
        data = faiss.serialize_index(self.index).tobytes()
        _atomic_write(index_file, data)
        meta = {
            "embedder": self.embedder_name,
            "dim": self.dim,
            "kind": self.kind,
            "count": len(self),
            "data_version": self.data_version,
            "sha256": hashlib.sha256(data).hexdigest(),
            "hashes": {str(i): h for i, h in sorted(self.hashes.items())},
        }
        _atomic_write(sidecar, json.dumps(meta, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def load(cls, home: Path | str, embedder: Embedder) -> VectorIndex | None:
        """The saved index for this embedder; None when missing or unreadable. Raises EmbedderMismatch."""
        return cls.load_checked(home, embedder)[0]

    @classmethod
    def load_checked(cls, home: Path | str, embedder: Embedder) -> tuple[VectorIndex | None, str | None]:
        """The saved index, or None with what is wrong with the files (None too when there are none).

        Raises EmbedderMismatch when they were built by another embedder."""
        import faiss

        index_file, sidecar = index_paths(home, embedder.name)
        if not index_file.exists() and not sidecar.exists():
            return None, None
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
            hashes = {int(i): str(h) for i, h in meta.get("hashes", {}).items()}
            version = int(meta.get("data_version", -1))
        except (OSError, ValueError, TypeError, AttributeError):
            # Without a readable sidecar the index's origin is unknown: rebuild it from the cache.
            return None, f"{sidecar} is missing or unreadable"
        if meta.get("embedder") != embedder.name or meta.get("dim") != embedder.dim:
            raise EmbedderMismatch(
                f"{index_file} was built by embedder {meta.get('embedder')!r} (dim {meta.get('dim')}), "
                f"not {embedder.name!r} (dim {embedder.dim}); rebuild it with `ghqa index --rebuild` "
                f"or delete {index_file} and {sidecar}"
            )
        try:
            data = index_file.read_bytes()
        except OSError as exc:
            return None, f"{index_file} cannot be read ({exc.strerror or exc})"
        if meta.get("sha256") not in (None, hashlib.sha256(data).hexdigest()):
            return (
                None,
                f"{index_file} does not match the checksum in {sidecar.name} (damaged, or an interrupted write)",
            )
        try:
            index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        except (RuntimeError, ValueError):
            return None, f"{index_file} is not a readable FAISS index"
        if not isinstance(index, faiss.IndexIDMap2) or index.d != embedder.dim or meta.get("kind") not in KINDS:
            return None, f"{index_file} is not the kind of index ghqa writes"
        if index.ntotal != meta.get("count", index.ntotal):
            return None, f"{index_file} holds {index.ntotal} vectors, its sidecar says {meta.get('count')}"
        if meta["kind"] == "hnsw":
            faiss.downcast_index(index.index).hnsw.efSearch = HNSW_EF_SEARCH  # not saved with the index
        return cls(index, embedder.name, meta["kind"], version, hashes), None


def saved_state(home: Path | str, embedder_name: str) -> tuple[int, int] | None:
    """(vectors, store version) of the saved index, read from its sidecar alone; None when there is none."""
    try:
        meta = json.loads(index_paths(home, embedder_name)[1].read_text(encoding="utf-8"))
        return int(meta["count"]), int(meta["data_version"])
    except (OSError, ValueError, TypeError, KeyError):
        return None


def usable_vectors(vectors: np.ndarray) -> np.ndarray:
    """Per row: finite and not all zero (a NaN vector would rank first for every query)."""
    return np.isfinite(vectors).all(axis=1) & np.any(vectors != 0, axis=1)


def orphan_vectors(store: Store, home: Path | str, embedder_name: str) -> int:
    """How many vectors the saved index holds for chunks the store no longer has (read from the sidecar)."""
    try:
        meta = json.loads(index_paths(home, embedder_name)[1].read_text(encoding="utf-8"))
        indexed = np.asarray([int(i) for i in meta["hashes"]], dtype=np.int64)
    except (OSError, ValueError, TypeError, KeyError):
        return 0
    return int(np.setdiff1d(indexed, np.asarray(store.chunk_ids(), dtype=np.int64)).size)


def _atomic_write(path: Path, data: bytes) -> None:
    """Write a temporary file beside `path` and rename it over; a full disk or a read-only folder is a StoreError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    except OSError as exc:
        raise StoreError(folder_error(path.parent, exc)) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise StoreError(folder_error(path.parent, exc)) from exc
        raise


def sync(
    store: Store,
    embedder: Embedder,
    home: Path | str,
    progress: Callable[[int], None] | None = None,
    *,
    kind: str = "flat",
    rebuild: bool = False,
    on_start: Callable[[int], None] | None = None,
) -> SyncReport:
    """Bring the saved index in line with the store's chunks; embed only what the cache lacks.

    progress(n) is called after each embedded batch of n passages; on_start(total) once, before embedding.
    rebuild=True starts from an empty index (vectors still come from the cache).
    """
    version = store.data_version()  # read first: a change made while we run shows up as stale next time
    current: dict[int, str] = {}
    texts: dict[str, str] = {}
    for row in store.iter_chunks():
        text = embed_input(row)
        current[row["id"]] = h = input_hash(text)
        texts[h] = text

    vi = None if rebuild else VectorIndex.load(home, embedder)
    if vi is None or vi.kind != kind:
        vi = VectorIndex.empty(embedder.dim, embedder.name, kind)
    present = vi.ids().tolist()
    stale = [i for i in present if i not in current or vi.hashes.get(i) != current[i]]
    keep = set(present).difference(stale)
    to_add = [i for i in current if i not in keep]

    vectors = _vectors_for(store, embedder, {current[i] for i in to_add}, texts, progress, on_start)
    report = SyncReport(len(to_add), len(stale), vectors.embedded, vectors.cached)
    vi.remove(stale)
    if to_add:
        vi.add(to_add, np.stack([vectors.by_hash[current[i]] for i in to_add]))
    vi.hashes = current
    if stale or to_add or vi.data_version != version:
        vi.data_version = version
        vi.save(home)
    return report


@dataclass
class _Vectors:
    by_hash: dict[str, np.ndarray]
    embedded: int
    cached: int


def _vectors_for(
    store: Store,
    embedder: Embedder,
    hashes: set[str],
    texts: dict[str, str],
    progress: Callable[[int], None] | None,
    on_start: Callable[[int], None] | None,
) -> _Vectors:
    """Vectors for input hashes: from the cache, else embedded in batches that are cached as soon as they are done."""
    by_hash: dict[str, np.ndarray] = {}
    row_bytes = embedder.dim * 4
    for h, blob in store.cached_vectors(embedder.name, sorted(hashes)).items():
        # A vector of another size was cached by another model under this name; a NaN or zero one is damage.
        if len(blob) == row_bytes and usable_vectors(vector := np.frombuffer(blob, dtype=np.float32)[None, :])[0]:
            by_hash[h] = vector[0]
    cached = len(by_hash)
    missing = sorted(hashes.difference(by_hash))
    if on_start is not None:
        on_start(len(missing))
    batch = max(1, int(getattr(embedder, "batch_size", 16)))
    for start in range(0, len(missing), batch):
        part = missing[start : start + batch]
        embedded = np.ascontiguousarray(embedder.embed_passages([texts[h] for h in part]), dtype=np.float32)
        store.cache_vectors(embedder.name, [(h, v.tobytes()) for h, v in zip(part, embedded, strict=True)])
        by_hash.update(zip(part, embedded, strict=True))
        if progress is not None:
            progress(len(part))
    return _Vectors(by_hash, len(missing), cached)


def read_snapshot(store: Store, embedder: Embedder, home: Path | str) -> tuple[VectorIndex, int]:
    """The saved index as it is, for a read, and how many of the store's chunks it lacks. Never embeds or writes.

    A damaged index file is reported (once per load, as a warning) and searched as empty: lexical search still
    finds everything, and `ghqa check --repair` or `ghqa index` rebuilds it from the embedding cache."""
    vi, problem = VectorIndex.load_checked(home, embedder)
    if problem is not None:
        # The writer renames the index, then its sidecar: a read between the two sees a pair that does not match.
        time.sleep(0.05)
        vi, problem = VectorIndex.load_checked(home, embedder)
    if problem is not None:
        log.warning(
            "ghqa: %s; searching without it until `ghqa check --repair` / 向量索引损坏，暂只用词语检索，请运行 ghqa check --repair",
            problem,
        )
    vi = vi or VectorIndex.empty(embedder.dim, embedder.name)
    behind = int(np.setdiff1d(np.asarray(store.chunk_ids(), dtype=np.int64), vi.ids()).size)
    return vi, behind


def open_index(
    store: Store,
    embedder: Embedder,
    home: Path | str,
    kind: str = "flat",
    progress: Callable[[int], None] | None = None,
) -> VectorIndex:
    """The saved index, repaired by sync() when it is missing, unreadable or out of step with the store.

    Raises EmbedderMismatch when the saved index was built by another embedder.
    """
    vi = VectorIndex.load(home, embedder)
    if (
        vi is not None
        and vi.kind == kind
        and vi.data_version == store.data_version()
        and np.array_equal(vi.ids(), np.asarray(store.chunk_ids(), dtype=np.int64))
    ):
        return vi
    sync(store, embedder, home, progress, kind=kind)
    # An empty store leaves nothing written.
    return VectorIndex.load(home, embedder) or VectorIndex.empty(embedder.dim, embedder.name, kind)
