"""Optional LLM answers over retrieved passages, through any OpenAI-compatible chat endpoint.

Ollama, vLLM, the llama.cpp server and hosted APIs all speak the same chat-completions protocol, so one
LangChain `ChatOpenAI` client covers them. The LLM is an extra: `llm_answer` never raises, and reports
failures in `LLMResult.error` so the caller can fall back to the extractive answer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ghqa.index.passages import Passage

NOT_FOUND = "资料中没有找到"
DEFAULT_MODEL = "default"
DEFAULT_TIMEOUT = 60.0

SYSTEM_PROMPT = """你是工会工作总结资料的问答助手。
只能依据用户给出的编号资料回答问题，不得使用资料以外的知识，不得编造。
要求：
1. 每一句话都要在句末用方括号标注所依据的资料编号，例如[1]或[2][3]；只能引用[1]到[{n}]。
2. 如果资料不能回答问题，只回答：资料中没有找到相关内容。
3. 数字、单位名称、日期必须与资料一致，资料是繁体字的可以写成简体字。
4. 用提问所用的语言回答，简洁明了。"""

# [3], [1,2], 【4】 and ［5］: the citation markers answers may use; group 1 holds the numbers.
CITATION_MARKER = re.compile(r"[\[【［]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】］]")
_CITE = CITATION_MARKER.pattern
# A sentence ends at 。！？!? (or ". "), taking along citation markers written after the stop, or at a line break.
_SENTENCE_END = re.compile(rf"(?:[。！？!?]|\.(?=\s|$))+(?:[ \t]*{_CITE})*|\n+")
_WORDY = re.compile(r"[\u4e00-\u9fffA-Za-z]")


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str = DEFAULT_MODEL
    api_key: str = "not-needed"
    timeout: float = DEFAULT_TIMEOUT


@dataclass
class LLMResult:
    text: str
    uncited_sentences: list[str] = field(default_factory=list)
    invalid_citations: list[int] = field(default_factory=list)
    error: str | None = None


class LLMError(RuntimeError):
    """The one exception `stream_llm_answer` raises when the endpoint fails mid-answer."""


def llm_config_from_env(env: Mapping[str, str] | None = None) -> LLMConfig | None:
    """Read GHQA_LLM_* settings; None when no endpoint is configured."""
    env = os.environ if env is None else env
    base_url = env.get("GHQA_LLM_BASE_URL", "").strip()
    if not base_url:
        return None
    try:
        timeout = float(env.get("GHQA_LLM_TIMEOUT", "").strip() or DEFAULT_TIMEOUT)
    except ValueError:
        timeout = DEFAULT_TIMEOUT
    return LLMConfig(
        base_url=base_url,
        model=env.get("GHQA_LLM_MODEL", "").strip() or DEFAULT_MODEL,
        api_key=env.get("GHQA_LLM_API_KEY", "").strip() or "not-needed",
        timeout=timeout if timeout > 0 else DEFAULT_TIMEOUT,
    )


def source_block(
    number: int, text: str, *, title: str = "", places: Sequence[str] = (), year: str | None = None, locator: str = ""
) -> str:
    """One numbered source as the prompt shows it: "[n] 标题：…；地点：…；年份：…；出处：…" and its text."""
    meta = [f"标题：{title}"] if title else []
    if places:
        meta.append("地点：" + "、".join(places))
    if year:
        meta.append(f"年份：{year}")
    if locator:
        meta.append(f"出处：{locator}")
    return f"[{number}] " + "；".join(meta) + "\n" + text.strip()


def prompt_messages(question: str, blocks: list[str]) -> list[Any]:
    """System and user messages: the numbered sources [1]..[n] (from `source_block`), then the question."""
    from langchain_core.messages import HumanMessage, SystemMessage  # lazy: keeps `import qa.llm` cheap

    user = "资料：\n\n" + "\n\n".join(blocks or ["（没有检索到资料）"]) + f"\n\n问题：{question.strip()}"
    return [SystemMessage(SYSTEM_PROMPT.format(n=len(blocks))), HumanMessage(user)]


def build_prompt(question: str, passages: list[Passage]) -> list[Any]:
    """The prompt over ghqa passages (ghqa.langchain builds the same one from LangChain Documents)."""
    blocks = [
        source_block(
            i,
            p.text,
            title=f"第{p.article_number}篇 {p.article_title}".rstrip(),
            places=p.places,
            year=p.year,
            locator=p.locator(),
        )
        for i, p in enumerate(passages, start=1)
    ]
    return prompt_messages(question, blocks)


@lru_cache(maxsize=8)
def chat_model(config: LLMConfig, streaming: bool = False) -> Any:
    """The LangChain chat model for an endpoint (cached: one HTTP client per configuration)."""
    from langchain_openai import ChatOpenAI  # lazy: importing it takes about two seconds

    return ChatOpenAI(
        model=config.model,
        base_url=config.base_url,
        api_key=config.api_key,
        timeout=config.timeout,
        max_retries=0,  # the caller has an extractive fallback; retrying only delays it
        streaming=streaming,
        temperature=0,
        use_responses_api=False,  # local servers implement chat completions only
    )


def _describe(exc: BaseException, config: LLMConfig) -> str:
    """One line saying what the endpoint did: timed out, answered with an HTTP error, or failed otherwise."""
    # Matching by name covers openai.APITimeoutError, httpx's timeouts and TimeoutError without importing them.
    chain = [exc, exc.__cause__, exc.__context__]
    if any(e is not None and any("Timeout" in c.__name__ for c in type(e).__mro__) for e in chain):
        return f"LLM endpoint timed out after {config.timeout:g} s"
    status = getattr(exc, "status_code", None)  # openai.APIStatusError: the endpoint answered 4xx/5xx
    if isinstance(status, int):
        detail = getattr(exc, "message", "") or str(exc)
        return _one_line(f"LLM endpoint answered HTTP {status}: {detail}")
    return _one_line(f"LLM request failed: {type(exc).__name__}: {exc}")


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def incomplete_reason(finish_reason: str | None) -> str | None:
    """Why an answer that ended with this finish_reason is incomplete; None when the model finished it."""
    if finish_reason is None:
        return "LLM stream ended before the answer was finished (no finish_reason: the connection was cut)"
    if finish_reason == "length":
        return "LLM answer was cut off at the model's length limit (finish_reason=length)"
    if finish_reason == "content_filter":
        return "LLM answer was withheld by the endpoint's content filter (finish_reason=content_filter)"
    return None


def stream_llm_answer(question: str, passages: list[Passage], config: LLMConfig) -> Iterator[str]:
    """Yield answer text pieces as they arrive; raises only LLMError, when the endpoint fails or the answer is
    incomplete (cut off, truncated at the length limit), after the pieces that did arrive."""
    finish_reason = None
    try:
        for chunk in chat_model(config, True).stream(build_prompt(question, passages)):
            finish_reason = chunk.response_metadata.get("finish_reason") or finish_reason
            piece = str(chunk.text)
            if piece:
                yield piece
    except Exception as exc:  # transport, HTTP and parsing errors all mean "fall back" to the caller
        raise LLMError(_describe(exc, config)) from exc
    if (reason := incomplete_reason(finish_reason)) is not None:
        raise LLMError(reason)


def answer_sentences(text: str) -> list[str]:
    """The sentences of an answer as the citation check reads them: each keeps the citation markers written after
    its stop, and an English ". " ends one too (report text is split by ingest.chunks, which does neither)."""
    sentences, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        sentences.append(text[start : m.end()])
        start = m.end()
    sentences.append(text[start:])
    return [s.strip() for s in sentences if s.strip()]


def check_citations(text: str, n_passages: int) -> tuple[list[str], list[int]]:
    """Sentences without a [n] marker, and cited numbers outside 1..n_passages."""
    uncited: list[str] = []
    invalid: list[int] = []
    for sentence in answer_sentences(text):
        numbers = [int(n) for cite in CITATION_MARKER.findall(sentence) for n in re.findall(r"\d+", cite)]
        invalid += [n for n in numbers if not 1 <= n <= n_passages]
        # Not-found replies, list intros ("…如下：") and bare bullets legitimately carry no citation.
        exempt = NOT_FOUND in sentence or sentence.endswith(("：", ":")) or not _WORDY.search(sentence)
        if not numbers and not exempt:
            uncited.append(sentence)
    return uncited, list(dict.fromkeys(invalid))


def llm_answer(question: str, passages: list[Passage], config: LLMConfig) -> LLMResult:
    """Ask the LLM for a cited answer; never raises, errors come back in `LLMResult.error`."""
    try:
        reply = chat_model(config, False).invoke(build_prompt(question, passages))
        text = str(reply.text).strip()
    except Exception as exc:  # any failure, including a malformed reply, means "fall back" to the caller
        return LLMResult(text="", error=_describe(exc, config))
    finish_reason = reply.response_metadata.get("finish_reason")
    # A whole JSON reply without a finish_reason was not cut in transit; only the model's own stop reasons count.
    if finish_reason is not None and (reason := incomplete_reason(finish_reason)) is not None:
        return LLMResult(text="", error=reason)
    if not text:
        return LLMResult(text="", error="LLM returned an empty answer")
    uncited, invalid = check_citations(text, len(passages))
    return LLMResult(text=text, uncited_sentences=uncited, invalid_citations=invalid)
