"""List answers over the same reports written in Traditional Chinese: a corpus converted with OpenCC (s2twp, Taiwan
wording), asked in Simplified and in Traditional, beside the Simplified store.

    .venv/bin/python bench/traditional.py --corpus artifacts/county/corpus --home artifacts/county/home \
        --workdir artifacts/trad artifacts/county/township_lists.jsonl artifacts/county/city_style.jsonl

The converted store is built once in WORKDIR/home (embedding about 900 chunks takes a minute and a half on 2 cores)
and reused after. Scored with run_eval.py's scorer: entity recall / precision.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("GHQA_SHARED", ROOT.parent / "shared")) / "eval"


def to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2twp").convert(text)


def converted_store(corpus: Path, workdir: Path):
    """The store of the corpus converted to Traditional, built on first use."""
    import ghqa

    folder, home = workdir / "corpus", workdir / "home"
    if not (home / "ghqa.db").exists():
        folder.mkdir(parents=True, exist_ok=True)
        for path in sorted(corpus.iterdir()):
            text = path.read_text(encoding="utf-8")
            (folder / to_traditional(path.name)).write_text(to_traditional(text), encoding="utf-8")
        reports = ghqa.open(home, create=True)
        reports.ingest([folder])
        reports.sync_vectors()
        reports.close()
    return ghqa.open(home).engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, help="the Simplified reports")
    parser.add_argument("--home", type=Path, required=True, help="their store")
    parser.add_argument("--workdir", type=Path, required=True, help="where the converted reports and store go")
    parser.add_argument("sets", nargs="+", type=Path, help="list sets over the corpus")
    args = parser.parse_args()
    sys.path.insert(0, str(EVAL))
    from ghqa.qa.lists import list_answer
    from ghqa.qa.questions import analyze_question
    from run_eval import score_ask, summarize

    import ghqa

    simplified = ghqa.open(args.home).engine
    traditional = converted_store(args.corpus, args.workdir)
    runs = [
        ("Simplified reports, Simplified questions", simplified, str),
        ("Traditional reports, Simplified questions", traditional, str),
        ("Traditional reports, Traditional questions", traditional, to_traditional),
    ]
    print("| set | questions | " + " | ".join(label for label, _, _ in runs) + " |")
    print("|---|---|" + "---|" * len(runs))
    for path in args.sets:
        gold = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        gold = [g for g in gold if g.get("kind") == "list"]
        cells = []
        for _, engine, wording in runs:
            rows = [list_answer(engine, analyze_question(wording(g["q"]))).to_json() for g in gold]
            s = summarize(score_ask(gold, rows), ["ent_recall", "ent_precision"])
            precision = "-" if s["ent_precision"] is None else f"{s['ent_precision']:.3f}"
            cells.append(f"{s['ent_recall'] or 0.0:.3f} / {precision}")
        print(f"| {path.parent.name}/{path.stem} | {len(gold)} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
