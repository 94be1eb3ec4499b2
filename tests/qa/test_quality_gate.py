"""The retrieval and answer quality gate: the dev questions scored by the shared scorer through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EVAL = Path(os.environ.get("GHQA_SHARED", ROOT.parent / "shared")) / "eval"
GHQA = [sys.executable, "-m", "ghqa"]


def _score(home: Path, flag: str, command: str) -> dict:
    if not (EVAL / "run_eval.py").exists():
        message = f"the shared eval set is not at {EVAL} (set GHQA_SHARED to the folder holding eval/)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI has shared/ beside the clone: the gate must run there
        pytest.skip(message)
    env = {**os.environ, "GHQA_HOME": str(home)}
    env.pop("GHQA_LLM_BASE_URL", None)
    cmd = " ".join([*GHQA, command, "--json", "--queries-file", "{file}"])
    out = subprocess.run(
        [sys.executable, str(EVAL / "run_eval.py"), str(EVAL / "dev.jsonl"), flag, cmd],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_search_gate(indexed_corpus):
    report = _score(indexed_corpus, "--search-cmd", "search --top-k 10")
    print(report)
    assert report["search"]["hit5"] >= 0.95
    assert report["search"]["mrr"] >= 0.85


def test_answers_cite_gold_and_name_places(indexed_corpus):
    report = _score(indexed_corpus, "--ask-cmd", "ask")
    print(report)
    assert report["ask"]["cited"] >= 0.95
    assert report["ask"]["ent_recall"] >= 6 / 7
