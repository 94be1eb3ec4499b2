"""The data that ingestion hands to the index: documents → articles → paragraphs → chunks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceText:
    """A file's decoded text, before cleaning."""

    text: str
    encoding: str | None = None
    # (page number, start offset) for each page of a PDF, in order; empty for other types.
    pages: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        page = None
        for number, start in self.pages:
            if start > offset:
                break
            page = number
        return page


@dataclass
class Paragraph:
    number: int  # 1-based within its article
    text: str  # cleaned, in the source's own script
    norm: str  # NFKC + Simplified, for indexing
    section_path: list[str]  # headings above this paragraph, outermost first
    char_start: int  # offsets into SourceText.text
    char_end: int
    heading_level: int | None = None  # 1 for 一、, 2 for (一), 3 for 1、, 4 for 一是; None for body text
    page: int | None = None
    mojibake: bool = False
    # Source offset of each character of `text`, so a chunk cut inside the paragraph keeps exact offsets.
    offsets: list[int] = field(default_factory=list, repr=False, compare=False)


@dataclass
class Article:
    number: int  # 1-based within its document
    title: str
    paragraphs: list[Paragraph]
    char_start: int
    char_end: int
    unit: str | None = None  # the issuing unit, e.g. 逍林镇总工会 → 逍林镇; 国务院 for the State Council
    unit_parent: str | None = None  # the division above the unit, e.g. 慈溪市 for 逍林镇
    places: list[str] = field(default_factory=list)
    year: str | None = None
    period: str | None = None  # 上半年 / 全年 / …
    level: str | None = None  # the unit's kind: 镇 / 乡 / 街道 / 区 / 县 / 市 / 省 … ; 国家 for the State Council


@dataclass
class Chunk:
    article_number: int
    first_paragraph: int
    last_paragraph: int
    section_path: list[str]
    text: str
    norm: str
    char_start: int
    char_end: int
    mojibake: bool = False


@dataclass
class Document:
    path: str
    content_hash: str
    title: str
    articles: list[Article]
    chunks: list[Chunk]
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    parser_version: str = ""
