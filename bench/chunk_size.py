"""Measure retrieval quality against chunk size: ingest a corpus at each size and score a question set.

    python bench/chunk_size.py --sizes 320,800 [--corpus corpus] [--gold ../shared/eval/dev.jsonl] [--limit 200]
    python bench/chunk_size.py --sizes 320,800 --corpus ../shared/eval/external/drcd-dev/corpus \
        --gold ../shared/eval/external/drcd-dev/gold.jsonl --limit 200

Every size embeds the whole corpus again (minutes for DRCD or CMRC); README, "Chunk size", has the results.

Prints one row per size: chunks, mean characters, hit@5, MRR and recall@10 of hybrid search.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ghqa.ingest.chunks as chunks_module  # noqa: E402

from ghqa.services import open_services  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared" / "eval"))
from run_eval import score_search, summarize  # noqa: E402


def measure(size: int, corpus: list[str], gold: list[dict]) -> dict:
    chunks_module.MAX_CHARS = size
    with tempfile.TemporaryDirectory() as home:
        services = open_services(Path(home), create=True)
        services.ingest(corpus)
        services.sync_vectors()
        rows = [{"hits": [h.to_json() for h in services.search(g["q"], k=10).hits]} for g in gold]
        lengths = [len(r["text"]) for r in services.store.iter_chunks()]
        scores = summarize(score_search(gold, rows), ["hit5", "mrr", "recall"])
        services.close()
    return {"max_chars": size, "chunks": len(lengths), "mean_chars": round(sum(lengths) / len(lengths)), **scores}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="320,800")
    parser.add_argument("--limit", type=int, help="the first N answerable questions")
    parser.add_argument("--corpus", nargs="+", default=["corpus"])
    parser.add_argument("--gold", default=str(Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"))
    args = parser.parse_args()
    gold = [json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = [g for g in gold if g["anchors"]][: args.limit]
    print("| max chars | chunks | mean chars | hit@5 | MRR | recall@10 |\n|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        r = measure(size, args.corpus, gold)
        print(
            f"| {r['max_chars']} | {r['chunks']} | {r['mean_chars']} | {r['hit5']} | {r['mrr']} | {r['recall']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
