"""List answers when one store holds many corpora: each set's questions answered from its own store and from a store
that holds it beside others, scored alike.

    .venv/bin/python bench/shared_store.py --store artifacts/mixed/home \
        --set artifacts/county/township_lists.jsonl=artifacts/county/home=artifacts/county/corpus ...

A set's gold was written against its own reports: a town that another corpus's report credits with the topic is
right, but the gold may call it wrong. So besides precision over every row, the table gives precision over the rows
cited from the set's own reports (CORPUS, the folder of its files); recall counts a town wherever it is cited.
Key phrases and the share that makes a word generic are measured on the whole store, so this shows how answers
change when a user's store grows.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("GHQA_SHARED", ROOT.parent / "shared")) / "eval"


def own_rows(answer: dict, corpus: Path) -> dict:
    """The answer with only the evidence rows cited from files under the corpus folder."""
    citations = answer.get("citations", [])
    rows = [
        r
        for r in answer.get("evidence", [])
        if Path(citations[r["citation"] - 1]["source"]).resolve().is_relative_to(corpus)
    ]
    return {**answer, "evidence": rows}


def load_list_questions(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [g for g in rows if g.get("kind") == "list"]


def figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True, help="the data folder holding every corpus")
    parser.add_argument("--set", action="append", default=[], metavar="FILE=HOME=CORPUS", required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(EVAL))
    from ghqa.qa.lists import list_answer
    from ghqa.qa.questions import analyze_question
    from run_eval import score_ask, summarize

    import ghqa

    shared = ghqa.open(args.store).engine
    print(f"one store: {args.store} ({shared.passage_count()} passages)\n")
    print("| set | questions | own store R / P | shared store R / P | shared store, own reports P |")
    print("|---|---|---|---|---|")
    for spec in args.set:
        path, home, corpus = spec.split("=", 2)
        gold = load_list_questions(Path(path))
        cells = []
        answers = {}
        for label, engine in (("own", ghqa.open(Path(home)).engine), ("shared", shared)):
            answers[label] = [list_answer(engine, analyze_question(g["q"])).to_json() for g in gold]
        for rows in (
            answers["own"],
            answers["shared"],
            [own_rows(a, Path(corpus).resolve()) for a in answers["shared"]],
        ):
            s = summarize(score_ask(gold, rows), ["ent_recall", "ent_precision"])
            cells.append((s["ent_recall"], s["ent_precision"]))
        name = f"{Path(path).parent.name}/{Path(path).stem}"
        (own_r, own_p), (shared_r, shared_p), (_, own_reports_p) = cells
        print(
            f"| {name} | {len(gold)} | {figure(own_r)} / {figure(own_p)} | {figure(shared_r)} / {figure(shared_p)} "
            f"| {figure(own_reports_p)} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
