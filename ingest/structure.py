"""From cleaned lines to articles and paragraphs: compilation splitting, headings and section paths."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ghqa.ingest.clean import (
    clean_line,
    has_mojibake,
    is_bare_label,
    is_boilerplate,
    is_page_furniture,
    is_related_articles_heading,
    normalize_for_index,
)
from ghqa.ingest.model import Article, Paragraph, SourceText

_CN_NUM = "一二三四五六七八九十"
# Heading markers, outermost first: 一、 / (一) / 1、 / (1) / 一是.
HEADING_LEVELS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^[{_CN_NUM}]{{1,3}}\s*[、.．]")),
    (2, re.compile(rf"^[(（][{_CN_NUM}]{{1,3}}[)）]")),
    (3, re.compile(r"^\d{1,2}\s*[、．]|^\d{1,2}\.(?!\d)")),
    (4, re.compile(r"^[(（]\d{1,2}[)）]")),
    (4, re.compile(rf"^[{_CN_NUM}]{{1,2}}是")),
]
_SENTENCE_END = re.compile(r"[。！？!?；;：:]")
# An article heading inside a compilation: `工會2023上半年總結 篇1`, `鄉鎮工會工作總結3`, `【篇二】…`.
_ARTICLE_HEADING = re.compile(
    rf"^(?:【?\s*篇\s*(?P<cn>[{_CN_NUM}]{{1,3}}|\d{{1,2}})\s*】?\s*[:：]?\s*(?P<rest>.{{0,40}})"
    rf"|(?P<title>.{{2,40}}?(?:总结|總結|报告|報告|范文|範文|汇报|匯報|篇))\s*(?:篇\s*)?(?P<n>\d{{1,2}}))$"
)
_PLAIN_HEADING_MAX = 24
# Lines at the top of a page that may still be site furniture before the report's own text begins.
_HEAD_LINES = 15
_LABEL_VALUE_MAX = 12
HEADING_LABEL_MAX = 24
_CLAUSE_END = re.compile(r"[，,、]")


@dataclass
class Line:
    text: str
    offsets: list[int]
    start: int
    end: int


def source_lines(source: SourceText) -> list[Line]:
    """Cleaned, non-empty lines with source offsets; site boilerplate and the trailing "相关文章" list are gone."""
    lines: list[Line] = []
    pos = 0
    for raw in source.text.split("\n"):
        start = pos
        pos += len(raw) + 1
        if is_related_articles_heading(raw):
            break
        # A bare label (来源:) stays for _drop_page_furniture, which drops it with the value on the next line.
        if is_boilerplate(raw) and not is_bare_label(raw):
            continue
        text, offsets = clean_line(raw)
        if not text:
            continue
        absolute = [start + i for i in offsets]
        lines.append(Line(text, absolute, absolute[0], absolute[-1] + 1))
    return _drop_repeated_titles(_drop_page_furniture(lines))


def _drop_page_furniture(lines: list[Line]) -> list[Line]:
    """Drop a bare label (来源:) with its value on the next line, and the furniture of a page's head (toolbars, site
    sections, captions), so the first line left is the title."""
    kept: list[Line] = []
    after_label = False
    for i, line in enumerate(lines):
        is_value = after_label and len(line.text) <= _LABEL_VALUE_MAX and not re.search(r"[。，,；;：:]", line.text)
        after_label = is_bare_label(line.text)
        # A site's section name above the page title that holds it (工作报告 / 2020年唐县政府工作报告); not above a
        # sentence or an article's heading (政府工作报告 / 现在，我代表…作政府工作报告, 工作总结 / 工作总结1).
        section_name = (
            i == 0
            and len(lines) > 1
            and line.text != lines[1].text
            and line.text in lines[1].text
            and _reads_as_title(lines[1].text)
            and not re.search(r"[。，,；;]", lines[1].text)
            and _article_number(lines[1].text) is None
        )
        if after_label or is_value or section_name or (i < _HEAD_LINES and is_page_furniture(line.text)):
            continue
        kept.append(line)
    return kept


def _drop_repeated_titles(lines: list[Line]) -> list[Line]:
    """Sites repeat the page title between articles; keep its first occurrence only."""
    if not lines:
        return lines
    title = normalize_for_index(lines[0].text)
    return [lines[0]] + [ln for ln in lines[1:] if normalize_for_index(ln.text) != title]


def _article_number(line: str) -> int | None:
    m = _ARTICLE_HEADING.match(line)
    if not m:
        return None
    raw = m.group("cn") or m.group("n")
    return int(raw) if raw.isdigit() else chinese_number(raw)


def chinese_number(raw: str) -> int | None:
    """1–99 written in Chinese numerals: 三, 十, 十二, 二十, 二十三; None for anything else."""
    digits = "一二三四五六七八九"
    tens, ten, ones = raw.partition("十")
    if not ten:
        return digits.index(raw) + 1 if len(raw) == 1 and raw in digits else None
    # 十二 has no tens digit; 二十 no ones digit.
    if len(tens) > 1 or len(ones) > 1 or (tens and tens not in digits) or (ones and ones not in digits):
        return None
    return (digits.index(tens) + 1 if tens else 1) * 10 + (digits.index(ones) + 1 if ones else 0)


def split_compilation(lines: list[Line]) -> list[tuple[str | None, list[Line]]]:
    """Split a compilation page into its articles by headings numbered 1, 2, 3 …; a single report stays whole.

    Returns (article heading or None, the article's lines without its heading).
    """
    starts: list[int] = []
    expected = 1
    for i, line in enumerate(lines):
        if len(line.text) <= 48 and _article_number(line.text) == expected:
            starts.append(i)
            expected += 1
    if len(starts) < 2:
        return [(None, lines)]
    bounds = [*starts, len(lines)]
    return [(lines[s].text, lines[s + 1 : e]) for s, e in zip(bounds, bounds[1:], strict=False)]


def heading_level(text: str) -> int | None:
    for level, pattern in HEADING_LEVELS:
        if pattern.match(text):
            return level
    return None


def _heading_label(text: str) -> str:
    """A heading's label for locators: the line up to its first sentence end (or comma, when that is still
    long), at most HEADING_LABEL_MAX characters."""
    m = _SENTENCE_END.search(text)
    label = text[: m.start()] if m else text
    if len(label) > HEADING_LABEL_MAX:
        m = _CLAUSE_END.search(label, 4)
        label = label[: m.start()] if m else label
    return label if len(label) <= HEADING_LABEL_MAX else label[: HEADING_LABEL_MAX - 1] + "…"


def build_paragraphs(lines: list[Line], source: SourceText) -> list[Paragraph]:
    """Number an article's lines as paragraphs and give each the section path of the headings above it."""
    stack: list[tuple[int, str]] = []
    paragraphs: list[Paragraph] = []
    for number, line in enumerate(lines, start=1):
        level = heading_level(line.text)
        plain = level is None and len(line.text) <= _PLAIN_HEADING_MAX and not re.search(r"[。！？!?，,；;]", line.text)
        if plain:
            level = 1
        pure = level is not None and (plain or len(line.text) <= 40 and _SENTENCE_END.search(line.text[:-1]) is None)
        if level is not None:
            stack = [(lvl, label) for lvl, label in stack if lvl < level]
            stack.append((level, _heading_label(line.text)))
        paragraphs.append(
            Paragraph(
                number=number,
                text=line.text,
                norm=normalize_for_index(line.text),
                section_path=[label for _, label in stack],
                char_start=line.start,
                char_end=line.end,
                heading_level=level if pure else None,
                page=source.page_at(line.start),
                mojibake=has_mojibake(line.text),
                offsets=line.offsets,
            )
        )
    return paragraphs


def _reads_as_title(text: str) -> bool:
    """Whether a page's first line can be its title: short, not a numbered heading (一、2014年工作回顾) and not a
    salutation or lead-in ending in a colon (各位代表：), which open a report whose title the page lost."""
    return len(text) <= 60 and heading_level(text) is None and not text.rstrip().endswith(("：", ":"))


def build_articles(source: SourceText, fallback_title: str) -> tuple[str, list[Article]]:
    """The document title and its articles, each with numbered, located paragraphs."""
    lines = source_lines(source)
    if not lines:
        return fallback_title, []
    parts = split_compilation(lines)
    doc_title = lines[0].text if _reads_as_title(lines[0].text) else fallback_title
    articles: list[Article] = []
    for heading, body in parts:
        if heading is None and body and body[0].text == doc_title and len(body) > 1:
            body = body[1:]
        if not body:
            continue
        paragraphs = build_paragraphs(body, source)
        articles.append(
            Article(
                number=len(articles) + 1,
                title=heading or doc_title,
                paragraphs=paragraphs,
                char_start=body[0].start,
                char_end=body[-1].end,
            )
        )
    return doc_title, articles
