"""Answers to fact and wording questions, quoted with numbered citations; list questions go to qa.lists; optionally
rewritten by an LLM."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ghqa.index.lexical import segment
from ghqa.index.passages import Passage, Retriever, SearchFilters
from ghqa.ingest.clean import normalize_for_index
from ghqa.ingest.metadata import report_years_named
from ghqa.qa.abstention import corpus_answers
from ghqa.qa.evidence import (
    Answer,
    Quote,
    expanded_query,
    no_answer,
    quotable_sentences,
)
from ghqa.qa.lists import list_answer, narrow_list_answer
from ghqa.qa.questions import (
    QuestionAnalysis,
    analyze_question,
)

if TYPE_CHECKING:
    from ghqa.qa.llm import LLMConfig


FACT_PASSAGES = 6

SECOND_QUOTE = 0.8  # share of the best sentence's score a second quoted sentence needs

# A question word in more than this share of passages is too common to rank quotes by (工会, 工作 …).
COMMON_TERM_SHARE = 0.08

_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万]+(?:名|家|个|人|元|万|项|次|届|%)")

_FOLLOW_UP = re.compile(r"^(?:其中|这些|上述|以上|他们|它们|那么|那)")


def rewrite_with_llm(
    extractive: Answer, use_llm: bool | None = None, llm: LLMConfig | None = None
) -> Iterator[str | Answer]:
    """When an LLM endpoint is configured (llm, else GHQA_LLM_*) and use_llm is not False, its answer over the
    extractive answer's passages, streamed; list answers stay extractive. Touches no store: callers may run it
    unlocked."""
    config = None if use_llm is False else (llm or _llm_config())
    if config is None or not extractive.found or extractive.kind == "list" or not extractive.citations:
        yield extractive
        return
    from ghqa.qa.llm import LLMError, check_citations, stream_llm_answer

    text = ""
    try:
        for piece in stream_llm_answer(extractive.question, extractive.citations, config):
            text += piece
            yield text
    except LLMError as exc:
        # Text already streamed is dropped: a cut or failed answer is never shown as the answer.
        extractive.note = f"LLM 没有给出完整回答（{exc}），显示的是摘录式回答。"
        yield extractive
        return
    if not text.strip():
        extractive.note = "LLM 没有给出回答，显示的是摘录式回答。"
        yield extractive
        return
    uncited, invalid = check_citations(text, len(extractive.citations))
    note = f"有 {len(uncited) + len(invalid)} 处没有有效出处，请对照原文核实。" if uncited or invalid else None
    yield Answer(extractive.question, extractive.kind, text.strip(), extractive.citations, note=note)


def extractive_answer(
    retriever: Retriever, question: str, history: list[Answer] | None = None, filters: SearchFilters | None = None
) -> Answer:
    """The answer built from quoted sentences alone, by the kind of question, within the filters' scope."""
    question = (question or "").strip()
    if not question:
        return Answer(question, "search", "请输入一个问题。", [], found=False)
    analysis = analyze_question(question)
    previous = history[-1] if history else None
    if previous is not None and previous.evidence and _FOLLOW_UP.match(analysis.normalized):
        return narrow_list_answer(previous, analysis)
    if analysis.kind == "list":
        answer = list_answer(retriever, analysis, filters)
    elif analysis.kind == "wording":
        answer = wording_answer(retriever, analysis, filters)
    else:
        answer = fact_answer(retriever, analysis, filters)
    if filters is not None and not filters.is_empty():
        scope = f"检索范围：{filters.describe()}。"
        answer.note = f"{scope}{answer.note}" if answer.note else scope
    return answer


def _llm_config():
    from ghqa.qa.llm import llm_config_from_env

    return llm_config_from_env()


def fact_answer(retriever: Retriever, analysis: QuestionAnalysis, filters: SearchFilters | None = None) -> Answer:
    """Quote the sentences that best answer the question, each with its citation."""
    ranking = retriever.search(expanded_query(analysis), k=FACT_PASSAGES, filters=filters, sentence_signal=True)
    if absent := _absent_reports(retriever, analysis):
        # What the 2020 report says cannot be quoted from the others (the 2019 one names the year before's figures).
        answer = no_answer(analysis, ranking, ranking.signals)
        answer.note = f"资料中没有{'、'.join(absent)}年的报告。"
        return answer
    if not corpus_answers(ranking):
        return no_answer(analysis, ranking, ranking.signals)
    passages = ranking.passages
    words = _question_words(retriever, analysis)
    wants_number = bool(re.search(r"多少|几|how many|how much", analysis.normalized, re.I))
    scored: list[tuple[float, int, Quote]] = []
    for rank, passage in enumerate(passages):
        for quote in quotable_sentences(retriever, passage):
            norm = normalize_for_index(quote.sentence)
            overlap = sum(len(w) for w in words if w in norm) / max(1, sum(len(w) for w in words))
            bonus = 0.15 if wants_number and _NUMBER.search(quote.sentence) else 0.0
            scored.append((overlap + bonus - 0.04 * rank, rank, quote))
    if not scored:
        return no_answer(analysis, ranking, ranking.signals)
    scored.sort(key=lambda s: -s[0])
    best_score = scored[0][0]
    chosen: list[Quote] = []
    for score, _rank, quote in scored:
        # A second quote only when it answers nearly as well, and from another passage.
        if len(chosen) == 2 or (
            chosen and (quote.passage in [q.passage for q in chosen] or score < SECOND_QUOTE * best_score)
        ):
            continue
        chosen.append(quote)
    quoted = [q.citation() for q in chosen]
    citations = quoted + [p for p in passages if p not in [q.passage for q in chosen]][: 5 - len(quoted)]
    lines = [f"据{_source_label(q.passage)}：“{q.sentence}”[{i}]" for i, q in enumerate(chosen, start=1)]
    return Answer(analysis.question, analysis.kind, "\n".join(lines), citations, signals=ranking.signals)


def _absent_reports(retriever: Retriever, analysis: QuestionAnalysis) -> list[str]:
    """The report years a question names (2020年政府工作报告…) when the corpus holds none of them."""
    named = report_years_named(analysis.normalized)
    return named if named and not set(named) & retriever.report_years() else []


def _source_label(p: Passage) -> str:
    return f"《{p.article_title}》" + (f"（{p.unit}）" if p.unit else "")


def wording_answer(retriever: Retriever, analysis: QuestionAnalysis, filters: SearchFilters | None = None) -> Answer:
    """Precedent wording: the best passages from different reports, quoted in full for reuse."""
    # The topic alone: the request's own words (怎么写, 参考段落) are in no report and would only dilute the match.
    query = expanded_query(analysis, analysis.topic or analysis.question)
    ranking = retriever.search(query, k=12, filters=filters, sentence_signal=True)
    if not corpus_answers(ranking):
        return no_answer(analysis, ranking, ranking.signals)
    passages = ranking.passages
    picked: list[Passage] = []
    seen_articles: set[tuple[str, int]] = set()
    for p in passages:
        key = (p.source, p.article_number)
        if key not in seen_articles:
            picked.append(p)
            seen_articles.add(key)
        if len(picked) == 6:
            break
    lines = [
        f"[{i}] 《{p.article_title}》{'（' + p.unit + '）' if p.unit else ''}：{p.text}"
        for i, p in enumerate(picked, 1)
    ]
    text = "可参考以下各地报告中的写法：\n" + "\n\n".join(lines)
    return Answer(analysis.question, analysis.kind, text, picked, signals=ranking.signals)


def _question_words(retriever: Retriever, analysis: QuestionAnalysis) -> list[str]:
    words = [w for w in dict.fromkeys(segment(analysis.normalized)) if len(w) >= 2]
    informative = _informative_terms(retriever, words)
    return informative or words


def _informative_terms(retriever: Retriever, terms: list[str]) -> list[str]:
    """Terms that occur in the corpus but not in a large share of it."""
    total = max(1, retriever.passage_count())
    kept = []
    for term in dict.fromkeys(normalize_for_index(t) for t in terms):
        n = retriever.document_frequency(term)
        if 0 < n <= COMMON_TERM_SHARE * total or (n > 0 and len(term) >= 4):
            kept.append(term)
    return kept
