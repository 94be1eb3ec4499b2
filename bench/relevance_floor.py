"""Calibrate the relevance floor: for answerable and unanswerable questions, the best IDF-weighted coverage and
dense score among the top candidates, and whether the floor lets any hit through.

    GHQA_HOME=... python bench/relevance_floor.py [--gold ../shared/eval/dev.jsonl]

Run it on an index of corpus/ (and, to see the effect of distractors, corpus/ plus corpus-extra/).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ghqa.ingest.clean import normalize_for_index  # noqa: E402
from ghqa.qa.answer import expanded_query  # noqa: E402
from ghqa.qa.questions import analyze_question  # noqa: E402

from ghqa.services import open_services  # noqa: E402

# Questions about things no union report in the corpus talks about.
ABSENT = [
    "哪些乡镇举办了马拉松比赛？",
    "区总工会组织了几次航天发射观摩？",
    "量子计算机在工会工作中的应用",
    "足球世界杯冠军是谁",
    "2025年火星移民计划",
    "工会会员在南极科考站开展了哪些活动？",
    "哪些街道举办了电子竞技联赛？",
    "Which towns held marathon races?",
    "Who won the football world cup?",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", default=str(Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"))
    args = parser.parse_args()
    answerable = [json.loads(line)["q"] for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line]
    engine = open_services().engine
    print("| question | answerable | max coverage | max dense | hits after floor |\n|---|---|---|---|---|")
    for question in answerable + ABSENT:
        query = engine.with_place_names(expanded_query(analyze_question(question)))
        top = engine.rank(query, normalize_for_index(query), None)[:10]
        kept = len(engine.search(query, top_k=10))
        coverage = max((c.coverage for c in top), default=0.0)
        dense = max((c.dense or 0.0 for c in top), default=0.0)
        print(f"| {question[:24]} | {question not in ABSENT} | {coverage:.2f} | {dense:.3f} | {kept} |")


if __name__ == "__main__":
    main()
