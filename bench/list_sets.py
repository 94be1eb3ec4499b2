"""List questions of the blind sets kept in bench/sets/: ghqa beside the plain baseline, with strict precision.

    GHQA_HOME=artifacts/eval/reports .venv/bin/python bench/list_sets.py [--county-home artifacts/county/home]
        [--per-question FILE] [SET...]

Each set (default: the shared province, city and year list sets of ../shared/eval/, then every bench/sets/*.jsonl;
county_towns_* need --county-home, the store of the 76 county reports, else they are skipped) is answered
in-process at the shipped settings, from GHQA_HOME's store. Per set:

- entity recall and entity precision, by ../shared/eval/run_eval.py's own scorer. Its precision counts only the two
  `non_entities` a set names, so a row for any other place costs nothing;
- strict precision: the share of the groups an answer lists at the level asked (places, units, years) that are
  gold entities. The helpers who wrote the sets were asked for every answer the reports hold, so a group outside
  the gold is mostly a row a researcher would strike; but one they missed, or a borderline mention they left out of
  both lists (bench/sets/README.md), counts against the answer too, so the figure is a floor. A row under its
  report's issuing unit because its sentence names no place of the level asked (a county for 哪些乡镇) is left out
  of it: the answer says whose report it is, not that the unit is an answer;
- first five: the same share among the first five groups listed, for questions asked by a level of divisions
  (years are listed in their order): what a researcher reads first; and, for reference, the same of the rows in the
  order list answers had before stop 33 (done before planned, then most sentences), from each row's fields.

The plain baseline is the README's ("find the topic's words, list the files", `list_sweep.py baseline`); it lists
files, not the places inside them, so its every row counts and its city and township rows are gold only where a
municipality's own report is one (北京).
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TextIO

from list_sweep import EVAL, CachedRetriever, baseline_answer, load

ROOT = Path(__file__).resolve().parents[1]


def _gold_flags(g: dict, answer: dict) -> list[bool]:
    """For each group the answer lists at the level asked, in its order, whether it is a gold entity (run_eval's
    matching)."""
    from ghqa.ingest.places import levels
    from ghqa.qa.questions import analyze_question
    from normalize import normalize

    tier = analyze_question(g["q"]).asked_tier
    labels = dict.fromkeys(
        normalize(f"{e.get('unit') or e.get('place') or ''} {e.get('year') or ''}")
        for e in answer.get("evidence") or []
        if not (tier and e.get("level") and tier.key not in getattr(levels().kind(e["level"]), "tiers", ()))
    )
    entities = [normalize(a) for alternatives in g.get("entities") or [] for a in alternatives]
    return [any(a in label for a in entities) for label in labels] if entities else []


def _strict_share(g: dict, answer: dict) -> float | None:
    """The share of the groups one answer lists at the level asked that are gold entities."""
    flags = _gold_flags(g, answer)
    return sum(flags) / len(flags) if flags else None


def strict_precision(gold: list[dict], answers: list[dict]) -> float | None:
    """Mean over questions of the share of listed groups at the level asked that are gold entities."""
    shares = [s for g, a in zip(gold, answers, strict=True) if (s := _strict_share(g, a)) is not None]
    return sum(shares) / len(shares) if shares else None


def _write_per_question(out: TextIO, name: str, gold: list[dict], answers: list[dict], scored: list[dict]) -> None:
    for g, a, figures in zip(gold, answers, scored, strict=True):
        row = {"set": name, "id": g["id"], "ent_recall": figures.get("ent_recall")}
        row |= {"ent_precision": figures.get("ent_precision"), "strict": _strict_share(g, a)}
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    out.flush()


def first_five_precision(gold: list[dict], answers: list[dict]) -> float | None:
    """Mean over questions asked by a level of divisions (years are listed in their order) of the share of the
    first five groups listed that are gold entities: what a researcher reads first."""
    from ghqa.qa.questions import analyze_question

    shares = [
        sum(flags[:5]) / len(flags[:5])
        for g, a in zip(gold, answers, strict=True)
        if analyze_question(g["q"]).asked_tier and (flags := _gold_flags(g, a))
    ]
    return sum(shares) / len(shares) if shares else None


def in_former_order(answer: dict) -> dict:
    """The answer with its rows in the order list answers had before stop 33: done first, then most mentions."""
    rows = sorted(
        answer.get("evidence") or [],
        key=lambda e: (e.get("status") != "done", -int(e.get("mentions") or 1), e.get("place") or ""),
    )
    return {**answer, "evidence": rows}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, help="question sets (default: the shared list sets, bench/sets/)")
    parser.add_argument("--county-home", type=Path, help="the store of the county reports (county_towns_*)")
    parser.add_argument("--per-question", type=Path, help="also write each question's figures here (JSON Lines)")
    args = parser.parse_args(argv)
    with args.per_question.open("w", encoding="utf-8") if args.per_question else nullcontext() as per_question:
        _answer_sets(args, per_question)


def _answer_sets(args: argparse.Namespace, per_question: TextIO | None) -> None:
    sys.path.insert(0, str(EVAL))
    from ghqa.qa.lists import list_answer
    from ghqa.qa.questions import analyze_question
    from run_eval import score_ask, summarize

    from ghqa.services import open_services

    shared = CachedRetriever(open_services().engine)
    county = CachedRetriever(open_services(args.county_home).engine) if args.county_home else None
    print(
        "| set | q | ghqa R / P / strict P / first five | first five, former order | baseline R / P / strict P / first five |"
    )
    print("|---|---|---|---|---|")
    shared_sets = [EVAL / f"{name}_lists_dev.jsonl" for name in ("province", "city", "year")]
    default = [p for p in shared_sets if p.exists()] + sorted((ROOT / "bench" / "sets").glob("*.jsonl"))
    for path in args.sets or default:
        retriever = county if path.name.startswith("county_towns") else shared
        if retriever is None:
            print(f"| {path.stem} | skipped: no --county-home | | | |")
            continue
        gold = load(path)
        ghqa = [list_answer(retriever, analyze_question(g["q"])).to_json() for g in gold]
        plain = [baseline_answer(retriever, g["q"]) for g in gold]
        cells = []
        for answers in (ghqa, plain):
            scored = score_ask(gold, answers)
            summary = summarize(scored, ["ent_recall", "ent_precision"])
            figures = (
                summary["ent_recall"],
                summary["ent_precision"],
                strict_precision(gold, answers),
                first_five_precision(gold, answers),
            )
            cells.append(" / ".join("-" if f is None else f"{f:.3f}" for f in figures))
            if per_question and answers is ghqa:
                _write_per_question(per_question, path.stem, gold, answers, scored)
        former = first_five_precision(gold, [in_former_order(a) for a in ghqa])
        former_cell = "-" if former is None else f"{former:.3f}"
        print(f"| {path.stem} | {len(gold)} | {cells[0]} | {former_cell} | {cells[1]} |", flush=True)


if __name__ == "__main__":
    main()
