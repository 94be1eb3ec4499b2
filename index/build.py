"""Bring files into the store: scan, skip what is unchanged, parse the rest, record failures, never stop a batch."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ghqa.core.errors import IngestError
from ghqa.index.store import Store
from ghqa.ingest.document import PARSER_VERSION, content_hash, parse_bytes
from ghqa.ingest.loaders import SUPPORTED_SUFFIXES, read_bytes


@dataclass
class IngestReport:
    stored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)  # same content already stored under another name
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    skipped: list[str] = field(default_factory=list)  # files of other types met while scanning a folder

    @property
    def ok(self) -> bool:
        return not self.failed


def scan_paths(paths: Iterable[Path | str]) -> tuple[list[Path], list[str]]:
    """Files to ingest from files and folders (recursive, hidden entries ignored), and the files skipped."""
    files: list[Path] = []
    skipped: list[str] = []
    for given in paths:
        path = Path(given).expanduser().absolute()
        if not path.is_dir():
            files.append(path)
            continue
        for root, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if name.startswith("."):
                    continue
                child = Path(root) / name
                (files if child.suffix.lower() in SUPPORTED_SUFFIXES else skipped).append(child)
    return files, [str(s) for s in skipped]


def ingest_file(store: Store, path: Path, report: IngestReport) -> None:
    """Store one file, or record why it failed; what the store held before a failure stays."""
    key = str(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        _fail(store, report, key, None, None, "file does not exist")
        return
    except PermissionError:
        _fail(store, report, key, None, None, "permission denied")
        return
    state = store.file_state(key)
    current = state is not None and state.status == "stored" and state.parser_version == PARSER_VERSION
    if current and state.mtime == stat.st_mtime and state.size == stat.st_size:
        report.unchanged.append(key)
        return
    try:
        # Read once, size-checked, and hash before parsing, so an mtime-only change costs no parse.
        data = read_bytes(path)
        digest = content_hash(data)
        if current and state.content_hash == digest:
            store.touch_file(key, stat.st_mtime)
            report.unchanged.append(key)
        elif store.has_document(digest, PARSER_VERSION):
            store.link_file(key, digest, stat.st_mtime, stat.st_size)
            report.linked.append(key)
        else:
            store.save_document(key, stat.st_mtime, stat.st_size, parse_bytes(path, data, digest))
            report.stored.append(key)
    except IngestError as exc:
        _fail(store, report, key, stat.st_mtime, stat.st_size, exc.reason)
    except FileNotFoundError:
        _fail(store, report, key, stat.st_mtime, stat.st_size, "file no longer exists")
    except PermissionError:
        _fail(store, report, key, stat.st_mtime, stat.st_size, "permission denied")
    except Exception as exc:  # a parser bug on one odd file must not stop the batch
        _fail(store, report, key, stat.st_mtime, stat.st_size, f"unexpected error: {type(exc).__name__}: {exc}")


def _fail(store: Store, report: IngestReport, key: str, mtime: float | None, size: int | None, reason: str) -> None:
    store.record_failure(key, mtime, size, reason)
    report.failed.append((key, reason))


def ingest_paths(
    store: Store, paths: Iterable[Path | str], progress: Callable[[int, int, str], None] | None = None
) -> IngestReport:
    """Ingest files and folders into the store; one bad file never stops the batch.

    progress(done, total, path) is called after each file."""
    files, skipped = scan_paths(paths)
    report = IngestReport(skipped=skipped)
    for done, path in enumerate(files, start=1):
        ingest_file(store, path, report)
        if progress:
            progress(done, len(files), str(path))
    return report
