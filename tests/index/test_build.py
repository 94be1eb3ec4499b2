"""ingest_paths: unchanged files skipped, changed files replaced, bad files reported, a killed run leaves no mess."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ghqa.index import build
from ghqa.index.build import ingest_paths
from ghqa.index.store import Store
from ghqa.ingest import loaders
from ghqa.ingest.clean import normalize_for_index
from ghqa.ingest.document import read_document

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
EXTRA = ROOT.parent / "shared" / "corpus-extra" / "gov-work-reports-2026"


def seed_bytes(prefix: str) -> bytes:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return path.read_bytes()


def assert_consistent(store: Store) -> None:
    db = store.db
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    held = "(SELECT document_id FROM files WHERE document_id IS NOT NULL)"
    assert db.execute(f"SELECT COUNT(*) FROM documents WHERE id NOT IN {held}").fetchone()[0] == 0
    assert db.execute(f"SELECT COUNT(*) FROM articles WHERE document_id NOT IN {held}").fetchone()[0] == 0
    for table in ("chunks", "paragraphs"):
        orphans = f"SELECT COUNT(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)"
        assert db.execute(orphans).fetchone()[0] == 0
    chunk_ids = [r[0] for r in db.execute("SELECT id FROM chunks ORDER BY id")]
    assert chunk_ids == [r[0] for r in db.execute("SELECT rowid FROM chunks_fts ORDER BY rowid")]
    # a stored document is whole: every article has paragraphs and chunks
    for table in ("chunks", "paragraphs"):
        empty = f"SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.article_id = a.id)"
        assert db.execute(empty).fetchone()[0] == 0


def chunk_text(store: Store) -> str:
    return "\n".join(r[0] for r in store.db.execute("SELECT norm FROM chunks"))


def lexical_hits(store: Store, word: str) -> int:
    expression = '"' + normalize_for_index(word) + '"'
    return store.db.execute("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (expression,)).fetchone()[0]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.db") as opened:
        yield opened


@pytest.fixture
def reports(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(seed_bytes("002"))
    (folder / "b.txt").write_bytes(seed_bytes("004"))
    return folder


# --- unchanged and changed files ----------------------------------------------------------------------------------


def test_reingesting_unchanged_files_does_nothing(store, reports):
    first = ingest_paths(store, [reports])
    assert sorted(Path(p).name for p in first.stored) == ["a.txt", "b.txt"] and first.ok
    ids, version = store.chunk_ids(), store.data_version()
    second = ingest_paths(store, [reports])
    assert second.stored == [] and sorted(Path(p).name for p in second.unchanged) == ["a.txt", "b.txt"]
    assert store.chunk_ids() == ids
    assert store.data_version() == version
    assert_consistent(store)


def test_touched_but_identical_file_is_unchanged(store, reports):
    ingest_paths(store, [reports])
    ids = store.chunk_ids()
    later = time.time() + 100
    os.utime(reports / "a.txt", (later, later))
    report = ingest_paths(store, [reports / "a.txt"])
    assert report.unchanged == [str(reports / "a.txt")] and report.stored == []
    assert store.chunk_ids() == ids
    assert store.file_state(str(reports / "a.txt")).mtime == pytest.approx(later)


def test_touched_but_identical_file_is_not_parsed_again(store, reports, monkeypatch):
    ingest_paths(store, [reports])
    later = time.time() + 100
    os.utime(reports / "a.txt", (later, later))

    def no_decoding(data: bytes):
        raise AssertionError("an mtime-only change must not decode or parse the file")

    # Every route to a parse goes through the format loader, whatever the caller is named.
    monkeypatch.setitem(loaders._LOADERS, ".txt", no_decoding)
    report = ingest_paths(store, [reports / "a.txt"])
    assert report.unchanged == [str(reports / "a.txt")] and report.ok


def test_a_changed_file_is_read_once_and_within_the_size_limit(store, reports, monkeypatch):
    ingest_paths(store, [reports])
    (reports / "a.txt").write_bytes(seed_bytes("000"))
    other = seed_bytes("002")

    def second_read(self):
        raise AssertionError("the file was read a second time, bypassing the size limit")

    monkeypatch.setattr(Path, "read_bytes", second_read)
    assert ingest_paths(store, [reports / "a.txt"]).stored == [str(reports / "a.txt")]
    monkeypatch.setenv("GHQA_MAX_FILE_MB", "0.001")
    (reports / "a.txt").write_bytes(other)
    (reason,) = [r for _, r in ingest_paths(store, [reports / "a.txt"]).failed]
    assert "file too large" in reason


def test_changed_file_replaces_its_rows(store, reports):
    ingest_paths(store, [reports])
    assert lexical_hits(store, "巴州区") > 0
    (reports / "a.txt").write_bytes(seed_bytes("000"))
    report = ingest_paths(store, [reports])
    assert report.stored == [str(reports / "a.txt")]
    assert report.unchanged == [str(reports / "b.txt")]
    assert lexical_hits(store, "巴州区") == 0
    assert "巴州区" not in chunk_text(store)
    assert lexical_hits(store, "司法局") > 0
    expected_chunks = len(read_document(reports / "a.txt").chunks) + len(read_document(reports / "b.txt").chunks)
    stats = store.stats()
    assert stats["files"] == 2 and stats["documents"] == 2 and stats["chunks"] == expected_chunks
    assert_consistent(store)


def test_same_content_under_two_names_is_stored_once(store, reports):
    (reports / "copy.txt").write_bytes(seed_bytes("002"))
    report = ingest_paths(store, [reports])
    assert len(report.stored) == 2 and len(report.linked) == 1
    stats = store.stats()
    assert stats["files"] == 3 and stats["documents"] == 2
    one = len(read_document(reports / "a.txt").chunks)
    assert stats["chunks"] == one + len(read_document(reports / "b.txt").chunks)
    assert store.remove_path(str(reports / "a.txt"))
    assert store.stats()["documents"] == 2 and lexical_hits(store, "巴州区") > 0
    assert store.find_article("copy.txt#1")["unit"] == "巴州区"
    assert_consistent(store)
    assert store.remove_path(str(reports / "copy.txt"))
    assert lexical_hits(store, "巴州区") == 0
    assert store.stats()["documents"] == 1
    assert_consistent(store)


def test_remove_path_after_ingest(store, reports):
    ingest_paths(store, [reports])
    assert store.remove_path(str(reports / "b.txt"))
    assert lexical_hits(store, "台州市") == 0
    assert store.stats()["files"] == 1
    assert_consistent(store)


# --- failures -----------------------------------------------------------------------------------------------------


def test_bad_files_do_not_stop_the_batch(store, reports, monkeypatch):
    (reports / "junk.txt").write_bytes(bytes(range(256)) * 40)
    (reports / "empty.txt").write_bytes(b"")
    (reports / "c_gone.txt").write_bytes(seed_bytes("000"))
    (reports / "notes.xyz").write_text("not a report")
    real_read = build.read_bytes

    def vanishing(path):
        if path.name == "c_gone.txt":
            path.unlink()  # deleted between the scan and the read
        return real_read(path)

    monkeypatch.setattr(build, "read_bytes", vanishing)
    report = ingest_paths(store, [reports, reports / "missing.txt"])
    assert not report.ok
    assert sorted(Path(p).name for p in report.stored) == ["a.txt", "b.txt"]
    reasons = {Path(p).name: reason for p, reason in report.failed}
    assert set(reasons) == {"junk.txt", "empty.txt", "c_gone.txt", "missing.txt"}
    assert "binary" in reasons["junk.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "no longer exists" in reasons["c_gone.txt"]
    assert "does not exist" in reasons["missing.txt"]
    assert [Path(p).name for p in report.skipped] == ["notes.xyz"]
    stats = store.stats()
    assert stats["files"] == 2 and stats["failed_files"] == 4 and stats["documents"] == 2
    assert store.file_state(str(reports / "junk.txt")).error == reasons["junk.txt"]
    assert_consistent(store)


def test_an_unexpected_parser_error_fails_one_file_only(store, reports, monkeypatch):
    real_parse = build.parse_bytes

    def flaky(path, data, digest):
        if path.name == "a.txt":
            raise RuntimeError("boom")
        return real_parse(path, data, digest)

    monkeypatch.setattr(build, "parse_bytes", flaky)
    report = ingest_paths(store, [reports])
    assert report.failed == [(str(reports / "a.txt"), "unexpected error: RuntimeError: boom")]
    assert report.stored == [str(reports / "b.txt")]


def test_a_stored_file_that_breaks_keeps_its_old_rows(store, reports):
    ingest_paths(store, [reports])
    ids = store.chunk_ids()
    (reports / "a.txt").write_bytes(bytes(range(256)) * 40)
    report = ingest_paths(store, [reports])
    assert [Path(p).name for p, _ in report.failed] == ["a.txt"]
    state = store.file_state(str(reports / "a.txt"))
    assert state.status == "failed" and "binary" in state.error
    # still searchable until it is fixed or removed
    assert store.chunk_ids() == ids
    assert lexical_hits(store, "巴州区") > 0
    assert store.find_article("a.txt#1")["unit"] == "巴州区"
    assert_consistent(store)
    # a failed file is tried again on the next run, even if it did not change
    again = ingest_paths(store, [reports / "a.txt"])
    assert [Path(p).name for p, _ in again.failed] == ["a.txt"]
    # once repaired it is stored again
    (reports / "a.txt").write_bytes(seed_bytes("002"))
    fixed = ingest_paths(store, [reports / "a.txt"])
    assert fixed.ok and fixed.failed == []
    assert store.file_state(str(reports / "a.txt")).status == "stored"
    assert store.file_state(str(reports / "a.txt")).error is None
    assert store.stats()["failed_files"] == 0
    assert_consistent(store)


def test_a_stored_file_that_is_emptied_keeps_its_old_rows(store, reports):
    ingest_paths(store, [reports])
    (reports / "b.txt").write_bytes(b"")
    report = ingest_paths(store, [reports])
    assert [(Path(p).name, "empty" in r) for p, r in report.failed] == [("b.txt", True)]
    assert lexical_hits(store, "台州市") > 0


# --- a process killed mid-ingest ----------------------------------------------------------------------------------

_INGEST_SCRIPT = """
import sys
from ghqa.index.build import ingest_paths
from ghqa.index.store import Store
ingest_paths(Store(sys.argv[1]), sys.argv[2:])
"""


def _make_big_files(folder: Path, count: int) -> list[Path]:
    """Files of 50-100 KB each, all with different content: government reports when present, else the seeds."""
    folder.mkdir()
    extra = sorted(EXTRA.glob("*.txt")) if EXTRA.is_dir() else []
    paths = []
    for i in range(count):
        if len(extra) >= count:
            text = extra[i].read_text(encoding="utf-8")
        else:
            text = f"第{i + 1}份汇编\n" + (CORPUS / "003_25279264fab4da48.txt").read_text(encoding="utf-8")
        path = folder / f"big_{i:02d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _stored_count(db_path: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=0.1)
        try:
            return db.execute("SELECT COUNT(*) FROM files WHERE status = 'stored'").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def test_a_process_killed_mid_ingest_leaves_the_store_consistent(tmp_path):
    files = _make_big_files(tmp_path / "big", 4)
    db_path = tmp_path / "s.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", _INGEST_SCRIPT, str(db_path), *map(str, files)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while _stored_count(db_path) < 1:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the ingest never stored a file"
            time.sleep(0.05)
        time.sleep(0.15)  # into the next file: parsing or writing it
        assert proc.poll() is None, "the ingest finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    with Store(db_path) as store:
        assert_consistent(store)
        stored = store.stats()["files"]
        assert 1 <= stored < len(files)
        assert store.stats()["documents"] == stored
        report = ingest_paths(store, files)
        assert report.ok
        assert len(report.unchanged) == stored
        assert len(report.stored) == len(files) - stored
        assert store.stats()["files"] == len(files) == store.stats()["documents"]
        assert_consistent(store)


def test_a_new_parser_version_reparses_unchanged_files_for_every_path(store, tmp_path, monkeypatch):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(seed_bytes("002"))
    ingest_paths(store, [tmp_path / "a.txt", tmp_path / "b.txt"])
    monkeypatch.setattr(build, "PARSER_VERSION", "next")
    monkeypatch.setattr("ghqa.ingest.document.PARSER_VERSION", "next")
    report = ingest_paths(store, [tmp_path / "a.txt"])
    assert report.stored == [str(tmp_path / "a.txt")]
    versions = store.db.execute("SELECT parser_version FROM documents").fetchall()
    assert [v[0] for v in versions] == ["next"]
    assert store.file_state(str(tmp_path / "b.txt")).parser_version == "next"
    assert ingest_paths(store, [tmp_path / "b.txt"]).unchanged == [str(tmp_path / "b.txt")]
    assert_consistent(store)


def test_hostile_paths_each_get_their_own_line_and_the_rest_goes_in(store, reports):
    (reports / "loop.txt").symlink_to(reports / "loop.txt")
    undecodable = os.fsencode(reports) + b"/bad\xff\xfename.txt"
    with open(undecodable, "wb") as handle:
        handle.write(seed_bytes("000"))
    locked = reports / "locked"
    locked.mkdir()
    (locked / "inner.txt").write_bytes(seed_bytes("001"))
    real_scandir = os.scandir

    def unreadable_folder(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "scandir", unreadable_folder)
        report = ingest_paths(store, [reports])
    assert sorted(Path(p).name for p in report.stored) == ["a.txt", "b.txt"]
    reasons = dict(report.failed)
    assert reasons[str(reports / "loop.txt")].startswith("symbolic link loop")
    assert reasons[str(reports / "bad\\xff\\xfename.txt")].startswith("file name is not valid UTF-8")
    assert reasons[str(locked)] == "permission denied"
    assert store.stats()["failed_files"] == 3
    assert_consistent(store)


def test_html_file_ingests(store, tmp_path):
    page = tmp_path / "report.html"
    paragraphs = [line.strip() for line in seed_bytes("002").decode().splitlines() if len(line) > 40][:6]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page.write_text(f"<html><head><title>工作总结</title></head><body><article>{body}</article></body></html>")
    report = ingest_paths(store, [page])
    assert report.ok and report.stored == [str(page)]
    assert normalize_for_index(paragraphs[0][:20]) in chunk_text(store)


def test_a_file_with_too_many_chunks_fails_with_the_limit_named(store, reports, monkeypatch):
    monkeypatch.setenv("GHQA_MAX_CHUNKS_PER_FILE", "5")
    report = ingest_paths(store, [reports / "a.txt"])
    ((path, reason),) = report.failed
    assert reason.startswith("too many passages: ") and "(limit 5, set GHQA_MAX_CHUNKS_PER_FILE)" in reason
    assert store.stats()["documents"] == 0


def test_a_bad_limit_setting_stops_before_any_file(store, reports, monkeypatch):
    from ghqa.core.errors import SettingError

    monkeypatch.setenv("GHQA_MAX_CHUNKS_PER_FILE", "-1")
    with pytest.raises(SettingError, match="GHQA_MAX_CHUNKS_PER_FILE must be a positive number"):
        ingest_paths(store, [reports])
    assert store.stats()["failed_files"] == 0


def test_one_giant_line_is_split_into_bounded_chunks(store, tmp_path, monkeypatch):
    monkeypatch.setenv("GHQA_MAX_PARAGRAPH_CHARS", "500")
    line = "".join(seed_bytes("002").decode().splitlines())
    (tmp_path / "one_line.txt").write_text(line * 3)
    report = ingest_paths(store, [tmp_path / "one_line.txt"])
    assert report.ok, report.failed
    longest = store.db.execute("SELECT MAX(length(text)), COUNT(*) FROM chunks").fetchone()
    assert longest[0] <= 500 and longest[1] > 10
