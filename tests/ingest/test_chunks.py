"""Chunks: whole sentences, headings kept with their text, bounded size, exact source offsets."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from ghqa.ingest.chunks import MAX_CHARS, MIN_CHARS, build_chunks, split_sentences
from ghqa.ingest.clean import clean_line, normalize_for_index
from ghqa.ingest.document import parse_document
from ghqa.ingest.loaders import load_source
from ghqa.ingest.model import Article, Chunk, Document, SourceText
from ghqa.ingest.structure import build_articles

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEEDS = ["000", "001", "002", "003", "004"]
_ENDS_SENTENCE = re.compile(r"[。！？；!?;][”’」』)]?$|[”’」』]$")


@cache
def seed(prefix: str) -> tuple[SourceText, Document]:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    source = load_source(path)
    return source, parse_document(str(path), source, "0" * 64)


def chunks_with_articles(prefix: str) -> list[tuple[Article, Chunk]]:
    _, doc = seed(prefix)
    articles = {a.number: a for a in doc.articles}
    return [(articles[c.article_number], c) for c in doc.chunks]


def paragraphs_of(article: Article, chunk: Chunk):
    return article.paragraphs[chunk.first_paragraph - 1 : chunk.last_paragraph]


def article_from_lines(lines: list[str]) -> tuple[SourceText, Article]:
    source = SourceText("\n".join(["某镇总工会工作总结", *lines]))
    _, articles = build_articles(source, "x")
    (article,) = articles
    return source, article


def _longest_sentence(text: str) -> int:
    return max((e - s for line in text.split("\n") for s, e in split_sentences(line)), default=0)


# --- the real pages -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", SEEDS)
def test_every_paragraph_is_in_exactly_one_chunk_in_order(prefix):
    _, doc = seed(prefix)
    for article in doc.articles:
        chunks = [c for c in doc.chunks if c.article_number == article.number]
        covered = []
        for c in chunks:
            covered.extend(range(c.first_paragraph, c.last_paragraph + 1))
        # a split paragraph appears in consecutive chunks; all paragraphs appear, in order
        assert sorted(set(covered)) == [p.number for p in article.paragraphs]
        assert covered == sorted(covered)


@pytest.mark.parametrize("prefix", SEEDS)
def test_no_chunk_ends_mid_sentence(prefix):
    for article, c in chunks_with_articles(prefix):
        last = article.paragraphs[c.last_paragraph - 1]
        ends_paragraph = c.char_end == last.char_end
        assert ends_paragraph or _ENDS_SENTENCE.search(c.text), (prefix, c.article_number, c.text[-20:])
        # and a chunk that starts inside a paragraph starts right after a sentence end
        first = article.paragraphs[c.first_paragraph - 1]
        if c.char_start != first.char_start:
            cut = first.offsets.index(c.char_start)
            assert _ENDS_SENTENCE.search(first.text[:cut]), first.text[cut - 10 : cut + 10]


@pytest.mark.parametrize("prefix", SEEDS)
def test_a_heading_is_never_left_without_its_text(prefix):
    for article, c in chunks_with_articles(prefix):
        paragraphs = paragraphs_of(article, c)
        after = article.paragraphs[c.last_paragraph :]
        body_follows = any(p.heading_level is None for p in after)
        if all(p.heading_level is not None for p in paragraphs) and body_follows:
            # only a list of short heading-like items may stand on its own
            assert len(c.text.replace("\n", "")) >= MIN_CHARS, (prefix, c.article_number, c.text)
        # a chunk that ends with headings is followed by a new top-level section, never by those headings' text
        trailing = []
        for p in reversed(paragraphs):
            if p.heading_level is None:
                break
            trailing.append(p)
        if trailing and len(trailing) < len(paragraphs) and after:
            assert after[0].heading_level == 1 or sum(len(p.text) for p in trailing) >= MIN_CHARS, c.text[-40:]


@pytest.mark.parametrize("prefix", SEEDS)
def test_chunk_size_is_bounded(prefix):
    for _, c in chunks_with_articles(prefix):
        size = len(c.text.replace("\n", ""))
        assert size <= MAX_CHARS + MIN_CHARS or _longest_sentence(c.text) > MAX_CHARS, (size, c.text[:40])
        assert c.text.strip()


def test_seed_chunks_are_mostly_near_the_target_size():
    sizes = [len(c.text) for prefix in SEEDS for _, c in chunks_with_articles(prefix)]
    assert max(sizes) <= MAX_CHARS + MIN_CHARS
    assert sum(s >= MIN_CHARS for s in sizes) / len(sizes) > 0.9


@pytest.mark.parametrize("prefix", SEEDS)
def test_chunk_offsets_point_at_the_text_in_the_source(prefix):
    source, _ = seed(prefix)
    for article, c in chunks_with_articles(prefix):
        span = source.text[c.char_start : c.char_end]
        cleaned = "\n".join(text for text in (clean_line(raw)[0] for raw in span.split("\n")) if text)
        lines = c.text.split("\n")
        assert cleaned.startswith(lines[0]) and cleaned.endswith(lines[-1]), (prefix, c.text[:30], cleaned[:30])
        pos = 0
        for line in lines:  # every line of the chunk, in order, within the span
            pos = cleaned.index(line, pos) + len(line)
        assert article.char_start <= c.char_start < c.char_end <= article.char_end
        assert c.norm == normalize_for_index(c.text)


def test_section_path_of_a_chunk_is_that_of_its_body_text():
    for article, c in chunks_with_articles("004"):
        body = [p for p in paragraphs_of(article, c) if p.heading_level is None]
        if body:
            assert c.section_path == body[0].section_path


def test_chunks_never_cross_top_level_sections():
    for prefix in SEEDS:
        for article, c in chunks_with_articles(prefix):
            tops = [p for p in paragraphs_of(article, c) if p.heading_level == 1]
            # a top-level heading can only open a chunk (possibly after other headings), never follow body text
            for top in tops:
                before = [p for p in paragraphs_of(article, c) if p.number < top.number]
                assert all(p.heading_level is not None for p in before), (prefix, c.article_number, top.text)


# --- synthetic cases ----------------------------------------------------------------------------------------------


def test_long_paragraph_is_split_at_sentence_ends():
    sentences = [f"第{i}项工作稳步推进,基层工会组建率和职工入会率进一步提高,取得了阶段性成效。" for i in range(30)]
    paragraph = "".join(sentences)
    source, article = article_from_lines(["一、主要工作", paragraph])
    chunks = build_chunks(article)
    assert len(chunks) >= len(paragraph) // MAX_CHARS
    assert all(len(c.text.replace("\n", "")) <= MAX_CHARS + MIN_CHARS for c in chunks)
    # the first chunk keeps the heading; the pieces of the paragraph put back together give the paragraph
    assert chunks[0].text.startswith("一、主要工作\n")
    pieces = [c.text.split("\n")[-1] for c in chunks]
    assert "".join(pieces) == paragraph
    for c in chunks:
        assert c.text.endswith("。")
        assert c.first_paragraph <= 2 <= c.last_paragraph
        assert clean_line(source.text[c.char_start : c.char_end])[0].endswith(c.text.split("\n")[-1])


def test_one_sentence_longer_than_the_limit_stays_whole():
    sentence = "在" + "各级党委政府和上级工会的正确领导下," * 30 + "全面完成了各项目标任务。"
    assert len(sentence) > MAX_CHARS
    _, article = article_from_lines([sentence + "下半年继续努力。"])
    chunks = build_chunks(article)
    assert any(sentence in c.text for c in chunks)


def test_short_paragraphs_are_grouped_and_headings_join_the_text_after_them():
    lines = ["一、组织建设", "(一)建会工作", "新建工会12家。", "发展会员300人。", "二、维权工作", "调处劳动争议15起。"]
    _, article = article_from_lines(lines)
    chunks = build_chunks(article)
    texts = [c.text for c in chunks]
    assert texts == ["一、组织建设\n(一)建会工作\n新建工会12家。\n发展会员300人。", "二、维权工作\n调处劳动争议15起。"]
    assert chunks[0].section_path == ["一、组织建设", "(一)建会工作"]
    assert chunks[1].section_path == ["二、维权工作"]


def test_a_heading_that_would_overflow_a_chunk_goes_with_its_text():
    body = "职工之家建设扎实推进,基层工会规范化建设水平明显提升。" * 5  # about 140 chars
    lines = [body, body, "3、开展职工文体活动", "在三八妇女节组织了女职工文艺晚会,丰富了职工的文化生活。" * 3]
    _, article = article_from_lines(["一、主要工作", *lines])
    chunks = build_chunks(article)
    heading_chunk = next(c for c in chunks if "3、开展职工文体活动" in c.text)
    assert heading_chunk.text.startswith("3、开展职工文体活动\n在三八妇女节")
    assert not any(c.text.endswith("3、开展职工文体活动") for c in chunks)


def test_a_long_list_of_heading_like_items_is_cut_to_size():
    items = [f"{i}、做好第{i}项基层工会建设工作。" for i in range(1, 41)]
    _, article = article_from_lines(
        ["一、工作情况", *items, "二、下步打算", "继续做好工会各项工作,切实维护职工合法权益。"]
    )
    chunks = build_chunks(article)
    assert len(chunks) >= 3
    assert all(len(c.text.replace("\n", "")) <= MAX_CHARS + MIN_CHARS for c in chunks)
    last = chunks[-1]
    assert last.text == "二、下步打算\n继续做好工会各项工作,切实维护职工合法权益。"


def test_split_sentences_keeps_closing_quotes_with_their_sentence():
    text = "他说:“工会是职工之家。”我们深受鼓舞!还要努力;继续前进"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["他说:“工会是职工之家。”", "我们深受鼓舞!", "还要努力;", "继续前进"]
