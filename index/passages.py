"""The passage shape shared by retrieval, answering and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

LOCATOR_SEP = " › "


@dataclass
class Passage:
    """One cited passage: its text in the source's own script and where it sits in the source."""

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
    places: list[str] = field(default_factory=list)
    year: str | None = None
    also_in: list[str] = field(default_factory=list)  # other locators holding the same text
    article_id: int | None = None  # the store's id, for fetching neighbouring paragraphs
    level: str | None = None  # the issuing unit's administrative level: 镇, 街道, 区 …

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
            "places": list(self.places),
            "year": self.year,
            "also_in": list(self.also_in),
            "locator": self.locator(),
        }
