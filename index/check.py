"""`ghqa check`: what is wrong with a data folder, and `--repair`: fix it without re-embedding intact vectors.

`ghqa backup`: a consistent copy of the store (SQLite's online backup) and the vector index files.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from ghqa.core.errors import StoreError
from ghqa.index.store import Store, folder_error
from ghqa.index.vectors import TEMP_SUFFIX, VectorIndex, index_paths, sync, usable_vectors

if TYPE_CHECKING:
    from ghqa.index.embedders import Embedder

# Rows that lost their parent; each query counts them and the DELETE after it removes them.
_ORPHANS = {
    "chunks without an article": (
        "SELECT COUNT(*) FROM chunks WHERE article_id NOT IN (SELECT id FROM articles)",
        "DELETE FROM chunks WHERE article_id NOT IN (SELECT id FROM articles)",
    ),
    "paragraphs without an article": (
        "SELECT COUNT(*) FROM paragraphs WHERE article_id NOT IN (SELECT id FROM articles)",
        "DELETE FROM paragraphs WHERE article_id NOT IN (SELECT id FROM articles)",
    ),
    "articles without a document": (
        "SELECT COUNT(*) FROM articles WHERE document_id NOT IN (SELECT id FROM documents)",
        "DELETE FROM articles WHERE document_id NOT IN (SELECT id FROM documents)",
    ),
    "documents no file holds": (
        "SELECT COUNT(*) FROM documents WHERE id NOT IN (SELECT document_id FROM files WHERE document_id IS NOT NULL)",
        None,  # Store._drop_orphan_documents removes them with their lexical rows
    ),
    "lexical index rows without a chunk": (
        "SELECT COUNT(*) FROM chunks_fts WHERE rowid NOT IN (SELECT id FROM chunks)",
        "DELETE FROM chunks_fts WHERE rowid NOT IN (SELECT id FROM chunks)",
    ),
}


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)  # what is wrong now
    repaired: list[str] = field(default_factory=list)  # what --repair did

    @property
    def ok(self) -> bool:
        return not self.problems


def check(
    store: Store, embedder: Embedder, home: Path | str, *, repair: bool = False, kind: str = "flat"
) -> CheckReport:
    """Verify the store (SQLite integrity, orphans), the vector index (checksum, count and ids against the store,
    NaN or zero vectors) and leftover temporary files; with repair=True, fix what can be fixed.

    Repair runs under the caller's write lock; vectors come back from the embedding cache, so only vectors that
    were themselves broken are embedded again."""
    home = Path(home)
    report = CheckReport()
    integrity = [row[0] for row in store.db.execute("PRAGMA integrity_check").fetchall()]
    if integrity != ["ok"]:
        report.problems.append(
            f"{store.path} fails SQLite's integrity check ({'; '.join(integrity[:3])}); restore a copy made by "
            f"`ghqa backup`, or move it away and run `ghqa ingest` again / 存储文件损坏：请恢复备份或重新导入"
        )
        return report  # repairs built on damaged tables would spread the damage
    _check_orphans(store, report, repair)
    _check_temp_files(home, report, repair)
    _check_vectors(store, embedder, home, report, repair, kind)
    return report


def _check_orphans(store: Store, report: CheckReport, repair: bool) -> None:
    found = {name: store.db.execute(count).fetchone()[0] for name, (count, _) in _ORPHANS.items()}
    found = {name: n for name, n in found.items() if n}
    if not found:
        return
    described = ", ".join(f"{n} {name}" for name, n in found.items())
    if not repair:
        report.problems.append(f"{store.path}: {described}; run `ghqa check --repair`")
        return
    with store.transaction():
        # All of them, in order: chunks deleted here leave lexical rows that the last statement removes.
        for _, delete in _ORPHANS.values():
            if delete:
                store.db.execute(delete)
        store._drop_orphan_documents()
        store._bump_version()
    report.repaired.append(f"removed {described}")


def _check_temp_files(home: Path, report: CheckReport, repair: bool) -> None:
    leftovers = sorted(p for p in home.glob(f".vectors-*{TEMP_SUFFIX}") if p.is_file())
    if not leftovers:
        return
    if not repair:
        report.problems.append(
            f"{len(leftovers)} temporary file(s) left by an interrupted write in {home} "
            f"({', '.join(p.name for p in leftovers[:3])}); run `ghqa check --repair`"
        )
        return
    for path in leftovers:
        path.unlink(missing_ok=True)
    report.repaired.append(f"deleted {len(leftovers)} temporary file(s)")


def _check_vectors(store: Store, embedder: Embedder, home: Path, report: CheckReport, repair: bool, kind: str) -> None:
    vi, problem = VectorIndex.load_checked(home, embedder)
    problems = [problem] if problem else []
    if vi is not None:
        stored = np.asarray(store.chunk_ids(), dtype=np.int64)
        missing = np.setdiff1d(stored, vi.ids()).size
        extra = np.setdiff1d(vi.ids(), stored).size
        if missing or extra:
            problems.append(
                f"the vector index lacks {missing} of the store's passages and holds {extra} it no longer has"
            )
        bad = vi.ids()[~usable_vectors(vi.index.reconstruct_batch(vi.ids()))] if len(vi) else np.zeros(0, np.int64)
        if len(bad):
            problems.append(f"{len(bad)} vector(s) in {index_paths(home, embedder.name)[0].name} are NaN or zero")
    elif problem is None and store.chunk_count():
        problems.append("there is no vector index for this embedder yet")
    if not problems:
        return
    if not repair:
        report.problems.extend(f"{p}; run `ghqa check --repair`" for p in problems)
        return
    dropped = _drop_broken_cache_entries(store, embedder)
    # A damaged file is rebuilt from the cache; an intact one keeps its vectors and is brought in step.
    broken_file = vi is None or any("NaN" in p for p in problems)
    result = sync(store, embedder, home, kind=vi.kind if vi is not None else kind, rebuild=broken_file)
    report.repaired.append(
        f"vector index {'rebuilt' if broken_file else 'brought in step'}: {result.added} added, {result.removed} "
        f"removed, {result.embedded} embedded, {result.cached} from cache"
        + (f", {dropped} broken cached vector(s) dropped" if dropped else "")
    )


def _drop_broken_cache_entries(store: Store, embedder: Embedder) -> int:
    """Delete cached vectors of the wrong size, NaN or zero, so the next sync embeds those passages again."""
    broken = []
    for text_hash, blob in store.db.execute(
        "SELECT text_hash, vector FROM embeddings WHERE model = ?", (embedder.name,)
    ):
        if len(blob) != embedder.dim * 4 or not usable_vectors(np.frombuffer(blob, dtype=np.float32)[None, :])[0]:
            broken.append(text_hash)
    if broken:
        with store.transaction():
            store.db.executemany(
                "DELETE FROM embeddings WHERE model = ? AND text_hash = ?", [(embedder.name, h) for h in broken]
            )
    return len(broken)


def backup(store: Store, home: Path | str, target: Path | str) -> list[Path]:
    """Write a consistent copy of the data folder's store and vector index files into the folder `target`.

    SQLite's online backup copies one snapshot while others read and write; index files are replaced only by
    rename, so a copy of each is whole. Returns the files written."""
    home, target = Path(home), Path(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(folder_error(target, exc)) from exc
    if target.resolve() == home.resolve():
        raise StoreError(f"{target} is the data folder itself; give another folder / 请指定数据文件夹以外的目标文件夹")
    written = [target / store.path.name]
    try:
        copy = sqlite3.connect(written[0])
        with copy:
            store.db.backup(copy)
        copy.close()
        for sidecar in sorted(home.glob("vectors-*.json")):
            pair = _consistent_pair(sidecar.with_suffix(".faiss"), sidecar)
            for path, data in pair:
                (target / path.name).write_bytes(data)
                written.append(target / path.name)
    except OSError as exc:
        raise StoreError(folder_error(target, exc)) from exc
    return written


def _consistent_pair(index_file: Path, sidecar: Path, tries: int = 5) -> list[tuple[Path, bytes]]:
    """The index and its sidecar read as a matching pair: a writer renames one, then the other, so read again
    when the checksum shows that it did so in between."""
    for _ in range(tries):
        meta_bytes, data = sidecar.read_bytes(), index_file.read_bytes() if index_file.exists() else b""
        try:
            expected = json.loads(meta_bytes).get("sha256")
        except ValueError:
            expected = None
        if expected in (None, hashlib.sha256(data).hexdigest()):
            break
        time.sleep(0.1)
    return [(index_file, data), (sidecar, meta_bytes)] if data else [(sidecar, meta_bytes)]
