"""Chunks for retrieval: whole sentences, headings kept with their text, located to the paragraph and character."""

from __future__ import annotations

import re

from ghqa.ingest.clean import normalize_for_index
from ghqa.ingest.model import Article, Chunk, Paragraph

# Measured on the dev questions over corpus/ plus distractors (see README, "Chunk size").
MAX_CHARS = 320
MIN_CHARS = 60
_CLAUSE_MARKS = "，、,：: "
_SENTENCE = re.compile(r".*?(?:[。！？!?；;]+[”’」』)]?|$)", re.S)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, ending at 。！？； and keeping closing quotes with their sentence."""
    spans = []
    for m in _SENTENCE.finditer(text):
        if m.end() > m.start():
            spans.append((m.start(), m.end()))
    return spans


def line_sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence of a text of several lines (a passage's paragraphs): a sentence
    never runs across a line break, so a heading stays apart from the paragraph after it."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        spans += [(offset + a, offset + b) for a, b in split_sentences(line) if line[a:b].strip()]
        offset += len(line) + 1
    return spans


def split_long(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) spans of at most `limit` characters covering `text`, cut between sentences where one ends in
    time, else after a comma or space, else at the limit itself (a line with no punctuation at all)."""
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max((e for _, e in split_sentences(window)[:-1]), default=0)
        if cut < limit // 2:
            clause = max(window.rfind(mark) for mark in _CLAUSE_MARKS) + 1
            cut = clause if clause > limit // 2 else limit
        spans.append((start, start + cut))
        start += cut
    spans.append((start, len(text)))
    return spans


def _pieces(paragraph: Paragraph, max_chars: int) -> list[tuple[int, int]]:
    """A paragraph as spans of at most max_chars, cut only between sentences (a longer sentence stays whole)."""
    if len(paragraph.text) <= max_chars:
        return [(0, len(paragraph.text))]
    pieces: list[tuple[int, int]] = []
    start = end = 0
    for s, e in split_sentences(paragraph.text):
        if end > start and e - start > max_chars:
            pieces.append((start, end))
            start = s
        end = e
    pieces.append((start, end))
    return pieces


def build_chunks(article: Article, max_chars: int | None = None, min_chars: int = MIN_CHARS) -> list[Chunk]:
    """Group an article's paragraphs into chunks: a heading or tiny paragraph joins the text after it, a long
    paragraph is split at sentence ends, and nothing crosses a top-level section."""
    max_chars = max_chars or MAX_CHARS
    chunks: list[Chunk] = []
    pending: list[tuple[Paragraph, int, int]] = []

    def size() -> int:
        return sum(e - s for _, s, e in pending)

    def flush(keep_trailing_headings: bool = False) -> None:
        """Emit pending as a chunk; with keep_trailing_headings, headings at its end wait for their text."""
        if not pending:
            return
        cut = len(pending)
        while keep_trailing_headings and cut > 0 and pending[cut - 1][0].heading_level is not None:
            cut -= 1
        if cut == 0 or sum(e - s for _, s, e in pending[cut:]) >= min_chars:
            cut = len(pending)  # a run of heading-like list items is text of its own
        emitted = pending[:cut]
        first, last = emitted[0], emitted[-1]
        text = "\n".join(p.text[s:e] for p, s, e in emitted)
        chunks.append(
            Chunk(
                article_number=article.number,
                first_paragraph=first[0].number,
                last_paragraph=last[0].number,
                section_path=_body_section(emitted),
                text=text,
                norm=normalize_for_index(text),
                char_start=first[0].offsets[first[1]],
                char_end=last[0].offsets[last[2] - 1] + 1,
                mojibake=any(p.mojibake for p, _, _ in emitted),
            )
        )
        del pending[:cut]

    def holds_text() -> bool:
        """Pending has body text, or so many heading-like lines (a list of short items) that they are text."""
        return bool(pending) and (not _only_headings(pending) or size() >= min_chars)

    for paragraph in article.paragraphs:
        # A top-level heading starts a new chunk unless only a few headings wait for their text.
        new_section = paragraph.heading_level == 1 and holds_text()
        for s, e in _pieces(paragraph, max_chars):
            overflow = size() + (e - s) > max_chars and size() >= min_chars
            if (new_section or overflow) and holds_text():
                flush(keep_trailing_headings=not new_section)
            new_section = False
            pending.append((paragraph, s, e))
            if paragraph.heading_level is None and size() >= max_chars:
                flush()
    flush()
    return chunks


def _only_headings(pending: list[tuple[Paragraph, int, int]]) -> bool:
    return all(p.heading_level is not None for p, _, _ in pending)


def _body_section(pending: list[tuple[Paragraph, int, int]]) -> list[str]:
    """The section path of the chunk's first body paragraph (its headings are part of the chunk)."""
    for p, _, _ in pending:
        if p.heading_level is None:
            return p.section_path
    return pending[-1][0].section_path
