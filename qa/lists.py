"""List answers (哪些乡镇…, 哪几年…): every group (place, unit, organisation or year) with evidence on the topic anywhere
in the corpus, each with its best sentence and a citation narrowed to that sentence's paragraph."""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from pathlib import PurePath

from ghqa.index.lexical import holds_phrase, phrase_span, phrase_spans
from ghqa.index.passages import Passage, Retriever, SearchFilters, held_spans
from ghqa.ingest.clean import normalize_for_index, to_simplified
from ghqa.ingest.metadata import STATE_COUNCIL, report_period, unit_rank
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
    kind_of,
    levels,
    short_forms,
    strip_kind,
)
from ghqa.qa.evidence import (
    STATUS_LABELS,
    Answer,
    EvidenceRow,
    Quote,
    expanded_query,
    no_answer,
    quotable_sentences,
    section_quotes,
)
from ghqa.qa.questions import (
    ORGANISATION,
    QUARTER,
    YEAR,
    QuestionAnalysis,
    YearSpan,
    classify_status,
    deepest_divisions,
    honour_categories,
    honour_verbs,
    left_out_spans,
)
from ghqa.qa.recognition import Recognition, asked_honour, asked_recognition, qualified, recognised_clauses
from ghqa.qa.topic_keys import (
    TOPIC_COMMON_SHARE,
    common_count,
    left_out_keys,
    list_terms,
    subject_end,
    without_quoted_names,
)
from ghqa.qa.word_classes import (
    BRACKETED,
    CONJUNCTIONS,
    holds_as_words,
    is_activity,
    is_function_word,
    is_verb,
    names_a_thing,
    tagged_words,
    topic_words,
)

# Dense neighbours of the question at or above this cosine similarity join the lexical matches; chosen by
# bench/list_sweep.py over the four list sets (README, "List questions").
LIST_DENSE_FLOOR: float | None = 0.84

LIST_DENSE_CANDIDATES = 100
# A generic phrase (a synonym such as 工会) would bring most of the corpus: it brings this many passages, or as many
# as a phrase may hold and not be generic, whichever is more. A phrase that is not generic comes whole.
LIST_MAX_PASSAGES = 400

_COUNTY_RANK = levels().tier("county").rank
_LOCAL = "地方"  # the grouping word that asks for local units, as opposed to the centre (地方 and 中央)

_TOWNSHIP_RANK = levels().tier("township").rank

# Clauses end at commas, semicolons and colons, and before each numbered item (⑴…, ①…, (7)…) of a run-on list.
_CLAUSE_SPLIT = re.compile(r"([，,；;：:]|[\u2460-\u2487]|[（(]\d{1,2}[）)])")

# Words joining the phrases of a clause (路庄子乡卫生院医联体建设和燕赵镇…试点): the conjunctions but 或 and 、.
_PHRASE_JOINS = CONJUNCTIONS - {"或", "或者", "、"}

_NAMELY = {"即", "即为", "即是"}

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
    asked = analysis.asked_tier
    recognition = None
    # Villages are in no gazetteer: no clause can be opened by one.
    if asked and asked.rank <= _TOWNSHIP_RANK:
        recognition = asked_recognition(analysis.topic, terms, retriever.document_frequency) or asked_honour(
            analysis.topic, asked.rank
        )
    if recognition is not None:
        # The tier or field words around the honour asked are never its topic (市级 of 受到过市级以上表彰).
        terms = [t for t in terms if not recognition.frames(t)]
    if not terms and recognition is None:
        # The corpus never holds the topic (马拉松 of 马拉松比赛): nothing to list.
        answer = no_answer(analysis, retriever.search(expanded_query(analysis), k=3, filters=filters))
        answer.note = _absent_years_note(retriever, analysis)
        return answer
    passages = gather_passages(retriever, analysis, terms, filters, settings.dense_floor, settings.common_share)
    if recognition is not None:
        known = {p.chunk_id for p in passages}
        named = [*(q for q in recognition.qualifiers() if len(q) >= 2), *_tier_names(passages, recognition.tiers)]
        # Every passage with a verb of receiving an honour that names the tier: a qualifier (全国) is too common to
        # gather whole, the verbs are rarer.
        honoured = retriever.gather(sorted(honour_verbs()), filters, limit=None) if named else []
        # Spaces ignored, as gathering ignores them (省 级).
        passages += [
            p
            for p in honoured
            if p.chunk_id not in known
            and (_holds(p.text, named) or qualified(to_simplified(p.text).replace(" ", ""), recognition.tiers))
        ]
    # A year before 哪些X (2024年哪些乡镇…) narrows the list as a follow-up naming it would; what the question leaves out
    # besides places and years is not said (_Scope.unsaid).
    scope = replace(
        _scope_of(analysis), things_out=tuple(left_out_keys(retriever, analysis, terms, settings.common_share))
    )
    rows, citations = _evidence_rows(retriever, passages, terms, analysis, settings.common_share, scope, recognition)
    note = _absent_years_note(retriever, analysis)
    if not rows and recognition is not None and recognition.field:
        # No honour names the field (在年度考核中, 在各项工作中: an occasion, not a field): the honours of any field.
        asked_field, recognition = recognition.field, replace(recognition, field=())
        rows, citations = _evidence_rows(
            retriever, passages, terms, analysis, settings.common_share, scope, recognition
        )
        if rows:
            note = (note or "") + f"报告中的荣誉未写明「{'、'.join(asked_field)}」，下列为各方面的荣誉。"
    # Only where nothing but the keys narrows the answer: a status, a scope or filters may leave no row on their own
    # (哪些省份已建成三北防护林 when the provinces only plan it); what is left out only takes rows away.
    narrowed = analysis.status != "unknown" or scope.narrows() or (filters and not filters.is_empty())
    if not (recognition or narrowed) and not any(_holds(r.evidence, terms) for r in rows):
        # No sentence of a group asked for holds a key (三北防护林, held by the national reports only, where provinces
        # write “三北”工程): the keys are read as never written, and the topic's words key it as they would then, with
        # the names inside the keys (三北).
        # Not a verbal noun alone, which says what was done, not about what (投运 of 核能发电站项目的建设或投运).
        broader = [
            t
            for t in list_terms(retriever, analysis, settings.common_share, unheld=frozenset(terms))
            if not is_activity(t)
        ]
        if broader and set(broader) != set(terms):
            passages = gather_passages(
                retriever, analysis, broader, filters, settings.dense_floor, settings.common_share
            )
            wider = _evidence_rows(retriever, passages, broader, analysis, settings.common_share, scope)
            if wider[0]:
                asked_for = analysis.grouping_word or "单位"
                note = f"写到「{'、'.join(terms[:3])}」的句子都不属于所问的{asked_for}，下列按「{'、'.join(broader[:3])}」列出。"
                terms, (rows, citations) = broader, wider
    if not rows:
        answer = no_answer(analysis, retriever.search(expanded_query(analysis), k=3, filters=filters))
        answer.note = note
        return answer
    noun = "年份" if analysis.grouping == YEAR else analysis.grouping_word or "单位"
    if analysis.negated:
        denied = f"报告写谁做了，不写谁没有做：下列是写到此事的{noun}，未列出的{noun}资料中未见写到。"
        note = denied + (note or "")
    if analysis.grouping == ORGANISATION and not all(_ORGANISATION.match("，" + row.place) for row in rows):
        noun += "或单位"  # a sentence naming no organisation is listed under its report's issuing unit
    lines = []
    for i, row in enumerate(rows, start=1):
        source = f"，{row.source_unit}的报告" if row.source_unit and row.source_unit != row.place else ""
        lines.append(f"{i}. {row.place}（{STATUS_LABELS[row.status]}{source}）：“{row.evidence}”[{row.citation}]")
    said = f"「{'、'.join(terms[:3])}」" if terms else ""
    if recognition:
        said += ("或" if said else "") + (f"获{recognition.qualifier}认定" if recognition.qualifier else "获得荣誉")
    head = f"{scope.phrase()}共有 {len(rows)} 个{noun}的报告提到{said}："
    if note and analysis.scope_years and not set(analysis.scope_years) & retriever.report_years():
        note = note.rstrip("。") + "，下列句子出自其他年份的报告，写明了该年。"
    return Answer(analysis.question, "list", head + "\n" + "\n".join(lines), citations, evidence=rows, note=note)


def _absent_years_note(retriever: Retriever, analysis: QuestionAnalysis) -> str | None:
    """资料中没有2030年的报告。 for the years a list question's scope names, or its reports' years, that no report is
    of."""
    held = retriever.report_years()
    absent = [f"{y}年" for y in analysis.scope_years if y not in held]
    absent += [span.said() for span in analysis.report_years if not any(span.holds(y) for y in held)]
    return f"资料中没有{'、'.join(absent)}的报告。" if absent else None


def gather_passages(
    retriever: Retriever,
    analysis: QuestionAnalysis,
    terms: list[str],
    filters: SearchFilters | None = None,
    dense_floor: float | None = LIST_DENSE_FLOOR,
    common_share: float = TOPIC_COMMON_SHARE,
) -> list[Passage]:
    """Every passage holding a key phrase (not a top-k; a generic phrase only up to LIST_MAX_PASSAGES), then the
    question's dense neighbours at or above the floor that hold none."""
    limit = max(LIST_MAX_PASSAGES, math.ceil(common_count(retriever, common_share)))
    passages = retriever.gather(terms, filters, limit=limit)
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


# What blanks a left-out thing: no key holds it, and phrase matching does not look past it as it does past spaces.
_UNSAID = "□"


def _as_written(text: str) -> str:
    """A text with nothing blanked: where a question leaves nothing out (see _Scope.unsaid)."""
    return text


@dataclass(frozen=True)
class _Scope:
    """The divisions and report years a list question narrows to (江苏省 of 江苏省哪些城市…, 2024年哪些乡镇…) and those it
    leaves out (除清苑区外…, 除2020年外…)."""

    within: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    years_out: tuple[str, ...] = ()
    things_out: tuple[str, ...] = ()  # keys of what else it leaves out (高速公路连接线 of …高速公路连接线不算)
    writers_rank: int | None = None  # the rank of the units whose reports it reads (0 of 国务院政府工作报告)
    report_years: tuple[YearSpan, ...] = ()  # the years of the reports it reads (2013年及以前的报告里): no others

    def admit(self, codes: Iterable[str]) -> bool:
        """Whether what these division codes belong to (a place and its ancestors, a report's unit and its parent)
        is in scope."""
        held = set(codes)
        return (not self.within or bool(held & set(self.within))) and not held & set(self.outside)

    def admits_writer(self, unit: str | None) -> bool:
        """Whether a report by this unit is of those the question reads (a province's is none of 国务院's)."""
        return self.writers_rank is None or unit_rank(unit) == self.writers_rank

    def admits_report(self, year: str | None, sentence: str) -> bool:
        """Whether a sentence of a report of this year is in scope: of a year asked, or naming one (2024年，我县… in
        2025's; pass no sentence where only the report's year counts), of the reports' years named, and of no year
        left out."""
        return (
            (not self.years or _of_years(year, sentence, self.years))
            and (not self.report_years or any(span.holds(year) for span in self.report_years))
            and year not in self.years_out
        )

    def unsaid(self, text: str, keys: Iterable[str] = ()) -> str:
        """A text as the index writes it, with what the question leaves out blanked, so that a key inside it is not
        said (公路 of 高速公路连接线); not where one of `keys` overlaps it in part (新城 of 新城区 when 城区 is left out)."""
        spans = [span for thing in self.things_out for span in phrase_spans(text, thing)]
        if not spans:
            return text
        said = [span for key in keys for span in phrase_spans(text, key)]
        for start, end in spans:
            if not any(s < end and start < e and not start <= s < e <= end for s, e in said):
                text = text[:start] + _UNSAID * (end - start) + text[end:]
        return text

    def narrows(self) -> bool:
        """Whether it narrows the list to some divisions or years, rather than only leaving some out."""
        # Which reports are read (their writers, their years) narrows nothing: the keys may miss there as anywhere.
        return bool(self.within or self.years)

    def phrase(self) -> str:
        """How the answer's head says the scope (2023年、2024年江苏省内, 2013年及以前的报告中, 清苑区、2016年至2018年以外)."""
        inside = _years_said(self.years) + (_division_names(self.within) + "内" if self.within else "")
        reports = "、".join(span.said() for span in self.report_years)
        left_out = "、".join(part for part in (_division_names(self.outside), _years_said(self.years_out)) if part)
        parts = (inside, reports + "的报告中" if reports else "", left_out + "以外" if left_out else "")
        return "，".join(part for part in parts if part)


def _scope_of(analysis: QuestionAnalysis) -> _Scope:
    writers = levels().tier(analysis.reports_of).rank if analysis.reports_of else None
    return _Scope(
        analysis.scope_codes,
        analysis.left_out_codes,
        tuple(analysis.scope_years),
        analysis.left_out_years,
        writers_rank=writers,
        report_years=analysis.report_years,
    )


def _division_names(codes: tuple[str, ...]) -> str:
    return "、".join(gazetteer().by_code[code].name for code in codes)


def _years_said(years: tuple[str, ...]) -> str:
    """2023年、2024年; three years running or more as a span (2016年至2018年)."""
    runs: list[list[int]] = []
    for year in sorted(int(y) for y in years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return "、".join(f"{run[0]}年至{run[-1]}年" if len(run) >= 3 else "、".join(f"{y}年" for y in run) for run in runs)


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
    scope: _Scope = _Scope(),
    recognition: Recognition | None = None,
) -> tuple[list[EvidenceRow], list[Passage]]:
    """One row per group the question asks by, with its best sentence: one holding a key phrase, else (for a
    dense neighbour) one holding a rarer word of the topic or of a key phrase; only sentences `scope` admits
    (qa.lists._Scope.admits_report, admits_writer); with `recognition`, also a clause in which a place of the level
    asked receives an honour of the tier asked (qa.recognition.recognised_clauses). Rows in reading order
    (_in_reading_order)."""
    common = common_count(retriever, common_share)
    frequency = cache(retriever.document_frequency)  # each a scan of the store, asked again by _stand_ins
    asked = analysis.asked_tier
    # The asked level's own words (乡镇 of 乡村振兴先进乡镇) are in every sentence about one of its places.
    not_evidence = (
        analysis.level_words
        | _unkeyed_subject(analysis.topic, terms)
        | _broader_heads(terms)
        | _qualified_heads(analysis.topic, terms)
        | _words_of_honour(recognition)
    )
    # The words inside a quoted name stand for no part of it (框架 of 《海峡两岸经济合作框架协议》).
    unquoted, names = without_quoted_names(analysis.topic)
    candidates = [
        w
        for w in dict.fromkeys(
            [*_words_of_topic(unquoted), *_words_inside([t for t in terms if not any(t in n for n in names)])]
        )
        if len(w) >= 2 and w not in not_evidence and 0 < frequency(w) <= common
    ]
    fallback_words = _fallback_words(terms, candidates, frequency, by_place=asked is not None)
    # Words that show a clause beside a key's speaks of the topic too: its verbs as well (取缔 of 取缔…散煤的园区).
    related = [
        w
        for w in dict.fromkeys([*(w for w, f in tagged_words(unquoted) if not is_function_word(f)), *candidates])
        if len(w) >= 2 and w not in not_evidence and 0 < frequency(w) <= common
    ]
    # An honour asked in a field names it or its phrase's rarest word (平安 of 平安建设); one of a part names the part.
    field = [*recognition.field, *(_rarest_word(f, frequency) for f in recognition.field)] if recognition else []
    # A village's honour names the village, not 村; with no part asked, only the places' own honours count.
    holders = [h for h in recognition.holders if levels().group_tier(h) is None] if recognition else []
    # Keys that only say what honour is asked (荣誉, 市级, 卫生院, 乡村旅游) are evidence only where one is given.
    qualifying = {t for t in terms if recognition and any(t in q or q in t for q in recognition.phrases() if q)}
    own = recognition is not None and not recognition.holders and not analysis.asks_for_parts
    best: dict[str, tuple[_Evidence, str | None, str | None]] = {}  # group -> (evidence, level, source unit)
    # A time question groups by the report's year: which clause names which place does not matter.
    by_time = analysis.grouping in (YEAR, QUARTER)
    topic = normalize_for_index(analysis.topic)  # once, not for every sentence
    headings_read: set[tuple[int | None, int]] = set()
    for p in passages:
        if not scope.admits_writer(p.unit):
            continue  # 哪些年份的国务院政府工作报告…: a province's report is none of them
        # A passage holding a key phrase quotes only sentences that hold one: the topic's other words are not it.
        near = [] if any(holds_phrase(normalize_for_index(p.text), t) for t in terms) else fallback_words
        quotes = quotable_sentences(retriever, p)
        items = _counted_items([q.sentence for q in quotes], terms)
        for k, keys in _titled_sentences(quotes, terms).items():
            items.setdefault(k, keys)
        # A heading naming a counted programme (九、…抓好十项民心工程) heads its items: every sentence under it.
        for heading, keys in _programme_headings(retriever, p, terms):
            if (p.article_id, heading.number) in headings_read:
                continue
            headings_read.add((p.article_id, heading.number))
            for quote in section_quotes(retriever, p, heading):
                items[len(quotes)] = keys
                quotes.append(quote)
        for i, quote in enumerate(quotes):
            # Grouped by the report's year, only that year counts, not one the sentence names (2008年奥运会).
            if not scope.admits_report(p.year, "" if by_time else quote.sentence):
                continue
            norm = scope.unsaid(normalize_for_index(quote.sentence), terms)
            key_hits = [t for t in terms if holds_as_words(norm, t)] or items.get(i, [])
            parts = _split_clauses(quote.sentence)[0] if recognition is not None else []
            if key_hits and all(t in qualifying for t in key_hits) and not _honours_in(parts, key_hits, field):
                key_hits = []
            hits = key_hits or [w for w in near if holds_as_words(norm, w)]
            recognised = []
            # A sentence may hold a key in one clause and an honour in another (我县荣获…荣誉称号，齐村镇被评为…).
            if recognition is not None and asked is not None and not by_time:
                recognised = [
                    c
                    for c in recognised_clauses(
                        parts, recognition.tiers, asked.rank, _unit_codes(p), own, not recognition.qualifier
                    )
                    if (not field or _holds(c, field)) and (not holders or _holds(c, holders))
                ]
            if not hits and not recognised:
                continue
            status = classify_status(quote.sentence)
            if analysis.status != "unknown" and status not in (analysis.status, "unknown"):
                continue  # 已经建成 asks for work done, 力争启动 for work planned
            quality = (bool(key_hits), status == "done", max(map(len, hits), default=0))
            if i in items and not by_time:
                clauses = [*recognised, quote.sentence]  # an item of a counted key, or the sentence opening them
            else:
                clauses = recognised + (
                    []
                    if by_time or not hits
                    else _clauses_about(quote.sentence, hits, _unit_codes(p), partial(scope.unsaid, keys=hits), related)
                )
            for group, level in _groups(p, clauses, analysis, scope, hits, topic):
                found = best.get(group)
                if found is None:
                    best[group] = (_Evidence(quote, status, quality), level, p.unit)
                    continue
                found[0].mentions += 1
                if quality > found[0].quality:
                    best[group] = (_Evidence(quote, status, quality, found[0].mentions), level, p.unit)
    ordered = _in_reading_order(retriever, best, analysis)
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


# A count with its classifier opening a key that names a programme of items (10件民生实事, 四个引爆点, 十项民心工程).
_COUNT_OPENING = re.compile(r"^(\d+|[一二两三四五六七八九十])(?:个|项|件|条|大)")
# An item's number (①, ⑴, (1), 1、) opening a sentence; after a colon, the first item in the sentence opening them.
_ITEM_NUMBER = r"(?:[\u2460-\u2487]|[(（]\d{1,2}[)）]|\d{1,2}、)"
_OPENS_WITH_ITEM = re.compile(rf"^\s*{_ITEM_NUMBER}")
# GBK holds ① to ⑩ only: a page scraped through it writes ⑪ on as ?, which the splitter leaves ending the item before.
_CIRCLED_IN_GBK = 10
_NUMBER_LOST_AFTER = re.compile(r"[。；;]\s*\?\s*$")
_ITEMS_AFTER_COLON = re.compile(rf"[：:]\s*{_ITEM_NUMBER}")


def _counted_items(sentences: list[str], terms: list[str]) -> dict[int, list[str]]:
    """The sentences that give a counted key's items, with the key: the sentence naming it and those after it that
    are numbered (今年将办好10件民生实事：①… ②… … ⑩…), or, the sentence going on past the key's clause, those each but
    the last ending in a semicolon (大力推进“四个引爆点”建设，北岳古城…; 羊平雕刻小镇…; 嘉禾山…; 灵山定瓷小镇…。). Only
    where there are as many items as the key counts, or fewer up to the passage's end: a sentence after one that only
    names the programme (办好20项民生工程和10件民生实事。) is none of its items."""
    counted = [(key, count) for key in terms if (count := _COUNT_OPENING.match(key))]
    found: dict[int, list[str]] = {}
    for i, sentence in enumerate(sentences if counted else []):
        text = to_simplified(sentence).lower()
        for key, count in counted:
            at = text.find(key)
            if at < 0:
                continue
            after = text[at + len(key) :]
            listed = [i] if _ITEMS_AFTER_COLON.search(after) else []
            j = i + 1
            while j < len(sentences) and (
                _OPENS_WITH_ITEM.match(sentences[j])
                or len(listed) >= _CIRCLED_IN_GBK
                and _NUMBER_LOST_AFTER.search(sentences[j - 1])
            ):
                listed.append(j)
                j += 1
            if len(listed) <= 1:
                # Parts ending in a semicolon: the rest of the key's sentence, then the sentences after it.
                listed = [i] if re.search(r"[，,]\S", after) and sentence.rstrip().endswith((";", "；")) else []
                j = i + 1
                while listed and j < len(sentences):
                    listed.append(j)
                    if not sentences[j].rstrip().endswith((";", "；")):
                        break
                    j += 1
            # The passage may end before the list does: then fewer.
            n = _count_value(count.group(1))
            if len(listed) == n or 0 < len(listed) < n and listed[-1] == len(sentences) - 1:
                for k in [i, *listed]:
                    found.setdefault(k, []).append(key)
    return {k: list(dict.fromkeys(keys)) for k, keys in found.items()}


def _titled_sentences(quotes: list[Quote], terms: list[str]) -> dict[int, list[str]]:
    """The sentences of a numbered paragraph whose run-in title names a key (3、农村饮水安全工程。重点解决好阳城镇、
    魏村镇…的饮水问题), with the keys it names: the title is a noun phrase, no clause of its own, and what follows in
    the paragraph is about it."""
    found: dict[int, list[str]] = {}
    for i, quote in enumerate(quotes):
        opening = _OPENS_WITH_ITEM.match(quote.sentence)
        if opening is None:
            continue
        title = quote.sentence[opening.end() :]
        keys = [t for t in terms if holds_as_words(normalize_for_index(title), t)]
        if not keys or any(is_verb(flag) for _, flag in tagged_words(title)):
            continue
        for j in range(i + 1, len(quotes)):
            if quotes[j].paragraph.number != quote.paragraph.number:
                break
            found[j] = keys
    return found


def _programme_headings(retriever: Retriever, p: Passage, terms: list[str]) -> list[tuple[Paragraph, list[str]]]:
    """The passage's headings that name a counted key (十项民心工程, 10件民生实事), each with the keys it names."""
    counted = [key for key in terms if _COUNT_OPENING.match(key)]
    if not counted or p.article_id is None:
        return []
    headings = [
        h
        for h in retriever.paragraphs(p.article_id, p.first_paragraph, p.last_paragraph)
        if h.heading_level is not None
    ]
    named = [(h, [k for k in counted if holds_as_words(h.norm, k)]) for h in headings]
    return [(h, keys) for h, keys in named if keys]


def _count_value(count: str) -> float:
    """The number a count writes, in digits or as one Chinese numeral (四 → 4, 十 → 10, 两 → 2)."""
    return int(count) if count.isdigit() else 2 if count == "两" else unicodedata.numeric(count)


def _honours_in(clauses: list[str], hits: list[str], field: list[str]) -> bool:
    """Whether a clause holding a hit gives an honour (a verb of receiving one or its category noun) and, when one is
    asked, names its field."""
    import jieba

    given = honour_verbs() | honour_categories()
    return any(
        _holds(c, hits) and (not field or _holds(c, field)) and any(w in given for w in jieba.lcut(c)) for c in clauses
    )


def _words_of_honour(recognition: Recognition | None) -> set[str]:
    """The words of what a question says of the honour (荣誉, 乡村, 旅游): no stand-in for it in a dense neighbour."""
    import jieba

    return {w for q in recognition.phrases() for w in jieba.cut_for_search(q)} if recognition else set()


def _rarest_word(phrase: str, frequency: Callable[[str], int]) -> str:
    import jieba

    return min((w for w in jieba.cut_for_search(phrase) if len(w) >= 2), key=frequency, default=phrase)


def _unkeyed_subject(topic: str, terms: list[str]) -> set[str]:
    """The words of the noun phrase a topic opens with, before its verb or the gap a removed one left, when no key
    holds them: what the places have (卫生院 of 哪些乡镇卫生院建成了中医国医堂, 工会 of 哪些地方的工会开展了金秋助学), not
    what they did with it (国医堂); after an opening 有 too (中小学 of 哪些乡镇有中小学要改造运动场)."""
    tagged = tagged_words(topic)
    if tagged[:1] == (("有", "v"),):
        tagged = tagged[1:]
    k = subject_end(tagged, at_gap=True)
    subject = {w for w, _ in tagged[:k]}
    return set() if any(w in t for w in subject for t in terms) else subject


def _fallback_words(
    terms: list[str], candidates: list[str], frequency: Callable[[str], int], by_place: bool
) -> list[str]:
    """The words of the topic that make a dense neighbour holding no key evidence: the keys' stand-ins and the
    words outside every key. Not a verbal noun outside the keys, which says what was done, not about what (投运 of
    核能发电站项目的建设或投运), nor, for a question asking by places, a division's name, which says where (上海 of
    上海合作组织)."""
    stand_ins = _stand_ins(terms, candidates, frequency)
    return [
        w
        for w in candidates
        if (w in stand_ins or not (any(w in t and w != t for t in terms) or is_activity(w)))
        and not (by_place and _names_a_division(w))
    ]


def _stand_ins(terms: list[str], words: list[str], frequency: Callable[[str], int]) -> set[str]:
    """Of the words inside each key phrase, those that may stand for it in a passage holding none: the rarest (转运 of
    垃圾转运站: the corpus says 转运平台) and a verbal head, which a paraphrase keeps (加工 of 农产品加工: 饲料加工); not the
    others, which name something broader (北京 of 北京冬奥会, 亚洲 of 亚洲金融危机, 数据 of 数据标注)."""
    found = set()
    # A key holding another is a kind of it (邮轮旅游 of 邮轮), which stands for it; its own words are broader (旅游).
    for term in [t for t in terms if not any(k in t and k != t for k in terms)]:
        if parts := [w for w in words if w in term and w != term]:
            # On a tie the later word in the key, nearer its head.
            found.add(min(sorted(parts, key=lambda w: -term.rfind(w)), key=frequency))
        tagged = tagged_words(term)
        if len(tagged) > 1 and tagged[-1][1] == "vn":
            found.add(tagged[-1][0])
    return found


def _names_a_division(word: str) -> bool:
    """Whether the word is a gazetteer division's name or short form (上海), not another place word (中欧, 青藏)."""
    return any(p.mention == word and p.code for p in find_places(word))


def _broader_heads(terms: list[str]) -> set[str]:
    """The head noun of each key of several words: alone it names the broader class (学校 of 寄宿制学校), not the
    topic. Not a verbal head, which a paraphrase keeps (饲料加工 for 农产品加工)."""
    heads = set()
    for term in terms:
        words = tagged_words(term)
        if len(words) > 1 and names_a_thing(words[-1][1]):
            heads.add(words[-1][0])
    return heads


def _qualified_heads(topic: str, terms: list[str]) -> set[str]:
    """The noun a key qualifies in the topic, right after it or after a measure word (景区 of 4A级景区, 基地 of
    电商直播基地): alone it names the broader class, as the head inside a key does."""
    tagged = tagged_words(topic)
    ends = list(itertools.accumulate(len(w) for w, _ in tagged))
    heads = set()
    for term in terms:
        at = normalize_for_index(topic).find(term)
        if at < 0 or (at + len(term)) not in ends:
            continue
        i = ends.index(at + len(term)) + 1
        while i < len(tagged) and tagged[i][1] in ("q", "m"):
            i += 1
        if i < len(tagged) and names_a_thing(tagged[i][1]):
            heads.add(tagged[i][0])
    return heads


def _words_of_topic(topic: str) -> list[str]:
    tagged = tagged_words(topic)
    return [w for (w, _), is_topic in zip(tagged, topic_words(tagged, every_word=False), strict=True) if is_topic]


def _words_inside(terms: list[str]) -> list[str]:
    """The words inside the key phrases, verbs included (转运 of 垃圾转运站: the corpus says 转运平台), not function
    words (首发 of 首发经济 is an adverb: 首发技术 is something else)."""
    import jieba

    return [
        w
        for term in terms
        for w in jieba.cut_for_search(term)
        if not any(is_function_word(flag) for _, flag in tagged_words(w))
    ]


def _split_clauses(sentence: str) -> tuple[list[str], list[str]]:
    """A sentence's clauses and the delimiter after each ("" after the last)."""
    pieces = _CLAUSE_SPLIT.split(sentence)
    return pieces[::2], [*pieces[1::2], ""]


def _clauses_about(
    sentence: str,
    hits: list[str],
    near: list[str],
    said: Callable[[str], str] = _as_written,
    related: Sequence[str] = (),
) -> list[str]:
    """The parts of a sentence that speak of a hit: of each clause holding one once `said` has blanked what the
    question leaves out (_Scope.unsaid), the phrases about it (see _phrases_about); a hit in a label before a colon
    (〔12〕新六种猪场：…位于台峪乡…) or before 即 meaning namely (两翼，即大册营镇、南韩村镇) takes the description after it
    too; a clause naming no place, the places the next one aims at (see _following_objects); when none of these
    names a place, the nearest clause that does and holds one of the topic's `related` words (see
    _nearest_placed_clauses)."""
    clauses, delimiters = _split_clauses(sentence)
    held = [i for i, c in enumerate(clauses) if _holds(c, hits, said)]
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
    # A clause that leaves its subject out shares the one a clause before it opens with (孝墓镇被评为…，并成功入选…).
    subjects = [place for i in held for place in _shared_subject(clauses, i, near)]
    objects = [places for i in held for places in _following_objects(clauses, delimiters, i, near)]
    about = [_phrases_about(clauses[i], hits, near, said) for i in held] + described + framed + subjects + objects
    if held and related and not any(find_places(part, near=near) for part in about):
        about += _nearest_placed_clauses(clauses, delimiters, held, near, related, _counts_hit(clauses, held, hits))
    return about


def _counts_hit(clauses: list[str], held: list[int], hits: list[str]) -> bool:
    """Whether a clause holding a hit counts it (4个国家级区域医疗中心建设进展顺利): its items follow."""
    return any(re.search(rf"{_COUNT_BEFORE}(?:{'|'.join(map(re.escape, hits))})", clauses[i]) for i in held)


# A count and its classifier right before what it counts (4个, 三项, 12所).
_COUNT_BEFORE = r"(?:\d+|[一二两三四五六七八九十]+)(?:个|项|家|所|座|条|处)"


def _nearest_placed_clauses(
    clauses: list[str],
    delimiters: list[str],
    held: list[int],
    near: list[str],
    related: Sequence[str],
    counted: bool = False,
) -> list[str]:
    """The clauses nearest those holding a hit that name a place and hold a `related` word, only commas between: a
    sentence whose hit names no place speaks of the one a clause beside it names on the same topic (建立劣质散煤管控体系，
    依法取缔平阳、北水峪2个煤炭经营园区 for 取缔…散煤的园区). Not one on something else, an item of a list of projects
    (济南、青岛都市圈获批建设，…济青高铁公交化运行); a semicolon or an item number (①, （1）) parts items too."""
    commas = [d in ("，", ",") for d in delimiters]
    for distance in range(1, len(clauses)):
        found = set()
        for i in held:
            for k in (i - distance, i + distance):
                low, high = min(i, k), max(i, k)
                if (
                    0 <= k < len(clauses)
                    and all(commas[low:high])
                    and _holds(clauses[k], related)
                    and find_places(clauses[k], near=near)
                ):
                    found.add(k)
        # A counted hit's items go on past the nearest clause, commas only between (…中心建设进展顺利，A、B建成投运，
        # C、D即将建成).
        if found and counted and (after := [k for k in found if k > min(held)]):
            items = itertools.takewhile(lambda k: commas[k - 1], range(min(after) + 1, len(clauses)))
            return [clauses[k] for k in [min(after), *items] if _holds(clauses[k], related)]
        if found:
            return [clauses[k] for k in sorted(found)]
    return []


def _following_objects(clauses: list[str], delimiters: list[str], i: int, near: list[str]) -> list[str]:
    """The list of places the clause after clause i names right after the verb it opens with (an adverb at most
    before it), when clause i names none and no semicolon parts them: the places its aim is for (着眼建设国家中心城市，
    支持武汉打造…; 持续推进强省会行动，支持兰州…). The list is given whole, so that a short form read only in a list
    stays read (支持兰州、白银…)."""
    if i + 1 >= len(clauses) or delimiters[i] in ("；", ";") or find_places(clauses[i], near=near):
        return []
    clause = clauses[i + 1]
    places = sorted(find_places(clause, near=near), key=lambda p: p.start)
    opening = tagged_words(clause[_CLAUSE_OPENING.match(clause).end() : places[0].start].strip()) if places else ()
    if not (0 < len(opening) <= 2 and is_verb(opening[-1][1]) and all(f.startswith("d") for _, f in opening[:-1])):
        return []
    return [clause[places[0].start : _end(_places_from(clause, places, places[0].start)[-1])]]


def _shared_subject(clauses: list[str], i: int, near: list[str]) -> list[str]:
    """The places the nearest clause before clause i opens with as its subject (`_subject_places`), when clause i and
    those between name no place and open with their predicate: they leave their subject out, being those places."""
    k = i
    while k > 0 and not find_places(clauses[k], near=near) and _opens_with_predicate(clauses[k], near):
        k -= 1
        if subject := _subject_places(clauses[k], near):
            return subject
    return []


def _opens_with_predicate(clause: str, near: list[str]) -> bool:
    """Whether a clause opens with its verb or 被, after conjunctions and words saying how or when only (并|成功|入选…,
    并被评为…; not 同时|全县|新建…)."""
    return _is_predicate(_words_around_places(clause, near))


def _is_predicate(words: Sequence[tuple[str, str]]) -> bool:
    rest = list(itertools.dropwhile(lambda word: word[1].startswith(("d", "c", "a", "t")), words))
    return bool(rest) and (is_verb(rest[0][1]) or rest[0][0] == "被")


# What may open a clause before its subject: a number (一是, （一）, 1., 2、) or 其中.
_CLAUSE_OPENING = re.compile(
    r"\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|其中)?\s*"
)


# What may stand between the places of a list (冉庄镇、孝墓镇), or nothing (a path: 清苑区冉庄镇).
_PLACE_LIST_MARKS = ("", "、", "和", "及", "与")


def _subject_places(clause: str, near: list[str]) -> list[str]:
    """The places a clause opens with right before its predicate (`_is_predicate`): a name, the last of a path
    (清苑区冉庄镇: 冉庄镇), each of a list (冉庄镇、孝墓镇); none when they qualify a noun (冉庄镇的经验,
    冉庄镇至孝墓镇公路)."""
    places = sorted(find_places(clause, near=near), key=lambda p: p.start)
    run = _places_from(clause, places, _CLAUSE_OPENING.match(clause).end())
    subject: list[str] = []
    for before, place in zip([None, *run], run, strict=False):
        if before and not clause[_end(before) : place.start].strip():
            subject[-1] = place.mention  # a path names the deeper division
        else:
            subject.append(place.mention)
    return subject if run and _is_predicate(_words_around_places(clause[_end(run[-1]) :], near)) else []


def _places_from(clause: str, places: list[Place], at: int) -> list[Place]:
    """Of a clause's places in order, those it names one after another from offset `at`: a path (清苑区冉庄镇) or a
    list (冉庄镇、孝墓镇)."""
    run: list[Place] = []
    for place in places:
        if place.start < at or clause[at : place.start].strip() not in _PLACE_LIST_MARKS:
            break
        run.append(place)
        at = _end(place)
    return run


def _end(place: Place) -> int:
    return place.start + len(place.mention)


def _opens_with_namely(clause: str, near: list[str]) -> bool:
    """Whether a clause opens with 即 before no verb but a copula: namely (即大册营镇、南韩村镇, 即是…, 即为…), not
    immediately (即投入运行), nor 即将 or 即使."""
    words = _words_around_places(clause, near)
    if not words or words[0][0] not in _NAMELY:
        return False
    rest = words[2:] if len(words) > 1 and words[0][0] == "即" and words[1][0] in ("是", "为") else words[1:]
    return bool(rest) and not is_verb(rest[0][1])


def _is_frame(clause: str, near: list[str]) -> bool:
    """Whether a clause only says where the next one applies: (瓜菜业要)以南张镇、贾光乡为重点, or a prepositional phrase with no
    verb that ends in a noun, the area meant (在张登镇、冉庄镇等果蔬主产地; not 除大店镇外, 与大店镇不同)."""
    # The frame may close a clause that opens with what it frames (瓜菜业要以张登…为中心，向周边乡村辐射).
    if any(m.end() == len(clause.strip()) for m in FRAME_CLAUSE.finditer(clause.strip())):
        return True
    words = _words_around_places(clause, near)
    return (
        len(words) > 1
        and words[0][1] == "p"
        and not any(is_verb(flag) for _, flag in words[1:])
        and names_a_thing(words[-1][1])
    )


def _words_around_places(clause: str, near: list[str]) -> tuple[tuple[str, str], ...]:
    """The clause's tagged words with each place it names read as one noun, so that no part of a name counts as a
    verb (涝 of 涝坡镇, 板泉|镇)."""
    clause = clause.strip()
    for place in sorted(find_places(clause, near=near), key=lambda p: p.start, reverse=True):
        clause = clause[: place.start] + "某地" + clause[place.start + len(place.mention) :]
    return tagged_words(clause)


def _holds(text: str, hits: Sequence[str], said: Callable[[str], str] = _as_written) -> bool:
    norm = said(normalize_for_index(text))
    return any(holds_phrase(norm, h) for h in hits)


def _phrases_about(clause: str, hits: list[str], near: list[str], said: Callable[[str], str] = _as_written) -> str:
    """The part of a clause that speaks of a hit. Phrases joined by 和/及/与 are one list when a verb they share or a
    等 summing them up stands beside the hit: after it, the whole clause counts (…高铁和南京北站…开工建设); before it,
    the phrases before it too (…4个村和永宁社区被评为…示范村, …和银川陆港等5个物流园区). Otherwise the hit's phrase goes
    with the phrases before it that end in a place (温仁和冉庄污水处理厂) or in the institution of a place that the
    hit's phrase names after its own place (紫荆关卫生院和塘湖卫生院…次中心; not 板泉镇卫生院以及大店镇污水处理厂), not with
    the others (路庄子乡卫生院医联体建设和燕赵镇、文德镇…试点)."""
    norm = normalize_for_index(clause)
    if len(norm) != len(clause):
        return clause  # offsets are found in the normalised text (NFKC may change its length)
    norm = said(norm)  # what the question leaves out is blanked, not cut: the offsets stay
    import jieba

    places = find_places(clause, near=near)
    ends = {p.start + len(p.mention) for p in places}
    tokens = list(jieba.tokenize(norm))
    joins = [(start, end) for word, start, end in tokens if word in _PHRASE_JOINS]
    phrases = list(zip([0, *(end for _, end in joins)], [*(start for start, _ in joins), len(clause)], strict=True))
    held = [k for k, (start, end) in enumerate(phrases) if _holds(norm[start:end], hits)]
    if not held:
        return clause  # a hit across a conjunction (职工和家属)
    first, last = phrases[held[0]], phrases[held[-1]]
    after = max(last[0] + span[1] for h in hits if (span := phrase_span(norm[last[0] : last[1]], h)))
    if _joins_list(norm[after:]):
        return clause
    before = min(first[0] + span[0] for h in hits if (span := phrase_span(norm[first[0] : first[1]], h)))
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
    return any(is_verb(flag) or word == "等" for word, flag in tagged_words(text)) if text.strip() else False


def _counts_items(text: str, items: int) -> bool:
    """Whether the text before a hit ends in a count, digits and a classifier, of as many as the items listed before
    it (阳城镇九龙河桥、石桥乡…和望亭乡刘口桥3座危桥): they are one list. Digits only: a numeral character also begins
    names (百中, 三十里铺); a measure is no count (板泉镇文化广场和大店镇500平方米综合文化站)."""
    tagged = tagged_words(text)
    if len(tagged) < 3:
        return False
    (number, number_flag), (_, classifier_flag) = tagged[-2], tagged[-1]
    return number_flag == "m" and number.isdigit() and classifier_flag in ("q", "m") and int(number) == items


def _in_reading_order(
    retriever: Retriever, best: dict[str, tuple[_Evidence, str | None, str | None]], analysis: QuestionAnalysis
) -> list[tuple[str, tuple[_Evidence, str | None, str | None]]]:
    """Years in their order; other groups with the sentence nearest the topic first, so the rows a researcher reads
    first are the likeliest answers (bench/list_sets.py, precision of the first five)."""
    if analysis.grouping in (YEAR, QUARTER):
        return sorted(best.items())
    groups = list(best.items())
    nearness = retriever.sentence_similarities(analysis.topic, [e.quote.sentence for _, (e, _, _) in groups])
    ranked = sorted(zip(nearness, groups, strict=True), key=lambda pair: (-pair[0], pair[1][0]))
    return [group for _, group in ranked]


def _groups(
    p: Passage,
    clauses: list[str],
    analysis: QuestionAnalysis,
    scope: _Scope = _Scope(),
    hits: Sequence[str] = (),
    topic: str = "",
) -> list[tuple[str, str | None]]:
    """The groups a piece of evidence counts for, with their level: the report's year for time questions; the
    organisations its clauses name for 企业 questions; the report's own places of the level asked that its clauses
    name (a city in a province's report); else the issuing unit, unless that is above the level asked. With
    `scope` (the divisions a question is scoped to, 江苏省哪些城市…, or leaves out, 除清苑区外…), only places and units
    it admits.
    `topic`: the question's topic, normalised, whose places name what is asked about (see _own_places)."""
    tier = analysis.asked_tier
    # An anonymised unit is in scope by the parent its report names (xx镇 of 崇州市).
    in_scope = scope.admit({*_unit_codes(p), *_codes_of_unit(p.unit_parent or "")})
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
        county_cities = analysis.grouping_word in tier.with_county_cities
        own = _own_places(p, clauses, tier.rank, scope, hits, topic, county_cities)
        if own or not in_scope:
            return own
        rank = unit_rank(p.unit)
        # A county or district acts in its townships, so its own report counts one level down; a province's report
        # naming no city is no city's evidence, nor is a village's report a township's.
        if p.unit and rank is not None and rank != tier.rank and not (rank == tier.rank - 1 >= _COUNTY_RANK):
            return []
    elif analysis.grouping_word == _LOCAL and unit_rank(p.unit) == STATE_COUNCIL.rank:
        return []  # 地方 asks for local units, not the centre (哪些地方的政府工作报告提到…)
    return [(_place_label(p), p.level if p.unit else None)]


def _own_places(
    p: Passage,
    clauses: list[str],
    rank: int,
    scope: _Scope = _Scope(),
    hits: Sequence[str] = (),
    topic: str = "",
    county_cities: bool = False,
) -> list[tuple[str, str | None]]:
    """Places of the rank asked named in the clauses, within the report's unit (a city of the province reporting)
    and, when given, admitted by `scope`; with `county_cities`, county-level cities too (凯里 for
    哪些城市). In a report that places none under its unit (a national one), not a place inside what the question
    asks about, a hit or the topic as written (上海 of 上海合作组织), which names it, not who did it; a province's own
    city inside it still counts (宁波 of 宁波舟山港)."""
    unit_codes = _unit_codes(p)
    found: list[tuple[str, str | None]] = []
    for clause in clauses:
        norm = normalize_for_index(clause)
        # Offsets of the normalised text are the clause's only when normalising kept its length.
        inside = [s for h in hits for s in held_spans(norm, h)] if not unit_codes and len(norm) == len(clause) else []
        simple = to_simplified(clause)
        left_out = _left_out_spans(simple)
        for named in find_places(clause, near=unit_codes, named_before=hits):
            end = named.start + len(named.mention)
            if any(start <= named.start < stop for start, stop in left_out):
                continue  # named to be left out (完成全县17个乡镇（除清苑镇）消防站点建设)
            if not unit_codes and (
                any(start <= named.start < stop for start, stop in inside)
                or (topic and end < len(simple) and simple[named.start : end + 1] in topic)
            ):
                continue
            place = _named_within(named, rank)
            county_city = county_cities and place.rank == _COUNTY_RANK and place.level == "市"
            if (place.rank != rank and not county_city) or place.anonymised:
                continue
            if unit_codes and place.code is None:
                continue  # a name several divisions share, none of them under the report's unit (新建镇)
            if unit_codes and unit_codes[0] not in _ancestor_codes(place.code):
                continue  # another province's city, named for comparison or cooperation
            if not scope.admit(_ancestor_codes(place.code) if place.code else ()):
                continue
            found.append((place.name, place.level))
    return list(dict.fromkeys(found))


def _left_out_spans(clause: str) -> list[tuple[int, int]]:
    """Where a clause leaves something out (除…外, 不含…), each remark in brackets read on its own: （除清苑镇） leaves out
    no more than the remark."""
    remarks = list(BRACKETED.finditer(clause))
    outside = "".join(c if not any(r.start() <= i < r.end() for r in remarks) else " " for i, c in enumerate(clause))
    spans = [(s, e) for s, e, _ in left_out_spans(outside)]
    for r in remarks:
        spans += [(r.start(1) + s, r.start(1) + e) for s, e, _ in left_out_spans(r.group(1))]
    return spans


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
    """A follow-up such as “其中哪些是2010年的？”, “其中清苑区的有哪些？” or “其中哪些已经建成？” keeps the rows of the last
    list answer that match it; by status, only rows whose sentence says it (a list question stating a status keeps
    sentences that say nothing too, since it is all they have)."""
    # Years, places and what is left out as a list question's scope reads them (其中除清苑区外的, 其中2024年以外的); a
    # place the follow-up names is where it narrows to (其中清苑区的有哪些).
    named = deepest_divisions([p.code for p in find_places(analysis.topic) if p.code and not p.anonymised])
    scope = replace(_scope_of(analysis), within=analysis.scope_codes or named, years=tuple(analysis.years))
    rows = [
        r
        for r in previous.evidence
        if scope.admits_report(r.year, r.evidence)
        and scope.admits_writer(r.source_unit)
        and scope.admit({*_codes_of_unit(r.place), *_codes_of_unit(r.source_unit or "")})
    ]
    tier = analysis.asked_tier
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
    # A thing left out (其中高速公路连接线以外的) needs the keys of the answer narrowed, which its rows do not keep.
    things = "、".join(analysis.left_out_things)
    note = (
        f"追问中排除的「{things}」未能逐行判断：请在原问题后写明（如“…？{things}不算”）重新提问。" if things else None
    )
    return Answer(analysis.question, "list", text, citations, evidence=renumbered, note=note)


def _of_years(year: str | None, sentence: str, years: Sequence[str]) -> bool:
    """Whether evidence is of one of the years: its report's, or one the sentence names (2024年，我县… in 2025's)."""
    return year in years or any(y in sentence for y in years)


def _level_tiers(level: str) -> tuple[str, ...]:
    """The tiers a kind word occurs at: 镇 → township, 市 → province, prefecture and county."""
    kind = levels().kind(level)
    return kind.tiers if kind else ()
