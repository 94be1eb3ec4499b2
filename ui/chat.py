"""Answers for the chat as a stream: partial texts while an LLM writes, then the final Answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa.answer import Answer


def answer_updates(engine, question: str, history: list[Answer]) -> Iterator[str | Answer]:
    """Yield the answer text as it grows, then the Answer itself (always last, exactly once).

    The extractive answer picks the passages; when an LLM endpoint is configured it rewrites fact and
    wording answers over those same passages, streamed piece by piece. List answers stay extractive.
    """
    from qa.answer import Answer, answer_question
    from qa.llm import LLMError, check_citations, llm_config_from_env, stream_llm_answer

    extractive = answer_question(engine, question, history=history, use_llm=False)
    config = llm_config_from_env()
    if config is None or not extractive.found or extractive.kind == "list" or not extractive.citations:
        yield extractive
        return
    text = ""
    try:
        for piece in stream_llm_answer(extractive.question, extractive.citations, config):
            text += piece
            yield text
    except LLMError as exc:
        extractive.note = f"LLM 不可用（{exc}），显示的是摘录式回答。"
        yield extractive
        return
    if not text.strip():
        extractive.note = "LLM 没有给出回答，显示的是摘录式回答。"
        yield extractive
        return
    uncited, invalid = check_citations(text, len(extractive.citations))
    note = None
    if uncited or invalid:
        note = f"有 {len(uncited) + len(invalid)} 处没有有效出处，请对照原文核实。"
    yield Answer(extractive.question, extractive.kind, text.strip(), extractive.citations, note=note)
