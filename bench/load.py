"""Load test: concurrent sessions asking and searching a `ghqa serve` while another folder is being ingested.

    .venv/bin/python bench/load.py [--sessions 16] [--seconds 60]

Starts `ghqa serve` on 127.0.0.1 with a temporary GHQA_HOME holding a copy of corpus/ ingested once (cached under
artifacts/load/), then runs `ghqa ingest` of a second folder into the same home (texts that need embedding, so the
ingest lasts) while each session, through gradio_client, alternates the /search and /ask endpoints until the time is
up. Prints p50/p95 latency and errors per endpoint, while the ingest ran and after it. Loopback only; every loop is
bounded by the deadline and a request count. Not a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CACHE = ROOT / "artifacts" / "load" / "corpus_home"
GHQA = Path(sys.executable).with_name("ghqa")
HOST = "127.0.0.1"
MAX_REQUESTS_PER_SESSION = 5000
START_TIMEOUT_S = 180
QUERIES = [
    "工资集体协商",
    "职工书屋",
    "困难职工帮扶",
    "农民工工资",
    "劳动竞赛",
    "非公企业建会",
    "女职工权益",
    "技能培训",
]
QUESTIONS = [
    "哪些乡镇开展了工资集体协商？",
    "马过河镇农民工工资上浮了多少？",
    "哪些街道开展了职工书屋建设？",
    "困难职工帮扶做了哪些工作？",
]


@dataclass
class Call:
    endpoint: str
    started: float
    seconds: float
    error: str | None


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def loopback_env(home: Path) -> dict[str, str]:
    """The environment for ghqa and the clients: this data folder, and no proxy between them and 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}}
    env.update(GHQA_HOME=str(home), NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    env.pop("GHQA_LLM_BASE_URL", None)  # extractive answers: the figures are ghqa's, not an LLM's
    return env


def cached_store() -> Path:
    """A data folder holding corpus/ ingested and embedded, made once and reused."""
    if not (CACHE / "ghqa.db").exists():
        print(f"ingesting corpus/ into {CACHE} (once) …", file=sys.stderr)
        shutil.rmtree(CACHE, ignore_errors=True)
        subprocess.run([str(GHQA), "--no-progress", "ingest", str(CORPUS)], env=loopback_env(CACHE), check=True)
    return CACHE


def second_folder(target: Path) -> Path:
    """corpus/ again with every line marked as a copy, so its chunks are new text the ingest has to embed."""
    target.mkdir(parents=True)
    for source in sorted(CORPUS.glob("*.txt")):
        lines = source.read_text(encoding="utf-8").splitlines()
        marked = [f"{line}（副本）" if line.strip() else line for line in lines]
        (target / f"copy_{source.name}").write_text("\n".join(marked), encoding="utf-8")
    return target


def wait_for_server(url: str, server: subprocess.Popen):
    """A gradio_client Client once the server answers (it loads the store and the model first)."""
    from gradio_client import Client

    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"ghqa serve exited with status {server.returncode}")
        try:
            return Client(url, verbose=False)
        except Exception:  # not listening yet
            time.sleep(1)
    raise SystemExit(f"ghqa serve did not answer within {START_TIMEOUT_S} s")


def session(url: str, number: int, deadline: float, calls: list[Call], lock: threading.Lock) -> None:
    """One client alternating /search and /ask until the deadline."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    for turn in range(MAX_REQUESTS_PER_SESSION):
        if time.monotonic() >= deadline:
            break
        i = number + turn
        if turn % 2:
            endpoint, args = "/ask", (QUESTIONS[i % len(QUESTIONS)],)
        else:
            endpoint, args = "/search", (QUERIES[i % len(QUERIES)], 10)
        started = time.monotonic()
        error = None
        try:
            result = client.predict(*args, api_name=endpoint)
            if not isinstance(result, dict) or not (result.get("hits") or result.get("answer")):
                error = f"empty result: {str(result)[:80]}"
        except Exception as exc:  # every failure counts as an error; the session goes on
            error = f"{type(exc).__name__}: {exc}"[:200]
        with lock:
            calls.append(Call(endpoint, started, time.monotonic() - started, error))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(calls: list[Call], ingest_span: tuple[float, float]) -> None:
    start, end = ingest_span
    print("| endpoint | while | requests | p50 ms | p95 ms | max ms | errors |")
    print("|---|---|---|---|---|---|---|")
    for endpoint in ("/search", "/ask"):
        for label, during in (("ingest running", True), ("after ingest", False)):
            mine = [c for c in calls if c.endpoint == endpoint and (start <= c.started < end) == during]
            if not mine:
                continue
            ms = [c.seconds * 1000 for c in mine]
            errors = sum(c.error is not None for c in mine)
            print(
                f"| {endpoint} | {label} | {len(mine)} | {percentile(ms, 0.5):.0f} | {percentile(ms, 0.95):.0f} "
                f"| {max(ms):.0f} | {errors} |"
            )
    for error in sorted({c.error for c in calls if c.error})[:5]:
        print(f"error: {error}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ghqa-load-") as tmp:
        home = Path(tmp) / "home"
        shutil.copytree(cached_store(), home)
        incoming = second_folder(Path(tmp) / "incoming")
        env = loopback_env(home)
        port = free_port()
        url = f"http://{HOST}:{port}/"
        log = (Path(tmp) / "serve.log").open("w")
        server = subprocess.Popen(
            [str(GHQA), "serve", "--host", HOST, "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            warm = wait_for_server(url, server)
            warm.predict(QUERIES[0], 3, api_name="/search")  # loads the model and the index: not counted
            warm.predict(QUESTIONS[0], api_name="/ask")

            calls: list[Call] = []
            lock = threading.Lock()
            ingest_log = Path(tmp) / "ingest.log"
            ingest_started = time.monotonic()
            with ingest_log.open("w") as out:
                ingest = subprocess.Popen(
                    [str(GHQA), "--no-progress", "ingest", str(incoming)], env=env, stdout=out, stderr=out
                )
            ingest_ended: list[float] = []
            # Notes when the ingest ends, so each request is counted as during or after it.
            watcher = threading.Thread(target=lambda: (ingest.wait(), ingest_ended.append(time.monotonic())))
            watcher.start()
            deadline = time.monotonic() + args.seconds
            threads = [
                threading.Thread(target=session, args=(url, n, deadline, calls, lock), daemon=True)
                for n in range(args.sessions)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.seconds + START_TIMEOUT_S)
            watcher.join(timeout=600)
            if not ingest_ended:
                ingest.kill()
                raise SystemExit("ghqa ingest did not finish within 600 s")
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        print(
            f"{args.sessions} sessions for {args.seconds:.0f} s; `ghqa ingest` of {len(list(incoming.iterdir()))} "
            f"files ran {ingest_ended[0] - ingest_started:.0f} s (exit {ingest.returncode}); {len(calls)} requests"
        )
        if ingest.returncode:
            print(ingest_log.read_text(encoding="utf-8")[-500:], file=sys.stderr)
        report(calls, (ingest_started, ingest_ended[0]))


if __name__ == "__main__":
    main()
