"""A LangChain retriever over ghqa's hybrid search, for chains and agents built with langchain_core.

Imported only by users who want LangChain: nothing else in ghqa imports this module, so langchain_core loads
only when it is used.
"""

from __future__ import annotations

from ghqa.index.passages import Passage
from ghqa.index.search import SearchEngine, SearchFilters
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict


def passage_document(passage: Passage) -> Document:
    """A passage as a LangChain Document: its text as page_content, everything else (locator, source …) as metadata."""
    metadata = passage.to_json()
    text = metadata.pop("text")
    metadata["chunk_id"] = passage.chunk_id
    metadata["article_id"] = passage.article_id
    return Document(page_content=text, metadata=metadata)


class GhqaRetriever(BaseRetriever):
    """Hybrid (BM25 + dense) search over a ghqa store, with its relevance floor and duplicate collapsing.

    >>> retriever = GhqaRetriever(engine=services.engine, top_k=5)
    >>> retriever.invoke("马过河镇农民工工资上浮了多少")
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    engine: SearchEngine
    top_k: int = 5
    filters: SearchFilters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        passages = self.engine.search(query, top_k=self.top_k, filters=self.filters)
        return [passage_document(p) for p in passages]
