"""List questions: places named by ghqa's list answer against a top-4 retrieve-and-answer baseline.

    GHQA_HOME=... python bench/list_baseline.py [--gold ../shared/eval/dev.jsonl] [--k 4]

The baseline hands the k best passages to a summariser; it can name at most the places those passages
contain, so its figure is the share of gold places found in the text of the top-k passages.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ghqa.ingest.clean import normalize_for_index  # noqa: E402
from ghqa.qa.answer import answer_question  # noqa: E402

from ghqa.services import open_services  # noqa: E402


def named(groups: list[list[str]], text: str) -> int:
    norm = normalize_for_index(text)
    return sum(any(normalize_for_index(name) in norm for name in group) for group in groups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", default=str(Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"))
    parser.add_argument("--k", type=int, default=4)
    args = parser.parse_args()
    gold = [json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = open_services().engine
    print(f"| question | places | top-{args.k} passages name | ghqa list answer names |\n|---|---|---|---|")
    for g in (g for g in gold if g.get("entities")):
        groups = g["entities"]
        top = engine.search(g["q"], top_k=args.k)
        baseline = named(groups, "\n".join(p.text for p in top))
        ours = named(groups, answer_question(engine, g["q"], use_llm=False).text)
        print(
            f"| {g['q']} | {len(groups)} | {baseline} ({baseline / len(groups):.0%}) | {ours} ({ours / len(groups):.0%}) |"
        )


if __name__ == "__main__":
    main()
