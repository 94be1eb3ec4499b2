"""Answers with numbered citations: extractive by default, exhaustive for list questions, optionally by an LLM."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ghqa.index.lexical import segment
from ghqa.index.passages import Passage, Ranking, Retriever, SearchFilters
from ghqa.ingest.chunks import split_sentences
from ghqa.ingest.clean import normalize_for_index
from ghqa.qa.abstention import corpus_answers
from ghqa.qa.questions import QuestionAnalysis, analyze_question, classify_status

STATUS_LABELS = {"done": "已开展", "planned": "计划开展", "unknown": "提及"}
NO_ANSWER = "资料中没有找到能回答这个问题的段落。"
FACT_PASSAGES = 6
SECOND_QUOTE = 0.8  # share of the best sentence's score a second quoted sentence needs
LIST_MAX_PASSAGES = 400
# A list term in more than this share of passages is too common to mark evidence (工会, 工作 …).
COMMON_TERM_SHARE = 0.08
_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万]+(?:名|家|个|人|元|万|项|次|届|%)")
_FOLLOW_UP = re.compile(r"^(?:其中|这些|上述|以上|他们|它们|那么|那)")


@dataclass
class EvidenceRow:
    place: str
    status: str  # done / planned / unknown
    evidence: str
    citation: int  # 1-based index into Answer.citations
    title: str
    locator: str
    year: str | None = None
    level: str | None = None


@dataclass
class Answer:
    question: str
    kind: str
    text: str
    citations: list[Passage]
    found: bool = True
    evidence: list[EvidenceRow] = field(default_factory=list)
    nearest: list[Passage] = field(default_factory=list)  # shown when nothing answers, labelled as such
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.question,
            "answer": self.text,
            "kind": self.kind,
            "found": self.found,
            "note": self.note,
            "citations": [{"n": i, **p.to_json()} for i, p in enumerate(self.citations, start=1)],
            "evidence": [row.__dict__ for row in self.evidence],
            "nearest": [p.to_json() for p in self.nearest],
        }

    def to_csv(self, header: bool = True) -> str:
        """The evidence table of a list answer: question, place, status, evidence, source."""
        out = io.StringIO()
        writer = csv.writer(out)
        if header:
            writer.writerow(["question", "place", "status", "evidence", "citation", "title", "locator", "year"])
        for row in self.evidence:
            writer.writerow(
                [
                    self.question,
                    row.place,
                    row.status,
                    row.evidence,
                    row.citation,
                    row.title,
                    row.locator,
                    row.year or "",
                ]
            )
        return out.getvalue()


def answer_question(
    retriever: Retriever,
    question: str,
    history: list[Answer] | None = None,
    use_llm: bool | None = None,
    filters: SearchFilters | None = None,
) -> Answer:
    """Answer from the corpus. history holds earlier answers of the conversation, newest last."""
    *_, final = stream_answer(retriever, question, history, use_llm, filters)
    return final


def stream_answer(
    retriever: Retriever,
    question: str,
    history: list[Answer] | None = None,
    use_llm: bool | None = None,
    filters: SearchFilters | None = None,
) -> Iterator[str | Answer]:
    """Yield the answer text as an LLM writes it, then the Answer itself (always last, exactly once)."""
    yield from rewrite_with_llm(extractive_answer(retriever, question, history, filters), use_llm)


def rewrite_with_llm(extractive: Answer, use_llm: bool | None = None) -> Iterator[str | Answer]:
    """When an LLM endpoint is configured (and use_llm is not False), its answer over the extractive answer's
    passages, streamed; list answers stay extractive. Touches no store, so callers may run it unlocked."""
    config = _llm_config() if use_llm is not False else None
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


# --- fact and search questions -------------------------------------------------


def fact_answer(retriever: Retriever, analysis: QuestionAnalysis, filters: SearchFilters | None = None) -> Answer:
    """Quote the sentences that best answer the question, each with its citation."""
    ranking = retriever.search(expanded_query(analysis), k=FACT_PASSAGES, filters=filters)
    if not corpus_answers(ranking):
        return _no_answer(analysis, ranking)
    passages = ranking.passages
    words = _question_words(retriever, analysis)
    wants_number = bool(re.search(r"多少|几|how many|how much", analysis.normalized, re.I))
    scored: list[tuple[float, int, str]] = []
    for rank, passage in enumerate(passages):
        for sentence in passage_sentences(passage.text):
            norm = normalize_for_index(sentence)
            overlap = sum(len(w) for w in words if w in norm) / max(1, sum(len(w) for w in words))
            bonus = 0.15 if wants_number and _NUMBER.search(sentence) else 0.0
            scored.append((overlap + bonus - 0.04 * rank, rank, sentence))
    scored.sort(key=lambda s: -s[0])
    best_score = scored[0][0]
    chosen: list[tuple[int, str]] = []
    for score, rank, sentence in scored:
        # A second quote only when it answers nearly as well, and from another passage.
        if len(chosen) == 2 or (chosen and (rank in {r for r, _ in chosen} or score < SECOND_QUOTE * best_score)):
            continue
        chosen.append((rank, sentence))
    citations, numbers = _cite([passages[r] for r, _ in chosen] + passages, limit=5)
    lines = [
        f"据{_source_label(passages[rank])}：“{sentence}”[{numbers[passages[rank].chunk_id]}]"
        for rank, sentence in chosen
    ]
    return Answer(analysis.question, analysis.kind, "\n".join(lines), citations)


def _source_label(p: Passage) -> str:
    return f"《{p.article_title}》" + (f"（{p.unit}）" if p.unit else "")


def wording_answer(retriever: Retriever, analysis: QuestionAnalysis, filters: SearchFilters | None = None) -> Answer:
    """Precedent wording: the best passages from different reports, quoted in full for reuse."""
    ranking = retriever.search(expanded_query(analysis), k=12, filters=filters)
    if not corpus_answers(ranking):
        return _no_answer(analysis, ranking)
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
    return Answer(analysis.question, analysis.kind, "可参考以下各地报告中的写法：\n" + "\n\n".join(lines), picked)


def _no_answer(analysis: QuestionAnalysis, ranking: Ranking) -> Answer:
    """Nothing answers: say so, and show the nearest passages, labelled as such."""
    return Answer(analysis.question, analysis.kind, NO_ANSWER, [], found=False, nearest=ranking.passages[:3])


def expanded_query(analysis: QuestionAnalysis) -> str:
    """The question plus the Chinese canonical terms of the topics it names, so English questions reach Chinese text."""
    extra = [group[0] for group in analysis.expansions if group[0] not in analysis.normalized]
    return " ".join([analysis.question, *extra])


def _question_words(retriever: Retriever, analysis: QuestionAnalysis) -> list[str]:
    words = [w for w in dict.fromkeys(segment(analysis.normalized)) if len(w) >= 2]
    informative = _informative_terms(retriever, words)
    return informative or words


def passage_sentences(text: str) -> list[str]:
    return [s.strip() for line in text.split("\n") for a, b in split_sentences(line) if (s := line[a:b]).strip()]


def _cite(passages: list[Passage], limit: int) -> tuple[list[Passage], dict[int, int]]:
    """Distinct passages in order of first use, and the citation number of each chunk id."""
    citations: list[Passage] = []
    numbers: dict[int, int] = {}
    for p in passages:
        if p.chunk_id not in numbers and len(citations) < limit:
            citations.append(p)
            numbers[p.chunk_id] = len(citations)
    return citations, numbers


# --- list questions -----------------------------------------------------------


def list_answer(retriever: Retriever, analysis: QuestionAnalysis, filters: SearchFilters | None = None) -> Answer:
    """Every place whose report has evidence on the topic, one line each with its best sentence and citation."""
    terms = _informative_terms(retriever, list_terms(analysis))
    if not terms:
        return fact_answer(retriever, analysis, filters)
    ranking = retriever.search(expanded_query(analysis), k=30, filters=filters)
    passages = gather_passages(retriever, ranking, terms, filters)
    rows, citations = _evidence_rows(passages, terms, analysis)
    if not rows:
        return _no_answer(analysis, ranking)
    wanted = _UNIT_LEVELS.get(analysis.unit_kind or "", set())
    rows.sort(key=lambda r: (r.level not in wanted if wanted else False, r.status != "done", r.citation))
    lines = []
    for i, row in enumerate(rows, start=1):
        status = STATUS_LABELS[row.status]
        lines.append(f"{i}. {row.place}（{status}）：“{row.evidence}”[{row.citation}]")
    head = f"共找到 {len(rows)} 个单位的报告提到「{'、'.join(terms[:3])}」："
    return Answer(analysis.question, "list", head + "\n" + "\n".join(lines), citations, evidence=rows)


def list_terms(analysis: QuestionAnalysis) -> list[str]:
    """The words whose presence makes a passage evidence: a known topic's synonyms when the question names one
    (so 工会 in “哪些地方的工会开展了安康杯” gathers nothing), else the question's own topic words."""
    groups = [t for group in analysis.expansions for t in group]
    return groups or analysis.topic_terms


_UNIT_LEVELS = {"乡镇": {"镇", "乡", "街道"}, "街道": {"街道", "社区"}, "区县": {"区", "县"}, "社区": {"社区"}}


def _informative_terms(retriever: Retriever, terms: list[str]) -> list[str]:
    """Terms that occur in the corpus but not in a large share of it."""
    total = max(1, retriever.passage_count())
    kept = []
    for term in dict.fromkeys(normalize_for_index(t) for t in terms):
        n = retriever.document_frequency(term)
        if 0 < n <= COMMON_TERM_SHARE * total or (n > 0 and len(term) >= 4):
            kept.append(term)
    return kept


def gather_passages(
    retriever: Retriever, ranking: Ranking, terms: list[str], filters: SearchFilters | None = None
) -> list[Passage]:
    """All passages holding a topic term (not a top-k), then the ranked ones that hold none."""
    passages = retriever.gather(terms, filters, limit=LIST_MAX_PASSAGES)
    known = {p.chunk_id for p in passages}
    return passages + [p for p in ranking.passages if p.chunk_id not in known]


def _evidence_rows(
    passages: list[Passage], terms: list[str], analysis: QuestionAnalysis
) -> tuple[list[EvidenceRow], list[Passage]]:
    """One row per issuing unit (or per untitled report): its best sentence naming a topic term."""
    best: dict[str, tuple[tuple[int, int], str, Passage, str]] = {}
    for p in passages:
        for sentence in passage_sentences(p.text):
            norm = normalize_for_index(sentence)
            hits = [t for t in terms if t in norm]
            if not hits:
                continue
            status = classify_status(sentence)
            key = _unit_key(p)
            quality = (status == "done", max(len(t) for t in hits))
            if key not in best or quality > best[key][0]:
                best[key] = (quality, sentence, p, status)
    rows: list[EvidenceRow] = []
    citations: list[Passage] = []
    for _key, (_, sentence, p, status) in best.items():
        citations.append(p)
        rows.append(
            EvidenceRow(
                place=_place_label(p),
                status=status,
                evidence=sentence,
                citation=len(citations),
                title=p.article_title,
                locator=p.locator(),
                year=p.year,
                level=p.level if p.unit else None,
            )
        )
    return rows, citations


def _unit_key(p: Passage) -> str:
    return p.unit or f"{p.source}#{p.article_number}"


def _place_label(p: Passage) -> str:
    if p.unit:
        return p.unit
    named = [pl for pl in p.places if not re.match(r"^[xX*＊×]", pl)]
    where = f"，提到{'、'.join(named[:2])}" if named else ""
    return f"未署名单位（《{p.article_title}》，{PurePath(p.source).name}{where}）"


def narrow_list_answer(previous: Answer, analysis: QuestionAnalysis) -> Answer:
    """A follow-up such as “其中哪些是2010年的？” keeps the rows of the last list answer that match it."""
    rows = previous.evidence
    if analysis.years:
        rows = [r for r in rows if r.year in analysis.years or any(y in r.evidence for y in analysis.years)]
    if analysis.unit_kind in _UNIT_LEVELS:
        rows = [r for r in rows if r.level in _UNIT_LEVELS[analysis.unit_kind]]
    if analysis.period:
        rows = [r for r in rows if analysis.period in r.evidence or analysis.period in r.title]
    if not rows:
        return Answer(analysis.question, "list", "上一个回答中没有符合这个条件的单位。", [], found=False)
    citations = [previous.citations[r.citation - 1] for r in rows]
    renumbered = [EvidenceRow(**{**r.__dict__, "citation": i}) for i, r in enumerate(rows, start=1)]
    lines = [f"{i}. {r.place}：“{r.evidence}”[{i}]" for i, r in enumerate(renumbered, start=1)]
    text = f"在上一个回答的 {len(previous.evidence)} 个单位中，符合条件的有 {len(rows)} 个：\n" + "\n".join(lines)
    return Answer(analysis.question, "list", text, citations, evidence=renumbered)
