"""qa.llm against a real OpenAI-compatible HTTP server on loopback."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

pytest.importorskip("langchain_openai")

from ghqa.index.passages import Passage  # noqa: E402
from ghqa.qa.answer import rewrite_with_llm  # noqa: E402
from ghqa.qa.evidence import Answer  # noqa: E402
from ghqa.qa.llm import (  # noqa: E402
    LLMConfig,
    LLMError,
    build_prompt,
    check_citations,
    llm_answer,
    llm_config_from_env,
    stream_llm_answer,
)

QUESTION = "马过河镇开展工资集体协商后，农民工工资上浮了多少？"


def _passage(n: int, text: str) -> Passage:
    return Passage(
        chunk_id=n,
        text=text,
        source=f"corpus/00{n}_abc.txt",
        article_number=n,
        article_title=f"鄉鎮工會工作總結{n}",
        section_path=["一、穩固基礎"],
        first_paragraph=3,
        last_paragraph=4,
        char_start=0,
        char_end=len(text),
        score=0.9,
        places=["马过河镇"],
        year="2010",
    )


PASSAGES = [
    _passage(1, "馬過河鎮開展工資集體協商後，農民工工資平均上浮了15%。"),
    _passage(2, "全镇集体合同和工资协议签订率达100%。"),
]


def _config(srv, timeout: float = 10) -> LLMConfig:
    return LLMConfig(base_url=f"http://127.0.0.1:{srv.server_address[1]}/v1", model="test-model", timeout=timeout)


def _user_text(request: dict[str, Any]) -> str:
    return "\n".join(str(m["content"]) for m in request["body"]["messages"])


def test_config_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GHQA_LLM_BASE_URL", raising=False)
    assert llm_config_from_env() is None
    monkeypatch.setenv("GHQA_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("GHQA_LLM_MODEL", "qwen2.5:7b")
    monkeypatch.delenv("GHQA_LLM_API_KEY", raising=False)
    monkeypatch.setenv("GHQA_LLM_TIMEOUT", "not a number")
    assert llm_config_from_env() == LLMConfig("http://127.0.0.1:11434/v1", "qwen2.5:7b", "not-needed", 60.0)


def test_prompt_numbers_passages_with_locators() -> None:
    system, user = build_prompt(QUESTION, PASSAGES)
    assert "资料中没有找到" in system.content and "[2]" in system.content
    assert "[1] 标题：第1篇 鄉鎮工會工作總結1" in user.content
    assert "出处：001_abc.txt › 第1篇 鄉鎮工會工作總結1 › 一、穩固基礎 › ¶3-4" in user.content
    assert PASSAGES[1].text in user.content and user.content.endswith(QUESTION)


def test_json_reply_with_citations(server) -> None:
    server.reply = {"mode": "json", "content": "农民工工资平均上浮了15%[1]。\n全镇签订率达100%。[2]"}
    result = llm_answer(QUESTION, PASSAGES, _config(server))
    assert result.error is None
    assert result.text.startswith("农民工工资平均上浮了15%[1]")
    assert result.uncited_sentences == [] and result.invalid_citations == []
    (request,) = server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["body"]["model"] == "test-model" and not request["body"].get("stream")
    sent = _user_text(request)
    assert QUESTION in sent and PASSAGES[0].text in sent and PASSAGES[1].text in sent


def test_streaming_reply(server) -> None:
    pieces = ["农民工工资", "平均上浮了", "15%[1]。"]
    server.reply = {"mode": "sse", "pieces": pieces}
    got = list(stream_llm_answer(QUESTION, PASSAGES, _config(server)))
    assert got == pieces
    (request,) = server.requests
    assert request["body"]["stream"] is True
    assert QUESTION in _user_text(request) and PASSAGES[0].text in _user_text(request)


def test_stream_arrives_piece_by_piece(server) -> None:
    server.reply = {"mode": "sse", "pieces": ["农民工工资", "平均上浮了15%[1]。"], "hold_after": 1}
    stream = stream_llm_answer(QUESTION, PASSAGES, _config(server))
    assert next(stream) == "农民工工资"  # while the server still holds back the rest
    server.release.set()
    assert list(stream) == ["平均上浮了15%[1]。"]


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ({"finish": None}, "no finish_reason"),
        ({"finish": "length"}, "finish_reason=length"),
        ({"hold_after": 1}, "timed out after 1 s"),
    ],
    ids=["cut", "length", "stall"],
)
def test_incomplete_stream_raises_after_the_pieces_that_arrived(server, reply: dict[str, Any], message: str) -> None:
    server.reply = {"mode": "sse", "pieces": ["农民工工资", "平均上浮了"], **reply}
    got: list[str] = []
    started = time.monotonic()
    with pytest.raises(LLMError, match=message):
        got.extend(stream_llm_answer(QUESTION, PASSAGES, _config(server, timeout=1)))
    assert got[0] == "农民工工资" and time.monotonic() - started < 5


@pytest.mark.parametrize("status", [400, 401, 404, 429, 500, 503])
def test_http_error_is_named_in_one_line(server, status: int) -> None:
    server.reply = {"mode": "status", "status": status}
    with pytest.raises(LLMError, match=f"^LLM endpoint answered HTTP {status}: .*test server says {status}"):
        list(stream_llm_answer(QUESTION, PASSAGES, _config(server)))
    result = llm_answer(QUESTION, PASSAGES, _config(server))
    assert result.text == "" and result.error and f"HTTP {status}" in result.error and "\n" not in result.error


def test_reply_cut_at_the_length_limit_is_an_error(server) -> None:
    server.reply = {"mode": "json", "content": "农民工工资平均上浮了", "finish": "length"}
    result = llm_answer(QUESTION, PASSAGES, _config(server))
    assert result.text == "" and result.error and "finish_reason=length" in result.error


def _extractive() -> Answer:
    return Answer(QUESTION, "fact", "据《鄉鎮工會工作總結1》：“農民工工資平均上浮了15%。”[1]", PASSAGES[:1])


@pytest.mark.parametrize(
    ("reply", "said"),
    [
        ({"mode": "sse", "pieces": ["农民工工资", "平均上浮"], "finish": None}, "no finish_reason"),
        ({"mode": "sse", "pieces": ["农民工工资", "平均上浮"], "finish": "length"}, "finish_reason=length"),
        ({"mode": "sse", "pieces": ["农民工工资", "平均上浮"], "hold_after": 1}, "timed out"),
        ({"mode": "status", "status": 500}, "HTTP 500"),
        ({"mode": "status", "status": 404}, "HTTP 404"),
    ],
    ids=["cut", "length", "stall", "http-500", "http-404"],
)
def test_incomplete_llm_answer_gives_the_extractive_answer_and_one_line_why(
    server, monkeypatch: pytest.MonkeyPatch, reply: dict[str, Any], said: str
) -> None:
    monkeypatch.setenv("GHQA_LLM_BASE_URL", _config(server).base_url)
    monkeypatch.setenv("GHQA_LLM_TIMEOUT", "1")
    server.reply = reply
    *streamed, final = rewrite_with_llm(_extractive())
    assert all(isinstance(s, str) for s in streamed)
    assert isinstance(final, Answer) and final.text == _extractive().text and final.citations == PASSAGES[:1]
    assert final.note and said in final.note and "摘录式回答" in final.note and "\n" not in final.note


def test_complete_llm_stream_is_the_answer(server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GHQA_LLM_BASE_URL", _config(server).base_url)
    server.reply = {"mode": "sse", "pieces": ["农民工工资", "平均上浮了15%[1]。"]}
    *streamed, final = rewrite_with_llm(_extractive())
    assert streamed == ["农民工工资", "农民工工资平均上浮了15%[1]。"]
    assert final.text == "农民工工资平均上浮了15%[1]。" and final.note is None


def test_an_endpoint_given_by_the_caller_is_used_without_any_environment(server, monkeypatch) -> None:
    monkeypatch.delenv("GHQA_LLM_BASE_URL", raising=False)
    server.reply = {"mode": "sse", "pieces": ["上浮了15%[1]。"]}
    *_, final = rewrite_with_llm(_extractive(), llm=_config(server))
    assert final.text == "上浮了15%[1]。"
    *_, kept = rewrite_with_llm(_extractive(), use_llm=False, llm=_config(server))
    assert kept.text == _extractive().text


def test_uncited_and_out_of_range_citations_are_flagged(server) -> None:
    server.reply = {"mode": "json", "content": "工资上浮了15%[1]。这项工作得到了职工好评。签订率达100%[9]。"}
    result = llm_answer(QUESTION, PASSAGES, _config(server))
    assert result.error is None
    assert result.uncited_sentences == ["这项工作得到了职工好评。"]
    assert result.invalid_citations == [9]


@pytest.mark.parametrize(
    "body",
    ["{not json at all", json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m"})],
    ids=["invalid-json", "missing-choices"],
)
def test_malformed_reply_sets_error(server, body: str) -> None:
    server.reply = {"mode": "raw", "body": body}
    result = llm_answer(QUESTION, PASSAGES, _config(server))
    assert result.error and result.text == ""


def test_malformed_stream_raises_llm_error_only(server) -> None:
    server.reply = {"mode": "raw", "body": "{not json"}
    with pytest.raises(LLMError):
        list(stream_llm_answer(QUESTION, PASSAGES, _config(server)))


def test_timeout_sets_error_quickly(server, monkeypatch: pytest.MonkeyPatch) -> None:
    server.reply = {"mode": "slow"}
    monkeypatch.setenv("GHQA_LLM_BASE_URL", _config(server).base_url)
    monkeypatch.setenv("GHQA_LLM_TIMEOUT", "1")
    config = llm_config_from_env()
    assert config is not None and config.timeout == 1
    started = time.monotonic()
    result = llm_answer(QUESTION, PASSAGES, config)
    assert time.monotonic() - started < 5
    assert result.error and "timed out" in result.error


def test_unreachable_endpoint_sets_error() -> None:
    result = llm_answer(QUESTION, PASSAGES, LLMConfig(base_url="http://127.0.0.1:9/v1", timeout=2))
    assert result.error and result.text == ""


@pytest.mark.parametrize(
    ("text", "uncited", "invalid"),
    [
        ("资料中没有找到相关内容。", [], []),
        ("以下乡镇开展了工资集体协商：\n1. 马过河镇[1]\n2. 逍林镇【2】", [], []),
        ("Wages rose 15% [1]. Nobody knows why. See [0].", ["Nobody knows why."], [0]),
        ("签订率达100%[1,3]。", [], [3]),
    ],
)
def test_check_citations(text: str, uncited: list[str], invalid: list[int]) -> None:
    assert check_citations(text, 2) == (uncited, invalid)
