"""Fault injection: killed writes, damaged files, a full disk, a read-only copy, two writers, hostile input.

Each fault must end in one specific line (Chinese and English) with a non-zero exit, or a per-file failure line, and
never lose what was stored. The fake embedder keeps every test fast; processes are killed with SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from fakes import BigramEmbedder
from ghqa.index import embedders
from ghqa.index import store as store_module
from ghqa.index.check import backup, check
from ghqa.index.lock import write_lock
from ghqa.index.store import Store
from ghqa.index.vectors import VectorIndex, index_paths

from ghqa.cli import main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
FAKE_GHQA = Path(__file__).with_name("fake_ghqa.py")
EMBEDDER = BigramEmbedder().name


def seed(prefix: str) -> Path:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for prefix, name in (("002", "a.txt"), ("004", "b.txt")):
        (folder / name).write_bytes(seed(prefix).read_bytes())
    return folder


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("GHQA_HOME", str(folder))
    monkeypatch.delenv("GHQA_EMBEDDER", raising=False)
    monkeypatch.setattr(embedders, "make_embedder", lambda spec=None: BigramEmbedder())
    return folder


def ghqa(*args: object, **env: str):
    """The command in this process (fake embedder); a raised exception would be a traceback reaching the user."""
    result = CliRunner().invoke(main, [str(a) for a in args], env=env or None, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def ghqa_process(home: Path, *args: object, wait: bool = True, **env: str):
    """The command as its own process, to be killed or run beside another."""
    environ = {**os.environ, "GHQA_HOME": str(home), **env}
    command = [sys.executable, str(FAKE_GHQA), *map(str, args)]
    if not wait:
        return subprocess.Popen(command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=120)


def one_line_error(result, *needles: str) -> str:
    """The result failed with one `Error:` line holding every needle, Chinese included, and no traceback."""
    assert result.exit_code != 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])
    return lines[0]


def indexed_ids(home: Path) -> list[int]:
    vi = VectorIndex.load(home, BigramEmbedder())
    return vi.ids().tolist() if vi is not None else []


def chunk_ids(home: Path) -> list[int]:
    with Store(home / "ghqa.db") as store:
        return store.chunk_ids()


# --- killed writes ----------------------------------------------------------------------------------------------


def test_remove_killed_after_its_rows_went_is_finished_by_running_it_again(home, inputs):
    assert ghqa("ingest", inputs).exit_code == 0
    killed = ghqa_process(home, "remove", inputs / "a.txt", GHQA_FAULT="kill-after-remove-rows")
    assert killed.returncode == -signal.SIGKILL
    assert len(indexed_ids(home)) > len(chunk_ids(home))  # the removed file's vectors are still there
    again = ghqa("remove", inputs / "a.txt")
    assert again.exit_code == 0, again.output
    assert "finished an earlier removal" in again.output
    assert indexed_ids(home) == chunk_ids(home)
    assert ghqa("remove", inputs / "a.txt").exit_code != 0  # now it is truly gone


def test_ingest_killed_after_one_document_keeps_it_and_a_rerun_finishes(home, inputs):
    killed = ghqa_process(home, "ingest", inputs, GHQA_FAULT="kill-after-first-document")
    assert killed.returncode == -signal.SIGKILL
    with Store(home / "ghqa.db") as store:
        assert store.stats()["documents"] == 1
    again = ghqa("ingest", inputs)
    assert again.exit_code == 0, again.output
    assert "1 stored, 1 unchanged" in again.output
    assert indexed_ids(home) == chunk_ids(home)
    with Store(home / "ghqa.db") as store:
        assert check(store, BigramEmbedder(), home).ok


# --- damaged store ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["garbled", "truncated", "header"])
def test_a_damaged_store_is_one_line_naming_the_file(home, inputs, damage):
    ghqa("ingest", "--no-embed", inputs)
    db = home / "ghqa.db"
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file, none left in the WAL
    data = bytearray(db.read_bytes())
    if damage == "garbled":
        data[4096:] = os.urandom(len(data) - 4096)
    elif damage == "truncated":
        data = data[: len(data) // 3]
    else:
        data[:16] = b"not sqlite at al"
    db.write_bytes(bytes(data))
    for command in (["stats"], ["search", "工资集体协商"], ["ingest", inputs]):
        one_line_error(ghqa(*command), str(db), "is damaged")


def test_a_store_from_a_newer_ghqa_says_to_upgrade(home, inputs):
    ghqa("ingest", "--no-embed", inputs)
    with sqlite3.connect(home / "ghqa.db") as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    one_line_error(ghqa("stats"), str(home / "ghqa.db"), "newer version", "upgrade ghqa")


def test_a_full_disk_stops_the_batch_with_one_line_and_keeps_what_was_stored(home, inputs, monkeypatch):
    ghqa("ingest", inputs / "a.txt")
    real_open = Store._open

    def small_disk(self):
        real_open(self)
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        self.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLite's own SQLITE_FULL

    monkeypatch.setattr(Store, "_open", small_disk)
    one_line_error(ghqa("ingest", inputs), "is full", str(home / "ghqa.db"))
    monkeypatch.setattr(Store, "_open", real_open)
    counts = json.loads(ghqa("stats", "--json").output)
    assert counts["documents"] == 1


def test_a_full_disk_while_writing_the_vector_index_is_one_line(home, inputs, monkeypatch):
    import ghqa.index.vectors as vectors

    ghqa("ingest", "--no-embed", inputs)

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(vectors.os, "fsync", full)
    one_line_error(ghqa("index"), "is full", str(home))
    assert not list(home.glob("*.tmp")) and not list(home.glob(".*.tmp"))


# --- a read-only copy ---------------------------------------------------------------------------------------------


def read_only_folder(monkeypatch, folder: Path) -> None:
    """What a folder the user may not write looks like to ghqa (tests run as root, where chmod stops nothing)."""
    real_access = os.access

    def access(path, mode, **kwargs):
        inside = Path(path).absolute() == folder or folder in Path(path).absolute().parents
        return False if inside and mode & os.W_OK else real_access(path, mode, **kwargs)

    monkeypatch.setattr(store_module.os, "access", access)


def test_a_read_only_copy_can_be_searched_and_refuses_writes(home, inputs, monkeypatch):
    ghqa("ingest", inputs)
    with sqlite3.connect(home / "ghqa.db") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # as the ingest process leaves it when it exits
    before = {p.name: p.stat().st_mtime_ns for p in home.iterdir()}
    read_only_folder(monkeypatch, home)
    found = ghqa("search", "--json", "工资集体协商")
    assert found.exit_code == 0, found.output
    assert json.loads(found.output.splitlines()[-1])["hits"]
    asked = ghqa("ask", "--json", "--no-llm", "哪些乡镇开展了工资集体协商？")
    assert asked.exit_code == 0, asked.output
    assert {p.name: p.stat().st_mtime_ns for p in home.iterdir()} == before  # no -wal, -shm or index written
    one_line_error(ghqa("remove", inputs / "a.txt"), "read-only")
    with sqlite3.connect(home / "ghqa.db") as db:
        assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 2


# --- reads never write ----------------------------------------------------------------------------------------------


def test_a_reader_picks_up_vectors_another_process_adds_without_changing_the_store(home, inputs):
    from ghqa.services import open_services

    ghqa("ingest", inputs / "a.txt")
    ghqa("ingest", "--no-embed", inputs / "b.txt")
    reader = open_services(home)
    reader.search("工资集体协商")
    assert reader.engine.vectors_behind > 0
    ghqa("index")  # embeds in another process; the store's data version stays the same
    reader.search("工资集体协商")
    assert reader.engine.vectors_behind == 0
    reader.close()


def test_search_never_embeds_or_writes_and_says_how_far_vectors_lag(home, inputs):
    from ghqa.services import open_services

    ghqa("ingest", inputs / "a.txt")
    ghqa("ingest", "--no-embed", inputs / "b.txt")
    index_file, sidecar = index_paths(home, EMBEDDER)
    before = index_file.read_bytes(), sidecar.read_bytes()
    services = open_services(home)
    embedder = services.embedder
    result = services.search("工资集体协商")
    assert embedder.passages == 0  # the query only
    assert (index_file.read_bytes(), sidecar.read_bytes()) == before
    behind = len(chunk_ids(home)) - len(indexed_ids(home))
    assert services.engine.vectors_behind == behind > 0
    assert result.hits and f"向量索引缺少 {behind} 段" in result.note
    assert f"缺少 {behind} 段" in services.ask("哪些地方开展了工资集体协商？").note
    services.close()
    ghqa("index")
    services = open_services(home)
    services.engine.vectors  # noqa: B018  (loads the index and counts what it lacks)
    assert services.engine.vectors_behind == 0
    services.close()


# --- damaged vector index -----------------------------------------------------------------------------------------


def test_a_garbled_index_file_is_found_by_check_and_at_startup_and_repaired_from_the_cache(home, inputs, caplog):
    ghqa("ingest", inputs)
    index_file, _ = index_paths(home, EMBEDDER)
    data = bytearray(index_file.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 16] = b"\xff" * 16
    index_file.write_bytes(bytes(data))
    checked = ghqa("check")
    assert checked.exit_code == 1 and "does not match the checksum" in checked.output
    with caplog.at_level("WARNING", logger="ghqa"):
        assert ghqa("search", "工资集体协商").exit_code == 0
    assert "does not match the checksum" in caplog.text
    repaired = ghqa("check", "--repair")
    assert repaired.exit_code == 0 and "0 embedded" in repaired.output
    assert ghqa("check").exit_code == 0


def test_a_nan_vector_is_found_and_only_it_is_embedded_again(home, inputs):
    ghqa("ingest", inputs)
    embedder = BigramEmbedder()
    vi = VectorIndex.load(home, embedder)
    victim = int(vi.ids()[0])
    vi.remove([victim])
    vi.add([victim], np.full((1, embedder.dim), np.nan, dtype=np.float32))
    vi.save(home)
    with Store(home / "ghqa.db") as store:
        found = check(store, embedder, home)
        assert any("NaN or zero" in p for p in found.problems)
        repaired = check(store, embedder, home, repair=True)
        assert repaired.ok and "0 embedded" in repaired.repaired[-1]
        assert check(store, embedder, home).ok
    assert embedder.passages == 0  # its cached vector was intact


def test_leftover_temporary_files_are_found_and_removed(home, inputs):
    ghqa("ingest", inputs)
    leftover = home / f".{index_paths(home, EMBEDDER)[0].name}.x1y2.tmp"
    leftover.write_bytes(b"half")
    assert "temporary file" in ghqa("check").output
    assert ghqa("check", "--repair").exit_code == 0
    assert not leftover.exists()


def test_orphan_rows_are_found_and_removed(home, inputs):
    ghqa("ingest", inputs)
    with sqlite3.connect(home / "ghqa.db") as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("DELETE FROM articles WHERE id = (SELECT MIN(id) FROM articles)")
    assert "chunks without an article" in ghqa("check").output
    assert ghqa("check", "--repair").exit_code == 0
    assert ghqa("check").exit_code == 0


def test_backup_while_another_process_writes_is_a_consistent_copy(home, inputs, tmp_path):
    ghqa("ingest", inputs / "a.txt")
    writer = ghqa_process(home, "ingest", inputs / "b.txt", wait=False)
    with Store(home / "ghqa.db") as store:
        backup(store, home, tmp_path / "copy")
    assert writer.wait(60) == 0
    with Store(tmp_path / "copy" / "ghqa.db") as copy:
        assert copy.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        report = check(copy, BigramEmbedder(), tmp_path / "copy", repair=True)
        assert report.ok
    assert ghqa("backup", tmp_path / "second").exit_code == 0
    assert (tmp_path / "second" / index_paths(home, EMBEDDER)[0].name).exists()


# --- one writer at a time -----------------------------------------------------------------------------------------


def test_a_second_writer_says_who_holds_the_lock(home, inputs):
    home.mkdir(parents=True)
    with write_lock(home, "ghqa ingest"):
        result = ghqa("ingest", inputs, GHQA_LOCK_WAIT_S="0.3")
    one_line_error(result, f"pid {os.getpid()}", "`ghqa ingest`", "GHQA_LOCK_WAIT_S")


def test_a_second_writer_waits_for_the_first(home, inputs, caplog):
    home.mkdir(parents=True)
    held = threading.Event()

    def hold():
        with write_lock(home, "ghqa index"):
            held.set()
            time.sleep(0.5)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    with caplog.at_level("WARNING", logger="ghqa"):
        result = ghqa("ingest", inputs)
    holder.join()
    assert result.exit_code == 0, result.output
    assert "waiting for pid" in caplog.text


def _open_store_when_released(path: str, start: object, outcomes: object) -> None:
    start.wait()
    try:
        Store(Path(path)).close()
        outcomes.put("ok")
    except Exception as exc:  # the outcome under test: every error is reported back
        outcomes.put(f"{type(exc).__name__}: {exc}")


def test_processes_making_the_same_new_store_at_once_all_open_it(tmp_path):
    """Before its WAL switch was retried and its schema read in one transaction, about 1 open in 90 failed here
    ("busy" or "written by another version")."""
    import multiprocessing

    for trial in range(12):
        path = tmp_path / f"s{trial}" / "ghqa.db"
        path.parent.mkdir()
        start, outcomes = multiprocessing.Barrier(6), multiprocessing.Queue()
        openers = [
            multiprocessing.Process(target=_open_store_when_released, args=(str(path), start, outcomes))
            for _ in range(6)
        ]
        for p in openers:
            p.start()
        for p in openers:
            p.join(60)
        assert [outcomes.get(timeout=5) for _ in openers] == ["ok"] * 6


def test_two_ingests_at_once_embed_each_chunk_once(home, inputs, tmp_path):
    log = tmp_path / "embedded.log"
    runs = [ghqa_process(home, "ingest", inputs, wait=False, FAKE_EMBED_LOG=str(log)) for _ in range(2)]
    assert [run.wait(120) for run in runs] == [0, 0], [run.stderr.read() for run in runs]
    embedded = sum(int(n) for n in log.read_text().split())
    assert embedded == len(chunk_ids(home))
    assert indexed_ids(home) == chunk_ids(home)


# --- hostile input --------------------------------------------------------------------------------------------------


def test_a_query_over_the_limit_is_refused_with_the_limit_named(home, inputs):
    ghqa("ingest", inputs)
    result = ghqa("search", "--exact", "工" * 50_000)
    assert result.exit_code == 2
    assert "50000 characters (limit 2000, set GHQA_MAX_QUERY_CHARS)" in result.output


def test_a_long_exact_phrase_within_a_raised_limit_is_matched_without_like(home, inputs):
    ghqa("ingest", inputs)
    result = ghqa("search", "--exact", "--json", "工" * 3000, GHQA_MAX_QUERY_CHARS="3000")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[-1])["hits"] == []
    with Store(home / "ghqa.db") as store:  # past SQLite's 50,000-byte LIKE pattern limit
        assert store.chunk_ids_containing("工" * 60_000 + "%_\\") == []


@pytest.mark.parametrize("place", ['"]', '", "', "[", "%", "_"])
def test_a_place_filter_of_json_punctuation_matches_nothing(home, inputs, place):
    ghqa("ingest", inputs)
    result = ghqa("search", "--json", "--place", place, "工会")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[-1])["hits"] == []


def test_a_place_filter_matches_stored_names(home, inputs):
    ghqa("ingest", inputs)
    with Store(home / "ghqa.db") as store:
        assert store.chunk_ids_where(place="巴州区")
        assert not store.chunk_ids_where(place='巴州区"')


def test_a_queries_file_that_is_not_utf8_is_named(home, inputs, tmp_path):
    ghqa("ingest", "--no-embed", inputs)
    queries = tmp_path / "queries.txt"
    queries.write_bytes("工资集体协商\n".encode("gb18030"))
    result = ghqa("search", "--queries-file", queries)
    assert result.exit_code == 2 and f"{queries} is not UTF-8 text" in result.output


def test_a_query_argument_that_is_not_utf8_is_reported(home, inputs):
    ghqa("ingest", "--no-embed", inputs)
    result = ghqa_process(home, "search", os.fsdecode("工会".encode("gb18030")))
    assert result.returncode == 2 and "the query is not valid UTF-8 text" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("auth", ["nocolon", ":", "user:", ":password"])
def test_auth_needs_a_user_and_a_password(home, auth):
    result = ghqa("serve", "--auth", auth)
    assert result.exit_code == 2 and "USER:PASSWORD" in result.output


def test_an_unwritable_data_folder_is_one_line(tmp_path, monkeypatch):
    from ghqa.core.errors import StoreError

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(StoreError, match="set GHQA_HOME to a writable folder"):
        Store(tmp_path / "new" / "ghqa.db", read_only=False)
