"""ghqa.langchain: LangChain's own standard suites for the retriever and the embeddings, then ghqa's promises
(ids, metadata, k, filters, the shared prompt, the ask chain), over a tiny store built with the fake embedder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fakes import BigramEmbedder, fake_home
from ghqa.core.errors import SettingError
from ghqa.index.passages import SearchFilters
from ghqa.qa import llm
from langchain_core.documents import Document
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.runnables import RunnablePassthrough
from langchain_tests.integration_tests import EmbeddingsIntegrationTests, RetrieversIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from ghqa.langchain import GhqaEmbeddings, GhqaRetriever, ask_runnable, build_prompt

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
新建职工书屋5家，开展读书分享活动8场，配送图书2000余册，丰富了职工的文化生活。
""",
    "xl.txt": """逍林镇总工会2010年工作总结
一、职工维权
全镇新建企业工会8家，新发展会员560人，职工入会率达到92%。
二、工资集体协商
开展区域性行业工资集体协商，覆盖企业45家、职工3200人，职工工资平均增长8%。
""",
}
METADATA_KEYS = {
    "source",
    "locator",
    "article",
    "article_title",
    "section",
    "paragraphs",
    "char_start",
    "char_end",
    "unit",
    "unit_parent",
    "places",
    "year",
    "also_in",
    "rank",
    "relevance",
    "quote",
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding the three reports, embedded with the fake embedder."""
    return fake_home(tmp_path_factory.mktemp("langchain"), REPORTS)


@pytest.fixture
def retriever(home: Path) -> GhqaRetriever:
    return GhqaRetriever(home=home, embedder=BigramEmbedder())


class TestRetrieverStandard(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _home(self, home: Path) -> None:
        self.home = home

    @property
    def retriever_constructor(self) -> type[GhqaRetriever]:
        return GhqaRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"home": self.home, "embedder": BigramEmbedder()}

    @property
    def retriever_query_example(self) -> str:
        return "职工工资集体协商"


class FakeEmbeddedGhqa:
    """What both of LangChain's embeddings suites build: GhqaEmbeddings over the fake embedder."""

    @property
    def embeddings_class(self) -> type[GhqaEmbeddings]:
        return GhqaEmbeddings

    @property
    def embedding_model_params(self) -> dict:
        return {"embedder": BigramEmbedder()}


class TestEmbeddingsStandard(FakeEmbeddedGhqa, EmbeddingsIntegrationTests):
    pass


class TestEmbeddingsUnitStandard(FakeEmbeddedGhqa, EmbeddingsUnitTests):
    pass


def test_documents_carry_cited_text_a_stable_id_and_documented_metadata(retriever: GhqaRetriever) -> None:
    docs = retriever.invoke("农民工工资上浮")
    assert docs and all(isinstance(d, Document) for d in docs) and len(docs) <= 4
    first = docs[0]
    assert "240名农民工工资上浮了十五个百分点" in first.page_content
    assert set(first.metadata) == METADATA_KEYS
    assert first.metadata["source"].endswith("mgh.txt") and first.metadata["year"] == "2023"
    assert first.metadata["locator"].startswith("mgh.txt › 第1篇 马过河镇总工会2023年工作总结 › 一、工资集体协商")
    assert [d.metadata["rank"] for d in docs] == list(range(1, len(docs) + 1))
    relevance = first.metadata["relevance"]
    assert 0 < relevance["coverage"] <= 1 and -1 <= relevance["dense"] <= 1
    again = GhqaRetriever(home=retriever.home, embedder=BigramEmbedder(), k=1).invoke("农民工工资上浮")
    assert first.id and first.id == again[0].id == str(retriever.reports.search("农民工工资上浮", k=1).hits[0].chunk_id)


def test_k_in_the_constructor_and_in_invoke(retriever: GhqaRetriever, home: Path) -> None:
    query = "职工技能比武 岗位练兵"
    assert len(GhqaRetriever(home=home, embedder=BigramEmbedder(), k=1).invoke(query)) == 1
    assert len(retriever.invoke(query, k=2)) == 2
    assert retriever.invoke(query, k=1)[0].metadata["source"].endswith("cg.txt")


def test_filters_from_a_dataclass_or_plain_dict(home: Path) -> None:
    query = "职工技能比武 岗位练兵"
    by_class = GhqaRetriever(home=home, embedder=BigramEmbedder(), filters=SearchFilters(sources=["mgh.txt"]))
    by_dict = GhqaRetriever(home=home, embedder=BigramEmbedder(), filters={"years": ["2023"]})
    for retriever in (by_class, by_dict):
        docs = retriever.invoke(query)
        assert docs and all(d.metadata["source"].endswith("mgh.txt") for d in docs)


def test_blank_query_gives_no_documents(retriever: GhqaRetriever) -> None:
    assert retriever.invoke("   ") == []


def test_embeddings_are_the_embedders_vectors() -> None:
    fake = BigramEmbedder()
    embeddings = GhqaEmbeddings(fake)
    assert np.allclose(embeddings.embed_query("工会"), fake.embed_query("工会"))
    assert np.allclose(embeddings.embed_documents(["工会", "职工"]), fake.embed_passages(["工会", "职工"]))


def test_prompt_over_documents_is_the_prompt_over_passages(retriever: GhqaRetriever) -> None:
    question = "马过河镇农民工工资上浮了多少？"
    passages = retriever.reports.search(question, k=3).hits
    docs = retriever.invoke(question, k=3)
    assert [m.content for m in build_prompt(question, docs)] == [
        m.content for m in llm.build_prompt(question, passages)
    ]
    other = Document(page_content="外来段落。", metadata={"source": "web/page.html", "title": "别处"})
    assert "[1] 标题：别处；出处：web/page.html\n外来段落。" in build_prompt(question, [other])[1].content


def test_ask_chain_answers_from_retrieved_documents(retriever: GhqaRetriever) -> None:
    model = FakeListChatModel(responses=["农民工工资上浮了十五个百分点[1]。这句没有出处。"])
    chain = {"question": RunnablePassthrough(), "documents": retriever} | ask_runnable(model)
    result = chain.invoke("马过河镇农民工工资上浮了多少？")
    assert result["answer"].startswith("农民工工资上浮了十五个百分点[1]")
    assert result["documents"] and "240名农民工" in result["documents"][0].page_content
    assert result["uncited_sentences"] == ["这句没有出处。"] and result["invalid_citations"] == []


def test_ask_chain_uses_the_configured_endpoint_and_refuses_a_cut_answer(
    retriever: GhqaRetriever, server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GHQA_LLM_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
    docs = retriever.invoke("农民工工资上浮", k=2)
    server.reply = {"mode": "json", "content": "上浮了十五个百分点[1]。"}
    assert ask_runnable().invoke({"question": "上浮了多少？", "documents": docs})["answer"] == "上浮了十五个百分点[1]。"
    assert docs[0].page_content in "\n".join(m["content"] for m in server.requests[-1]["body"]["messages"])
    server.reply = {"mode": "json", "content": "上浮了", "finish": "length"}
    with pytest.raises(llm.LLMError, match="finish_reason=length"):
        ask_runnable().invoke({"question": "上浮了多少？", "documents": docs})


def test_ask_chain_without_an_llm_says_how_to_configure_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GHQA_LLM_BASE_URL", raising=False)
    with pytest.raises(SettingError, match="GHQA_LLM_BASE_URL"):
        ask_runnable().invoke({"question": "q", "documents": []})
