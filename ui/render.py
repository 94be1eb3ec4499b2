"""HTML for the web UI, built by hand so that every string taken from a document is escaped.

Scraped reports can carry markup and scripts; nothing here hands document text to a markdown renderer.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import Any

from ghqa.index.passages import Passage
from ghqa.ingest.chunks import split_sentences
from ghqa.qa.llm import CITATION_MARKER

_MARKER = CITATION_MARKER

# An answer sentence runs to its stop and takes along the markers written after it: "甲镇开展了协商。[1]".
_ANSWER_SENTENCE = re.compile(rf"[^。！？!?\n]+[。！？!?]*[”’」』）)]*(?:[ \t]*{_MARKER.pattern})*")


def esc(value: object) -> str:
    """Escape for element content and quoted attributes alike."""
    return html.escape("" if value is None else str(value), quote=True)


def _norm(text: str) -> str:
    from ghqa.ingest.clean import normalize_for_index

    return normalize_for_index(text)


def _bigrams(text: str) -> set[str]:
    chars = [c for c in _norm(text) if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of a passage, line by line (the splitter chunking uses)."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        spans += [(offset + a, offset + b) for a, b in split_sentences(line) if line[a:b].strip()]
        offset += len(line) + 1
    return spans


def support_span(text: str, claim: str) -> tuple[int, int] | None:
    """The sentence of `text` that shares most character pairs with `claim` (script-insensitive), if any does."""
    wanted = _bigrams(claim)
    if not wanted:
        return None
    best, best_score = None, 0.0
    for start, end in sentence_spans(text):
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
    """Where `phrase` occurs in `text`, matching Simplified against Traditional; offsets are into `text`."""
    phrase = phrase.strip()
    if not phrase:
        return []
    norm_text, norm_phrase = _norm(text), _norm(phrase)
    # normalize_for_index keeps one character per character for CJK text; fall back to nothing if it did not.
    if len(norm_text) != len(text):
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(norm_phrase), norm_text)]


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


def _card(
    p: Passage,
    label: str,
    spans: Sequence[tuple[int, int]],
    css_id: str = "",
) -> str:
    quote_span = spans[0] if len(spans) == 1 else None
    quote = p.text[quote_span[0] : quote_span[1]].strip() if quote_span else None
    para = paragraph_of(p, quote_span[0]) if quote_span else None
    ref = reference(p, quote, para)
    meta = " · ".join(x for x in (place_of(p), p.year or "") if x)
    id_attr = f' id="{esc(css_id)}"' if css_id else ""
    also = ""
    if p.also_in:
        names = "".join(f"<li>{esc(where)}</li>" for where in p.also_in)
        also = f'<details class="ghqa-also"><summary>另见于 {len(p.also_in)} 份报告</summary><ul>{names}</ul></details>'
    return (
        f'<article class="ghqa-card"{id_attr} data-chunk="{p.chunk_id}">'
        f'<header><span class="ghqa-n">{esc(label)}</span>'
        f'<span class="ghqa-title">{esc(p.article_title or PurePath(p.source).name)}</span>'
        f'<span class="ghqa-meta">{esc(meta)}</span></header>'
        f'<div class="ghqa-loc">{esc(p.locator())}</div>'
        f'<div class="ghqa-text">{marked(p.text, spans)}</div>'
        f"{also}"
        f'<div class="ghqa-actions">'
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
        span = support_span(p.text, claims.get(n, "")) or support_span(p.text, question)
        cards.append(_card(p, f"[{n}]", _one(span), css_id=f"ghqa-cite-{n}"))
    return f'<div class="ghqa-cards">{"".join(cards)}</div>'


def search_html(passages: Sequence[Passage], query: str, exact: bool = False) -> str:
    """Search hits as cards; the exact phrase, or the sentence closest to the query, highlighted."""
    if not query.strip():
        return '<div class="ghqa-empty">输入要查找的内容。</div>'
    if not passages:
        return f'<div class="ghqa-empty">没有找到与“{esc(query.strip())}”相关的段落。</div>'
    cards = []
    for i, p in enumerate(passages, 1):
        spans = phrase_spans(p.text, query) if exact else []
        spans = spans or _one(support_span(p.text, query))
        cards.append(_card(p, str(i), spans))
    return f'<div class="ghqa-count">{len(passages)} 条结果</div><div class="ghqa-cards">{"".join(cards)}</div>'


def answer_html(text: str, note: str | None = None) -> str:
    """An answer for the chat: escaped, line breaks kept, [n] markers set as superscripts, a caveat below."""
    body = esc(text).replace("\n", "<br>")
    body = _MARKER.sub(lambda m: f'<sup class="ghqa-sup">[{",".join(re.findall(r"[0-9]+", m.group(1)))}]</sup>', body)
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


def context_html(rows: Iterable[Mapping[str, Any]], first: int, last: int) -> str:
    """Neighbouring paragraphs of a passage, the cited ones set apart."""
    items = []
    for row in rows:
        cited = first <= row["number"] <= last
        heading = row["heading_level"] is not None
        cls = " ".join(c for c in ("ghqa-cited" if cited else "", "ghqa-heading" if heading else "") if c)
        items.append(f'<p class="{cls}"><span class="ghqa-pn">¶{row["number"]}</span>{esc(row["text"])}</p>')
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


def notice_html(text: str, kind: str = "info") -> str:
    """A one-line banner: info, warn or error."""
    return f'<div class="ghqa-notice ghqa-{esc(kind)}">{esc(text)}</div>'
