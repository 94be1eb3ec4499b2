"""HTML for the web UI, built by hand so that every string taken from a document is escaped.

Scraped reports can carry markup and scripts; nothing here hands document text to a markdown renderer.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING

from ghqa.index.passages import Passage, held_spans
from ghqa.ingest.chunks import line_sentence_spans
from ghqa.qa.llm import CITATION_MARKER

if TYPE_CHECKING:
    from ghqa.ingest.model import Paragraph

    from ghqa.services import ArticleInfo

_MARKER = CITATION_MARKER

# An answer sentence runs to its stop and takes along the markers written after it: "甲镇开展了协商。[1]".
_ANSWER_SENTENCE = re.compile(rf"[^。！？!?\n]+[。！？!?]*[”’」』）)]*(?:[ \t]*{_MARKER.pattern})*")


def esc(value: object) -> str:
    """Escape for element content and quoted attributes alike."""
    return html.escape("" if value is None else str(value), quote=True)


def normalize(text: str) -> str:
    """Text as the index compares it: one script, one width, one case."""
    from ghqa.ingest.clean import normalize_for_index

    return normalize_for_index(text)


def _bigrams(text: str) -> set[str]:
    chars = [c for c in normalize(text) if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def support_span(text: str, claim: str) -> tuple[int, int] | None:
    """The sentence of `text` that shares most character pairs with `claim` (script-insensitive), if any does."""
    wanted = _bigrams(claim)
    if not wanted:
        return None
    best, best_score = None, 0.0
    for start, end in line_sentence_spans(text):
        got = _bigrams(text[start:end])
        if not got:
            continue
        shared = len(wanted & got)
        # Favour sentences that are mostly about the claim, not merely long.
        score = shared / (len(got) ** 0.5)
        if shared >= 2 and score > best_score:
            best, best_score = (start, end), score
    return best


def phrase_spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Where `phrase` occurs in `text`, matching Simplified against Traditional, as phrase lookup does (spaces and
    quotation marks read through, letters and digits as whole tokens); offsets are into `text`."""
    phrase = phrase.strip()
    if not phrase:
        return []
    norm_text, norm_phrase = normalize(text), normalize(phrase)
    # normalize_for_index keeps one character per character for CJK text; fall back to nothing if it did not.
    if len(norm_text) != len(text):
        return []
    return held_spans(norm_text, norm_phrase)


def marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` escaped, with each span wrapped in <mark>; line breaks become <br>."""
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out.append(esc(text[pos:start]))
        out.append(f"<mark>{esc(text[start:end])}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out).replace("\n", "<br>")


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config).convert


def in_script(text: str, script: str) -> str:
    """Text shown in the user's chosen script: "original", "simplified" or "traditional" (one character each)."""
    if script == "simplified":
        return _converter("t2s")(text)
    if script == "traditional":
        return _converter("s2t")(text)
    return text


def shown_in_script(passages: Sequence[Passage], script: str) -> list[Passage]:
    """Copies of passages whose text, quote and title read in the chosen script."""
    if script not in ("simplified", "traditional"):
        return list(passages)
    return [
        dataclasses.replace(
            p,
            text=in_script(p.text, script),
            quote=in_script(p.quote, script) if p.quote else p.quote,
            article_title=in_script(p.article_title, script),
            section_path=[in_script(s, script) for s in p.section_path],
        )
        for p in passages
    ]


def place_of(p: Passage) -> str:
    """The issuing unit, else the places a report names."""
    return p.unit or "、".join(p.places[:3])


def paragraph_of(p: Passage, offset: int) -> int | None:
    """The paragraph holding character `offset`, when the passage's lines map one-to-one onto its paragraphs."""
    lines = p.text.split("\n")
    if len(lines) != p.last_paragraph - p.first_paragraph + 1:
        return None
    pos = 0
    for i, line in enumerate(lines):
        pos += len(line) + 1
        if offset < pos:
            return p.first_paragraph + i
    return p.last_paragraph


def reference(p: Passage, quote: str | None = None, paragraph: int | None = None) -> str:
    """Quoted text plus a reference a report writer can paste.

    e.g. “…”（来源：《鄉鎮工會工作總結7》，逍林镇，003_….txt，第7篇，一、…，第3段）
    """
    if paragraph is not None:
        paragraphs = f"第{paragraph}段"
    elif p.first_paragraph == p.last_paragraph:
        paragraphs = f"第{p.first_paragraph}段"
    else:
        paragraphs = f"第{p.first_paragraph}–{p.last_paragraph}段"
    parts = [
        f"《{p.article_title}》" if p.article_title else "",
        place_of(p),
        PurePath(p.source).name,
        f"第{p.article_number}篇",
        *p.section_path,
        paragraphs,
    ]
    body = " ".join((quote if quote is not None else p.text).split())
    return f"“{body}”（来源：{'，'.join(x for x in parts if x)}）"


def quote_span(p: Passage) -> tuple[int, int] | None:
    """Where the passage's own quote (the sentence an answer quoted) sits in its text."""
    if not p.quote:
        return None
    start = p.text.find(p.quote)
    return (start, start + len(p.quote)) if start >= 0 else None


def _card(
    p: Passage,
    label: str,
    spans: Sequence[tuple[int, int]],
    css_id: str = "",
    sections: Mapping[tuple[int | None, int], list[str]] | None = None,
) -> str:
    """One passage: title, locator, text with its sentence marked, copies elsewhere, and its actions.

    `sections` maps (article id, paragraph) to that paragraph's own section path, so a reference names the section
    of the quoted sentence rather than the passage's first one."""
    span = spans[0] if len(spans) == 1 else None
    quote = p.text[span[0] : span[1]].strip() if span else None
    para = paragraph_of(p, span[0]) if span else None
    if para is not None and sections and (p.article_id, para) in sections:
        p = dataclasses.replace(p, section_path=sections[(p.article_id, para)])
    ref = reference(p, quote, para)
    meta = " · ".join(x for x in (place_of(p), p.year or "") if x)
    id_attr = f' id="{esc(css_id)}"' if css_id else ""
    also = ""
    if p.also_in:
        names = "".join(
            f'<li><button type="button" class="ghqa-also-open" data-locator="{esc(where)}">{esc(where)}</button></li>'
            for where in p.also_in
        )
        also = f'<details class="ghqa-also"><summary>另见于 {len(p.also_in)} 份报告</summary><ul>{names}</ul></details>'
    return (
        f'<article class="ghqa-card"{id_attr} data-chunk="{p.chunk_id}" data-quote="{esc(quote or "")}">'
        f'<header><span class="ghqa-n">{esc(label)}</span>'
        f'<span class="ghqa-title">{esc(p.article_title or PurePath(p.source).name)}</span>'
        f'<span class="ghqa-meta">{esc(meta)}</span></header>'
        f'<div class="ghqa-loc">{esc(p.locator())}</div>'
        f'<div class="ghqa-text">{marked(p.text, spans)}</div>'
        f"{also}"
        f'<div class="ghqa-actions">'
        f'<button type="button" class="ghqa-open" data-chunk="{p.chunk_id}">查看原文</button>'
        f'<button type="button" class="ghqa-copy" data-ref="{esc(ref)}">复制（含出处）</button>'
        f'<button type="button" class="ghqa-ctx" data-chunk="{p.chunk_id}">上下文</button>'
        f"</div>"
        f'<div class="ghqa-ctx-slot"></div>'
        f"</article>"
    )


def claims_by_marker(answer_text: str) -> dict[int, str]:
    """For each [n] in an answer, the answer sentences citing it: what to look for in passage n."""
    out: dict[int, str] = {}
    for match in _ANSWER_SENTENCE.finditer(answer_text):
        sentence = match.group()
        for m in _MARKER.finditer(sentence):
            for n in map(int, re.findall(r"\d+", m.group(1))):
                out[n] = out.get(n, "") + _MARKER.sub("", sentence)
    return out


def citations_html(citations: Sequence[Passage], answer_text: str = "", question: str = "") -> str:
    """The cited passages beside an answer, numbered as the answer's [n] markers, supporting sentences highlighted."""
    if not citations:
        return '<div class="ghqa-empty">引用的原文会显示在这里。</div>'
    claims = claims_by_marker(answer_text)
    cards = []
    for n, p in enumerate(citations, 1):
        span = quote_span(p) or support_span(p.text, claims.get(n, "")) or support_span(p.text, question)
        cards.append(_card(p, f"[{n}]", _one(span), css_id=f"ghqa-cite-{n}"))
    return f'<div class="ghqa-cards">{"".join(cards)}</div>'


def search_html(
    passages: Sequence[Passage],
    query: str,
    exact: bool = False,
    sections: Mapping[tuple[int | None, int], list[str]] | None = None,
) -> str:
    """Search hits as cards; the exact phrase, or the sentence closest to the query, highlighted."""
    if not query.strip():
        return '<div class="ghqa-empty">输入要查找的内容。</div>'
    if not passages:
        return f'<div class="ghqa-empty">没有找到与“{esc(query.strip())}”相关的段落。</div>'
    cards = []
    for i, p in enumerate(passages, 1):
        spans = phrase_spans(p.text, query) if exact else []
        spans = spans or _one(support_span(p.text, query))
        cards.append(_card(p, str(i), spans, sections=sections))
    return f'<div class="ghqa-count">{len(passages)} 条结果</div><div class="ghqa-cards">{"".join(cards)}</div>'


def answer_html(text: str, note: str | None = None) -> str:
    """An answer for the chat: escaped, line breaks kept, [n] markers set as superscripts, a caveat below."""
    body = esc(text).replace("\n", "<br>")

    # Each number its own element, so hovering or clicking [1,2] reaches the right card.
    def sup(m: re.Match) -> str:
        refs = ",".join(f'<span class="ghqa-ref">{n}</span>' for n in re.findall(r"[0-9]+", m.group(1)))
        return f'<sup class="ghqa-sup">[{refs}]</sup>'

    body = _MARKER.sub(sup, body)
    return body + (f'<div class="ghqa-note">{esc(note)}</div>' if note else "")


def nearest_html(passages: Sequence[Passage], question: str) -> str:
    """When nothing answers: the closest passages, plainly labelled as not an answer."""
    if not passages:
        return citations_html([])
    cards = "".join(_card(p, "≈", _one(support_span(p.text, question))) for p in passages)
    label = '<div class="ghqa-count">没有段落回答这个问题；以下是最接近的段落，仅供参考：</div>'
    return f'{label}<div class="ghqa-cards">{cards}</div>'


def _one(span: tuple[int, int] | None) -> list[tuple[int, int]]:
    return [span] if span else []


def context_html(paragraphs: Iterable[Paragraph], first: int, last: int) -> str:
    """Neighbouring paragraphs of a passage, the cited ones set apart."""
    items = []
    for p in paragraphs:
        cited = first <= p.number <= last
        heading = p.heading_level is not None
        cls = " ".join(c for c in ("ghqa-cited" if cited else "", "ghqa-heading" if heading else "") if c)
        items.append(f'<p class="{cls}"><span class="ghqa-pn">¶{p.number}</span>{esc(p.text)}</p>')
    if not items:
        return '<div class="ghqa-empty">找不到这段原文的上下文（文档可能已被删除）。</div>'
    return f'<div class="ghqa-context">{"".join(items)}</div>'


def table_html(headers: Sequence[str], rows: Iterable[Sequence[object]], empty: str) -> str:
    """A plain escaped table."""
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    if not body:
        return f'<div class="ghqa-empty">{esc(empty)}</div>'
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    return f'<table class="ghqa-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def overview_html(counts: Mapping[str, int]) -> str:
    """A bar per place, unit or year of a list answer, sized by its sentences on the topic: the pattern at a glance.
    Years run in order; other groups by count."""
    if not counts:
        return ""
    years = all(re.fullmatch(r"\d{4}", label) for label in counts)
    items = sorted(counts.items()) if years else sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    most = max(counts.values()) or 1
    bars = "".join(
        f'<div class="ghqa-bar"><span class="ghqa-bar-label">{esc(label)}</span>'
        f'<span class="ghqa-bar-fill" style="width:{max(4, round(100 * n / most))}%"></span>'
        f'<span class="ghqa-bar-count">{n}</span></div>'
        for label, n in items
    )
    return f'<div class="ghqa-overview" aria-label="各单位提及次数">{bars}</div>'


def notice_html(text: str, kind: str = "info") -> str:
    """A one-line banner: info, warn or error."""
    return f'<div class="ghqa-notice ghqa-{esc(kind)}">{esc(text)}</div>'


def unit_label(unit: str | None, former: str | None = None) -> str:
    """An issuing unit as the page shows it; a former division's name says so: 出江镇（原建制，2016–2019）."""
    if not unit:
        return ""
    return f"{unit}（原建制，{former}）" if former else unit


def source_html(
    article: ArticleInfo | None,
    paragraphs: Iterable[Paragraph],
    focus: int | None,
    quote: str = "",
    script: str = "original",
) -> str:
    """A whole article for the source viewer: its paragraphs numbered, the focused one marked with its sentence."""
    items = []
    for p in paragraphs:
        text = in_script(p.text, script)
        classes = ["ghqa-heading" if p.heading_level is not None else ""]
        spans: list[tuple[int, int]] = []
        if p.number == focus:
            classes.append("ghqa-focus")
            spans = phrase_spans(text, quote) if quote else []
        cls = " ".join(c for c in classes if c)
        items.append(
            f'<p class="{cls}" data-paragraph="{p.number}"><span class="ghqa-pn">¶{p.number}</span>'
            f"{marked(text, spans)}</p>"
        )
    if article is None or not items:
        return '<div class="ghqa-empty">找不到这篇原文（文档可能已被删除）。</div>'
    title = in_script(article.title or "", script)
    where = f"{PurePath(article.source or '').name} › 第{article.number}篇"
    meta = " · ".join(x for x in (unit_label(article.unit, article.unit_former), article.year or "") if x)
    return (
        f'<div class="ghqa-source"><header><div class="ghqa-title">{esc(title)}</div>'
        f'<div class="ghqa-loc">{esc(where)}{" · " + esc(meta) if meta else ""}</div></header>'
        f'<div class="ghqa-source-body">{"".join(items)}</div></div>'
    )
