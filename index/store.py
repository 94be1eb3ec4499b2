"""The SQLite store: files, documents, articles, paragraphs, chunks, their lexical index and the embedding cache.

Every write that belongs together happens in one transaction, so a process killed
mid-ingest leaves either the old rows or the new ones, never a mix.
"""

from __future__ import annotations

import errno
import functools
import itertools
import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ghqa.core.errors import EmptyStoreError, StoreError
from ghqa.index.lexical import QUOTE_MARKS, has_ascii_edge, holds_phrase, index_tokens, phrase_bigrams, phrase_needle
from ghqa.ingest.clean import normalize_for_index
from ghqa.ingest.model import Document, Paragraph

SCHEMA_VERSION = "2"
# What turns a store of an older schema into the current one in place, so its embedding cache is kept.
MIGRATIONS = {"1": ["ALTER TABLE articles ADD COLUMN unit_parent TEXT"]}
# Seconds a writer waits for another; the lock file (index/lock.py) already keeps ghqa's writers apart.
BUSY_TIMEOUT_S = 10.0

log = logging.getLogger("ghqa")


def _stripped_sql(column: str, characters: str) -> str:
    for char in characters:
        quoted = char.replace("'", "''")  # SQL's own escape of a quote inside a string literal
        column = f"replace({column}, '{quoted}', '')"
    return column


# A chunk's normalised text as phrases are looked for in it (index/lexical.py: phrase_needle).
_WITHOUT_SPACES = _stripped_sql("norm", " ")
_WITHOUT_SPACES_OR_QUOTES = _stripped_sql("norm", " " + QUOTE_MARKS)

# Metadata a user corrected (web UI, corpus tab), kept apart from what extraction found and keyed by the document's
# content and the article's number, so it survives re-ingest of the same file. NULL: not corrected; '': cleared.
# Reads go through articles_in_use, which applies the corrections; a read-only store of an earlier ghqa gets an
# empty TEMP copy of both.
CORRECTIONS_SCHEMA = """
CREATE {temp} TABLE IF NOT EXISTS corrections (
    content_hash TEXT NOT NULL,
    article_number INTEGER NOT NULL,
    title TEXT,
    unit TEXT,
    unit_parent TEXT,
    year TEXT,
    PRIMARY KEY (content_hash, article_number)
);
CREATE {temp} VIEW IF NOT EXISTS articles_in_use AS
SELECT a.id, a.document_id, a.number,
       iif(k.title IS NULL OR k.title = '', a.title, k.title) AS title,
       iif(k.unit IS NULL, a.unit, nullif(k.unit, '')) AS unit,
       iif(k.unit_parent IS NULL, a.unit_parent, nullif(k.unit_parent, '')) AS unit_parent,
       a.places,
       iif(k.year IS NULL, a.year, nullif(k.year, '')) AS year,
       a.period, a.level, a.char_start, a.char_end,
       a.title AS extracted_title, a.unit AS extracted_unit, a.unit_parent AS extracted_unit_parent,
       a.year AS extracted_year
FROM articles a JOIN documents d ON d.id = a.document_id
LEFT JOIN corrections k ON k.content_hash = d.content_hash AND k.article_number = a.number;
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    content_hash TEXT UNIQUE NOT NULL,
    title TEXT NOT NULL,
    encoding TEXT,
    n_chars INTEGER NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]',
    parser_version TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    path TEXT UNIQUE NOT NULL,
    document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    content_hash TEXT,
    mtime REAL,
    size INTEGER,
    status TEXT NOT NULL,
    error TEXT,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    unit TEXT,
    unit_parent TEXT,
    places TEXT NOT NULL DEFAULT '[]',
    year TEXT,
    period TEXT,
    level TEXT,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    UNIQUE (document_id, number)
);
CREATE TABLE IF NOT EXISTS paragraphs (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    norm TEXT NOT NULL,
    section_path TEXT NOT NULL,
    heading_level INTEGER,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    page INTEGER,
    mojibake INTEGER NOT NULL DEFAULT 0,
    UNIQUE (article_id, number)
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    first_paragraph INTEGER NOT NULL,
    last_paragraph INTEGER NOT NULL,
    section_path TEXT NOT NULL,
    text TEXT NOT NULL,
    norm TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    mojibake INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE INDEX IF NOT EXISTS paragraphs_article ON paragraphs(article_id);
CREATE INDEX IF NOT EXISTS articles_document ON articles(document_id);
CREATE INDEX IF NOT EXISTS files_document ON files(document_id);
-- tokens: the chunk's own words; context: its article title, issuing unit and section headings.
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(tokens, context, tokenize = 'unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, row);
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID;
""" + CORRECTIONS_SCHEMA.format(temp="")

STORE_FILE = "ghqa.db"  # the store's name inside a data folder (GHQA_HOME)


def no_store_message(folder: Path, empty: bool = False) -> str:
    """What to tell someone searching a data folder that has no store, or an empty one."""
    what = f"the store in {folder} holds no reports yet" if empty else f"there is no ghqa store in {folder}"
    return (
        f"{what}; fill it with `ghqa ingest PATH...` (files or folders), or choose the data folder with --home or "
        f"GHQA_HOME / 还没有可检索的资料：请先用 ghqa ingest 导入文件或文件夹"
    )


@dataclass
class FileState:
    path: str
    content_hash: str | None
    mtime: float | None
    size: int | None
    status: str  # stored | failed
    error: str | None
    parser_version: str | None


class Store:
    """One SQLite database file under GHQA_HOME.

    A store whose folder or file cannot be written (a team's shared copy) is opened read-only: it can be searched,
    and every write raises StoreError saying so. Every SQLite failure reaches the caller as a StoreError naming the
    file and what to do."""

    def __init__(self, path: Path | str, read_only: bool | None = None, create: bool = True):
        """create=False: a missing file raises EmptyStoreError instead of becoming an empty store."""
        self.path = Path(path)
        if not create and not self.path.exists():
            raise EmptyStoreError(no_store_message(self.path.parent))
        self.read_only = not _writable(self.path) if read_only is None else read_only
        if not self.read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(folder_error(self.path.parent, exc)) from exc
        elif not self.path.exists():
            raise StoreError(
                f"{self.path} does not exist and its folder cannot be written; run `ghqa ingest` with GHQA_HOME set to "
                f"a writable folder / 存储文件不存在且所在文件夹不可写：请将 GHQA_HOME 设为可写文件夹后运行 ghqa ingest"
            )
        try:
            self._open()
        except StoreError:
            if getattr(self, "db", None) is not None:
                self.db.close()
            raise

    def _open(self) -> None:
        if self.read_only:
            # immutable: no -shm or -wal file is made, so a folder nobody may write to is enough.
            uri = f"{self.path.absolute().as_uri()}?mode=ro&immutable=1"
            self.db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, factory=_Connection)
        else:
            self.db = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S, factory=_Connection
            )
        self.db.store_path = self.path
        self.db.row_factory = sqlite3.Row
        self._check_size()
        self.db.execute("PRAGMA foreign_keys = ON")
        if self.read_only:
            wal = Path(f"{self.path}-wal")
            if wal.exists() and wal.stat().st_size:
                log.warning(
                    "ghqa: %s-wal holds changes a read-only store cannot read; open the store once where it can be "
                    "written, or copy it with `ghqa backup` / 只读存储有未合并的更改，请在可写处打开一次或用 ghqa backup 复制",
                    self.path,
                )
            self._check_schema()
            if not self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_in_use'").fetchone():
                self.db.executescript(CORRECTIONS_SCHEMA.format(temp="TEMP"))
            return
        self._use_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()
        self._check_schema()
        # Tables and version in one transaction: a second process opening a new store meanwhile sees both or neither.
        self.db.executescript(
            f"BEGIN IMMEDIATE;\n{SCHEMA}\nINSERT OR REPLACE INTO meta (key, value) "
            f"VALUES ('schema_version', '{SCHEMA_VERSION}');\nCOMMIT;"
        )

    def _use_wal(self) -> None:
        """Switch a new store to WAL. SQLite answers "locked" at once, without waiting, when two processes make the
        same new store together (two `ghqa ingest` at once), so the switch is retried for up to BUSY_TIMEOUT_S."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
                return
            except StoreError as exc:
                cause = exc.__cause__
                busy = isinstance(cause, sqlite3.OperationalError) and cause.sqlite_errorcode & 0xFF == _SQLITE_BUSY
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _check_size(self) -> None:
        """A file shorter than the page count in its header was cut off (a copy or a disk that stopped half-way)."""
        try:
            with self.path.open("rb") as handle:
                header = handle.read(100)
            size = self.path.stat().st_size
        except OSError:
            return  # SQLite itself reports a file it cannot read
        if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
            return
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        pages = int.from_bytes(header[28:32], "big")
        # The header's page count is valid only while its change counter matches the one it was written with.
        if header[24:28] == header[92:96] and size < pages * page_size:
            raise StoreError(damaged_error(self.path, f"cut off: {size} of {pages * page_size} bytes"))

    def _migrate(self) -> None:
        """Bring a store of an older schema up to this one (articles re-parse later, vectors stay cached)."""
        has_meta = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
        found = self.get_meta("schema_version") if has_meta else None
        while found in MIGRATIONS:
            with self.transaction():
                for statement in MIGRATIONS[found]:
                    self.db.execute(statement)
                found = str(int(found) + 1)
                self.set_meta("schema_version", found)

    def _check_schema(self) -> None:
        """Refuse, with a clear message, a store written by a ghqa whose tables differ from these."""
        # One read transaction: a process creating the store meanwhile is seen before or after, never half-way.
        self.db.execute("BEGIN")
        try:
            has_meta = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
            found = self.get_meta("schema_version") if has_meta else None
            has_tables = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'files'").fetchone()
        finally:
            self.db.execute("COMMIT")
        if has_tables and found != SCHEMA_VERSION:
            newer = found is not None and found.isdigit() and int(found) > int(SCHEMA_VERSION)
            todo = (
                "upgrade ghqa to read it / 请升级 ghqa"
                if newer
                else "move it away and run `ghqa ingest` again / 请移走该文件后重新运行 ghqa ingest"
            )
            raise StoreError(
                f"{self.path} was written by {'a newer' if newer else 'another'} version of ghqa (store schema "
                f"{found or 'unknown'}, this version uses {SCHEMA_VERSION}); {todo} "
                f"(存储由{'更新' if newer else '其他'}版本的 ghqa 写入)"
            )
        if self.read_only and not has_tables:
            raise StoreError(
                f"{self.path} holds no ghqa store and its folder cannot be written; run `ghqa ingest` with GHQA_HOME "
                f"set to a writable folder / 该文件不是 ghqa 存储且文件夹不可写"
            )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise StoreError(read_only_error(self.path))
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            # SQLite has already rolled back after some failures (a full disk); a second ROLLBACK would hide them.
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- meta ---------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        if self.read_only:
            raise StoreError(read_only_error(self.path))
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def data_version(self) -> int:
        """Increases with every change to the chunks, so caches can tell when to reload."""
        return int(self.get_meta("data_version") or 0)

    def _bump_version(self) -> None:
        self.set_meta("data_version", str(self.data_version() + 1))

    # --- files --------------------------------------------------------------

    def file_state(self, path: str) -> FileState | None:
        row = self.db.execute(
            "SELECT f.path, f.content_hash, f.mtime, f.size, f.status, f.error, d.parser_version "
            "FROM files f LEFT JOIN documents d ON d.id = f.document_id WHERE f.path = ?",
            (path,),
        ).fetchone()
        return FileState(**dict(row)) if row else None

    def files(self) -> list[sqlite3.Row]:
        return self.db.execute(
            """SELECT f.path, f.status, f.error, f.size, f.mtime, f.content_hash, d.id AS document_id, d.title, d.warnings,
                      (SELECT COUNT(*) FROM articles a WHERE a.document_id = d.id) AS n_articles
               FROM files f LEFT JOIN documents d ON d.id = f.document_id ORDER BY f.path"""
        ).fetchall()

    def has_document(self, content_hash: str, parser_version: str) -> bool:
        """Whether this content is stored, parsed by this version of the parser."""
        row = self.db.execute(
            "SELECT 1 FROM documents WHERE content_hash = ? AND parser_version = ?", (content_hash, parser_version)
        ).fetchone()
        return row is not None

    def link_file(self, path: str, content_hash: str, mtime: float, size: int) -> None:
        """Point a path at a document already stored under another name (same bytes, stored once)."""
        with self.transaction():
            doc_id = self.db.execute("SELECT id FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()[
                "id"
            ]
            self._upsert_file(path, doc_id, content_hash, mtime, size, "stored", None)
            self._drop_orphan_documents()

    def touch_file(self, path: str, mtime: float) -> None:
        """Record a new mtime for a file whose content did not change."""
        if self.read_only:
            raise StoreError(read_only_error(self.path))
        self.db.execute("UPDATE files SET mtime = ? WHERE path = ?", (mtime, path))

    def save_document(self, path: str, mtime: float, size: int, doc: Document) -> None:
        """Store a parsed document for a path, replacing what that path held, in one transaction."""
        with self.transaction():
            # The same content parsed by an older parser: its rows go, and every path holding it gets the new parse.
            old = self.db.execute("SELECT id FROM documents WHERE content_hash = ?", (doc.content_hash,)).fetchone()
            if old:
                self._delete_document(old["id"])
            cur = self.db.execute(
                """INSERT INTO documents (content_hash, title, encoding, n_chars, warnings, parser_version, created_at)
                   VALUES (?,?,?,?,?,?,?)""",
                (
                    doc.content_hash,
                    doc.title,
                    doc.encoding,
                    sum(len(p.text) for a in doc.articles for p in a.paragraphs),
                    json.dumps(doc.warnings, ensure_ascii=False),
                    doc.parser_version,
                    time.time(),
                ),
            )
            doc_id = cur.lastrowid
            if old:
                self.db.execute("UPDATE files SET document_id = ? WHERE content_hash = ?", (doc_id, doc.content_hash))
            article_ids: dict[int, int] = {}
            for art in doc.articles:
                cur = self.db.execute(
                    """INSERT INTO articles (document_id, number, title, unit, unit_parent, places, year, period, level,
                                             char_start, char_end) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                    (
                        doc_id,
                        art.number,
                        art.title,
                        art.unit,
                        art.unit_parent,
                        json.dumps(art.places, ensure_ascii=False),
                        art.year,
                        art.period,
                        art.level,
                        art.char_start,
                        art.char_end,
                    ),
                )
                article_ids[art.number] = cur.lastrowid
                self.db.executemany(
                    """INSERT INTO paragraphs (article_id, number, text, norm, section_path, heading_level,
                                               char_start, char_end, page, mojibake) VALUES (?,?,?,?,?,?,?,?,?,?)""",
                    [
                        (
                            cur.lastrowid,
                            p.number,
                            p.text,
                            p.norm,
                            json.dumps(p.section_path, ensure_ascii=False),
                            p.heading_level,
                            p.char_start,
                            p.char_end,
                            p.page,
                            int(p.mojibake),
                        )
                        for p in art.paragraphs
                    ],
                )
            heads = {article_id: self._article_head(article_id) for article_id in article_ids.values()}
            for ch in doc.chunks:
                cur = self.db.execute(
                    """INSERT INTO chunks (article_id, first_paragraph, last_paragraph, section_path, text, norm,
                                           char_start, char_end, mojibake) VALUES (?,?,?,?,?,?,?,?,?)""",
                    (
                        article_ids[ch.article_number],
                        ch.first_paragraph,
                        ch.last_paragraph,
                        json.dumps(ch.section_path, ensure_ascii=False),
                        ch.text,
                        ch.norm,
                        ch.char_start,
                        ch.char_end,
                        int(ch.mojibake),
                    ),
                )
                self.db.execute(
                    "INSERT INTO chunks_fts (rowid, tokens, context) VALUES (?, ?, ?)",
                    (
                        cur.lastrowid,
                        index_tokens(ch.norm),
                        self._context_tokens(heads[article_ids[ch.article_number]], ch.section_path),
                    ),
                )
            self._upsert_file(path, doc_id, doc.content_hash, mtime, size, "stored", None)
            self._drop_orphan_documents()
            self._bump_version()

    def record_failure(self, path: str, mtime: float | None, size: int | None, error: str) -> None:
        """Note why a file failed; what the path held before stays searchable."""
        with self.transaction():
            row = self.db.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
            if row:
                self.db.execute(
                    "UPDATE files SET status = 'failed', error = ?, updated_at = ? WHERE id = ?",
                    (error, time.time(), row["id"]),
                )
            else:
                self._upsert_file(path, None, None, mtime, size, "failed", error)

    def remove_path(self, path: str) -> bool:
        """Delete a file's rows, and its document's when no other path holds the same content."""
        with self.transaction():
            cur = self.db.execute("DELETE FROM files WHERE path = ?", (path,))
            if not cur.rowcount:
                return False
            self._drop_orphan_documents()
            self._bump_version()
        return True

    def _upsert_file(
        self,
        path: str,
        doc_id: int | None,
        content_hash: str | None,
        mtime: float | None,
        size: int | None,
        status: str,
        error: str | None,
    ) -> None:
        self.db.execute(
            """INSERT INTO files (path, document_id, content_hash, mtime, size, status, error, updated_at)
               VALUES (?,?,?,?,?,?,?,?)
               ON CONFLICT(path) DO UPDATE SET document_id = excluded.document_id,
                   content_hash = excluded.content_hash, mtime = excluded.mtime, size = excluded.size,
                   status = excluded.status, error = excluded.error, updated_at = excluded.updated_at""",
            (path, doc_id, content_hash, mtime, size, status, error, time.time()),
        )

    def _drop_orphan_documents(self) -> None:
        orphans = [
            r["id"]
            for r in self.db.execute(
                "SELECT id FROM documents WHERE id NOT IN (SELECT document_id FROM files WHERE document_id IS NOT NULL)"
            )
        ]
        for doc_id in orphans:
            self._delete_document(doc_id)

    def _delete_document(self, doc_id: int) -> None:
        self.db.execute(
            "DELETE FROM chunks_fts WHERE rowid IN "
            "(SELECT c.id FROM chunks c JOIN articles a ON a.id = c.article_id WHERE a.document_id = ?)",
            (doc_id,),
        )
        self.db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    # --- reading ------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        count = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "files": count("SELECT COUNT(*) FROM files WHERE status = 'stored'"),
            "failed_files": count("SELECT COUNT(*) FROM files WHERE status = 'failed'"),
            "documents": count("SELECT COUNT(*) FROM documents"),
            "articles": count("SELECT COUNT(*) FROM articles"),
            "paragraphs": count("SELECT COUNT(*) FROM paragraphs"),
            "chunks": count("SELECT COUNT(*) FROM chunks"),
        }

    def documents(self) -> list[sqlite3.Row]:
        return self.db.execute(
            """SELECT d.id, d.title, d.content_hash, d.n_chars,
                      (SELECT group_concat(path, '\n') FROM files f WHERE f.document_id = d.id) AS paths,
                      (SELECT COUNT(*) FROM articles a WHERE a.document_id = d.id) AS n_articles,
                      (SELECT COUNT(*) FROM chunks c JOIN articles a ON a.id = c.article_id
                        WHERE a.document_id = d.id) AS n_chunks
               FROM documents d ORDER BY paths"""
        ).fetchall()

    def articles(self, document_id: int | None = None) -> list[sqlite3.Row]:
        sql = (
            ARTICLE_SELECT
            + (" WHERE a.document_id = ?" if document_id is not None else "")
            + " ORDER BY source, a.number"
        )
        return self.db.execute(sql, (() if document_id is None else (document_id,))).fetchall()

    def article(self, article_id: int) -> sqlite3.Row | None:
        return self.db.execute(ARTICLE_SELECT + " WHERE a.id = ?", (article_id,)).fetchone()

    def find_article(self, ref: str) -> sqlite3.Row | None:
        """An article by id ("42") or by file and number ("003_25279264fab4da48.txt#7", a path prefix works)."""
        if ref.isdigit():
            return self.article(int(ref))
        name, _, number = ref.rpartition("#")
        if not name or not number.isdigit():
            return None
        rows = self.db.execute(
            ARTICLE_SELECT + " WHERE a.number = ? AND a.document_id IN "
            "(SELECT document_id FROM files WHERE path = ? OR path LIKE ? ESCAPE '\\' OR path LIKE ? ESCAPE '\\')",
            (int(number), name, "%/" + _like_escape(name) + "%", _like_escape(name) + "%"),
        ).fetchall()
        return rows[0] if len(rows) == 1 else None

    def paragraphs(self, article_id: int, first: int | None = None, last: int | None = None) -> list[Paragraph]:
        """An article's paragraphs (first..last when given), in order, each with its own section path."""
        sql = "SELECT * FROM paragraphs WHERE article_id = ?"
        args: list[object] = [article_id]
        if first is not None:
            sql += " AND number >= ?"
            args.append(first)
        if last is not None:
            sql += " AND number <= ?"
            args.append(last)
        return [
            Paragraph(
                number=row["number"],
                text=row["text"],
                norm=row["norm"],
                section_path=json.loads(row["section_path"]),
                char_start=row["char_start"],
                char_end=row["char_end"],
                heading_level=row["heading_level"],
                page=row["page"],
                mojibake=bool(row["mojibake"]),
            )
            for row in self.db.execute(sql + " ORDER BY number", args)
        ]

    def chunks(self, ids: Iterable[int]) -> dict[int, sqlite3.Row]:
        """Chunks with their article's metadata and source path, keyed by chunk id."""
        ids = list(ids)
        out: dict[int, sqlite3.Row] = {}
        for start in range(0, len(ids), 900):
            part = ids[start : start + 900]
            marks = ",".join("?" * len(part))
            for row in self.db.execute(CHUNK_SELECT + f" WHERE c.id IN ({marks})", part):
                out[row["id"]] = row
        return out

    def correct_article(self, article_id: int, **fields: str | None) -> None:
        """Store a user's correction of an article's title, unit, unit_parent or year (None: use the extracted value,
        "": clear it); it applies to every later read of the article, and to the same file ingested again."""
        row = self.db.execute(
            "SELECT d.content_hash, a.number FROM articles a JOIN documents d ON d.id = a.document_id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            raise StoreError(f"article {article_id} is not in {self.path} / 存储中没有这一篇")
        values = {k: fields.get(k) for k in ("title", "unit", "unit_parent", "year")}
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO corrections (content_hash, article_number, title, unit, unit_parent, year) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (row["content_hash"], row["number"], *values.values()),
            )
            self._index_context([article_id])
            self._bump_version()

    def _index_context(self, article_ids: Iterable[int]) -> None:
        """Index each chunk's context again, after its article's title or unit in use changed."""
        for article_id in article_ids:
            head = self._article_head(article_id)
            for chunk in self.db.execute("SELECT id, section_path FROM chunks WHERE article_id = ?", (article_id,)):
                tokens = self._context_tokens(head, json.loads(chunk["section_path"]))
                self.db.execute("UPDATE chunks_fts SET context = ? WHERE rowid = ?", (tokens, chunk["id"]))

    def _article_head(self, article_id: int) -> sqlite3.Row:
        """An article's title and unit as in use (corrections applied)."""
        return self.db.execute("SELECT title, unit FROM articles_in_use WHERE id = ?", (article_id,)).fetchone()

    @staticmethod
    def _context_tokens(head: sqlite3.Row, section_path: list[str]) -> str:
        """A chunk's context as the lexical index holds it: its article's title and unit (`_article_head`) and its
        headings, which search weighs below the chunk's own words."""
        return index_tokens(normalize_for_index(" ".join([head["title"] or "", head["unit"] or "", *section_path])))

    def place_names(self) -> list[str]:
        """Every issuing unit and place named by the stored articles."""
        names: dict[str, None] = {}
        for row in self.db.execute("SELECT unit, places FROM articles_in_use"):
            for name in [row["unit"], *json.loads(row["places"])]:
                if name:
                    names.setdefault(name, None)
        return list(names)

    def years(self) -> set[str]:
        """Every year of the stored articles."""
        return {row[0] for row in self.db.execute("SELECT DISTINCT year FROM articles_in_use WHERE year IS NOT NULL")}

    def units(self) -> list[str]:
        """Every issuing unit of the stored articles."""
        return [row[0] for row in self.db.execute("SELECT DISTINCT unit FROM articles_in_use WHERE unit IS NOT NULL")]

    def chunk_ids_of_units(self, units: list[str]) -> set[int]:
        """Ids of the chunks of articles whose issuing unit is one of these."""
        marks = ",".join("?" * len(units))
        sql = f"SELECT c.id FROM chunks c JOIN articles_in_use a ON a.id = c.article_id WHERE a.unit IN ({marks})"
        return {row[0] for row in self.db.execute(sql, units)}

    def chunk_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]

    def chunk_ids_containing(self, phrase: str, limit: int | None = None) -> list[int]:
        """Ids of chunks whose normalised text holds a phrase (spaces and quotation marks ignored), in id order."""
        needle = phrase_needle(phrase)
        if not needle:
            return []  # a phrase of quotation marks only holds nothing
        bigrams = phrase_bigrams(needle)
        # A phrase all in letters and digits is looked for with its own marks (xi'an), one character as it is;
        # stripping every mark from the text costs a scan 5× as long, so it comes after a cheaper narrowing.
        text = "norm" if len(needle) == 1 else _WITHOUT_SPACES if needle.isascii() else _WITHOUT_SPACES_OR_QUOTES
        where: list[str] = []
        args: list[object] = []
        if bigrams:
            # Every chunk holding the phrase holds these words as tokens, which the lexical index has: it narrows
            # the scan from every chunk to a few (a full scan costs ~0.2 s per phrase at 100k chunks).
            where.append("id IN (SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ?)")
            args.append("tokens : (" + " AND ".join(f'"{b}"' for b in bigrams) + ")")
        elif len(needle) > 1:
            where.append("instr(norm, ?) > 0 AND instr(norm, ?) > 0")
            args += [needle[0], needle[-1]]
        # instr(), not LIKE: a pattern built from user text can be too complex for SQLite, and needs escaping.
        where.append(f"instr({text}, ?) > 0")
        args.append(needle)
        sql = "SELECT id FROM chunks WHERE " + " AND ".join(where)
        sql += " ORDER BY id"
        if needle and has_ascii_edge(needle):
            # instr() finds 6g in 16g too: the whole-token check needs the text.
            rows = self.db.execute(sql.replace("SELECT id", "SELECT id, norm", 1), args)
            held = (i for i, norm in rows if holds_phrase(norm, needle))
            return list(itertools.islice(held, limit))
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [r[0] for r in self.db.execute(sql, args)]

    def chunk_ids_where(self, source: str | None = None, year: str | None = None, place: str | None = None) -> set[int]:
        """Ids of chunks from files whose path holds `source`, of articles of `year`, naming `place` (normalised)."""
        sql = (
            "SELECT c.id, a.unit, a.places FROM chunks c JOIN articles_in_use a ON a.id = c.article_id "
            "JOIN files f ON f.document_id = a.document_id WHERE 1"
        )
        args: list[object] = []
        if source:
            sql += " AND instr(f.path, ?) > 0"
            args.append(source)
        if year:
            sql += " AND a.year = ?"
            args.append(year)
        if place:
            # Each stored name is compared, never the JSON text of the list (whose quotes and brackets would match).
            sql += (
                " AND (instr(coalesce(a.unit, ''), ?) > 0"
                " OR EXISTS (SELECT 1 FROM json_each(a.places) WHERE instr(json_each.value, ?) > 0))"
            )
            args += [place, place]
        return {row[0] for row in self.db.execute(sql, args)}

    def chunk_norms(self, ids: Iterable[int]) -> dict[int, str]:
        """The normalised text of chunks, keyed by id (a light read for scoring many candidates)."""
        ids = list(ids)
        out: dict[int, str] = {}
        for start in range(0, len(ids), 900):
            part = ids[start : start + 900]
            marks = ",".join("?" * len(part))
            out.update(self.db.execute(f"SELECT id, norm FROM chunks WHERE id IN ({marks})", part).fetchall())
        return out

    def chunk_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM chunks ORDER BY id")]

    def iter_chunks(self, batch: int = 2000) -> Iterator[sqlite3.Row]:
        last = 0
        while True:
            rows = self.db.execute(CHUNK_SELECT + " WHERE c.id > ? ORDER BY c.id LIMIT ?", (last, batch)).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1]["id"]

    # --- embedding cache ----------------------------------------------------

    def cached_vectors(self, model: str, hashes: Iterable[str]) -> dict[str, bytes]:
        hashes = list(hashes)
        out: dict[str, bytes] = {}
        for start in range(0, len(hashes), 900):
            part = hashes[start : start + 900]
            marks = ",".join("?" * len(part))
            for row in self.db.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})", [model, *part]
            ):
                out[row[0]] = row[1]
        return out

    def cache_vectors(self, model: str, items: Iterable[tuple[str, bytes]]) -> None:
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO embeddings (model, text_hash, vector) VALUES (?, ?, ?)",
                [(model, h, v) for h, v in items],
            )


def _writable(path: Path) -> bool:
    """Whether the store can be written: the file (when it exists) and its folder, for the journal files."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # a folder still to be made: what matters is whether its parent can be written
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


# SQLite primary result codes ghqa can explain, and what each tells the user to do.
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_SQLITE_FULL, _SQLITE_READONLY, _SQLITE_CANTOPEN, _SQLITE_IOERR, _SQLITE_PERM = 13, 8, 14, 10, 3


def store_error_message(path: Path, exc: sqlite3.Error) -> str | None:
    """One Chinese-and-English line for an SQLite failure on the store, or None for one that is ghqa's own bug."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return damaged_error(path, str(exc))
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return (
            f"{path} is busy: another ghqa process is writing it; wait for it to finish and run the command again "
            f"/ 存储正被另一个 ghqa 进程写入，请稍后重试"
        )
    if code == _SQLITE_FULL:
        return (
            f"the disk holding {path} is full; free some space and run the command again (nothing stored before is "
            f"lost) / 磁盘已满：请释放空间后重试（已存内容不会丢失）"
        )
    if code in (_SQLITE_READONLY, _SQLITE_PERM):
        return read_only_error(path)
    if code == _SQLITE_CANTOPEN:
        return (
            f"cannot open {path}; check that its folder exists and can be read (set GHQA_HOME) "
            f"/ 无法打开存储文件：请检查文件夹是否存在且可读"
        )
    if code == _SQLITE_IOERR:
        return (
            f"cannot read or write {path} ({exc}); check the disk, then run `ghqa check` "
            f"/ 读写存储文件出错：请检查磁盘后运行 ghqa check"
        )
    return None


def damaged_error(path: Path, detail: str) -> str:
    return (
        f"{path} is damaged ({detail}); restore a copy made by `ghqa backup`, or move it away and run `ghqa ingest` "
        f"again / 存储文件已损坏：请恢复 ghqa backup 的备份，或移走该文件后重新导入"
    )


def read_only_error(path: Path) -> str:
    return (
        f"{path} is read-only: searching and asking work, but ingest, index and remove need a writable copy (copy "
        f"the folder and set GHQA_HOME to it) / 存储为只读：可检索和问答；导入、索引和删除需要可写的副本"
    )


def folder_error(folder: Path, exc: OSError) -> str:
    """A data folder that cannot be made or written."""
    if exc.errno == errno.ENOSPC:
        return (
            f"the disk holding {folder} is full; free some space and run the command again / 磁盘已满：请释放空间后重试"
        )
    return (
        f"cannot write to {folder} ({exc.strerror or exc}); set GHQA_HOME to a writable folder "
        f"/ 无法写入数据文件夹：请将 GHQA_HOME 设为可写文件夹"
    )


def _translated(method):
    """Run an SQLite call, turning failures a user can act on into a StoreError naming the store file."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as exc:
            connection = self if isinstance(self, sqlite3.Connection) else self.connection
            message = store_error_message(getattr(connection, "store_path", Path("ghqa.db")), exc)
            if message is None:
                raise
            raise StoreError(message) from exc

    return call


class _Cursor(sqlite3.Cursor):
    execute = _translated(sqlite3.Cursor.execute)
    executemany = _translated(sqlite3.Cursor.executemany)
    executescript = _translated(sqlite3.Cursor.executescript)
    fetchone = _translated(sqlite3.Cursor.fetchone)
    fetchmany = _translated(sqlite3.Cursor.fetchmany)
    fetchall = _translated(sqlite3.Cursor.fetchall)
    __next__ = _translated(sqlite3.Cursor.__next__)


class _Connection(sqlite3.Connection):
    """A connection whose every cursor reports store failures as StoreError (Connection.execute makes its cursor
    without calling cursor(), hence the overrides)."""

    store_path: Path

    def cursor(self, factory=_Cursor):  # type: ignore[override]
        return super().cursor(factory)

    def execute(self, sql, parameters=(), /):  # type: ignore[override]
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql, parameters, /):  # type: ignore[override]
        return self.cursor().executemany(sql, parameters)

    def executescript(self, script, /):  # type: ignore[override]
        return self.cursor().executescript(script)

    commit = _translated(sqlite3.Connection.commit)
    backup = _translated(sqlite3.Connection.backup)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


ARTICLE_SELECT = """
SELECT a.*, d.title AS document_title,
       (SELECT path FROM files f WHERE f.document_id = a.document_id ORDER BY path LIMIT 1) AS source,
       (SELECT COUNT(*) FROM paragraphs p WHERE p.article_id = a.id) AS n_paragraphs,
       (SELECT COUNT(*) FROM chunks c WHERE c.article_id = a.id) AS n_chunks
FROM articles_in_use a JOIN documents d ON d.id = a.document_id"""

CHUNK_SELECT = """
SELECT c.*, a.number AS article_number, a.title AS article_title, a.unit, a.unit_parent, a.places, a.year, a.period,
       a.level,
       a.document_id, d.title AS document_title,
       (SELECT path FROM files f WHERE f.document_id = a.document_id ORDER BY path LIMIT 1) AS source
FROM chunks c JOIN articles_in_use a ON a.id = c.article_id JOIN documents d ON d.id = a.document_id"""
