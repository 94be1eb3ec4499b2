"""The search core with the fake embedder: fusion, whole-paragraph hits, copies collapsed, filters narrowing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fakes import BigramEmbedder, fake_home, fake_services
from ghqa.index.passages import SearchFilters
from ghqa.index.search import reciprocal_rank_fusion

FILLER = "街道工会坚持服务职工的工作方向，围绕中心、服务大局，把各项工作落到实处，取得了明显成效。"
LONG_PARAGRAPH = (
    "今年全镇深入推进职工书屋建设，" + FILLER * 8 + "截至年底，全镇共建成职工书屋二十七家，配送图书一万二千册。"
)
REPORTS = {
    "a.txt": f"甲镇总工会2023年工作总结\n一、职工书屋\n{LONG_PARAGRAPH}\n二、困难帮扶\n春节期间走访慰问困难职工36户。\n",
    "b.txt": "乙镇总工会2023年工作总结\n一、困难帮扶\n春节期间走访慰问困难职工36户。\n二、劳动竞赛\n组织技能比武12场。\n",
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fake_home(tmp_path_factory.mktemp("search_core"), REPORTS)


@pytest.fixture
def services(home, monkeypatch):
    yield from fake_services(home, monkeypatch)


def test_a_long_paragraph_is_several_chunks_but_one_hit_with_its_whole_text(services):
    chunks = services.store.db.execute("SELECT COUNT(*) FROM chunks WHERE text LIKE '%职工书屋%'").fetchone()[0]
    assert chunks >= 2  # the fixture's paragraph is longer than a chunk
    hits = services.search("职工书屋建设", k=5).hits
    book_hits = [h for h in hits if "职工书屋" in h.text]
    assert len(book_hits) == 1
    # The question's words open the paragraph; the figure it asks for closes it, in another chunk.
    assert book_hits[0].text.endswith(LONG_PARAGRAPH)


def test_a_whole_paragraph_hit_carries_its_source_offsets(services):
    hit = next(h for h in services.search("职工书屋", k=5).hits if "职工书屋" in h.text)
    paragraphs = services.engine.paragraphs(hit.article_id, hit.first_paragraph, hit.last_paragraph)
    assert hit.text == "\n".join(p.text for p in paragraphs)
    assert (hit.char_start, hit.char_end) == (paragraphs[0].char_start, paragraphs[-1].char_end)


def test_a_passage_copied_into_another_report_is_one_hit_listing_the_copy(services):
    hits = services.search("走访慰问困难职工", k=5).hits
    visits = [h for h in hits if "走访慰问困难职工" in h.text]
    assert len(visits) == 1
    assert len(visits[0].also_in) == 1


def test_filters_narrow_the_hits_to_one_source(services):
    hits = services.search("困难职工", k=5, filters=SearchFilters(sources=["b.txt"])).hits
    assert hits and all(h.source.endswith("b.txt") for h in hits)


def test_fusion_ranks_a_passage_both_rankers_found_above_one_found_by_either():
    fused = sorted(reciprocal_rank_fusion([(1, 9.0), (2, 8.0)], [(3, 0.9), (2, 0.8)]), key=lambda c: -c.score)
    assert fused[0].chunk_id == 2
    assert (fused[0].lexical_rank, fused[0].dense_rank) == (2, 2)


def test_the_sentence_signal_is_the_query_nearest_sentence_of_the_top_passage(services):
    engine = services.engine
    plain = engine.search("春节期间走访慰问困难职工", k=3)
    assert plain.signals.sentence_top is None  # measured only when asked: it costs an embedding
    ranking = engine.search("春节期间走访慰问困难职工", k=3, sentence_signal=True)
    top = ranking.passages[0]
    embedder = BigramEmbedder()
    query = embedder.embed_query("春节期间走访慰问困难职工")
    sentences = [s for line in top.text.split("\n") for s in re.findall(r"[^。]+。?", line)]
    nearest = max(float(embedder.embed_passages([s])[0] @ query) for s in sentences)
    assert ranking.signals.sentence_top == pytest.approx(nearest, abs=1e-5)
    assert ranking.signals.to_json()["sentence_top"] == round(ranking.signals.sentence_top, 4)


def test_sentences_already_embedded_are_not_embedded_again(services):
    engine = services.engine
    engine.search("组织技能比武", k=3, sentence_signal=True)
    before = engine.embedder.passages
    engine.search("组织技能比武", k=3, sentence_signal=True)
    assert engine.embedder.passages == before


def test_a_full_sentence_cache_is_emptied_without_losing_the_sentences_in_hand(services, monkeypatch):
    from ghqa.index import search as search_module
    from ghqa.index.passages import Passage

    monkeypatch.setattr(search_module, "SENTENCE_CACHE_SIZE", 3)
    engine = services.engine

    def passage(text: str) -> Passage:
        return Passage(1, text, "a.txt", 1, "总结", [], 0, 0, 0, len(text), 1.0)

    first = engine.best_sentence_similarity("困难职工", passage("走访困难职工。组织技能比武。"))
    # One sentence is cached, two are new: the cache overflows and is emptied while this passage is measured.
    second = engine.best_sentence_similarity("困难职工", passage("走访困难职工。建成职工书屋。配送图书。"))
    assert second == pytest.approx(first)
