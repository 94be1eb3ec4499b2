"""The command as a shell user meets it: version, exit codes, NO_COLOR, progress bars only on a terminal, a pipe
closed early, a missing or empty store, `stats --json`. Nothing here embeds: stores are built with --no-embed."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner
from ghqa.core.errors import EmptyStoreError
from ghqa.index.store import STORE_FILE, Store

import ghqa
from ghqa.cli import EXIT_NO_STORE, main

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
GHQA = Path(sys.executable).with_name("ghqa")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    for path in sorted(CORPUS.glob("*.txt"))[:2]:
        shutil.copy(path, folder)
    return folder


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, reports: Path) -> Path:
    """A store with two reports and no vectors."""
    home = tmp_path_factory.mktemp("home")
    result = CliRunner().invoke(main, ["--home", str(home), "ingest", "--no-embed", str(reports)])
    assert result.exit_code == 0, result.output
    return home


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"ghqa {ghqa.__version__}"


def test_help_documents_exit_codes_and_the_shell_switches() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for line in ("Exit status:", "0  done", "1  failed", "2  usage error", f"{EXIT_NO_STORE}  no store", "NO_COLOR"):
        assert line in result.output
    assert "--no-progress" in result.output


@pytest.mark.parametrize(
    "command",
    [["search", "职工"], ["ask", "职工"], ["show"], ["stats"], ["stats", "--json"], ["index"], ["remove", "x"]],
)
def test_a_missing_store_is_reported_and_not_made(tmp_path: Path, command: list[str]) -> None:
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "none"), *command])
    assert result.exit_code == EXIT_NO_STORE
    assert "no ghqa store" in result.output and "ghqa ingest" in result.output
    assert not (tmp_path / "none").exists()


def test_an_empty_store_is_reported(tmp_path: Path) -> None:
    Store(tmp_path / STORE_FILE).close()
    runner = CliRunner()
    result = runner.invoke(main, ["--home", str(tmp_path), "search", "职工"])
    assert result.exit_code == EXIT_NO_STORE and "holds no reports" in result.output and "ghqa ingest" in result.output
    stats = runner.invoke(main, ["--home", str(tmp_path), "stats", "--json"])
    assert stats.exit_code == EXIT_NO_STORE and json.loads(stats.stdout)["chunks"] == 0


def test_store_opened_without_create_does_not_make_one(tmp_path: Path) -> None:
    with pytest.raises(EmptyStoreError, match="ghqa ingest"):
        Store(tmp_path / STORE_FILE, create=False)
    assert not (tmp_path / STORE_FILE).exists()


def test_stats_json(home: Path, reports: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--home", str(home), "stats", "--json"])
    assert result.exit_code == 0
    stats = json.loads(result.stdout)
    assert stats["home"] == str(home.absolute()) and stats["documents"] == 2 and stats["chunks"] > 0
    assert stats["failed"] == []


def test_no_color(home: Path) -> None:
    runner = CliRunner()
    args = ["--home", str(home), "search", "职工", "--mode", "lexical", "-k", "1"]
    coloured = runner.invoke(main, args, color=True, env={"NO_COLOR": ""})  # empty means unset (no-color.org)
    assert coloured.exit_code == 0 and "\x1b[" in coloured.output
    plain = runner.invoke(main, args, color=True, env={"NO_COLOR": "1"})
    assert plain.exit_code == 0 and "\x1b[" not in plain.output and "职工" in plain.output


def _ingest_on_a_terminal(home: Path, reports: Path, *options: str) -> str:
    """What `ghqa ingest` writes to stderr when stderr is a terminal."""
    leader, follower = pty.openpty()
    # A new pseudo-terminal is 0 columns wide, and tqdm would draw its bar that wide.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    command = [str(GHQA), "--home", str(home), *options, "ingest", "--no-embed", str(reports)]
    process = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=follower, env={**os.environ}, timeout=120)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed: everything has been read
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert process.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bars_only_on_a_terminal_and_not_with_no_progress(tmp_path: Path, reports: Path) -> None:
    assert "files: 100%" in _ingest_on_a_terminal(tmp_path / "a", reports)
    assert "files:" not in _ingest_on_a_terminal(tmp_path / "b", reports, "--no-progress")
    piped = subprocess.run(
        [str(GHQA), "--home", str(tmp_path / "c"), "ingest", "--no-embed", str(reports)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )
    assert piped.returncode == 0 and "files:" not in piped.stderr and "\r" not in piped.stderr + piped.stdout
    assert "\x1b[" not in piped.stderr + piped.stdout


def test_a_pipe_closed_early_exits_zero(home: Path, tmp_path: Path) -> None:
    # Enough output to fill the pipe, so ghqa is still writing when `head` leaves.
    queries = tmp_path / "queries.txt"
    queries.write_text("".join(f"职工 工会 {i}\n" for i in range(200)), encoding="utf-8")
    command = (
        f"set -o pipefail; '{GHQA}' --home '{home}' search --json --mode lexical --queries-file '{queries}' | head -1"
    )
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["query"] == "职工 工会 0"
    assert "Error" not in result.stderr and "BrokenPipe" not in result.stderr
