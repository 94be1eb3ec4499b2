"""Answers with numbered citations: extractive by default, exhaustive for list questions, optionally by an LLM."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from ghqa.index.lexical import CJK_RUN, segment
from ghqa.index.passages import Passage, QuerySignals, Ranking, Retriever, SearchFilters
from ghqa.ingest.chunks import split_sentences
from ghqa.ingest.clean import has_mojibake, normalize_for_index, to_simplified
from ghqa.ingest.metadata import report_period, report_years_named, unit_rank
from ghqa.ingest.model import Paragraph
from ghqa.ingest.places import (
    FRAME_CLAUSE,
    Place,
    Tier,
    current_equivalent,
    divisions_named,
    find_places,
    gazetteer,
    institution_end,
    is_anonymised,
    jieba_dictionary,
    kind_of,
    levels,
    short_forms,
    strip_kind,
)
from ghqa.qa.abstention import corpus_answers
from ghqa.qa.questions import (
    ORGANISATION,
    QUARTER,
    YEAR,
    QuestionAnalysis,
    analyze_question,
    classify_status,
    grouping_tier,
)
from ghqa.qa.recognition import Recognition, asked_recognition, recognised_clauses

if TYPE_CHECKING:
    from ghqa.qa.llm import LLMConfig

STATUS_LABELS = {"done": "已开展", "planned": "计划开展", "unknown": "提及"}
NO_ANSWER = "资料中没有找到能回答这个问题的段落。"
FACT_PASSAGES = 6
SECOND_QUOTE = 0.8  # share of the best sentence's score a second quoted sentence needs
LIST_MAX_PASSAGES = 400
# A list term in more than this share of passages is too common to mark evidence (工会, 工作 …).
COMMON_TERM_SHARE = 0.08
_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万]+(?:名|家|个|人|元|万|项|次|届|%)")
# A heading line that ends a sentence is body text numbered as a heading (1、开展了…。).
_SENTENCE_END = re.compile(r"[。！？!?；;]\s*$")
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
    level: str | None = None  # the kind word of the row's place (镇, 市, 省 …), when the row is a place
    source_unit: str | None = None  # the issuing unit of the cited report (the province of a city row)
    mentions: int = 1  # sentences on the topic found for this row


CSV_HEADER = ["问题", "地区/单位", "年份", "状态", "证据", "出处"]


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
    signals: QuerySignals | None = None  # what the abstention model weighed, for answers that consult it

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
            "signals": self.signals.to_json() if self.signals else None,
        }

    def to_csv(self, header: bool = True) -> str:
        """The evidence table of a list answer, headed in Chinese: question, place or unit, year, status (已开展 /
        计划开展 / 提及), evidence and source."""
        out = io.StringIO()
        writer = csv.writer(out)
        if header:
            writer.writerow(CSV_HEADER)
        for row in self.evidence:
            writer.writerow(
                [
                    self.question,
                    row.place,
                    row.year or "",
                    STATUS_LABELS.get(row.status, row.status),
                    row.evidence,
                    f"[{row.citation}] {row.locator}",
                ]
            )
        return out.getvalue()

    def overview(self) -> dict[str, int]:
        """Each row's place, unit or year and how many sentences on the topic it has, for a chart."""
        return {row.place: row.mentions for row in self.evidence}


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


# --- fact and search questions -------------------------------------------------


def fact_answer(retriever: Retriever, analysis: QuestionAnalysis, filters: SearchFilters | None = None) -> Answer:
    """Quote the sentences that best answer the question, each with its citation."""
    ranking = retriever.search(expanded_query(analysis), k=FACT_PASSAGES, filters=filters, sentence_signal=True)
    if absent := _absent_reports(retriever, analysis):
        # What the 2020 report says cannot be quoted from the others (the 2019 one names the year before's figures).
        answer = _no_answer(analysis, ranking, ranking.signals)
        answer.note = f"资料中没有{'、'.join(absent)}年的报告。"
        return answer
    if not corpus_answers(ranking):
        return _no_answer(analysis, ranking, ranking.signals)
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
        return _no_answer(analysis, ranking, ranking.signals)
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
        return _no_answer(analysis, ranking, ranking.signals)
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


def _no_answer(analysis: QuestionAnalysis, ranking: Ranking, signals: QuerySignals | None = None) -> Answer:
    """Nothing answers: say so, and show the nearest passages, labelled as such (signals: what the abstention model
    weighed, when it decided)."""
    return Answer(
        analysis.question, analysis.kind, NO_ANSWER, [], found=False, nearest=ranking.passages[:3], signals=signals
    )


def expanded_query(analysis: QuestionAnalysis, text: str | None = None) -> str:
    """The question (or the given part of it) plus the Chinese canonical terms of the topics it names, so English
    questions reach Chinese text."""
    extra = [group[0] for group in analysis.expansions if group[0] not in analysis.normalized]
    return " ".join([text or analysis.question, *extra])


def _question_words(retriever: Retriever, analysis: QuestionAnalysis) -> list[str]:
    words = [w for w in dict.fromkeys(segment(analysis.normalized)) if len(w) >= 2]
    informative = _informative_terms(retriever, words)
    return informative or words


@dataclass
class Quote:
    """A sentence quoted from a passage, and the paragraph that holds it."""

    sentence: str
    passage: Passage
    paragraph: Paragraph
    line: str  # the paragraph's text as the passage holds it (a long paragraph may be split between passages)

    def citation(self) -> Passage:
        """The passage narrowed to the quoted sentence's paragraph, with that paragraph's own section path."""
        return replace(
            self.passage,
            text=self.line,
            first_paragraph=self.paragraph.number,
            last_paragraph=self.paragraph.number,
            section_path=list(self.paragraph.section_path),
            char_start=self.paragraph.char_start,
            char_end=self.paragraph.char_end,
            quote=self.sentence,
            also_in=[],
        )


def quotable_sentences(retriever: Retriever, passage: Passage) -> list[Quote]:
    """The passage's sentences that can stand as evidence: never a heading alone, never text with mojibake."""
    if passage.article_id is None:
        return []
    paragraphs = {
        p.number: p for p in retriever.paragraphs(passage.article_id, passage.first_paragraph, passage.last_paragraph)
    }
    quotes: list[Quote] = []
    for offset, line in enumerate(passage.text.split("\n")):
        paragraph = paragraphs.get(passage.first_paragraph + offset)
        if paragraph is None or (paragraph.heading_level is not None and not _SENTENCE_END.search(line)):
            continue
        for a, b in split_sentences(line):
            sentence = without_mojibake(line[a:b].strip())
            if sentence:
                quotes.append(Quote(sentence, passage, paragraph, line))
    return quotes


def without_mojibake(sentence: str) -> str:
    """The sentence, or its longest run of clauses free of mojibake: a quote never carries a garbled fragment."""
    if not has_mojibake(sentence):
        return sentence
    runs, current = [], ""
    for clause in re.split(r"(?<=[,，、:：])", sentence):
        if has_mojibake(clause):
            runs.append(current)
            current = ""
        else:
            current += clause
    runs.append(current)
    best = max(runs, key=len).strip(" ,，、:：")
    return best if _SENTENCE_END.search(best) or len(best) >= len(sentence) / 2 else ""


def cite_sentence(retriever: Retriever, passage: Passage, sentence: str) -> Passage:
    """The citation of a sentence quoted from a passage: narrowed to the paragraph that holds it."""
    quote = next((q for q in quotable_sentences(retriever, passage) if q.sentence == sentence), None)
    return quote.citation() if quote else passage


# --- list questions -----------------------------------------------------------

# Dense neighbours of the question at or above this cosine similarity join the lexical matches; chosen by
# bench/list_sweep.py over the four list sets (README, "List questions").
LIST_DENSE_FLOOR: float | None = 0.86
LIST_DENSE_CANDIDATES = 100
# A topic word held by more than this share of passages is generic (经济, 产业, 发展) and is left out of the key
# phrase when rarer words remain; chosen by bench/list_sweep.py.
TOPIC_COMMON_SHARE = 0.04
# Word classes (jieba) that never make a key phrase, besides verbs: prepositions, conjunctions, particles, adverbs,
# pronouns.
_NOT_TOPIC_TAGS = ("p", "c", "u", "d", "r", "y", "e", "o", "x", "w")
# jieba's tags of proper names (person, place, organisation, other): a name the corpus never holds is not paraphrased.
_NAME_TAGS = ("nr", "ns", "nt", "nz")
_CONJUNCTIONS = {"和", "或", "与", "及", "或者", "以及", "、"}
_COUNTY_RANK = levels().tier("county").rank
_TOWNSHIP_RANK = levels().tier("township").rank
# Clauses end at commas, semicolons and colons, and before each numbered item (⑴…, ①…, (7)…) of a run-on list.
_CLAUSE_SPLIT = re.compile(r"([，,；;：:]|[\u2460-\u2487]|[（(]\d{1,2}[）)])")
# Words joining the phrases of a clause (路庄子乡卫生院医联体建设和燕赵镇…试点): the conjunctions but 或 and 、.
_PHRASE_JOINS = _CONJUNCTIONS - {"或", "或者", "、"}
_NAMELY = {"即", "即为", "即是"}
# Words saying that what follows is the kind of thing meant, not the thing (…方面的荣誉, …之类的项目, …这类项目).
_CATEGORY_AFTER = re.compile(r"方面的|之类的|这类|此类|一类")
# An organisation named in a sentence: a name of two to twelve characters before the word that ends it.
_ORGANISATION = re.compile(
    r"(?:^|[，,、；;：:（(“\s在对与和及为向由把将])(?P<name>[\u4e00-\u9fffA-Za-z0-9]{2,12}?"
    r"(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|公司|厂))"
)


@dataclass(frozen=True)
class ListSettings:
    """The two figures a list answer depends on, both chosen by bench/list_sweep.py."""

    common_share: float = TOPIC_COMMON_SHARE
    dense_floor: float | None = LIST_DENSE_FLOOR


def list_answer(
    retriever: Retriever,
    analysis: QuestionAnalysis,
    filters: SearchFilters | None = None,
    settings: ListSettings = ListSettings(),
) -> Answer:
    """Every group (place, unit, organisation or year) with evidence on the topic anywhere in the corpus, one line
    each with its best sentence and a citation narrowed to that sentence's paragraph."""
    terms = list_terms(retriever, analysis, settings.common_share)
    if not terms:
        # The corpus never holds the topic (马拉松 of 马拉松比赛): nothing to list.
        answer = _no_answer(analysis, retriever.search(expanded_query(analysis), k=3, filters=filters))
        answer.note = _absent_years_note(retriever, analysis)
        return answer
    passages = gather_passages(retriever, analysis, terms, filters, settings.dense_floor)
    asked = _asked_tier(analysis)
    # Villages are in no gazetteer: no clause can be opened by one.
    recognition = asked_recognition(analysis.topic, terms) if asked and asked.rank <= _TOWNSHIP_RANK else None
    if recognition is not None:
        known = {p.chunk_id for p in passages}
        named = [*(q for q in recognition.qualifiers() if len(q) >= 2), *_tier_names(passages, recognition.tiers)]
        passages += [p for p in retriever.gather(named, filters, limit=LIST_MAX_PASSAGES) if p.chunk_id not in known]
    within = analysis.scope_codes
    # A year before 哪些X (2024年哪些乡镇…) narrows the list as a follow-up naming it would.
    rows, citations = _evidence_rows(
        retriever, passages, terms, analysis, settings.common_share, within, analysis.scope_years, recognition
    )
    note = _absent_years_note(retriever, analysis)
    if not rows:
        answer = _no_answer(analysis, retriever.search(expanded_query(analysis), k=3, filters=filters))
        answer.note = note
        return answer
    noun = "年份" if analysis.grouping == YEAR else analysis.grouping_word or "单位"
    if analysis.grouping == ORGANISATION and not all(_ORGANISATION.match("，" + row.place) for row in rows):
        noun += "或单位"  # a sentence naming no organisation is listed under its report's issuing unit
    lines = []
    for i, row in enumerate(rows, start=1):
        source = f"，{row.source_unit}的报告" if row.source_unit and row.source_unit != row.place else ""
        lines.append(f"{i}. {row.place}（{STATUS_LABELS[row.status]}{source}）：“{row.evidence}”[{row.citation}]")
    scope = "、".join(f"{y}年" for y in analysis.scope_years)
    scope += "、".join(gazetteer().by_code[code].name for code in within) + "内" if within else ""
    said = f"「{'、'.join(terms[:3])}」" + (f"或获{recognition.qualifier}认定" if recognition else "")
    head = f"{scope}共有 {len(rows)} 个{noun}的报告提到{said}："
    if note and not set(analysis.scope_years) & retriever.report_years():
        note = note.rstrip("。") + "，下列句子出自其他年份的报告，写明了该年。"
    return Answer(analysis.question, "list", head + "\n" + "\n".join(lines), citations, evidence=rows, note=note)


def _absent_years_note(retriever: Retriever, analysis: QuestionAnalysis) -> str | None:
    """资料中没有2030年的报告。 for the years a list question's scope names that no report is of."""
    absent = [y for y in analysis.scope_years if y not in retriever.report_years()]
    return f"资料中没有{'、'.join(absent)}年的报告。" if absent else None


def list_terms(retriever: Retriever, analysis: QuestionAnalysis, common_share: float = TOPIC_COMMON_SHARE) -> list[str]:
    """The phrases whose presence makes a sentence evidence: the topic's key phrase (提高最低工资标准 → 最低工资,
    发展银发经济 → 银发), then, as a boost, the synonyms (qa/synonyms.toml) of a known topic that holds it."""
    # The rules below ask for the same words again and again; each is a store lookup.
    frequency = cache(retriever.document_frequency)
    level_words = _level_words(analysis)
    common = _common_count(retriever, common_share)
    keys = key_phrases(analysis.topic, frequency, common, level_words)
    # Not generic: the topic as written, not the words around it. The asked level's word may begin one (乡改镇 when
    # 哪些乡镇 asks, though 乡 alone is never a key).
    keys += [p for p in bridged_phrases(analysis.topic, frequency) if frequency(p) <= common]
    # Measured on the eight list sets: one more character inside a key stretch found towns, a replaced one junk.
    keys += [
        v for stretch in _key_stretches(analysis.topic, keys) for v in spelling_variants(retriever, stretch, common)
    ]
    synonyms = [
        term
        for group in analysis.expansions
        if any(key in term or term in key for key in keys for term in group) or not keys
        for term in group
        if frequency(term) > 0
    ]
    return list(dict.fromkeys(normalize_for_index(t) for t in [*keys, *synonyms] if normalize_for_index(t)))


def _common_count(retriever: Retriever, common_share: float) -> float:
    """How many passages make a word generic; at least one: in a small corpus a word one passage holds is not."""
    return max(1.0, common_share * retriever.passage_count())


def bridged_phrases(topic: str, frequency: Callable[[str], int]) -> list[str]:
    """Stretches of the topic the corpus holds as written across a verb the word classes cut at (乡改镇 of 推进乡改镇,
    改镇 tagged a verb; 乡村振兴示范区): each begins with a topic word, ends with a word of two characters or more
    (not a predicate such as 建 of 中学建), holds a verb and has three characters or more."""
    tagged = _tagged_words(topic)
    starts = _topic_words(tagged, every_word=False)
    found: list[str] = []
    for i in range(len(tagged)):
        if not starts[i]:
            continue
        best = None
        for j in range(i + 1, len(tagged)):
            word, next_flag = tagged[j]
            if not (_is_verb(next_flag) or _is_topic_word(next_flag, every_word=False)):
                break
            piece = "".join(w for w, _ in tagged[i : j + 1])
            if not frequency(piece):
                break
            if any(_is_verb(f) for _, f in tagged[i : j + 1]) and len(word) >= 2 and len(piece) >= 3:
                best = piece
        if best and not any(best in f for f in found):
            found.append(best)
    return found


def _key_stretches(topic: str, keys: list[str]) -> list[str]:
    """Each one-word key, alone and with the word before it (特色小镇 for 小镇), where that makes four characters or
    more, as the topic writes them."""
    words = [w for w, _ in _tagged_words(topic)]
    found = []
    for i, word in enumerate(words):
        if word in keys:
            for stretch in (word, "".join(words[max(0, i - 1) : i + 1])):
                if len(stretch) >= 4 and CJK_RUN.fullmatch(stretch):
                    found.append(stretch)
    return list(dict.fromkeys(found))


def spelling_variants(retriever: Retriever, phrase: str, common: float) -> list[str]:
    """The corpus's spellings of a phrase with one more character inside it (特色小镇: 特色小城镇; 农村饮水: 农村饮用水),
    the same thing written out, or one fewer when that leaves a dictionary noun not generic in the corpus (物流园区:
    物流园), the same thing shortened; not an expression (自来水厂: 自来水). A one-character verb outside any dictionary
    word may be another one (撤乡设镇: 撤乡改镇, 撤乡建镇; not 撤乡并镇, 并 is a conjunction); any other character
    replaced is not the same thing: 土地整理 is not 土地管理 (整理 is a word), nor 银发 研发."""
    inner = [re.escape(phrase[:k]) + "[\u4e00-\u9fff]" + re.escape(phrase[k:]) for k in range(1, len(phrase))]
    words, tags = jieba_dictionary()
    verbs = _loose_verbs(phrase)
    replaced = [re.escape(phrase[:k]) + "[\u4e00-\u9fff]" + re.escape(phrase[k + 1 :]) for k in verbs]
    pattern = re.compile("|".join(inner + replaced))
    found: dict[str, None] = {}
    for shorter in (phrase[:k] + phrase[k + 1 :] for k in range(len(phrase))):
        if words.get(shorter, 0) > 0 and _is_noun(shorter) and 0 < retriever.document_frequency(shorter) <= common:
            found[shorter] = None
    for p in retriever.gather(list(dict.fromkeys([phrase[:2], phrase[-2:]])), limit=LIST_MAX_PASSAGES):
        for m in pattern.finditer(normalize_for_index(p.text)):
            spelled = m.group()
            if len(spelled) > len(phrase) or all(
                _verb_for_verb(spelled, k, words, tags) for k in verbs if spelled[k] != phrase[k]
            ):
                found[spelled] = None
    found.pop(phrase, None)
    return list(found)


def _verb_for_verb(spelled: str, k: int, words: dict[str, int], tags: dict[str, str]) -> bool:
    """Whether the character at k of a spelling is a one-character verb that makes no dictionary word with a
    neighbour (改 of 撤乡改镇; not 发 of 煤发电, which reads 发电)."""
    pairs = (spelled[max(0, k - 1) : k + 1], spelled[k : k + 2])
    return tags.get(spelled[k]) == "v" and not any(len(w) == 2 and words.get(w, 0) > 0 for w in pairs)


def _loose_verbs(phrase: str) -> list[int]:
    """The positions of one-character verbs in a phrase that no dictionary word of it holds (设 of 撤乡|设镇)."""
    import jieba

    words, tags = jieba_dictionary()
    positions = []
    start = 0
    for word in jieba.lcut(phrase):
        if word not in words:
            positions += [start + i for i, char in enumerate(word) if tags.get(char) == "v"]
        start += len(word)
    return positions


def key_phrases(
    topic: str, frequency: Callable[[str], int], common: float, level_words: frozenset[str] = frozenset()
) -> list[str]:
    """The key phrases of a topic, measured on the corpus by `frequency` (passages holding a phrase).

    The topic's words are cut into runs at verbs, particles, punctuation and the words of the level the question
    asks by (乡镇 of 哪些乡镇被评为乡村振兴先进乡镇: the places listed, not what they did); in each run the rarest word that
    occurs is extended over its neighbours that are not generic (held by more than `common` passages). A run of
    generic words only keeps its rarest two-word span (平台企业). Runs joined by a conjunction are alternatives;
    of the others the rarest is the key (工会 开展 安康杯 竞赛 → 安康杯). Before 方面的/之类的/这类 and 等 the topic
    names what it asks about and after it only the kind of thing (乡村旅游或乡村文化方面的荣誉 → 乡村旅游, 乡村文化;
    教学楼等校舍 → 教学楼)."""
    if category := _CATEGORY_AFTER.search(topic, 1):
        topic = topic[: category.start()]
    words = _tagged_words(topic)
    # X等Y names examples before the kind (教学楼等校舍): the examples are what the text names.
    if cut := next((i for i, (w, _) in enumerate(words) if w == "等" and 0 < i < len(words) - 1), None):
        words = words[:cut]
    keyed = _keyed_runs(words, frequency, common, level_words, every_word=False)
    if not all(keyed):
        return []  # a name in the topic the corpus never holds (毕卡索 of 毕卡索的蓝色时期): the topic is not there
    # After the thing the places have and its verb, the words that follow are what is asked about (直播 of
    # 电商服务中心被评为省级电商直播基地, 救护车 of 卫生院配备了救护车); a verb alone after it keeps the thing (卫生院要新建或改扩建).
    if (k := _subject_end(words)) and any(_names_a_thing(flag) for _, flag in words[k:]):
        keyed = _keyed_runs(words[k:], frequency, common, level_words, every_word=False) or keyed
    if keyed and _rarest(min(keyed, key=_rarest)) > common:
        # Only generic words left once verbs and particles are cut (经济 of 首发经济): the whole run around them
        # (首发经济), when it occurs.
        generic = [key for alternatives in keyed for key, _ in alternatives]
        whole = [
            alternatives
            for alternatives in _keyed_runs(words, frequency, common, level_words, every_word=True)
            if all(any(g in key for g in generic) for key, _ in alternatives)
        ]
        keyed = whole or keyed
    if not keyed:
        return []
    alternatives = min(keyed, key=_rarest)
    # A generic alternative (建设 of 建设或谋划…物流园区) is not what a question naming rarer ones asks for.
    return [key for key, n in alternatives if n <= common] or [key for key, _ in alternatives]


def _rarest(alternatives: list[tuple[str, int]]) -> int:
    return min(n for _, n in alternatives)


def _keyed_runs(
    words: list[tuple[str, str]],
    frequency: Callable[[str], int],
    common: float,
    level_words: frozenset[str],
    every_word: bool,
) -> list[list[tuple[str, int]]]:
    """The topic's runs of words, each with its key and count, grouped into sets of alternatives."""
    roles = [
        "topic" if is_topic and w not in level_words else "other"
        for (w, _), is_topic in zip(words, _topic_words(words, every_word), strict=True)
    ]
    for i in range(1, len(words) - 1):
        if words[i][0] not in _CONJUNCTIONS or every_word:
            continue
        if _names_a_thing(words[i - 1][1]):
            # After a noun and 或, verbs open a noun phrase like it (风电场或抽水蓄能电站): they name the thing.
            j = i + 1
            while j < len(words) - 1 and _is_verb(words[j][1]) and _is_topic_word(words[j + 1][1], True):
                roles[j] = "topic"
                j += 1
        elif _is_verb(words[i - 1][1]) or _is_verb(words[i + 1][1]):
            # Words coordinated by 或/和 play one part: 新建 in 新建或扩建机场 is a verb like 扩建.
            roles[i - 1] = roles[i + 1] = "other"
    runs: list[list[str]] = []
    joined: list[bool] = []  # whether a run follows the one before across a conjunction alone
    between: list[str] = []
    for (word, _), role in zip(words, roles, strict=True):
        if role != "topic" or not word.strip():
            between.append(word)
            continue
        if not runs or between:
            joined.append(bool(runs) and bool(between) and all(w in _CONJUNCTIONS for w in between))
            runs.append([])
            between = []
        runs[-1].append(word)
    names = {word for word, flag in words if flag.startswith(_NAME_TAGS)}
    attributes = {word for word, flag in words if flag == "b"}
    sets: list[list[tuple[str, int]]] = []
    open_set: list[tuple[str, int]] | None = None  # the alternatives a run joined to the one before adds to
    # An attribute without its noun (所在 of 所在的片区, 国家级 of 国家级的奖项) says of what, not what; unless it is one of
    # alternatives (国家级或省级示范区) or all the topic has (被评为省级).
    alone = [
        not every_word and set(run) <= attributes and not is_joined and not (k + 1 < len(runs) and joined[k + 1])
        for k, (run, is_joined) in enumerate(zip(runs, joined, strict=True))
    ]
    for run, is_joined, skipped in zip(runs, joined, alone, strict=True):
        if not is_joined:
            open_set = None
        if skipped and not all(alone):
            open_set = None
            continue
        variants = [run] if every_word else _present_variants(run, frequency, common, names)
        keys = list(dict.fromkeys(key for v in variants if (key := _run_key(v, frequency, common, whole=every_word))))
        if not keys and (every_word or not any(w in names and not frequency(w) for w in run)):
            continue  # a common word may be worded otherwise (新楼 for 宿舍楼): the other runs carry the topic
        if open_set is not None:
            open_set.extend(keys)
        else:
            open_set = list(keys)
            sets.append(open_set)
    return sets


def _present_variants(
    run: list[str], frequency: Callable[[str], int], common: float, names: set[str]
) -> list[list[str]]:
    """The run as the corpus can hold it: a word it never holds stands for each of its dictionary parts that it
    holds and that is not generic (养猪场 is written 种猪场 and 养猪项目: 猪场, 养猪); none when a word has no
    such part (马拉松 of 马拉松比赛, 遗址 of 工业遗址), unless it is no name and no noun and at the run's edge: then it
    is left out (正在 of 正在建设县域医疗卫生次中心: the corpus words time and aspect otherwise)."""
    import jieba

    choices = []
    for i, word in enumerate(run):
        if frequency(word):
            choices.append([word])
            continue
        parts = [p for p in dict.fromkeys(jieba.cut_for_search(word)) if len(p) >= 2 and p != word]
        present = [p for p in parts if 0 < frequency(p) <= common]
        if present:
            choices.append(present)
        elif word not in names and not _is_noun(word) and len(run) > 1 and i in (0, len(run) - 1):
            continue
        else:
            return []
    return [list(v) for v in itertools.product(*choices)] if choices else []


def _topic_words(words: Sequence[tuple[str, str]], every_word: bool) -> list[bool]:
    """Which of the tagged words can be part of a key phrase. A time word that opens a predicate says when, not what
    (正在 of 或正在推进乡改镇); as a verb's object it is the topic (春节 of 开展春节慰问)."""
    return [
        _is_topic_word(flag, every_word) and (every_word or not _opens_predicate(words, i))
        for i, (_, flag) in enumerate(words)
    ]


def _opens_predicate(words: Sequence[tuple[str, str]], i: int) -> bool:
    before_verb = i + 1 < len(words) and _is_verb(words[i + 1][1])
    after_verb = i > 0 and _is_verb(words[i - 1][1])
    return words[i][1] == "t" and before_verb and not after_verb


def _is_topic_word(flag: str, every_word: bool) -> bool:
    """Whether a word can be part of a key phrase; with every_word, any word but punctuation (首发 is an adverb)."""
    if every_word:
        return not flag.startswith(("u", "x", "w"))
    return not _is_verb(flag) and not flag.startswith(_NOT_TOPIC_TAGS)


def _is_verb(flag: str) -> bool:
    return flag.startswith("v") and flag != "vn"


def _is_activity(word: str) -> bool:
    """A verbal noun (建设, 发展): a pair ending in one says less than a pair ending in a thing (美丽乡村, 平台企业)."""
    return all(flag == "vn" for _, flag in _tagged_words(word))


def _is_noun(word: str) -> bool:
    return all(flag.startswith("n") or flag == "vn" for _, flag in _tagged_words(word))


def _names_a_thing(flag: str) -> bool:
    """Whether a word class is a noun's, not a place name's (jieba also reads 新建 of 新建或改扩建 as a county)."""
    return flag.startswith("n") and flag != "ns"


def _is_head(word: str) -> bool:
    """A noun, or a fixed expression, which jieba tags some head nouns as (连接线, 出入口)."""
    return _is_noun(word) or all(flag in ("l", "i") for _, flag in _tagged_words(word))


@lru_cache(maxsize=4096)
def _tagged_words(topic: str) -> tuple[tuple[str, str], ...]:
    """The topic's words with their jieba word classes (kept: one list answer tags the same topic and words often)."""
    import jieba.posseg

    return tuple((w.word, w.flag) for w in jieba.posseg.cut(normalize_for_index(topic)))


def _run_key(
    run: list[str], frequency: Callable[[str], int], common: float, whole: bool = False
) -> tuple[str, int] | None:
    if whole:
        # The shortest stretch of two words or more ending in the last noun that the corpus holds and that is not
        # generic (休闲农业 of 在发展休闲农业, 首发经济; 特色农业品牌 where 农业品牌 is generic); failing that, the
        # shortest it holds. A one-word run is its word.
        if len(run) == 1:
            return (run[0], n) if (n := frequency(run[0])) else None
        end = next((i for i in range(len(run) - 1, 0, -1) if _is_noun(run[i])), None)
        if end is None:
            return None
        held = [(s, n) for s in ("".join(run[i : end + 1]) for i in range(end - 1, -1, -1)) if (n := frequency(s))]
        return next(((s, n) for s, n in held if n <= common), held[0] if held else None)
    counts = [frequency(w) for w in run]
    rarest = min(range(len(run)), key=counts.__getitem__)
    if counts[rarest] > common:
        # Every word is generic: the rarest two-word span that occurs says what the topic is, one ending in a noun
        # (次中心, not 医疗次: 次 is a classifier) before others, a thing before an activity (美丽乡村, not 乡村建设).
        pairs = [
            (not _is_head(run[i + 1]), _is_activity(run[i + 1]), n, "".join(run[i : i + 2]))
            for i in range(len(run) - 1)
            if (n := frequency("".join(run[i : i + 2])))
        ]
        if not pairs:
            return run[rarest], counts[rarest]
        *_, n, pair = min(pairs)
        return pair, n
    start = end = rarest
    while start > 0 and counts[start - 1] <= common:
        start -= 1
    while end < len(run) - 1 and counts[end + 1] <= common:
        end += 1
    phrase = "".join(run[start : end + 1])
    n = frequency(phrase)
    if n:
        return phrase, n
    # Words never written together: the last noun, the head of a Chinese noun phrase (高速公路互通 → 互通).
    head = next((i for i in range(end, start - 1, -1) if _is_head(run[i])), rarest)
    return run[head], counts[head]


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
    retriever: Retriever,
    analysis: QuestionAnalysis,
    terms: list[str],
    filters: SearchFilters | None = None,
    dense_floor: float | None = LIST_DENSE_FLOOR,
) -> list[Passage]:
    """Every passage holding a key phrase (not a top-k), then the question's dense neighbours at or above the floor
    that hold none."""
    passages = retriever.gather(terms, filters, limit=LIST_MAX_PASSAGES)
    if dense_floor is None:
        return passages
    known = {p.chunk_id for p in passages}
    ranking = retriever.search(expanded_query(analysis), k=LIST_DENSE_CANDIDATES, filters=filters, mode="dense")
    neighbours = [
        p
        for p in ranking.passages
        if p.chunk_id not in known and p.relevance is not None and (p.relevance.dense or 0.0) >= dense_floor
    ]
    return passages + neighbours


@dataclass
class _Evidence:
    quote: Quote
    status: str
    quality: tuple[bool, bool, int]  # (holds a key phrase, done, length of the phrase it holds)
    mentions: int = 1


def _evidence_rows(
    retriever: Retriever,
    passages: list[Passage],
    terms: list[str],
    analysis: QuestionAnalysis,
    common_share: float = TOPIC_COMMON_SHARE,
    within: tuple[str, ...] = (),
    years: Sequence[str] = (),
    recognition: Recognition | None = None,
) -> tuple[list[EvidenceRow], list[Passage]]:
    """One row per group the question asks by, with its best sentence: one holding a key phrase, else (for a
    dense neighbour) one holding a rarer word of the topic or of a key phrase; with `years`, only sentences of a
    report of one of them or naming one; with `recognition`, also a clause in which a place of the level asked
    receives an honour of the tier asked (qa.recognition.recognised_clauses)."""
    common = _common_count(retriever, common_share)
    asked = _asked_tier(analysis)
    # The asked level's own words (乡镇 of 乡村振兴先进乡镇) are in every sentence about one of its places.
    not_evidence = _level_words(analysis) | _unkeyed_subject(analysis.topic, terms) | _broader_heads(terms)
    topic_words = [
        w
        for w in dict.fromkeys([*_words_of_topic(analysis.topic), *_words_inside(terms)])
        if len(w) >= 2 and w not in not_evidence and 0 < retriever.document_frequency(w) <= common
    ]
    best: dict[str, tuple[_Evidence, str | None, str | None]] = {}  # group -> (evidence, level, source unit)
    # A time question groups by the report's year: which clause names which place does not matter.
    by_time = analysis.grouping in (YEAR, QUARTER)
    for p in passages:
        # A passage holding a key phrase quotes only sentences that hold one: the topic's other words are not it.
        near = [] if any(t in normalize_for_index(p.text) for t in terms) else topic_words
        for quote in quotable_sentences(retriever, p):
            # Grouped by the report's year, only that year counts, not one the sentence names (2008年奥运会).
            if years and not _of_years(p.year, "" if by_time else quote.sentence, years):
                continue
            norm = normalize_for_index(quote.sentence)
            hits = [t for t in terms if t in norm] or [w for w in near if w in norm]
            recognised = []
            if not hits and recognition is not None and asked is not None and not by_time:
                clauses, _ = _split_clauses(quote.sentence)
                recognised = recognised_clauses(clauses, recognition.tiers, asked.rank, _unit_codes(p))
            if not hits and not recognised:
                continue
            status = classify_status(quote.sentence)
            if analysis.status != "unknown" and status not in (analysis.status, "unknown"):
                continue  # 已经建成 asks for work done, 力争启动 for work planned
            lexical = any(t in norm for t in terms)
            quality = (lexical, status == "done", max(map(len, hits), default=0))
            clauses = recognised or ([] if by_time else _clauses_about(quote.sentence, hits, _unit_codes(p)))
            for group, level in _groups(p, clauses, analysis, within, hits):
                found = best.get(group)
                if found is None:
                    best[group] = (_Evidence(quote, status, quality), level, p.unit)
                    continue
                found[0].mentions += 1
                if quality > found[0].quality:
                    best[group] = (_Evidence(quote, status, quality, found[0].mentions), level, p.unit)
    ordered = sorted(best.items(), key=lambda item: _row_order(item[0], item[1][0], analysis))
    rows: list[EvidenceRow] = []
    citations: list[Passage] = []
    for group, (evidence, level, source_unit) in ordered:
        citations.append(evidence.quote.citation())
        p = evidence.quote.passage
        rows.append(
            EvidenceRow(
                place=group,
                status=evidence.status,
                evidence=evidence.quote.sentence,
                citation=len(citations),
                title=p.article_title,
                locator=citations[-1].locator(),
                year=p.year,
                level=level,
                source_unit=source_unit,
                mentions=evidence.mentions,
            )
        )
    return rows, citations


def _unkeyed_subject(topic: str, terms: list[str]) -> set[str]:
    """The words of the noun phrase a topic opens with, before its verb or the gap a removed one left, when no key
    holds them: what the places have (卫生院 of 哪些乡镇卫生院建成了中医国医堂, 工会 of 哪些地方的工会开展了金秋助学), not
    what they did with it (国医堂)."""
    tagged = _tagged_words(topic)
    k = _subject_end(tagged, at_gap=True)
    subject = {w for w, _ in tagged[:k]}
    return set() if any(w in t for w in subject for t in terms) else subject


def _subject_end(tagged: Sequence[tuple[str, str]], at_gap: bool = False) -> int:
    """Where the noun phrase a topic opens with ends, at its verb (卫生院|建成了…, 电商服务中心|被评为…), or with
    `at_gap` at a gap question analysis left where it took scaffolding out, a list verb most often (工会 金秋助学, of
    工会开展了金秋助学); 0 when the topic opens otherwise (在建设…) or holds nothing after it."""
    k = next((i for i, (_, flag) in enumerate(tagged) if not _is_topic_word(flag, every_word=False)), len(tagged))
    if k == 0 or k == len(tagged):
        return 0
    passive = tagged[k][1] == "p" and k + 1 < len(tagged) and _is_verb(tagged[k + 1][1])
    return k if _is_verb(tagged[k][1]) or passive or (at_gap and tagged[k][0].isspace()) else 0


def _broader_heads(terms: list[str]) -> set[str]:
    """The head noun of each key of several words: alone it names the broader class (学校 of 寄宿制学校), not the
    topic. Not a verbal head, which a paraphrase keeps (饲料加工 for 农产品加工)."""
    heads = set()
    for term in terms:
        words = _tagged_words(term)
        if len(words) > 1 and _names_a_thing(words[-1][1]):
            heads.add(words[-1][0])
    return heads


def _words_of_topic(topic: str) -> list[str]:
    tagged = _tagged_words(topic)
    return [w for (w, _), is_topic in zip(tagged, _topic_words(tagged, every_word=False), strict=True) if is_topic]


def _words_inside(terms: list[str]) -> list[str]:
    """The words inside the key phrases, verbs included (转运 of 垃圾转运站: the corpus says 转运平台), not function
    words (首发 of 首发经济 is an adverb: 首发技术 is something else)."""
    import jieba

    return [
        w
        for term in terms
        for w in jieba.cut_for_search(term)
        if not any(flag.startswith(_NOT_TOPIC_TAGS) for _, flag in _tagged_words(w))
    ]


def _split_clauses(sentence: str) -> tuple[list[str], list[str]]:
    """A sentence's clauses and the delimiter after each ("" after the last)."""
    pieces = _CLAUSE_SPLIT.split(sentence)
    return pieces[::2], [*pieces[1::2], ""]


def _clauses_about(sentence: str, hits: list[str], near: list[str]) -> list[str]:
    """The parts of a sentence that speak of a hit: of each clause holding one, the phrases about it (see
    _phrases_about); a hit in a label before a colon (〔12〕新六种猪场：…位于台峪乡…) or before 即 meaning namely (两翼，即
    大册营镇、南韩村镇) takes the description after it too."""
    clauses, delimiters = _split_clauses(sentence)
    held = [i for i, c in enumerate(clauses) if _holds(c, hits)]
    label = next(
        (
            i
            for i in held
            if delimiters[i] in ("：", ":") or (i + 1 < len(clauses) and _opens_with_namely(clauses[i + 1], near))
        ),
        None,
    )
    described = clauses[label + 1 :] if label is not None else []
    # A frame before the clause says where it applies (以南张镇、贾光乡为重点，大力发展…现代农业园区; 在张登镇…主产地，谋划…).
    framed = [clauses[i - 1] for i in held if i > 0 and _is_frame(clauses[i - 1], near)]
    return [_phrases_about(clauses[i], hits, near) for i in held] + described + framed


def _opens_with_namely(clause: str, near: list[str]) -> bool:
    """Whether a clause opens with 即 before no verb but a copula: namely (即大册营镇、南韩村镇, 即是…, 即为…), not
    immediately (即投入运行), nor 即将 or 即使."""
    words = _words_around_places(clause, near)
    if not words or words[0][0] not in _NAMELY:
        return False
    rest = words[2:] if len(words) > 1 and words[0][0] == "即" and words[1][0] in ("是", "为") else words[1:]
    return bool(rest) and not _is_verb(rest[0][1])


def _is_frame(clause: str, near: list[str]) -> bool:
    """Whether a clause only says where the next one applies: 以南张镇、贾光乡为重点, or a prepositional phrase with no
    verb that ends in a noun, the area meant (在张登镇、冉庄镇等果蔬主产地; not 除大店镇外, 与大店镇不同)."""
    if FRAME_CLAUSE.fullmatch(clause.strip()):
        return True
    words = _words_around_places(clause, near)
    return (
        len(words) > 1
        and words[0][1] == "p"
        and not any(_is_verb(flag) for _, flag in words[1:])
        and _names_a_thing(words[-1][1])
    )


def _words_around_places(clause: str, near: list[str]) -> tuple[tuple[str, str], ...]:
    """The clause's tagged words with each place it names read as one noun, so that no part of a name counts as a
    verb (涝 of 涝坡镇, 板泉|镇)."""
    clause = clause.strip()
    for place in sorted(find_places(clause, near=near), key=lambda p: p.start, reverse=True):
        clause = clause[: place.start] + "某地" + clause[place.start + len(place.mention) :]
    return _tagged_words(clause)


def _holds(text: str, hits: list[str]) -> bool:
    norm = normalize_for_index(text)
    return any(h in norm for h in hits)


def _phrases_about(clause: str, hits: list[str], near: list[str]) -> str:
    """The part of a clause that speaks of a hit. Phrases joined by 和/及/与 are one list when a verb they share or a
    等 summing them up stands beside the hit: after it, the whole clause counts (…高铁和南京北站…开工建设); before it,
    the phrases before it too (…4个村和永宁社区被评为…示范村, …和银川陆港等5个物流园区). Otherwise the hit's phrase goes
    with the phrases before it that end in a place (温仁和冉庄污水处理厂) or in the institution of a place that the
    hit's phrase names after its own place (紫荆关卫生院和塘湖卫生院…次中心; not 板泉镇卫生院以及大店镇污水处理厂), not with
    the others (路庄子乡卫生院医联体建设和燕赵镇、文德镇…试点)."""
    norm = normalize_for_index(clause)
    if len(norm) != len(clause):
        return clause  # offsets are found in the normalised text (NFKC may change its length)
    import jieba

    places = find_places(clause, near=near)
    ends = {p.start + len(p.mention) for p in places}
    tokens = list(jieba.tokenize(norm))
    joins = [(start, end) for word, start, end in tokens if word in _PHRASE_JOINS]
    phrases = list(zip([0, *(end for _, end in joins)], [*(start for start, _ in joins), len(clause)], strict=True))
    held = [k for k, (start, end) in enumerate(phrases) if any(h in norm[start:end] for h in hits)]
    if not held:
        return clause  # a hit across a conjunction (职工和家属)
    first, last = phrases[held[0]], phrases[held[-1]]
    after = max(last[0] + i + len(h) for h in hits if (i := norm[last[0] : last[1]].find(h)) >= 0)
    if _joins_list(norm[after:]):
        return clause
    before = min(first[0] + i for h in hits if (i := norm[first[0] : first[1]].find(h)) >= 0)
    lead = norm[first[0] : before]
    # Institutions of places in parallel (紫荆关卫生院和塘湖卫生院…次中心): the one the hit's phrase names ends an item too.
    after_places = [(p.start, p.start + len(p.mention)) for p in places]
    named = {clause[e : institution_end(clause, e)] for s, e in after_places if first[0] <= s < before}
    ends |= {i for e in ends if (i := institution_end(clause, e)) > e and clause[e:i] in named}
    # The items counted: those from the first one naming a place, cut at 、 as at 和 (改建、加固阳城镇…桥、…和…3座).
    starts = [p.start for p in places if p.start < before]
    cuts = [start for word, start, end in tokens if end <= before and (word in _PHRASE_JOINS or word == "、")]
    items = 1 + sum(cut > min(starts) for cut in cuts) if starts else 0
    k = 0 if _joins_list(lead) or _counts_items(lead, items) else held[0]
    while k > 0 and phrases[k - 1][1] in ends:
        k -= 1
    return clause[phrases[k][0] : last[1]]


def _joins_list(text: str) -> bool:
    """Whether text beside a hit makes the phrases of its clause one list: a verb they share, or 等 summing them up."""
    return any(_is_verb(flag) or word == "等" for word, flag in _tagged_words(text)) if text.strip() else False


def _counts_items(text: str, items: int) -> bool:
    """Whether the text before a hit ends in a count, digits and a classifier, of as many as the items listed before
    it (阳城镇九龙河桥、石桥乡…和望亭乡刘口桥3座危桥): they are one list. Digits only: a numeral character also begins
    names (百中, 三十里铺); a measure is no count (板泉镇文化广场和大店镇500平方米综合文化站)."""
    tagged = _tagged_words(text)
    if len(tagged) < 3:
        return False
    (number, number_flag), (_, classifier_flag) = tagged[-2], tagged[-1]
    return number_flag == "m" and number.isdigit() and classifier_flag in ("q", "m") and int(number) == items


def _row_order(group: str, evidence: _Evidence, analysis: QuestionAnalysis) -> tuple:
    if analysis.grouping in (YEAR, QUARTER):
        return (group,)
    return (evidence.status != "done", -evidence.mentions, group)


def _groups(
    p: Passage,
    clauses: list[str],
    analysis: QuestionAnalysis,
    within: tuple[str, ...] = (),
    hits: Sequence[str] = (),
) -> list[tuple[str, str | None]]:
    """The groups a piece of evidence counts for, with their level: the report's year for time questions; the
    organisations its clauses name for 企业 questions; the report's own places of the level asked that its clauses
    name (a city in a province's report); else the issuing unit, unless that is above the level asked. With
    `within` (the divisions a question is scoped to, 江苏省哪些城市…), only places and units under one of them."""
    tier = _asked_tier(analysis)
    # An anonymised unit is in scope by the parent its report names (xx镇 of 崇州市).
    in_scope = not within or bool(set(within) & {*_unit_codes(p), *_codes_of_unit(p.unit_parent or "")})
    if tier is None and not in_scope:
        return []  # a year or an organisation of a report from outside the scope
    if analysis.grouping == YEAR:
        return [(p.year or "年份不详", None)]
    if analysis.grouping == QUARTER:
        return [(f"{p.year or ''}{report_period(p.article_title, []) or '（季度不详）'}", None)]
    if analysis.grouping == ORGANISATION:
        named = [m.group("name") for c in clauses for m in _ORGANISATION.finditer(to_simplified(c))]
        if named:
            return [(name, None) for name in dict.fromkeys(named)]
    if tier is not None:
        # A place under the scope counts in a report from outside it too, when that report's own places allow it
        # (南京 named in a national report, for 江苏省哪些城市).
        own = _own_places(p, clauses, tier.rank, within, hits)
        if own or not in_scope:
            return own
        rank = unit_rank(p.unit)
        # A county or district acts in its townships, so its own report counts one level down; a province's report
        # naming no city is no city's evidence, nor is a village's report a township's.
        if p.unit and rank is not None and rank != tier.rank and not (rank == tier.rank - 1 >= _COUNTY_RANK):
            return []
    return [(_place_label(p), p.level if p.unit else None)]


def _level_words(analysis: QuestionAnalysis) -> frozenset[str]:
    """The words of the level a list question asks by (乡镇, 镇, 乡 … for 哪些乡镇)."""
    tier = _asked_tier(analysis)
    return frozenset(tier.groups) if tier else frozenset()


def _asked_tier(analysis: QuestionAnalysis) -> Tier | None:
    return grouping_tier(analysis.grouping)


def _own_places(
    p: Passage, clauses: list[str], rank: int, within: tuple[str, ...] = (), hits: Sequence[str] = ()
) -> list[tuple[str, str | None]]:
    """Places of the rank asked named in the clauses, within the report's unit (a city of the province reporting)
    and, when given, under one of the divisions `within`."""
    unit_codes = _unit_codes(p)
    found: list[tuple[str, str | None]] = []
    for clause in clauses:
        for named in find_places(clause, near=unit_codes, named_before=hits):
            place = _named_within(named, rank)
            if place.rank != rank or place.anonymised:
                continue
            if unit_codes and place.code is None:
                continue  # a name several divisions share, none of them under the report's unit (新建镇)
            if unit_codes and unit_codes[0] not in _ancestor_codes(place.code):
                continue  # another province's city, named for comparison or cooperation
            if within and not (place.code and set(within) & set(_ancestor_codes(place.code))):
                continue
            found.append((place.name, place.level))
    return list(dict.fromkeys(found))


def _tier_names(passages: list[Passage], tiers: Sequence[Tier]) -> list[str]:
    """The names, full and short, of the divisions of the tiers above the reports' units (保定市, 保定 for 市级 over
    county reports): an honour of the tier may carry one instead of a qualifier (保定市美丽休闲乡村)."""
    ranks = {tier.rank for tier in tiers}
    divisions = {gazetteer().by_code[c] for p in passages for c in _unit_codes(p)[1:] if c in gazetteer().by_code}
    return sorted({f for d in divisions if d.rank in ranks for f in {d.name, *short_forms(d.name, d.rank)}})


def _named_within(place: Place, rank: int) -> Place:
    """A division below the rank asked whose name begins with its ancestor's of that rank (包头稀土高新技术产业开发区 of
    包头市) names that ancestor too; any other place is itself."""
    division = gazetteer().by_code.get(place.code or "")
    if division is None or place.rank <= rank:
        return place
    above = next((a for a in gazetteer().ancestors(division) if a.rank == rank), None)
    if above is None or not any(
        place.name.startswith(f) for f in {strip_kind(above.name), *short_forms(above.name, rank)}
    ):
        return place
    parent = gazetteer().parent(above)
    level = kind_of(above.name) or place.level
    return replace(
        place, name=above.name, level=level, rank=rank, parent=parent.name if parent else None, code=above.code
    )


def _unit_codes(p: Passage) -> list[str]:
    """The code of the report's unit and of the divisions above it, when the unit is one known division."""
    return list(_codes_of_unit(p.unit or ""))


@cache
def _codes_of_unit(unit: str) -> tuple[str, ...]:
    """Looked up once per unit: a list answer asks for every sentence of every passage it gathers."""
    divisions = divisions_named(unit)
    if len(divisions) != 1:
        return ()
    # A former unit (清苑县) counts as the division that took it over (清苑区), whose townships its report names.
    division = current_equivalent(divisions[0])
    return (division.code, *(d.code for d in gazetteer().ancestors(division)))


def _ancestor_codes(code: str) -> list[str]:
    division = gazetteer().by_code.get(code)
    return [code, *(d.code for d in gazetteer().ancestors(division))] if division else [code]


def _place_label(p: Passage) -> str:
    if p.unit and p.unit_parent and is_anonymised(p.unit):
        return f"{p.unit}（{p.unit_parent}）"  # xx镇 alone names no place a reader can find
    if p.unit:
        return p.unit
    return f"未署名单位（《{p.article_title}》，{PurePath(p.source).name}）"


def narrow_list_answer(previous: Answer, analysis: QuestionAnalysis) -> Answer:
    """A follow-up such as “其中哪些是2010年的？” or “其中哪些已经建成？” keeps the rows of the last list answer that
    match it; by status, only rows whose sentence says it (a list question stating a status keeps sentences that
    say nothing too, since it is all they have)."""
    rows = previous.evidence
    if analysis.years:
        rows = [r for r in rows if _of_years(r.year, r.evidence, analysis.years)]
    tier = _asked_tier(analysis)
    if tier is not None:
        rows = [r for r in rows if r.level is not None and tier.key in _level_tiers(r.level)]
    if analysis.period:
        rows = [r for r in rows if analysis.period in r.evidence or analysis.period in r.title]
    if analysis.status != "unknown":
        rows = [r for r in rows if r.status == analysis.status]
    if not rows:
        return Answer(analysis.question, "list", "上一个回答中没有符合这个条件的单位。", [], found=False)
    citations = [previous.citations[r.citation - 1] for r in rows]
    renumbered = [EvidenceRow(**{**r.__dict__, "citation": i}) for i, r in enumerate(rows, start=1)]
    lines = [f"{i}. {r.place}：“{r.evidence}”[{i}]" for i, r in enumerate(renumbered, start=1)]
    text = f"在上一个回答的 {len(previous.evidence)} 个单位中，符合条件的有 {len(rows)} 个：\n" + "\n".join(lines)
    return Answer(analysis.question, "list", text, citations, evidence=renumbered)


def _of_years(year: str | None, sentence: str, years: Sequence[str]) -> bool:
    """Whether evidence is of one of the years: its report's, or one the sentence names (2024年，我县… in 2025's)."""
    return year in years or any(y in sentence for y in years)


def _level_tiers(level: str) -> tuple[str, ...]:
    """The tiers a kind word occurs at: 镇 → township, 市 → province, prefecture and county."""
    kind = levels().kind(level)
    return kind.tiers if kind else ()
