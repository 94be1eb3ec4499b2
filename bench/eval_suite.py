"""The evaluation suite: every shared question set, scored for ghqa and for reference methods in the same run.

    .venv/bin/python bench/eval_suite.py                                   # everything (first run: about an hour)
    .venv/bin/python bench/eval_suite.py --sets dev,drcd --methods ghqa,bm25 --limit 20

Builds one ghqa store per corpus under artifacts/eval/<corpus>/ (`ghqa ingest`, which skips unchanged files, so
later runs cost seconds), prepares the reference methods' caches beside each store (bench/reference.py), then
runs `ghqa search`/`ghqa ask` and each reference method through ../shared/eval/run_eval.py on every set. Prints
one Markdown table (set x method) and writes it, with each step's wall time, to artifacts/eval/results.json.
Heavy steps run under `nice`; progress and timings go to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from shlex import quote

ROOT = Path(__file__).resolve().parents[1]
# Unresolved, as the stores' file keys were written: a differently spelt path would be a second file row.
SHARED = Path(os.environ.get("GHQA_SHARED", ROOT / ".." / "shared"))
EVAL = SHARED / "eval"
ARTIFACTS = ROOT / "artifacts" / "eval"
RUN_EVAL = EVAL / "run_eval.py"
REFERENCE = ROOT / "bench" / "reference.py"
NICE = ["nice", "-n", "10"]
TOP_K = 10
OLD_SCHEMA = "was written by another version of ghqa"  # ghqa's message for a store of an older schema

CORPORA: dict[str, list[Path]] = {
    "reports": [ROOT / "corpus", SHARED / "corpus-extra"],
    "drcd": [EVAL / "external" / "drcd-dev" / "corpus"],
    "cmrc": [EVAL / "external" / "cmrc-dev" / "corpus"],
}


@dataclass(frozen=True)
class QuestionSet:
    name: str
    gold: Path
    corpus: str


SETS = [
    QuestionSet("dev", EVAL / "dev.jsonl", "reports"),
    QuestionSet("province_lists", EVAL / "province_lists_dev.jsonl", "reports"),
    QuestionSet("year_lists", EVAL / "year_lists_dev.jsonl", "reports"),
    QuestionSet("city_lists", EVAL / "city_lists_dev.jsonl", "reports"),
    QuestionSet("drcd", EVAL / "external" / "drcd-dev" / "gold.jsonl", "drcd"),
    QuestionSet("cmrc", EVAL / "external" / "cmrc-dev" / "gold.jsonl", "cmrc"),
]


@dataclass(frozen=True)
class Method:
    name: str
    label: str  # as shown in the table
    search_cmd: str  # run_eval.py fills in {file}
    ask_cmd: str
    is_reference: bool


def _reference(method: str) -> tuple[str, str]:
    base = f"{quote(sys.executable)} {quote(str(REFERENCE))}"
    home = '"$GHQA_HOME"'  # run_eval.py runs the command in a shell that has the store's GHQA_HOME
    return (
        f"{base} search --home {home} --method {method} --top-k {TOP_K} --queries-file {{file}}",
        f"{base} ask --home {home} --method {method} --queries-file {{file}}",
    )


GHQA = f"{quote(sys.executable)} -m ghqa"
METHODS = [
    Method(
        "ghqa",
        "ghqa",
        f"{GHQA} search --json --top-k {TOP_K} --queries-file {{file}}",
        f"{GHQA} ask --json --queries-file {{file}}",
        False,
    ),
    Method("bm25", "BM25, paragraphs †", *_reference("bm25"), True),
    Method("dense", "e5 dense, paragraphs †", *_reference("dense"), True),
    Method("rrf", "RRF(BM25, e5), paragraphs †", *_reference("rrf"), True),
]

COLUMNS = [  # (key in run_eval's report section, table heading)
    ("search", "hit5", "hit@5"),
    ("search", "mrr", "MRR"),
    ("search", "recall", "recall@10"),
    ("ask", "cited", "cited"),
    ("ask", "ent_recall", "ent_recall"),
    ("ask", "ent_precision", "ent_precision"),
    ("ask", "abstain", "abstain"),
    ("ask", "false_abstain", "false_abstain"),
]
FOOTNOTE = (
    "† reference methods (bench/reference.py): search ranks whole paragraphs of the same store; their answer cites "
    "the top 4 paragraphs and is `found` whenever anything matched, so they never abstain otherwise."
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def store_home(corpus: str) -> Path:
    """The GHQA_HOME of a corpus's store."""
    return ARTIFACTS / corpus


def environment(home: Path) -> dict[str, str]:
    """The environment the commands run in: the corpus's store, extractive answers, threads that sleep when idle."""
    env = {**os.environ, "GHQA_HOME": str(home), "OMP_WAIT_POLICY": "PASSIVE"}
    env.pop("GHQA_LLM_BASE_URL", None)  # answers must not depend on whether an LLM happens to be configured
    return env


def _ingest(corpus: str, log_path: Path) -> int:
    with log_path.open("w", encoding="utf-8") as out:
        return subprocess.run(
            [*NICE, sys.executable, "-m", "ghqa", "ingest", *map(str, CORPORA[corpus])],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=environment(store_home(corpus)),
            cwd=ROOT,
        ).returncode


def rebuild_keeping_embeddings(home: Path) -> None:
    """Move a store of an older schema aside and start a new one holding its embedding cache.

    Embedding is the hour-long part of a build; the cache is keyed by the embedded text, so every chunk whose text
    the new parser leaves alone is not embedded again.
    """
    from ghqa.index.store import Store

    previous = home / "previous-schema"
    shutil.rmtree(previous, ignore_errors=True)
    previous.mkdir()
    for path in home.iterdir():
        if path.name.startswith(("ghqa.db", "vectors-")):
            path.rename(previous / path.name)
    Store(home / "ghqa.db").close()  # the new schema, empty
    connection = sqlite3.connect(home / "ghqa.db")
    try:
        connection.execute("ATTACH DATABASE ? AS previous", (f"file:{previous / 'ghqa.db'}?mode=ro",))
        with connection:
            connection.execute(
                "INSERT OR IGNORE INTO embeddings (model, text_hash, vector) "
                "SELECT model, text_hash, vector FROM previous.embeddings"
            )
    finally:
        connection.close()
    shutil.rmtree(previous)


def build_store(corpus: str) -> None:
    """`ghqa ingest` the corpus into its store; unchanged files are skipped, so a built store costs seconds."""
    home = store_home(corpus)
    home.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"{corpus}.log"
    status = _ingest(corpus, log_path)
    if status != 0 and OLD_SCHEMA in log_path.read_text("utf-8", errors="replace"):
        log(f"  {corpus}: the store was written by another ghqa schema; rebuilding it with its embedding cache")
        rebuild_keeping_embeddings(home)
        status = _ingest(corpus, log_path)
    if status == 1:  # some files failed; the rest are in, and the log names them
        log(f"  {corpus}: some files failed to ingest, see {log_path}")
    elif status != 0:
        sys.exit(f"ghqa ingest of {corpus} failed ({status}); see {log_path}")


def prepare_references(corpus: str, method: str) -> None:
    """Tokenise (and for dense and rrf embed) the store's paragraphs for the reference methods, cached beside the store."""
    subprocess.run(
        [*NICE, sys.executable, str(REFERENCE), "prepare", "--home", str(store_home(corpus)), "--method", method],
        env=environment(store_home(corpus)),
        cwd=ROOT,
        check=True,
    )


def score(question_set: QuestionSet, method: Method, gold: Path) -> dict:
    """run_eval.py's report for one method on one set: {"search": {...}, "ask": {...}} or {"error": ...}."""
    done = subprocess.run(
        [*NICE, sys.executable, str(RUN_EVAL), str(gold), "-k", str(TOP_K)]
        + ["--search-cmd", method.search_cmd, "--ask-cmd", method.ask_cmd],
        capture_output=True,
        text=True,
        env=environment(store_home(question_set.corpus)),
        cwd=ROOT,
    )
    if done.returncode != 0:  # ghqa may be mid-edit: keep the other rows, show this one as failed
        return {"error": (done.stdout + done.stderr).strip()[-2000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def limited_gold(question_set: QuestionSet, limit: int | None, folder: Path) -> tuple[Path, int]:
    """The gold file to score (its first `limit` questions when given) and how many questions it holds."""
    lines = [line for line in question_set.gold.read_text("utf-8").splitlines() if line.strip()]
    if limit is None:
        return question_set.gold, len(lines)
    path = folder / f"{question_set.name}.jsonl"
    path.write_text("\n".join(lines[:limit]) + "\n", "utf-8")
    return path, min(limit, len(lines))


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def markdown_table(rows: list[dict]) -> str:
    """One line per set and method; blank where a figure does not apply (no list questions, no unanswerables)."""
    head = ["set", "questions", "method", *(title for _, _, title in COLUMNS)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        if "error" in row["report"]:
            cells = ["failed"] + [""] * (len(COLUMNS) - 1)
        else:
            cells = [_cell((row["report"].get(section) or {}).get(key)) for section, key, _ in COLUMNS]
        lines.append("| " + " | ".join([row["set"], str(row["questions"]), row["label"], *cells]) + " |")
    return "\n".join(lines) + "\n\n" + FOOTNOTE


def _names(value: str, known: list[str]) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown: {', '.join(unknown)} (choose from {', '.join(known)})")
    return names


def main(argv: list[str] | None = None) -> None:
    set_names, method_names = [s.name for s in SETS], [m.name for m in METHODS]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", type=lambda v: _names(v, set_names), default=set_names, help="comma-separated")
    parser.add_argument("--methods", type=lambda v: _names(v, method_names), default=method_names)
    parser.add_argument("--limit", type=int, help="score only the first N questions of each set")
    parser.add_argument("--output", type=Path, default=ARTIFACTS / "results.json")
    args = parser.parse_args(argv)
    if not RUN_EVAL.exists():
        sys.exit(f"the shared eval sets are not at {EVAL} (set GHQA_SHARED to the folder holding eval/)")
    sets = [s for s in SETS if s.name in args.sets]
    methods = [m for m in METHODS if m.name in args.methods]
    corpora = list(dict.fromkeys(s.corpus for s in sets))
    steps: list[dict] = []

    def timed(step: str, action, *action_args):
        log(f"{step} …")
        started = time.monotonic()
        result = action(*action_args)
        steps.append({"step": step, "wall_s": round(time.monotonic() - started, 1)})
        log(f"{step}: {steps[-1]['wall_s']} s")
        return result

    for corpus in corpora:
        timed(f"build {corpus}", build_store, corpus)
        references = [m.name for m in methods if m.is_reference]
        if references:  # rrf's caches (tokens and vectors) serve bm25 and dense too
            method = "rrf" if {"rrf", "dense"} & set(references) else "bm25"
            timed(f"prepare references {corpus}", prepare_references, corpus, method)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for question_set in sets:
            gold, questions = limited_gold(question_set, args.limit, Path(folder))
            for method in methods:
                report = timed(f"score {question_set.name} {method.name}", score, question_set, method, gold)
                if "error" in report:
                    log(f"  failed: {report['error'][-500:]}")
                rows.append(
                    {"set": question_set.name, "questions": questions, "method": method.name, "label": method.label}
                    | {"report": report}
                )
    table = markdown_table(rows)
    print(table)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "generated": datetime.now(UTC).isoformat(timespec="seconds"),
                "limit": args.limit,
                "rows": rows,
                "steps": steps,
                "table": table,
            },
            ensure_ascii=False,
            indent=1,
        ),
        "utf-8",
    )
    log(f"wrote {args.output}")


if __name__ == "__main__":
    main()
