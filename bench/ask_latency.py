"""What sentence similarity costs `ask` (the sentence signal, and the order of a list answer's rows): the same
questions on one store, answered three times in one run — with the sentences new, with them embedded before (kept in
memory), and with similarity stubbed out.

    .venv/bin/python bench/ask_latency.py artifacts/eval/reports ../shared/eval/dev.jsonl [more.jsonl ...]

Prints p50 / p95 milliseconds per pass. Not a test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path


def timed_pass(services, questions: list[str]) -> tuple[float, float]:
    """p50 and p95 of extractive `ask` over the questions, in milliseconds."""
    times = []
    for question in questions:
        start = time.perf_counter()
        services.ask(question, use_llm=False)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(0.95 * len(times)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("home", type=Path, help="a ghqa data folder (GHQA_HOME)")
    parser.add_argument("questions", type=Path, nargs="+", help="question files, one JSON object with q per line")
    args = parser.parse_args()
    from ghqa.services import open_services

    questions = [json.loads(line)["q"] for f in args.questions for line in f.read_text().splitlines() if line.strip()]
    services = open_services(args.home)
    services.ask("预热", use_llm=False)  # loads the model, the vector index and jieba outside the timing
    print(f"{len(questions)} questions on {args.home}")
    for label in ("sentences new", "sentences embedded before"):
        p50, p95 = timed_pass(services, questions)
        print(f"{label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    services.engine.sentence_similarities = lambda query, sentences: [0.5] * len(sentences)
    p50, p95 = timed_pass(services, questions)
    print(f"sentence similarity stubbed out: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    services.close()


if __name__ == "__main__":
    main()
