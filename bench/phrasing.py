"""List questions asked in other words: does an answer hold when the scaffolding around the topic changes?

    .venv/bin/python bench/phrasing.py ../shared/eval/city_lists_dev.jsonl=artifacts/eval/reports \
        artifacts/county/township_lists.jsonl=artifacts/county/home

Each argument is a list set and the GHQA_HOME that holds its corpus. Every question of the form 哪些<grouping><topic>？
is asked again as …的<grouping>有哪些？, 列出…的<grouping>。, 有哪些/哪几个<grouping>…？, with the reports' scope before it
(全县哪些乡镇…) and in Traditional Chinese; each form is scored by ../shared/eval/run_eval.py (entity recall and
precision). A form that scores far below the original is a phrasing the question analysis misreads.

The last form narrows the question to one division above the grouping (清苑区哪些乡镇…, 湖北省哪些城市…): the one
holding most of its gold places, which stay the entities; the gold places under other divisions join the
non-entities, so precision counts every row from outside the scope.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("GHQA_SHARED", ROOT.parent / "shared")) / "eval"
ASKED = re.compile(r"^哪些(?P<group>乡镇|乡|镇|街道|区县|县|城市|市|省份|省)(?P<rest>.+?)[？?]$")
# The whole of the unit one level up, as a report of it would say.
SCOPE = {"乡镇": "全县", "乡": "全县", "镇": "全县", "街道": "全区", "区县": "全市", "县": "全市", "城市": "全省",
         "市": "全省", "省份": "全国", "省": "全国"}  # fmt: skip
FORMS = {
    "original": "哪些{group}{rest}？",
    "…的X有哪些": "{rest}的{group}有哪些？",
    "列出…的X": "列出{rest}的{group}。",
    "有哪些X…": "有哪些{group}{rest}？",
    "哪几个X…": "哪几个{group}{rest}？",
    "scope+哪些X…": "{scope}哪些{group}{rest}？",
}


def rephrased(question: str, form: str) -> str | None:
    m = ASKED.match(question)
    if not m:
        return None
    if form == "traditional":
        import opencc

        return opencc.OpenCC("s2t").convert(question)
    return FORMS[form].format(group=m["group"], rest=m["rest"], scope=SCOPE[m["group"]])


def scoped(row: dict) -> dict | None:
    """The question narrowed to the division above the grouping that holds most of its gold places."""
    from collections import Counter

    from ghqa.ingest.places import divisions_named, gazetteer

    m = ASKED.match(row["q"])
    # The reports the anchors quote (2022_清苑区.txt:…) tell which of several same-named towns is meant.
    sources = " ".join(a.split(":", 1)[0] for a in row.get("anchors", []))
    parents: dict[int, str] = {}
    for i, names in enumerate(row["entities"]):
        for division in (d for name in names for d in divisions_named(name)):
            # The division just above the place (a town's county, a city's province), not one further up.
            parent = next((a.name for a in gazetteer().ancestors(division) if a.rank == division.rank - 1), None)
            if parent and (len(divisions_named(names[0])) == 1 or parent[:-1] in sources):
                parents[i] = parent
                break
    if not m or not parents:
        return None
    scope = Counter(parents.values()).most_common(1)[0][0]
    inside = [e for i, e in enumerate(row["entities"]) if parents.get(i) == scope]
    outside = [e for i, e in enumerate(row["entities"]) if i in parents and parents[i] != scope]
    q = f"{scope}哪些{m['group']}{m['rest']}？"
    return {**row, "q": q, "entities": inside, "non_entities": [*row.get("non_entities", []), *outside]}


def score(rows: list[dict], home: str) -> tuple[float | None, float | None]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    ask = f"GHQA_HOME={home} {sys.executable} -m ghqa ask --json --queries-file {{file}}"
    try:
        command = [sys.executable, str(EVAL / "run_eval.py"), f.name, "--ask-cmd", ask]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    result = json.loads(out.strip().splitlines()[-1])["ask"]
    return result.get("ent_recall"), result.get("ent_precision")


FORM_NAMES = [*FORMS, "traditional", "scoped"]


def main(pairs: list[str], forms: list[str]) -> None:
    print("| set | questions | " + " | ".join(forms) + " |")
    print("|---|---|" + "---|" * len(forms))
    for pair in pairs:
        path, home = pair.split("=", 1)
        rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
        rows = [r for r in rows if ASKED.match(r["q"])]
        cells = []
        for form in forms:
            if form == "scoped":
                asked = [s for r in rows if (s := scoped(r))]
            else:
                asked = [{**r, "q": rephrased(r["q"], form)} for r in rows]
            recall, precision = score(asked, home) if asked else (None, None)
            cells.append(" / ".join("–" if x is None else f"{x:.3f}" for x in (recall, precision)))
        print(f"| {Path(path).parent.name}/{Path(path).name} | {len(rows)} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="+", metavar="FILE=HOME")
    parser.add_argument("--forms", type=lambda s: s.split(","), default=FORM_NAMES, help="comma-separated")
    args = parser.parse_args()
    main(args.sets, args.forms)
