"""Sweep the ranking's constants (index.search.RankingSettings) over the shared question sets, one at a time
around the defaults, and print hit@5 / MRR / recall@10 per set.

    python bench/sweep.py [--sets drcd,cmrc,dev,province_lists,year_lists,city_lists] [--limit N]

Reads the stores bench/eval_suite.py builds under artifacts/eval (drcd, cmrc, reports) and, from its last run
(artifacts/eval/results.json), the best reference method's MRR per set. The value chosen is the one with the largest
worst margin over that reference (the issue's bar: at least the best reference on every set), then the largest
worst MRR: see README, "Ranking constants".
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(EVAL))

from ghqa.index.search import RankingSettings  # noqa: E402
from run_eval import score_search, summarize  # noqa: E402

from ghqa.services import open_services  # noqa: E402

SETS = {
    "drcd": (EVAL / "external/drcd-dev/gold.jsonl", ROOT / "artifacts/eval/drcd"),
    "cmrc": (EVAL / "external/cmrc-dev/gold.jsonl", ROOT / "artifacts/eval/cmrc"),
    "dev": (EVAL / "dev.jsonl", ROOT / "artifacts/eval/reports"),
    "province_lists": (EVAL / "province_lists_dev.jsonl", ROOT / "artifacts/eval/reports"),
    "year_lists": (EVAL / "year_lists_dev.jsonl", ROOT / "artifacts/eval/reports"),
    "city_lists": (EVAL / "city_lists_dev.jsonl", ROOT / "artifacts/eval/reports"),
}
RESULTS = ROOT / "artifacts" / "eval" / "results.json"
# Each constant and the values tried beside its default.
GRID = {
    "rrf_k": [5, 10, 30, 60],
    "dense_weight": [0.0, 0.3, 0.35, 0.4, 0.5, 0.7, 1.0],
    "candidates": [50, 100, 200],
    "common_token_share": [0.02, 0.04, 0.08, 0.16, 1.0],
    "max_query_tokens": [5, 10, 20, 40],
    "duplicate_overlap": [0.5, 0.7, 0.9],
}


def score(services, gold: list[dict], settings: RankingSettings) -> dict[str, float]:
    services.engine.settings = settings
    rows = [{"hits": [h.to_json() for h in services.search(g["q"], k=10).hits]} for g in gold]
    return summarize(score_search(gold, rows), ["hit5", "mrr", "recall"])


def best_reference_mrr() -> dict[str, float]:
    """The best reference method's MRR per set, from bench/eval_suite.py's last full run (empty when none)."""
    if not RESULTS.exists():
        return {}
    best: dict[str, float] = {}
    for row in json.loads(RESULTS.read_text(encoding="utf-8"))["rows"]:
        if row["method"] != "ghqa" and "search" in row["report"]:
            best[row["set"]] = max(best.get(row["set"], 0.0), row["report"]["search"]["mrr"])
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, help="first N answerable questions of each set")
    args = parser.parse_args()
    opened = {}
    for name in args.sets.split(","):
        gold_path, home = SETS[name]
        gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        gold = [g for g in gold if g["anchors"]][: args.limit]
        opened[name] = (open_services(home), gold)
    default = RankingSettings()
    names = list(opened)
    reference = best_reference_mrr()
    print(
        "| constant | value | "
        + " | ".join(f"{n} hit@5 / MRR / R@10" for n in names)
        + " | worst MRR | worst margin over best reference |"
    )
    print("|---|---|" + "---|" * (len(names) + 2))
    for field in fields(RankingSettings):
        for value in GRID[field.name]:
            settings = replace(default, **{field.name: value})
            scores = {n: score(s, gold, settings) for n, (s, gold) in opened.items()}
            mark = " (default)" if value == getattr(default, field.name) else ""
            cells = " | ".join(
                f"{scores[n]['hit5']:.3f} / {scores[n]['mrr']:.3f} / {scores[n]['recall']:.3f}" for n in names
            )
            margins = [scores[n]["mrr"] - reference[n] for n in names if n in reference]
            margin = f"{min(margins):+.3f}" if margins else "–"
            worst = min(s["mrr"] for s in scores.values())
            print(f"| {field.name} | {value}{mark} | {cells} | {worst:.3f} | {margin} |", flush=True)


if __name__ == "__main__":
    main()
