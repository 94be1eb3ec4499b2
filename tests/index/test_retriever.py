"""GhqaRetriever: ghqa's hybrid search as a LangChain retriever, over a real store and a tiny fake embedder."""

from __future__ import annotations

import pytest
from fakes import BigramEmbedder
from ghqa.index.build import ingest_paths
from ghqa.index.search import SearchEngine, SearchFilters
from ghqa.index.store import Store
from ghqa.index.vectors import sync

pytest.importorskip("langchain_core")

from ghqa.index.retriever import GhqaRetriever  # noqa: E402
from langchain_core.documents import Document  # noqa: E402
from langchain_core.retrievers import BaseRetriever  # noqa: E402

REPORTS = {
    "mgh.txt": """马过河镇总工会2023年工作总结
一、工资集体协商
今年我镇对全镇八家石场企业成功开展了工资集体协商，使240名农民工工资上浮了十五个百分点，职工收入明显提高。
二、困难职工帮扶
春节期间走访慰问困难职工36户，发放慰问金4.2万元，为职工送去党和政府的温暖。
""",
    "cg.txt": """城关街道总工会2022年工作总结
一、劳动竞赛
街道组织开展职工技能比武和岗位练兵活动，共有12家企业的300余名职工参加焊工、电工技能比赛。
二、职工书屋
新建职工书屋5家，开展读书分享活动8场，配送图书2000余册。
""",
}


@pytest.fixture
def engine(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = Store(tmp_path / "ghqa.db")
    report = ingest_paths(store, [folder])
    assert report.ok and len(report.stored) == 2
    embedder = BigramEmbedder()
    sync(store, embedder, tmp_path)
    yield SearchEngine(store, embedder, tmp_path)
    store.close()


def test_is_a_langchain_retriever(engine):
    assert isinstance(GhqaRetriever(engine=engine), BaseRetriever)


def test_invoke_returns_cited_documents_best_first(engine):
    docs = GhqaRetriever(engine=engine, top_k=3).invoke("农民工工资上浮")
    assert docs and all(isinstance(d, Document) for d in docs)
    first = docs[0]
    assert "240名农民工工资上浮了十五个百分点" in first.page_content
    assert first.metadata["source"].endswith("mgh.txt")
    assert first.metadata["locator"].startswith("mgh.txt › 第1篇 马过河镇总工会2023年工作总结 › 一、工资集体协商")
    assert "text" not in first.metadata
    assert first.metadata["year"] == "2023"
    assert len(docs) <= 3


def test_top_k_and_filters_are_applied(engine):
    query = "职工技能比武 岗位练兵"
    docs = GhqaRetriever(engine=engine, top_k=1).invoke(query)
    assert len(docs) == 1 and docs[0].metadata["source"].endswith("cg.txt")
    only_mgh = GhqaRetriever(engine=engine, filters=SearchFilters(source="mgh.txt")).invoke(query)
    assert all(d.metadata["source"].endswith("mgh.txt") for d in only_mgh)


def test_nothing_relevant_gives_no_documents(engine):
    assert GhqaRetriever(engine=engine).invoke("   ") == []
