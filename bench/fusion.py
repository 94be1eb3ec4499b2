"""How to fuse the BM25 and dense rankings: reciprocal-rank fusion at a few k, or min-max normalised score sums.

    GHQA_HOME=... python bench/fusion.py [--gold ../shared/eval/dev.jsonl]

Runs on an existing index (build one with `ghqa ingest corpus ../shared/corpus-extra`); prints hit@5, MRR and
recall@10 of hybrid search for each fusion.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ghqa.index.search  # noqa: E402
from ghqa.index.search import Candidate, reciprocal_rank_fusion  # noqa: E402
from ghqa.qa.answer import expanded_query  # noqa: E402
from ghqa.qa.questions import analyze_question  # noqa: E402

from ghqa.services import open_services  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared" / "eval"))
from run_eval import score_search, summarize  # noqa: E402


def score_fusion(lexical: list[tuple[int, float]], dense: list[tuple[int, float]], dense_weight: float) -> list:
    """Scores scaled to 0..1 within each list, then summed with a weight on the dense side."""
    found: dict[int, Candidate] = {}
    for weight, ranking, is_dense in ((1.0 - dense_weight, lexical, False), (dense_weight, dense, True)):
        if not ranking:
            continue
        low, high = min(s for _, s in ranking), max(s for _, s in ranking)
        for rank, (cid, score) in enumerate(ranking, start=1):
            c = found.setdefault(cid, Candidate(cid, 0.0))
            c.score += weight * ((score - low) / (high - low) if high > low else 1.0)
            if is_dense:
                c.dense, c.dense_rank = score, rank
            else:
                c.lexical_rank = rank
    return list(found.values())


FUSIONS = {
    "RRF k=10": partial(reciprocal_rank_fusion, k=10),
    "RRF k=60 (default)": partial(reciprocal_rank_fusion, k=60),
    "RRF k=100": partial(reciprocal_rank_fusion, k=100),
    "scores, dense 0.3": partial(score_fusion, dense_weight=0.3),
    "scores, dense 0.5": partial(score_fusion, dense_weight=0.5),
    "scores, dense 0.7": partial(score_fusion, dense_weight=0.7),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", default=str(Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"))
    args = parser.parse_args()
    gold = [json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = open_services().engine
    queries = [expanded_query(analyze_question(g["q"])) for g in gold]
    print("| fusion | hit@5 | MRR | recall@10 |\n|---|---|---|---|")
    for name, fuse in FUSIONS.items():
        ghqa.index.search.reciprocal_rank_fusion = fuse
        rows = [{"hits": [h.to_json() for h in engine.search(q, top_k=10)]} for q in queries]
        s = summarize(score_search(gold, rows), ["hit5", "mrr", "recall"])
        print(f"| {name} | {s['hit5']} | {s['mrr']} | {s['recall']} |", flush=True)
    ghqa.index.search.reciprocal_rank_fusion = reciprocal_rank_fusion


if __name__ == "__main__":
    main()
