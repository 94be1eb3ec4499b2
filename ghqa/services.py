"""The use cases — search, ask, ingest, remove — over one data folder; the CLI, the web UI, the Python API and the
LangChain adapters all call these, so they return the same results for the same input."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ghqa.core.errors import StoreError
from ghqa.core.settings import ghqa_home, vector_index_kind
from ghqa.index.store import STORE_FILE, Store, folder_error

if TYPE_CHECKING:
    from ghqa.index.build import IngestReport
    from ghqa.index.passages import Passage, QuerySignals, SearchFilters
    from ghqa.qa.answer import Answer
    from ghqa.qa.llm import LLMConfig

__all__ = ["IndexStatus", "SearchResult", "Services", "max_query_chars", "open_services"]

MAX_QUERY_ENV = "GHQA_MAX_QUERY_CHARS"
DEFAULT_MAX_QUERY_CHARS = 2000


def max_query_chars() -> int:
    """The longest query or question the CLI and the web UI accept ($GHQA_MAX_QUERY_CHARS, read at call time)."""
    from ghqa.core.settings import positive_setting

    return int(positive_setting(MAX_QUERY_ENV, DEFAULT_MAX_QUERY_CHARS))


@dataclass
class SearchResult:
    """The passages found for a query, best first (`ghqa search --json` prints `to_json()`)."""

    query: str
    hits: list[Passage]
    signals: QuerySignals | None = None
    note: str | None = None  # e.g. that the vector index lags the store

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "hits": [h.to_json() for h in self.hits],
            "signals": self.signals.to_json() if self.signals else None,
            "note": self.note,
        }


@dataclass
class IndexStatus:
    chunks: int
    indexed: int
    embedder: str

    @property
    def stale(self) -> bool:
        return self.chunks != self.indexed


class Services:
    def __init__(self, home: Path | None = None, embedder_spec: str | None = None, create: bool = False):
        """create=True makes the data folder and an empty store when missing (ingest and serve); otherwise a missing
        store raises EmptyStoreError and nothing is left behind."""
        self.vector_kind = vector_index_kind()
        self.home = Path(home) if home else ghqa_home()
        if create:
            try:
                self.home.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(folder_error(self.home, exc)) from exc
        self.store = Store(self.home / STORE_FILE, create=create)
        self.embedder_spec = embedder_spec

    @cached_property
    def embedder(self):
        from ghqa.index.embedders import make_embedder

        return make_embedder(self.embedder_spec)

    @cached_property
    def engine(self):
        from ghqa.index.search import SearchEngine

        return SearchEngine(self.store, self.embedder, self.home, vector_kind=self.vector_kind)

    def search(
        self,
        query: str,
        k: int = 10,
        *,
        filters: SearchFilters | None = None,
        exact: bool = False,
        mode: str = "hybrid",
    ) -> SearchResult:
        """Up to k passages for a query in Simplified, Traditional or English, ranked; filters narrow, nothing vetoes.

        Topics named in English and place names spelt in pinyin reach the Chinese text (qa/synonyms.toml)."""
        from ghqa.qa.answer import expanded_query
        from ghqa.qa.questions import analyze_question

        wanted = query if exact else expanded_query(analyze_question(query))
        ranking = self.engine.search(wanted, k=k, filters=filters, exact=exact, mode=mode)
        return SearchResult(query, ranking.passages, ranking.signals, note=self._vectors_note())

    def ask(
        self,
        question: str,
        *,
        history: list[Answer] | None = None,
        use_llm: bool | None = None,
        filters: SearchFilters | None = None,
        llm: LLMConfig | None = None,
    ) -> Answer:
        """An answer quoting and citing the passages it rests on, or a labelled "not found" with the nearest ones.

        llm: an endpoint to use instead of the GHQA_LLM_* settings; use_llm=False keeps the answer extractive."""
        *_, final = self.stream_ask(question, history=history, use_llm=use_llm, filters=filters, llm=llm)
        return final

    def stream_ask(
        self,
        question: str,
        *,
        history: list[Answer] | None = None,
        use_llm: bool | None = None,
        filters: SearchFilters | None = None,
        llm: LLMConfig | None = None,
    ) -> Iterator[str | Answer]:
        """The answer text as an LLM writes it, then the Answer itself (always last, exactly once)."""
        from ghqa.qa.answer import extractive_answer, rewrite_with_llm

        extractive = extractive_answer(self.engine, question, history, filters)
        lag = self._vectors_note()
        if lag:
            extractive.note = f"{extractive.note} {lag}" if extractive.note else lag
        yield from rewrite_with_llm(extractive, use_llm, llm)

    def _vectors_note(self) -> str | None:
        """What a reader should know when the vector index lags the store (reads never embed to catch up)."""
        behind = self.engine.vectors_behind
        if not behind:
            return None
        return f"向量索引缺少 {behind} 段，这些段落只参与关键词检索；运行 ghqa index 补齐。"

    def ingest(
        self, paths: Iterable[Path | str], progress: Callable[[int, int, str], None] | None = None
    ) -> IngestReport:
        """Store files and folders (recursive); a file that fails is reported and the rest go in."""
        from ghqa.index.build import ingest_paths

        with self.writing("ghqa ingest"):
            return ingest_paths(self.store, paths, progress)

    def sync_vectors(
        self,
        progress: Callable[[int], None] | None = None,
        on_start: Callable[[int], None] | None = None,
        rebuild: bool = False,
    ):
        """Embed what is new and bring the FAISS index in step with the store (from scratch with rebuild=True;
        vectors still come from the embedding cache)."""
        from ghqa.index.vectors import sync

        with self.writing("ghqa index"):
            return sync(
                self.store,
                self.embedder,
                self.home,
                progress,
                kind=self.vector_kind,
                rebuild=rebuild,
                on_start=on_start,
            )

    def writing(self, command: str):
        """The data folder's write lock: one ingest, index or remove at a time; the next one waits (index/lock.py)."""
        from ghqa.index.lock import write_lock

        return write_lock(self.home, command)

    def remove(self, path: str) -> bool:
        """Delete a file's rows; a copy the web UI keeps under uploads/ goes too (files elsewhere are the user's)."""
        absolute = Path(path).expanduser().absolute()
        with self.writing("ghqa remove"):
            removed = self.store.remove_path(str(absolute)) or self.store.remove_path(path)
        if removed and absolute.parent == (self.home / "uploads").absolute():
            absolute.unlink(missing_ok=True)
        return removed

    def index_status(self) -> IndexStatus:
        from ghqa.index.vectors import saved_state

        saved = saved_state(self.home, self.embedder.name)
        indexed = saved[0] if saved is not None and saved[1] == self.store.data_version() else 0
        return IndexStatus(chunks=self.store.chunk_count(), indexed=indexed, embedder=self.embedder.name)

    def correct_article(self, article_id: int, *, title: str, unit: str, unit_parent: str, year: str) -> None:
        """Correct an article's metadata: a value equal to the extracted one is no correction, "" clears it.

        Stored apart from what extraction found; search filters, list answers and citations use it from now on,
        and it survives re-ingest of the same file."""
        row = self.store.article(article_id)
        if row is None:
            raise StoreError(f"article {article_id} is not in {self.store.path} / 存储中没有这一篇")
        wanted = {"title": title, "unit": unit, "unit_parent": unit_parent, "year": year}
        fields = {k: None if v == (row[f"extracted_{k}"] or "") else v for k, v in wanted.items()}
        with self.writing("ghqa correct"):
            self.store.correct_article(article_id, **fields)

    def close(self) -> None:
        self.store.close()


def open_services(home: Path | None = None, embedder_spec: str | None = None, create: bool = False) -> Services:
    """The use cases over a data folder's store; create=True (ingest, serve) makes the store when it is missing."""
    return Services(home, embedder_spec, create=create)
