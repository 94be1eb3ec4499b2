"""Fit when `ghqa ask` abstains: a logistic model over each query's retrieval signals, on answerable and
unanswerable questions of several corpora, checked corpus by corpus (fit on the others, test on the one left out).

    python bench/abstention.py                      # reads the stores bench/eval_suite.py builds under artifacts/eval
    python bench/abstention.py --write              # also writes qa/abstention.toml

A question is answerable when its gold entry has anchors. Signals are cached in artifacts/eval/abstention-signals.jsonl
(delete it after changing retrieval).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
CACHE = ROOT / "artifacts" / "eval" / "abstention-signals.jsonl"
# Each question set and the store its corpus is indexed in (bench/eval_suite.py builds them).
SETS = {
    "drcd": (EVAL / "external/drcd-dev/gold.jsonl", ROOT / "artifacts/eval/drcd"),
    "cmrc": (EVAL / "external/cmrc-dev/gold.jsonl", ROOT / "artifacts/eval/cmrc"),
    "dev": (EVAL / "dev.jsonl", ROOT / "artifacts/eval/reports"),
}
FALSE_ABSTAIN_GOAL = 0.05


def collect_signals(names: list[str]) -> list[dict]:
    """The QuerySignals of every question of the sets, from the cache when it has them."""
    from ghqa.qa.abstention import FEATURES

    from ghqa.services import open_services

    cached = {}
    if CACHE.exists():
        cached = {(r["set"], r["id"]): r for r in map(json.loads, CACHE.read_text(encoding="utf-8").splitlines())}
    rows = []
    for name in names:
        gold_path, home = SETS[name]
        if not (home / "ghqa.db").exists():
            print(f"skipping {name}: no store at {home} (run bench/eval_suite.py first)", file=sys.stderr)
            continue
        gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        services = None
        for g in gold:
            row = cached.get((name, g["id"]))
            if row is None or any(f not in row for f in FEATURES):  # a row cached before a signal was added
                services = services or open_services(home)
                # The signals `ask` itself weighs (its query, its k); answers that never consult the model have none.
                signals = services.ask(g["q"], use_llm=False).signals
                if signals is None:
                    continue
                row = {"set": name, "id": g["id"], "answerable": bool(g["anchors"])}
                row.update({f: getattr(signals, f) for f in FEATURES})
                cached[(name, g["id"])] = row
            rows.append(row)
        if services is not None:
            services.close()
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text("".join(json.dumps(r) + "\n" for r in cached.values()), encoding="utf-8")
    return rows


def fit(rows: list[dict]):
    """A class-balanced logistic regression, and the highest threshold whose false-abstain rate meets the goal on
    every set of the fit (pooled, a large set could hide a small one far over the goal)."""
    from ghqa.qa.abstention import FEATURES
    from sklearn.linear_model import LogisticRegression

    x = np.array([[r[f] for f in FEATURES] for r in rows])
    y = np.array([r["answerable"] for r in rows])
    model = LogisticRegression(class_weight="balanced", C=10.0, max_iter=1000).fit(x, y)
    p = model.predict_proba(x)[:, 1]
    sets = np.array([r["set"] for r in rows])
    thresholds = []
    for name in sorted(set(sets)):
        answerable = np.sort(p[y & (sets == name)])
        if len(answerable):
            # Abstain below the threshold: at most the goal's share of this set's answerable questions under it.
            thresholds.append(float(answerable[int(np.floor(FALSE_ABSTAIN_GOAL * len(answerable)))]))
    return model, min(thresholds, default=0.5)


def rates(model, threshold: float, rows: list[dict]) -> dict[str, float | None]:
    from ghqa.qa.abstention import FEATURES

    x = np.array([[r[f] for f in FEATURES] for r in rows])
    y = np.array([r["answerable"] for r in rows])
    answers = model.predict_proba(x)[:, 1] >= threshold
    return {
        "abstain": float(np.mean(~answers[~y])) if (~y).any() else None,
        "false_abstain": float(np.mean(~answers[y])) if y.any() else None,
        "n": len(rows),
    }


def print_separation(rows: list[dict], names: list[str]) -> None:
    """How well each signal alone tells answerable from unanswerable questions: ROC AUC per set."""
    from ghqa.qa.abstention import FEATURES
    from sklearn.metrics import roc_auc_score

    print("| set | " + " | ".join(f"AUC {f}" for f in FEATURES) + " |\n|---|" + "---|" * len(FEATURES))
    for name in names:
        part = [r for r in rows if r["set"] == name]
        y = [r["answerable"] for r in part]
        if len(set(y)) == 2:
            print(f"| {name} | " + " | ".join(f"{roc_auc_score(y, [r[f] for r in part]):.3f}" for f in FEATURES) + " |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ", ".join(SETS))
    parser.add_argument("--write", action="store_true", help="write the fit on all sets to qa/abstention.toml")
    args = parser.parse_args()
    from ghqa.qa.abstention import FEATURES, MODEL_PATH

    rows = collect_signals(args.sets.split(","))
    names = sorted({r["set"] for r in rows})
    print_separation(rows, names)
    print("| held-out set | questions | abstain (unanswerable) | false abstain (answerable) |\n|---|---|---|---|")
    for name in names:
        train = [r for r in rows if r["set"] != name]
        test = [r for r in rows if r["set"] == name]
        if not train or len({r["answerable"] for r in train}) < 2:
            continue
        model, threshold = fit(train)
        r = rates(model, threshold, test)
        fmt = lambda v: "–" if v is None else f"{v:.2f}"  # noqa: E731
        print(
            f"| {name} (fit on {', '.join(n for n in names if n != name)}) | {r['n']} | {fmt(r['abstain'])} | {fmt(r['false_abstain'])} |"
        )
    model, threshold = fit(rows)
    for name in names:
        r = rates(model, threshold, [x for x in rows if x["set"] == name])
        print(f"all sets, {name}: abstain {r['abstain']}, false abstain {r['false_abstain']} (n={r['n']})")
    weights = dict(zip(FEATURES, model.coef_[0], strict=True))
    print(f"intercept {model.intercept_[0]:.4f}, weights {weights}, threshold {threshold:.4f}")
    if args.write:
        counts = {n: sum(1 for r in rows if r["set"] == n) for n in names}
        MODEL_PATH.write_text(
            f"# Fitted by bench/abstention.py on {date.today()} over {len(rows)} questions: {counts}.\n"
            f"# Answer when the probability is at least `threshold` (false abstain <= {FALSE_ABSTAIN_GOAL} on each set).\n"
            f"intercept = {model.intercept_[0]:.6f}\nthreshold = {threshold:.6f}\n\n[weights]\n"
            + "".join(f"{k} = {v:.6f}\n" for k, v in weights.items()),
            encoding="utf-8",
        )
        print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main()
