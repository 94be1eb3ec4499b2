"""What retrieval hands to answering and the UI: passages, their relevance, and the typed Retriever interface.

qa reads the index only through `Retriever`; it never sees the store's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Protocol

from ghqa.ingest.model import Paragraph

LOCATOR_SEP = " › "


@dataclass
class SearchFilters:
    """Narrow a search; every field may hold several values (any of them matches)."""

    sources: list[str] = field(default_factory=list)  # file paths or parts of them
    places: list[str] = field(default_factory=list)  # the article's unit or a place it names, in either script
    years: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.sources or self.places or self.years)

    def describe(self) -> str:
        """The scope in words, for answers that say which scope they used."""
        parts = [
            f"{label}：{'、'.join(values)}"
            for label, values in (("文件", self.sources), ("地区", self.places), ("年份", self.years))
            if values
        ]
        return "；".join(parts)


@dataclass
class Relevance:
    """Why a passage was ranked where it is, in figures a person can read."""

    coverage: float  # IDF-weighted share of the query's words the passage holds, 0–1
    dense: float | None  # cosine similarity of query and passage embeddings; None when outside the dense candidates
    lexical_rank: int | None  # rank in the BM25 list (1 = best), None when BM25 did not find it
    dense_rank: int | None
    matched: list[str] = field(default_factory=list)  # the query's words found in the passage, for highlighting

    def describe(self) -> str:
        """The strength of a hit in words a reader can weigh, e.g. "关键词 75% · 语义相似度 0.871"."""
        parts = [f"关键词 {self.coverage:.0%}"]
        if self.dense is not None:
            parts.append(f"语义相似度 {self.dense:.3f}")
        return " · ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "coverage": round(self.coverage, 3),
            "dense": None if self.dense is None else round(self.dense, 4),
            "lexical_rank": self.lexical_rank,
            "dense_rank": self.dense_rank,
            "matched": list(self.matched),
        }


@dataclass
class Passage:
    """One hit or cited passage: the whole paragraphs it spans, in the source's own script, and where they sit.

    Search ranks chunks; a hit carries its chunks' paragraphs whole (first_paragraph..last_paragraph)."""

    chunk_id: int
    text: str
    source: str
    article_number: int
    article_title: str
    section_path: list[str]
    first_paragraph: int
    last_paragraph: int
    char_start: int
    char_end: int
    score: float
    unit: str | None = None
    unit_parent: str | None = None  # the division above the unit, e.g. 慈溪市 for 逍林镇 or 崇州市 for xx镇
    places: list[str] = field(default_factory=list)
    year: str | None = None
    also_in: list[str] = field(default_factory=list)  # other locators holding the same text
    article_id: int | None = None  # the store's id, for fetching neighbouring paragraphs
    level: str | None = None  # the issuing unit's administrative level: 镇, 街道, 区 …
    relevance: Relevance | None = None
    quote: str | None = None  # the sentence an answer quotes from this passage (then it spans that one paragraph)

    def locator(self) -> str:
        """A human-readable address, e.g. "003_x.txt › 第7篇 鄉鎮工會工作總結7 › 一、穩固基礎 › ¶3-4"."""
        paragraphs = (
            f"¶{self.first_paragraph}"
            if self.first_paragraph == self.last_paragraph
            else f"¶{self.first_paragraph}-{self.last_paragraph}"
        )
        article = f"第{self.article_number}篇 {self.article_title}".strip()
        parts = [PurePath(self.source).name, article, *self.section_path, paragraphs]
        # Empty titles or sections would leave dangling separators.
        return LOCATOR_SEP.join(p for p in parts if p)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.chunk_id,
            "text": self.text,
            "source": self.source,
            "article": self.article_number,
            "article_title": self.article_title,
            "section": list(self.section_path),
            "paragraphs": [self.first_paragraph, self.last_paragraph],
            "char_start": self.char_start,
            "char_end": self.char_end,
            "score": self.score,
            "unit": self.unit,
            "unit_parent": self.unit_parent,
            "places": list(self.places),
            "year": self.year,
            "also_in": list(self.also_in),
            "locator": self.locator(),
            "relevance": self.relevance.to_json() if self.relevance else None,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class QuerySignals:
    """How well the corpus as a whole matches a query: what `ask` weighs to decide whether to answer."""

    dense_top: float  # best cosine similarity among the passages
    dense_gap: float  # dense_top minus the mean similarity of the dense candidates: how much the best stands out
    coverage_top: float  # best IDF-weighted share of the query's words held by one of the top passages
    agreement: float  # share of the top five passages that both rankers found
    # Best similarity of the query to one sentence of the top passage: a passage can be near a question on the
    # whole while none of its sentences says what is asked. Measured only when a search asks for it (`ask` does).
    sentence_top: float | None = None

    def to_json(self) -> dict[str, float | None]:
        return {k: None if v is None else round(v, 4) for k, v in self.__dict__.items()}


NO_SIGNALS = QuerySignals(0.0, 0.0, 0.0, 0.0)


@dataclass
class Ranking:
    """The passages for a query, best first, and how well the corpus matched it."""

    passages: list[Passage]
    signals: QuerySignals = NO_SIGNALS


class Retriever(Protocol):
    """What answering needs from the index."""

    def search(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        exact: bool = False,
        mode: str = "hybrid",
        sentence_signal: bool = False,
    ) -> Ranking:
        """Up to k passages, ranked (never vetoed); filters and exact narrow the candidates. sentence_signal also
        measures QuerySignals.sentence_top (one embedding of the top passage's sentences)."""
        ...

    def gather(
        self, phrases: list[str], filters: SearchFilters | None = None, limit: int | None = 400
    ) -> list[Passage]:
        """Every passage holding any of the phrases (normalised; spaces and quotation marks ignored), not a top-k; at
        most `limit` per phrase, the first in corpus order (None: all)."""
        ...

    def document_frequency(self, phrase: str) -> int:
        """How many passages hold the phrase."""
        ...

    def sentence_similarities(self, query: str, sentences: list[str]) -> list[float]:
        """How near each sentence is to the query (cosine similarity of their embeddings)."""
        ...

    def passage_count(self) -> int: ...

    def report_years(self) -> set[str]:
        """The years of the stored reports."""
        ...

    def paragraphs(self, article_id: int, first: int, last: int | None = None) -> list[Paragraph]:
        """An article's paragraphs first..last (None: to its end), with their own section paths."""
        ...


def held_spans(norm: str, phrase: str) -> list[tuple[int, int]]:
    """Every place a normalised text holds a normalised phrase as `Retriever.gather` finds it (spaces and quotation
    marks read through, letters and digits as whole tokens), as offsets into the text."""
    from ghqa.index.lexical import phrase_span

    spans: list[tuple[int, int]] = []
    start = 0
    while found := phrase_span(norm[start:], phrase):
        spans.append((start + found[0], start + found[1]))
        start += found[1]
    return spans
