"""Which tokens should the FTS5 index hold: jieba words, character bigrams, or both? Builds one store per choice
and scores BM25-only and hybrid search on the dev questions.

    python bench/lexical_tokens.py --vectors-from STORE.db [--corpus corpus ../shared/corpus-extra]

Embedding is the slow part, so vectors come from an existing store's embedding cache (`--vectors-from`, e.g. a
GHQA_HOME's ghqa.db built from the same corpus); chunks it lacks are embedded.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ghqa.index.lexical  # noqa: E402
import ghqa.index.search  # noqa: E402
import ghqa.qa.answer  # noqa: E402
from ghqa.qa.questions import analyze_question  # noqa: E402

from ghqa.services import open_services  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared" / "eval"))
from run_eval import score_search, summarize  # noqa: E402

BOTH = ghqa.index.lexical.segment
_CJK_RUN = ghqa.index.lexical._TOKEN


def words_only(norm: str) -> list[str]:
    jieba = ghqa.index.lexical._jieba()
    out: list[str] = []
    for run in _CJK_RUN.findall(norm.lower()):
        if ghqa.index.lexical.CJK.match(run):
            out.extend(w for w in jieba.cut_for_search(run) if w not in ghqa.index.lexical.STOPWORDS)
        else:
            out.append(run)
    return out


def bigrams_only(norm: str) -> list[str]:
    out: list[str] = []
    for run in _CJK_RUN.findall(norm.lower()):
        if ghqa.index.lexical.CJK.match(run) and len(run) > 1:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


def use(segmenter) -> None:
    for module in (ghqa.index.lexical, ghqa.index.search, ghqa.qa.answer):
        module.segment = segmenter


def measure(name: str, segmenter, corpus: list[str], gold: list[dict], vectors_from: Path | None) -> list[str]:
    use(segmenter)
    rows = []
    with tempfile.TemporaryDirectory() as home:
        services = open_services(Path(home))
        services.ingest_paths(corpus)
        if vectors_from:
            services.store.db.execute("ATTACH ? AS old", (str(vectors_from),))
            services.store.db.execute("INSERT OR IGNORE INTO embeddings SELECT * FROM old.embeddings")
            services.store.db.execute("DETACH old")
        services.sync_vectors()
        for mode in ("lexical", "hybrid"):
            hits = [
                {
                    "hits": [
                        h.to_json()
                        for h in services.engine.search(
                            ghqa.qa.answer.expanded_query(analyze_question(g["q"])), 10, mode=mode
                        )
                    ]
                }
                for g in gold
            ]
            s = summarize(score_search(gold, hits), ["hit5", "mrr", "recall"])
            rows.append(f"| {name} | {mode} | {s['hit5']} | {s['mrr']} | {s['recall']} |")
        services.close()
    use(BOTH)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", nargs="+", default=["corpus", "../shared/corpus-extra"])
    parser.add_argument("--vectors-from", type=Path)
    parser.add_argument("--gold", default=str(Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"))
    args = parser.parse_args()
    if args.vectors_from:
        sqlite3.connect(args.vectors_from).close()
    gold = [json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line.strip()]
    print("| tokens | search | hit@5 | MRR | recall@10 |\n|---|---|---|---|---|")
    for name, segmenter in (("jieba words", words_only), ("character bigrams", bigrams_only), ("both", BOTH)):
        for row in measure(name, segmenter, args.corpus, gold, args.vectors_from):
            print(row, flush=True)


if __name__ == "__main__":
    main()
