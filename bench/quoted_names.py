"""List questions about names the reports put in quotation marks and go on after (“三北”工程, “两重”项目), typed
without the marks, as a user types them.

    GHQA_HOME=artifacts/eval/reports .venv/bin/python bench/quoted_names.py

The questions are mined from the provincial reports of corpus-extra, not written by hand: every “X”Y where X is two
to eight Chinese characters and Y the two after the closing mark, a noun or verbal noun in jieba's dictionary, held
by at least --min-reports reports, asked as
哪些省份提到XY？. The gold of each is the provinces whose report holds XY once quotation marks are left out; the others
are its non-entities. Scored with run_eval.py's scorer (entity recall / precision); the precision is a floor, since
a province that writes the name otherwise (X alone) counts against it. Beside it, in the same run, the plain
reference: the reports whose text holds XY as typed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GHQA_SHARED", ROOT.parent / "shared"))
QUOTED = re.compile(r"“([\u4e00-\u9fff]{2,8})”([\u4e00-\u9fff]{2})")
MARKS = re.compile(r"[“”‘’「」『』《》〈〉\"'\s]")


def is_noun_word(word: str) -> bool:
    """Whether jieba's dictionary holds the word as a noun or a verbal noun (规划, 建设; not 良好, 的决)."""
    from ghqa.ingest.places import jieba_dictionary

    return jieba_dictionary()[1].get(word, "") in ("n", "vn", "nz")


def mined_questions(folder: Path, min_reports: int) -> list[dict]:
    """One list question per quoted name and the word after it that enough provincial reports write."""
    texts = {path.name.split("_")[1]: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))}
    holders: dict[str, set[str]] = defaultdict(set)
    for province, text in texts.items():
        for m in QUOTED.finditer(text):
            holders[m.group(1) + m.group(2)].add(province)
    plain = {province: MARKS.sub("", text) for province, text in texts.items()}
    questions = []
    for phrase in sorted(p for p, found in holders.items() if len(found) >= min_reports and is_noun_word(p[-2:])):
        gold = sorted(province for province, text in plain.items() if phrase in text)
        questions.append(
            {
                "id": f"quoted-{len(questions):02d}",
                "kind": "list",
                "q": f"哪些省份提到{phrase}？",
                "phrase": phrase,
                "anchors": [f"x:{phrase}"],
                "entities": [[province] for province in gold],
                "non_entities": [[province] for province in texts if province not in gold],
            }
        )
    return questions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=Path, default=SHARED / "corpus-extra" / "gov-work-reports-2026")
    parser.add_argument("--min-reports", type=int, default=5, help="reports that must quote a name to ask it")
    args = parser.parse_args()
    sys.path.insert(0, str(SHARED / "eval"))
    from ghqa.qa.lists import list_answer
    from ghqa.qa.questions import analyze_question
    from run_eval import score_ask, summarize

    import ghqa

    engine = ghqa.open().engine
    gold = mined_questions(args.reports, args.min_reports)
    texts = {path.name.split("_")[1]: path.read_text(encoding="utf-8") for path in args.reports.glob("*.txt")}
    methods = {
        "ghqa": [list_answer(engine, analyze_question(g["q"])).to_json() for g in gold],
        # The plain reference: the reports whose text holds the phrase as typed.
        "files holding the phrase as typed": [
            {"citations": [{"text": "x"}], "evidence": [{"place": p} for p, t in texts.items() if g["phrase"] in t]}
            for g in gold
        ],
    }
    print("| question | gold | " + " | ".join(methods) + " |")
    print("|---|---|" + "---|" * len(methods))
    for i, g in enumerate(gold):
        counts = []
        for rows in methods.values():
            named = {e.get("place") for e in rows[i].get("evidence") or []}
            counts.append(str(sum(1 for (province,) in g["entities"] if province in named)))
        print(f"| {g['q']} | {len(g['entities'])} | " + " | ".join(counts) + " |")
    print()
    for name, rows in methods.items():
        s = summarize(score_ask(gold, rows), ["ent_recall", "ent_precision"])
        print(f"{name}: {len(gold)} questions, entity recall {s['ent_recall']:.3f}, precision {s['ent_precision']:.3f}")


if __name__ == "__main__":
    main()
