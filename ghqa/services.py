"""The use cases — search, ask, ingest, remove — over one data folder; the CLI, the web UI, the Python API and the
LangChain adapters all call these, so they return the same results for the same input."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from ghqa.core.errors import EmptyStoreError, StoreError
from ghqa.core.settings import ghqa_home, vector_index_kind
from ghqa.index.passages import Passage
from ghqa.index.store import STORE_FILE, Store, folder_error, no_store_message
from ghqa.ingest.model import Paragraph

if TYPE_CHECKING:
    from ghqa.index.build import IngestReport
    from ghqa.index.check import CheckReport
    from ghqa.index.passages import QuerySignals, SearchFilters
    from ghqa.qa.evidence import Answer
    from ghqa.qa.llm import LLMConfig

__all__ = [
    "ArticleInfo",
    "FilterChoices",
    "IndexStatus",
    "LibraryFile",
    "SearchResult",
    "Services",
    "SourceContext",
    "StoreStats",
    "max_query_chars",
    "open_services",
]

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


@dataclass(frozen=True)
class StoreStats:
    """What the store holds (`ghqa stats` prints the fields in this order)."""

    files: int  # stored files
    failed_files: int
    documents: int  # distinct contents: files with the same bytes share one
    articles: int
    paragraphs: int
    chunks: int

    def to_json(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class LibraryFile:
    """A file the store knows: stored, with its document's counts, or failed, with the reason."""

    path: str
    status: str  # "stored" or "failed"
    error: str | None  # why it failed
    document_id: int | None  # None for a failed file
    title: str | None  # the document's title
    n_articles: int
    n_chunks: int
    n_chars: int | None  # None without a document
    warnings: list[str]  # what extraction repaired or doubted, e.g. a PDF text layer "(repaired)"

    @property
    def name(self) -> str:
        return PurePath(self.path).name

    @property
    def stored(self) -> bool:
        return self.status == "stored"


@dataclass(frozen=True)
class ArticleInfo:
    """An article's metadata as now used (a user's corrections applied); `ghqa show --json` prints `to_json()`."""

    id: int
    source: str | None  # the first stored path of its document
    number: int  # 1-based within its document
    title: str
    unit: str | None  # the issuing unit
    unit_parent: str | None  # the division above it
    unit_former: str | None  # the NBS editions ("2016–2019") when the unit is a former division (merged or renamed)
    level: str | None
    places: list[str]
    year: str | None
    period: str | None
    n_paragraphs: int
    n_chunks: int
    document_id: int
    document_title: str

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "number": self.number,
            "title": self.title,
            "unit": self.unit,
            "unit_parent": self.unit_parent,
            "unit_former": self.unit_former,
            "level": self.level,
            "places": list(self.places),
            "year": self.year,
            "period": self.period,
        }


@dataclass(frozen=True)
class SourceContext:
    """Paragraphs of the article holding a passage; `first`..`last` are the passage's own."""

    article: ArticleInfo
    paragraphs: list[Paragraph]  # with their own section paths
    first: int
    last: int


@dataclass(frozen=True)
class FilterChoices:
    """What the scope pickers offer: names of stored files, places (units and places named), years newest first."""

    sources: list[str]
    places: list[str]
    years: list[str]


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
        from ghqa.qa.evidence import expanded_query
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

    # --- reading the store: typed, so callers never see its rows ---------------------------------------------

    def stats(self) -> StoreStats:
        return StoreStats(**self.store.stats())

    def require_reports(self) -> None:
        """Raise EmptyStoreError (`ghqa` exits 3) when the store holds no passages."""
        if self.store.chunk_count() == 0:
            raise EmptyStoreError(no_store_message(self.home, empty=True))

    def library(self) -> list[LibraryFile]:
        """Every file the store knows, by path: stored ones with their document, failed ones with the reason."""
        files = self.store.files()
        documents = {d["id"]: d for d in self.store.documents()}
        out = []
        for row in files:
            document = documents.get(row["document_id"])
            out.append(
                LibraryFile(
                    path=row["path"],
                    status=row["status"],
                    error=row["error"],
                    document_id=row["document_id"],
                    title=row["title"],
                    n_articles=row["n_articles"] or 0,
                    n_chunks=document["n_chunks"] if document else 0,
                    n_chars=document["n_chars"] if document else None,
                    warnings=json.loads(row["warnings"] or "[]"),
                )
            )
        return out

    def articles(self) -> list[ArticleInfo]:
        """Every article, by source and number."""
        return [self._article(row) for row in self.store.articles()]

    def article(self, ref: int | str) -> ArticleInfo | None:
        """An article by id (42, "42") or by file and number ("003_25279264fab4da48.txt#7"; a path prefix works);
        None when no single article matches."""
        row = self.store.find_article(str(ref))
        return self._article(row) if row is not None else None

    def paragraphs(self, article_id: int, first: int | None = None, last: int | None = None) -> list[Paragraph]:
        """An article's paragraphs (first..last when given), with their own section paths."""
        return self.store.paragraphs(article_id, first, last)

    def source_context(self, passage: int | Passage, around: int | None = 2) -> SourceContext | None:
        """The paragraphs around a passage (a chunk id, or a hit): `around` either side of its own, or the whole
        article with around=None. None when it is no longer stored."""
        if isinstance(passage, Passage):
            article_id, first, last = passage.article_id, passage.first_paragraph, passage.last_paragraph
        else:
            chunk = self.store.chunks([int(passage)]).get(int(passage))
            if chunk is None:
                return None
            article_id, first, last = chunk["article_id"], chunk["first_paragraph"], chunk["last_paragraph"]
        article = self.article(article_id) if article_id is not None else None
        if article is None:
            return None
        span = (None, None) if around is None else (max(1, first - around), last + around)
        return SourceContext(article, self.paragraphs(article.id, *span), first, last)

    def filter_choices(self) -> FilterChoices:
        """Stored files' names, places (issuing units and places named) and years, for narrowing a search."""
        years = {row["year"] for row in self.store.articles() if row["year"]}
        sources = {f.name for f in self.library() if f.stored}
        return FilterChoices(sorted(sources), sorted(self.store.place_names()), sorted(years, reverse=True))

    def _article(self, row: Mapping[str, Any]) -> ArticleInfo:
        from ghqa.ingest.places import former_editions

        unit, parent = row["unit"], row["unit_parent"]
        return ArticleInfo(
            id=row["id"],
            source=row["source"],
            number=row["number"],
            title=row["title"],
            unit=unit,
            unit_parent=parent,
            unit_former=former_editions(unit, parent) if unit else None,
            level=row["level"],
            places=json.loads(row["places"] or "[]"),
            year=row["year"],
            period=row["period"],
            n_paragraphs=row["n_paragraphs"],
            n_chunks=row["n_chunks"],
            document_id=row["document_id"],
            document_title=row["document_title"],
        )

    # --- maintenance ----------------------------------------------------------------------------------------

    @property
    def store_path(self) -> Path:
        return self.store.path

    def orphan_vectors(self) -> int:
        """Vectors the saved index keeps for passages the store no longer has (a removal killed halfway)."""
        from ghqa.index.vectors import orphan_vectors

        return orphan_vectors(self.store, self.home, self.embedder.name)

    def check(self, repair: bool = False) -> CheckReport:
        """Verify the store and the vector index; repair=True fixes what it can, under the write lock."""
        from ghqa.index.check import check

        if not repair:
            return check(self.store, self.embedder, self.home)
        with self.writing("ghqa check --repair"):
            return check(self.store, self.embedder, self.home, repair=True, kind=self.vector_kind)

    def backup(self, target: Path | str) -> list[Path]:
        """A consistent copy of the store and its vector index in the folder `target`; the files written."""
        from ghqa.index.check import backup

        return backup(self.store, self.home, target)

    def close(self) -> None:
        self.store.close()


def open_services(home: Path | None = None, embedder_spec: str | None = None, create: bool = False) -> Services:
    """The use cases over a data folder's store; create=True (ingest, serve) makes the store when it is missing."""
    return Services(home, embedder_spec, create=create)
