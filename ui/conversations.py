"""What the web UI keeps between visits: conversations (each turn's question and answer) and the user's settings.

They live in their own SQLite file beside the store (GHQA_HOME/ui.db), so the store stays what ingest writes.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ghqa.index.passages import Passage
from ghqa.qa.evidence import Answer, EvidenceRow

UI_DB = "ui.db"
TITLE_CHARS = 40

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (conversation_id, number)
);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass
class Settings:
    """The settings panel's values; defaults are what a first visit gets."""

    top_k: int = 10
    mode: str = "hybrid"  # hybrid | lexical | dense
    script: str = "original"  # original | simplified | traditional: how quotes are shown
    llm_base_url: str = ""  # an OpenAI-compatible endpoint; empty: the GHQA_LLM_* settings, if any
    llm_model: str = ""
    llm_api_key: str = field(default="", repr=False)  # kept in ui.db, never sent back to the page

    MODES = ("hybrid", "lexical", "dense")
    SCRIPTS = ("original", "simplified", "traditional")

    def checked(self) -> Settings:
        """The same settings with out-of-range values replaced by defaults."""
        default = Settings()
        return Settings(
            top_k=min(50, max(1, int(self.top_k))) if str(self.top_k).isdigit() else default.top_k,
            mode=self.mode if self.mode in self.MODES else default.mode,
            script=self.script if self.script in self.SCRIPTS else default.script,
            llm_base_url=(self.llm_base_url or "").strip(),
            llm_model=(self.llm_model or "").strip(),
            llm_api_key=(self.llm_api_key or "").strip(),
        )


@dataclass
class Conversation:
    id: int
    title: str
    updated_at: float
    answers: list[Answer] = field(default_factory=list)


class ConversationStore:
    """Conversations and settings in GHQA_HOME/ui.db (one connection, serialised by a lock)."""

    def __init__(self, home: Path):
        self.path = Path(home) / UI_DB
        self.path.touch(mode=0o600, exist_ok=True)  # it may hold an LLM API key: only its owner reads it
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()

    # --- conversations ----------------------------------------------------------

    def list(self) -> list[tuple[int, str]]:
        """(id, title) of every conversation, latest first."""
        with self.lock:
            rows = self.db.execute("SELECT id, title FROM conversations ORDER BY updated_at DESC, id DESC").fetchall()
        return [(r["id"], r["title"]) for r in rows]

    def add_turn(self, conversation_id: int | None, answer: Answer) -> int:
        """Append an answered question to a conversation (a new one when the id is None or gone); its id."""
        now = time.time()
        with self.lock:
            known = (
                conversation_id is not None
                and self.db.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
            )
            if not known:
                title = " ".join(answer.question.split())[:TITLE_CHARS] or "对话"
                conversation_id = self.db.execute(
                    "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)", (title, now, now)
                ).lastrowid
            number = self.db.execute(
                "SELECT coalesce(max(number), 0) + 1 FROM turns WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()[0]
            self.db.execute(
                "INSERT INTO turns (conversation_id, number, answer) VALUES (?, ?, ?)",
                (conversation_id, number, json.dumps(answer_to_json(answer), ensure_ascii=False)),
            )
            self.db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
        return int(conversation_id)

    def get(self, conversation_id: int | None) -> Conversation | None:
        if conversation_id is None:
            return None
        with self.lock:
            row = self.db.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
            if row is None:
                return None
            turns = self.db.execute(
                "SELECT answer FROM turns WHERE conversation_id = ? ORDER BY number", (conversation_id,)
            ).fetchall()
        answers = [answer_from_json(json.loads(t["answer"])) for t in turns]
        return Conversation(row["id"], row["title"], row["updated_at"], answers)

    def delete(self, conversation_id: int) -> None:
        with self.lock:
            self.db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    # --- settings ---------------------------------------------------------------

    def settings(self) -> Settings:
        with self.lock:
            rows = self.db.execute("SELECT key, value FROM settings").fetchall()
        saved = {r["key"]: json.loads(r["value"]) for r in rows}
        known = {k: v for k, v in saved.items() if k in Settings.__dataclass_fields__}
        return Settings(**known).checked()

    def save_settings(self, settings: Settings) -> Settings:
        settings = settings.checked()
        with self.lock:
            for key, value in settings.__dict__.items():
                self.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, json.dumps(value)))
        return settings

    def close(self) -> None:
        self.db.close()


# Answers are kept as their own fields (not Answer.to_json(), which adds derived ones) so they restore exactly.
def answer_to_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "kind": answer.kind,
        "text": answer.text,
        "found": answer.found,
        "note": answer.note,
        "citations": [_passage_json(p) for p in answer.citations],
        "evidence": [row.__dict__ for row in answer.evidence],
        "nearest": [_passage_json(p) for p in answer.nearest],
    }


def answer_from_json(data: dict[str, Any]) -> Answer:
    return Answer(
        question=data["question"],
        kind=data["kind"],
        text=data["text"],
        citations=[_passage(p) for p in data["citations"]],
        found=data["found"],
        evidence=[EvidenceRow(**row) for row in data["evidence"]],
        nearest=[_passage(p) for p in data["nearest"]],
        note=data["note"],
    )


def _passage_json(p: Passage) -> dict[str, Any]:
    return {k: v for k, v in p.__dict__.items() if k != "relevance"}


def _passage(data: dict[str, Any]) -> Passage:
    return Passage(**{k: v for k, v in data.items() if k in Passage.__dataclass_fields__})
