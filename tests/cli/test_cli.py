"""The `ghqa` command as a user runs it: exit codes, summaries, failures named, articles shown, search as JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import BigramEmbedder
from ghqa.index import embedders

from ghqa.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEED_003 = "003_25279264fab4da48.txt"


def seed(prefix: str) -> Path:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "home"
    monkeypatch.setenv("GHQA_HOME", str(folder))
    monkeypatch.delenv("GHQA_EMBEDDER", raising=False)
    return folder


@pytest.fixture
def run(home):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def fake_embedder(monkeypatch):
    monkeypatch.setattr(embedders, "make_embedder", lambda spec=None: BigramEmbedder())


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(seed("002").read_bytes())
    (folder / "b.txt").write_bytes(seed("004").read_bytes())
    return folder


def summary(output: str) -> dict[str, int]:
    m = re.search(
        r"(\d+) stored, (\d+) unchanged, (\d+) same content as a stored file, (\d+) failed, (\d+) skipped", output
    )
    assert m, output
    return dict(zip(["stored", "unchanged", "linked", "failed", "skipped"], map(int, m.groups()), strict=True))


def test_ingest_good_files_exits_zero_and_second_run_reports_unchanged(run, inputs):
    result = run("ingest", "--no-embed", inputs)
    assert result.exit_code == 0, result.output
    assert summary(result.stdout) == {"stored": 2, "unchanged": 0, "linked": 0, "failed": 0, "skipped": 0}
    assert "store: 2 documents, 2 articles" in result.stdout
    assert "failed:" not in result.output
    again = run("ingest", "--no-embed", inputs)
    assert again.exit_code == 0
    assert summary(again.stdout) == {"stored": 0, "unchanged": 2, "linked": 0, "failed": 0, "skipped": 0}


def test_ingest_with_a_bad_file_exits_one_and_names_it(run, inputs):
    bad = inputs / "broken.txt"
    bad.write_bytes(bytes(range(256)) * 20)
    (inputs / "readme.xyz").write_text("other type")
    result = run("ingest", "--no-embed", inputs)
    assert result.exit_code == 1
    assert summary(result.stdout) == {"stored": 2, "unchanged": 0, "linked": 0, "failed": 1, "skipped": 1}
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert failed == [f"failed: {bad}: not a text file (binary content)"]


def test_ingest_of_a_missing_path_fails_with_reason(run, tmp_path):
    result = run("ingest", "--no-embed", tmp_path / "nope.txt")
    assert result.exit_code == 1
    assert f"failed: {tmp_path / 'nope.txt'}: file does not exist" in result.stderr


def test_same_content_is_reported_as_such(run, inputs):
    (inputs / "copy.txt").write_bytes(seed("002").read_bytes())
    result = run("ingest", "--no-embed", inputs)
    assert result.exit_code == 0
    assert summary(result.stdout)["linked"] == 1
    assert "store: 2 documents" in result.stdout


def test_stats_counts_and_lists_failed_files(run, inputs):
    (inputs / "empty.txt").write_bytes(b"")
    run("ingest", "--no-embed", inputs)
    result = run("stats")
    assert result.exit_code == 0
    counts = dict(re.findall(r"^\s*(\w+): (\d+)$", result.stdout, re.M))
    assert counts["files"] == "2" and counts["failed_files"] == "1" and counts["documents"] == "2"
    assert counts["articles"] == "2" and int(counts["chunks"]) > 10
    assert f"failed: {inputs / 'empty.txt'}: empty file" in result.stdout


def test_show_an_article_of_a_compilation(run, tmp_path):
    run("ingest", "--no-embed", seed("003"))
    result = run("show", f"{SEED_003}#7")
    assert result.exit_code == 0, result.output
    assert "鄉鎮工會工作總結7" in result.stdout.splitlines()[0]
    assert re.search(r"^\s*unit: 逍林镇$", result.stdout, re.M)
    assert re.search(r"^\s*number: 7$", result.stdout, re.M)
    locators = re.findall(r"^¶(\d+) \[(\d+):(\d+)\]", result.stdout, re.M)
    assert [int(n) for n, _, _ in locators] == list(range(1, len(locators) + 1))
    # the locators point into the source file
    raw = seed("003").read_text(encoding="utf-8")
    first_start, first_end = int(locators[0][1]), int(locators[0][2])
    assert "\n" not in raw[first_start:first_end] and first_end > first_start
    assert "(xiāng)" not in result.stdout


def test_show_lists_articles_and_rejects_unknown_ones(run):
    run("ingest", "--no-embed", seed("003"), seed("002"))
    result = run("show")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 16
    assert any(f"{SEED_003}#7" in line and "[逍林镇]" in line for line in lines)
    assert any("002_50b9cbe120692619.txt#1" in line and "[巴州区]" in line for line in lines)
    missing = run("show", f"{SEED_003}#42")
    assert missing.exit_code != 0
    assert "no single article matches" in missing.output


def test_show_json_prints_one_object_per_article_and_says_when_a_unit_is_former(run):
    run("ingest", "--no-embed", seed("003"), seed("002"))
    result = run("show", "--json")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 16
    keys = ["source", "number", "title", "unit", "unit_parent", "unit_former", "level", "places", "year", "period"]
    assert all(list(r) == keys for r in records)
    by_number = {(Path(r["source"]).name, r["number"]): r for r in records}
    # 出江镇 of 大邑县 is listed by the NBS editions 2016–2019 only (merged since); 逍林镇 is a current town.
    chujiang = by_number[(SEED_003, 13)]
    assert (chujiang["unit"], chujiang["unit_parent"], chujiang["unit_former"]) == ("出江镇", "大邑县", "2016–2019")
    assert by_number[(SEED_003, 7)]["unit"] == "逍林镇" and by_number[(SEED_003, 7)]["unit_former"] is None
    assert [r["unit_former"] for r in records if r["unit_former"]] == ["2016–2019"]
    one = run("show", "--json", f"{SEED_003}#13")
    assert one.exit_code == 0 and json.loads(one.stdout) == chujiang
    text = run("show", f"{SEED_003}#13").stdout
    assert re.search(r"^\s*unit_former: 2016–2019$", text, re.M)
    assert "unit_former" not in run("show", f"{SEED_003}#7").stdout
    missing = run("show", "--json", f"{SEED_003}#42")
    assert missing.exit_code != 0 and "no single article matches" in missing.output


def test_remove_deletes_a_file_from_the_store(run, inputs, fake_embedder):
    run("ingest", "--no-embed", inputs)
    result = run("remove", inputs / "a.txt")
    assert result.exit_code == 0, result.output
    assert f"removed {inputs / 'a.txt'}" in result.stdout
    stats = run("stats").stdout
    assert re.search(r"documents: 1$", stats, re.M)
    assert "巴州区" not in run("show").stdout
    again = run("remove", inputs / "a.txt")
    assert again.exit_code != 0 and "not in the store" in again.output


def test_search_json_with_the_default_embedder(run, tmp_path):
    """The one test that runs the real embedder: three one-paragraph reports in one file, two queries.

    (Three chunks, not one: with a single chunk every word is in every chunk and nothing clears the relevance floor.)
    """
    report = tmp_path / "report.txt"
    report.write_text(
        "乡镇工会工作总结(汇编3篇)\n"
        "乡镇工会工作总结1\n"
        "一年来,逍林镇总工会组织开展劳动竞赛,全镇职工技能水平明显提高。\n"
        "乡镇工会工作总结2\n"
        "马过河镇总工会走访慰问困难职工86户,发放慰问金12万元。\n"
        "乡镇工会工作总结3\n"
        "出江镇总工会推进非公企业建会工作,新建工会组织15家。\n",
        encoding="utf-8",
    )
    ingested = run("ingest", report)
    assert ingested.exit_code == 0
    assert "3 articles, 3 paragraphs, 3 chunks" in ingested.stdout
    queries = tmp_path / "queries.txt"
    queries.write_text("逍林鎮總工會勞動競賽\n\n困難職工慰問金\n", encoding="utf-8")
    result = run("search", "--json", "--queries-file", queries)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 2
    objects = [json.loads(line) for line in lines]
    assert [o["query"] for o in objects] == ["逍林鎮總工會勞動競賽", "困難職工慰問金"]
    for o in objects:
        assert o["hits"], o
        for hit in o["hits"]:
            assert {"text", "source", "locator", "score"} <= set(hit)
            assert hit["source"] == str(report)
            assert "report.txt" in hit["locator"] and "¶" in hit["locator"]
            assert isinstance(hit["score"], float)
    # Traditional queries find the Simplified text
    assert "劳动竞赛" in objects[0]["hits"][0]["text"]
    assert "慰问金" in objects[1]["hits"][0]["text"]
    assert objects[0]["hits"][0]["locator"].startswith("report.txt › 第1篇")


def test_ask_streams_the_llm_answer_then_its_sources(indexed_corpus, server, monkeypatch):
    monkeypatch.setenv("GHQA_HOME", str(indexed_corpus))
    monkeypatch.setenv("GHQA_LLM_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
    server.reply = {"mode": "sse", "pieces": ["帮助了", "181名学生", "完成学业[1]。"]}
    result = CliRunner().invoke(main, ["ask", "巴州区2010年金秋助学帮助了多少名学生？"])
    assert result.exit_code == 0, result.output
    assert "帮助了181名学生完成学业[1]。" in result.output
    assert "sources" in result.output and "002_50b9cbe120692619.txt" in result.output


def test_ask_shows_the_extractive_answer_when_the_llm_fails(indexed_corpus, server, monkeypatch):
    monkeypatch.setenv("GHQA_HOME", str(indexed_corpus))
    monkeypatch.setenv("GHQA_LLM_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
    server.reply = {"mode": "raw", "body": "{not json"}
    result = CliRunner().invoke(main, ["ask", "巴州区2010年金秋助学帮助了多少名学生？"])
    assert result.exit_code == 0, result.output
    assert "181名学生" in result.output and "摘录式" in result.output


def test_remove_deletes_the_web_uploads_copy_but_never_the_users_own_file(run, home, inputs, fake_embedder):
    uploads = home / "uploads"
    uploads.mkdir(parents=True)
    uploaded = uploads / "c.txt"
    uploaded.write_bytes(seed("004").read_bytes())
    run("ingest", "--no-embed", inputs, uploaded)
    assert run("remove", uploaded).exit_code == 0
    assert not uploaded.exists()
    assert run("remove", inputs / "a.txt").exit_code == 0
    assert (inputs / "a.txt").exists()
