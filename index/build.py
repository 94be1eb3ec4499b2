"""Bring files into the store: scan, skip what is unchanged, parse the rest, record failures, never stop a batch."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ghqa.core.errors import IngestError, StoreError
from ghqa.core.settings import positive_setting
from ghqa.index.store import Store
from ghqa.ingest.document import PARSER_VERSION, content_hash, parse_bytes
from ghqa.ingest.loaders import MAX_FILE_ENV, SUPPORTED_SUFFIXES, read_bytes

MAX_CHUNKS_ENV = "GHQA_MAX_CHUNKS_PER_FILE"
# About 2 million characters of report text: a few minutes of embedding on a laptop CPU.
DEFAULT_MAX_CHUNKS = 10_000


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


@dataclass(frozen=True)
class WorkLimits:
    """The most work one file may cause, beyond the size limit that read_bytes applies."""

    max_chunks: int

    @classmethod
    def from_env(cls) -> WorkLimits:
        return cls(max_chunks=int(positive_setting(MAX_CHUNKS_ENV, DEFAULT_MAX_CHUNKS)))

    def check_chunks(self, key: str, chunks: int) -> None:
        if chunks > self.max_chunks:
            raise IngestError(
                key,
                f"too many passages: {chunks} chunks (limit {self.max_chunks}, set {MAX_CHUNKS_ENV}); split the file",
            )


def scan_paths(paths: Iterable[Path | str]) -> tuple[list[Path], list[str], list[tuple[str, str]]]:
    """Files to ingest from files and folders (recursive, hidden entries ignored), the files skipped, and the
    folders that could not be read, each with its reason."""
    files: list[Path] = []
    skipped: list[str] = []
    unreadable: list[tuple[str, str]] = []

    def folder_failed(error: OSError) -> None:
        unreadable.append((display_path(error.filename or ""), os_reason(error)))

    for given in paths:
        path = Path(given).expanduser().absolute()
        if not path.is_dir():
            files.append(path)
            continue
        for root, dirs, names in os.walk(path, onerror=folder_failed):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if name.startswith("."):
                    continue
                child = Path(root) / name
                (files if child.suffix.lower() in SUPPORTED_SUFFIXES else skipped).append(child)
    return files, [display_path(s) for s in skipped], unreadable


def display_path(path: Path | str) -> str:
    """A path as text that can be printed and stored: bytes that are not UTF-8 are shown as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def os_reason(error: OSError) -> str:
    """What an OS error on one file means, in words a user can act on."""
    reasons = {
        errno.ENOENT: "file no longer exists",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ELOOP: "symbolic link loop (the link points back at itself)",
        errno.ENAMETOOLONG: "file name too long",
        errno.EISDIR: "is a directory, not a file",
    }
    return reasons.get(error.errno, f"cannot read: {error.strerror or error}")


def ingest_file(store: Store, path: Path, report: IngestReport, limits: WorkLimits | None = None) -> None:
    """Store one file, or record why it failed; what the store held before a failure stays.

    Only a store that cannot be written (StoreError) stops the batch: every file after it would fail the same way."""
    limits = limits or WorkLimits.from_env()
    key = display_path(path)
    if key != str(path):
        # SQLite stores UTF-8 text only; the escaped name is recorded so the failure shows in `ghqa stats`.
        _fail(store, report, key, None, None, "file name is not valid UTF-8; rename the file and ingest it again")
        return
    try:
        stat = path.stat()
    except OSError as exc:
        _fail(store, report, key, None, None, "file does not exist" if exc.errno == errno.ENOENT else os_reason(exc))
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
            document = parse_bytes(path, data, digest)
            limits.check_chunks(key, len(document.chunks))
            store.save_document(key, stat.st_mtime, stat.st_size, document)
            report.stored.append(key)
    except StoreError:
        raise
    except IngestError as exc:
        _fail(store, report, key, stat.st_mtime, stat.st_size, exc.reason)
    except OSError as exc:
        _fail(store, report, key, stat.st_mtime, stat.st_size, os_reason(exc))
    except MemoryError:
        _fail(store, report, key, stat.st_mtime, stat.st_size, f"out of memory; lower {MAX_FILE_ENV}")
    except Exception as exc:  # a parser bug on one odd file must not stop the batch
        _fail(store, report, key, stat.st_mtime, stat.st_size, f"unexpected error: {type(exc).__name__}: {exc}")


def _fail(store: Store, report: IngestReport, key: str, mtime: float | None, size: int | None, reason: str) -> None:
    store.record_failure(key, mtime, size, reason)
    report.failed.append((key, reason))


def ingest_paths(
    store: Store, paths: Iterable[Path | str], progress: Callable[[int, int, str], None] | None = None
) -> IngestReport:
    """Ingest files and folders into the store; one bad file never stops the batch.

    progress(done, total, path) is called after each file. The limits are read once, so a bad setting stops the
    batch before any file rather than failing every file."""
    limits = WorkLimits.from_env()
    files, skipped, unreadable = scan_paths(paths)
    report = IngestReport(skipped=skipped)
    for key, reason in unreadable:
        _fail(store, report, key, None, None, reason)
    for done, path in enumerate(files, start=1):
        ingest_file(store, path, report, limits)
        if progress:
            progress(done, len(files), display_path(path))
    return report
