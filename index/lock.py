"""One writer at a time: ingest, index and remove hold a lock file in the data folder while they write.

Readers never take it: SQLite's WAL gives them a consistent snapshot, and the vector index is replaced by rename.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from ghqa.core.errors import StoreError
from ghqa.core.settings import positive_setting
from ghqa.index.store import folder_error

LOCK_NAME = "write.lock"
HOLDER_NAME = "write.lock.json"  # who holds the lock, for the message a waiting writer prints
WAIT_ENV = "GHQA_LOCK_WAIT_S"
DEFAULT_WAIT_S = 600.0

log = logging.getLogger("ghqa")


def _say_waiting(who: str) -> None:
    log.warning("ghqa: waiting for %s to finish writing / 等待另一个 ghqa 进程写完", who)


def holder(home: Path) -> str:
    """Who holds the write lock, as the holder wrote it ("pid 123, `ghqa ingest`, since 10:42:07")."""
    try:
        info = json.loads((Path(home) / HOLDER_NAME).read_text(encoding="utf-8"))
        since = time.strftime("%H:%M:%S", time.localtime(float(info["since"])))
        return f"pid {int(info['pid'])}, `{info['command']}`, since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another ghqa process"


@contextmanager
def write_lock(
    home: Path | str, command: str, wait_s: float | None = None, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the data folder's write lock while the block runs.

    When another process holds it, on_wait(who) is called once (by default a warning on stderr) and the lock is
    awaited for up to wait_s seconds (GHQA_LOCK_WAIT_S, default 600); then StoreError names the holder."""
    home = Path(home)
    wait_s = positive_setting(WAIT_ENV, DEFAULT_WAIT_S) if wait_s is None else wait_s
    lock = FileLock(home / LOCK_NAME)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            (on_wait or _say_waiting)(holder(home))
            lock.acquire(timeout=wait_s)
    except Timeout:
        raise StoreError(
            f"{home} is being written by {holder(home)}; wait for it to finish, or stop that process, then run the "
            f"command again (waited {wait_s:g} s, set {WAIT_ENV}) / 另一个 ghqa 进程正在写入，请等待其结束后重试"
        ) from None
    except OSError as exc:
        raise StoreError(folder_error(home, exc)) from exc
    try:
        info = {"pid": os.getpid(), "command": command, "since": time.time(), "argv": sys.argv[1:]}
        (home / HOLDER_NAME).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass  # only the message of a waiting writer loses its detail
    try:
        yield
    finally:
        lock.release()
