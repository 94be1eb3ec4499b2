"""Question analysis without an LLM: what kind of answer is wanted, for which units, years and topic.

Everything here is a hint for retrieval and answer shaping; a wrong guess must only make the answer
less tidy, so nothing in this module raises on odd input.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from ghqa.index.lexical import CLOSING_QUOTES
from ghqa.ingest.clean import to_simplified
from ghqa.ingest.metadata import self_reference
from ghqa.ingest.places import Place, Tier, find_places, jieba_dictionary, levels, regions
from ghqa.qa.word_classes import BRACKETED, QUOTED, YEAR_DIGITS

Kind = Literal["fact", "list", "wording", "search"]
Status = Literal["planned", "done", "unknown"]

SYNONYMS_PATH = Path(__file__).with_name("synonyms.toml")

# Cues are tried in this order: a request for wording often also contains 什么/哪些.
_WORDING = re.compile(
    r"怎么写|如何写|怎样写|写法|参考|范文|例文|模板|如何表述|表述|措辞|提法"
    r"|\bhow (?:to|should|do i|can i) (?:write|phrase|word)|\bbe (?:written|phrased|worded)\b"
    r"|\bwording\b|\bphrasing\b|\btemplates?\b"
    r"|\bsample (?:text|passages?)\b|\breference passages?\b|\bexamples? of\b",
    re.IGNORECASE,
)
_LIST = re.compile(
    r"哪些|哪几|列出|列举|都有谁"
    r"|\blist\b|\bname all\b|\b(?:which|what)\s+(?!is\b|was\b|has\b|does\b|this\b|its\b|as\b)[a-z'-]+s\b",
    re.IGNORECASE,
)
_WHY = re.compile(r"为什么|为何|\bwhy\b", re.IGNORECASE)
_FACT = re.compile(
    r"多少|几(?!乎)|哪天|哪一|哪个|哪家|哪年|哪月|哪里|何时|什么时候|什么|谁|是否|吗"
    r"|\bhow (?:many|much|long)\b|\b(?:when|who|whom|whose|which|what|where)\b"
    r"|^\s*(?:did|does|do|is|are|was|were|has|have)\b",
    re.IGNORECASE,
)

# Grouping words a question may ask by besides the levels of levels.toml: organisations, time, any unit.
ORGANISATION, YEAR, QUARTER, UNIT = "organisation", "year", "quarter", "unit"
_OTHER_GROUPS = {
    "企业": ORGANISATION,
    "公司": ORGANISATION,
    "单位": ORGANISATION,
    "年份": YEAR,
    "年度": YEAR,
    "年": YEAR,
    "季度": QUARTER,
    "地方": UNIT,
}
# English grouping words, mapped to a tier of levels.toml or to one of the groups above.
_ENGLISH_GROUPS = [
    (re.compile(r"\b(?:towns?|townships?|streets?|sub-?districts?)\b", re.IGNORECASE), "township"),
    (re.compile(r"\b(?:districts?|count(?:y|ies))\b", re.IGNORECASE), "county"),
    (re.compile(r"\bcit(?:y|ies)\b", re.IGNORECASE), "prefecture"),
    (re.compile(r"\bprovinces?\b", re.IGNORECASE), "province"),
    (re.compile(r"\bcommunit(?:y|ies)\b", re.IGNORECASE), "community"),
    (re.compile(r"\b(?:enterprises?|compan(?:y|ies)|firms?)\b", re.IGNORECASE), ORGANISATION),
    (re.compile(r"\byears?\b", re.IGNORECASE), YEAR),
    (re.compile(r"\b(?:places|units)\b", re.IGNORECASE), UNIT),
]
_ASKING = r"(?:哪些|哪几个|哪几家|哪几|哪一个|哪一|哪个|哪家|哪)"
# A count of places (三 of 东北三省, 12 of 西部12省区市).
_PLACE_COUNT = r"[一二三四五六七八九十两\d]"
# A question about what reports say (提到, 报告) asking 哪一年/哪个省 wants every year or province, as 哪些 does.
_ABOUT_REPORTS = re.compile(r"报告|总结|提出|提到|提及|讲到|谈到|说到|写到|打算")
# List scaffolding left once the grouping is gone: the reports asked about and the verbs of saying.
# Who writes the reports a question names, and the tier of levels.toml whose reports they are (None: any).
_REPORTS_BY = {
    "各省区市": "province",
    "各省份": "province",
    "各省": "province",
    "省级": "province",
    "市级": "prefecture",
    "县级": "county",
    "各地": None,
    "国务院": "nation",
}
_WRITERS = "|".join(_REPORTS_BY)
# Reports named by who wrote them and when, in either order (各省2026年的政府工作报告, 2026年省级…报告, 市级报告).
_REPORTS = rf"(?:\d{{4}}年)?(?:{_WRITERS})?(?:\d{{4}}年)?的?(?:国务院)?(?:政府)?(?:工作)?报告"
# A clause that only names the reports a question reads: 据历年国务院政府工作报告, 在历届政府工作报告里, 从近年来的报告看.
_NAMES_REPORTS = re.compile(rf"[^，,；;]*?{_REPORTS}(?:中|里|上|看|来看)?")
# The words around them that say how they are read (据, 根据, 结合, 看); a word of years, sessions or times (历年, 历届).
_READING = re.compile(r"根据|依据|按照|据|结合|综合|(?:来)?看$")
_TIMES = re.compile(r"[年届次]")
_LIST_SCAFFOLD = re.compile(
    # Where the reports are, whole (在省级2026年政府工作报告中, 据各省2026年的报告): no topic word is in it.
    rf"(?<![存现所实])(?:在|从)\s*{_REPORTS}(?:中|里)|据?{_REPORTS}(?:[中里](?=提|讲|谈|说|写|点名))?"
    r"|工作总结|总结|列出|列举|的?都?有?哪些|的?都?有?哪几[个家]?"
    r"|被?(?:提出|提到|提及|讲到|谈到|说到|写到|点名)[了过]?|打算|计划要?|开展[了过]?"
)


# What makes a grouping word a tier's label before a word for any area (省 of 哪些省级地区, 哪些省级行政区).
_TIER_LABEL_END = "(?:级(?:行政)?(?:地区|区))"


@cache
def _group_words() -> dict[str, str]:
    """Every Chinese grouping word and what it asks for: a tier key of levels.toml or organisation/year/unit."""
    words = {word: tier.key for tier in levels().tiers for word in tier.groups}
    return {**_OTHER_GROUPS, **words}


@cache
def _group_alternation() -> str:
    return "|".join(re.escape(w) for w in sorted(_group_words(), key=len, reverse=True))


@cache
def _asked_group() -> re.Pattern[str]:
    """哪些省份, 哪几年, 的城市有哪些, 列出…的乡镇 (列出…的政府工作报告年份): the grouping word a list question asks by."""
    words = _group_alternation()
    return re.compile(
        rf"{_ASKING}\s*(?P<asked>{words}){_TIER_LABEL_END}?|(?P<before>{words})(?P<parts>{_THEIR_PARTS.pattern}[\u4e00-\u9fff]{{1,8}}?)?"
        rf"(?:有|是|都有|分别有)?{_ASKING}"
        rf"|(?:列出|列举).*?的(?:{_REPORTS})?(?P<listed>{words})\s*(?:[?？。].*)?$"
    )


@cache
def _asked_after() -> re.Pattern[str]:
    """哪些乡镇, or the partitive 西部省区市（含内蒙古）中，哪些在…: the grouping word 哪些 asks by, the scope before it."""
    words = _group_alternation()
    # A one-character word is a part of another (景区里，哪些…) unless a count comes before it (东北三省中).
    among = "|".join(re.escape(w) for w in sorted(_group_words(), key=len, reverse=True) if len(w) > 1)
    among += f"|(?<={_PLACE_COUNT})(?:" + "|".join(re.escape(w) for w in _group_words() if len(w) == 1) + ")"
    return re.compile(
        rf"{_ASKING}\s*(?P<asked>{words}){_TIER_LABEL_END}?"
        rf"|(?P<among>{among})(?:{_EXAMPLES})?(?:当中|之中|中|里)[，,]?\s*(?!{_ASKING}\s*(?:{words})){_ASKING}"
    )


# jieba's word classes of the words a scope is made of: time, numeral, quantifier, place name, pronoun, preposition,
# locality (里, 中), auxiliary, conjunction, punctuation.
_SCOPE_TAGS = ("t", "m", "q", "ns", "r", "p", "f", "u", "c", "x", "w")

# What a list question leaves out, in a clause before the places it asks for or a remark in brackets: 除（了/去）
# 清苑区（之）外（还）, 不含清苑区 anywhere in it (保定市除清苑区外: 保定市 stays the scope); 清苑区以外 or
# （清苑区除外）, 旅游片区不算 as the whole clause, not a phrase of place (在江苏省以外).
_EXCEPT = re.compile(r"除(?:了|去|开)?(?P<left_out>[^，,；;]+?)(?:(?:之外|以外|外)(?:还|也)?|$)")
_NOT_COUNTING = re.compile(r"不(?:含|包括|包含|计(?!在内)|算(?!在内))(?P<left_out>[^，,；;]+)")
_BEYOND = re.compile(
    r"(?:其中)?(?![在到于])(?P<left_out>.+?)(?:之外|以外|除外|不计在内|(?:都|均|也)?(?<!算)不算(?:在内)?)(?:的有?)?"
)
# A clause: the text between commas and semicolons.
CLAUSE = re.compile(r"[^，,；;]+")
# The verdict closing a sentence of things left out (，都不算。) and the joining word opening an item (或只针对…).
_VERDICT = re.compile(r"(?:都|均|也|全|一律)?(?:不算|除外|不计)(?:在内)?")
_JOINING = r"以及|和|或者?|及|与"
_ITEM_OPENING = re.compile(rf"^(?:{_JOINING}|还有)")
_ENDS_IN_VERDICT = re.compile(rf"{_VERDICT.pattern}$")
# A clause saying what counts (户外劳动者驿站也算), not 算 of a word (计算机).
_COUNTS = re.compile(r"(?:也|都|均|才|就|可以|应)算|算(?:在内|数|作|是|上)|^算|(?<!不)算$|计入|可以$")
# After the question, a sentence may leave something out (…的乡镇有哪些？旅游片区不算。).
_SENTENCE_ENDS = "？?。！!"
_CLAUSE_OR_SENTENCE = re.compile(f"[^，,；;{_SENTENCE_ENDS}]+")
_SENTENCE = re.compile(f"[^；;{_SENTENCE_ENDS}]+")
_EXCEPT_WORDS = ("除", "除了", "除去", "除开")
# 的 and a word after a place: a thing of the place.
_OF_THE_PLACE = re.compile(r"的[\u4e00-\u9fff]")

_YEAR = re.compile(rf"(?<!\d){YEAR_DIGITS.pattern}(?!\d)")
_CN_YEAR_DIGITS = r"[一二三四五六七八九〇零○]{4}"
_CN_YEAR = re.compile(rf"{_CN_YEAR_DIGITS}(?=年)")
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
_YEARS = rf"(?:{_YEAR.pattern}|{_CN_YEAR_DIGITS})"
_YEARS_AFTER = re.compile(rf"\s*{_YEARS}")
# What joins a span's first and last years (2016年至2018年, 2018—2016).
_SPAN_JOIN = r"\s*(?:至|到|[—－\-~～〜–]+)\s*"
_YEAR_SPAN = re.compile(rf"({_YEARS})年?{_SPAN_JOIN}(?:({_YEARS})年?|(\d{{2}})年)度?")
# A report or a summary, of a government or of work (政府工作报告, 工作总结, 报告).
_REPORT_WORD = r"(?:政府)?(?:工作)?(?:报告|总结)"
# Years named as those of the reports read (2022年的报告里, 2010年至2020年的报告, 2013年及以前的县区报告, 1990年以前的国务院政府工作
# 报告): the years, then what stands between them and 报告.
_YEAR_ITEM = re.compile(rf"{_YEARS}年?度?(?:{_SPAN_JOIN}(?:{_YEARS}|\d{{2}})年?度?)?")
# Between them, no clause's end and no other question word than the years asked ((2009年及以后)的哪几年国务院政府工作报告).
_BETWEEN_YEARS_AND_REPORTS = r"(?:[^，,；;。？?！!“”\d哪]|哪(?=几年|些年份|一年|年|个年份))"
_REPORT_YEARS = re.compile(
    rf"(?P<years>{_YEAR_ITEM.pattern}(?:[、和及与]{_YEAR_ITEM.pattern})*)(?<=[年度])"
    rf"(?P<open>及?(?:以前|之前|以后|之后|以来|前(?!后)|后))?"
    rf"(?P<between>{_BETWEEN_YEARS_AND_REPORTS}{{0,12}}?){_REPORT_WORD}"
)
# A year and the side it opens, anywhere in a question, say which reports to read too (2010年以前开展过…的乡镇,
# 改革开放以后（1978年及以后），哪些年份…).
_OPEN_YEAR = re.compile(rf"(?P<year>{_YEARS}年)度?及?(?P<open>以前|之前|以后|之后|以来)")
# Years then these say a time around or outside them, not the reports' years (2020年前后, 2018年以外, 2019年除外).
_NOT_THE_YEARS = ("以", "之", "前", "后", "外", "除")
# After a place, the words naming its reports (阜平县报告, 廣東省2026年政府工作報告, 涞源县的报告中).
# After the place, its former name in brackets (清苑区（原清苑县）的政府工作报告中).
_ITS_REPORTS = re.compile(rf"(?:[（(]原[^（()）]+[)）])?的?(?:{_YEARS}年度?)?的?{_REPORT_WORD}(?![了过])(?:中|里)?")
# What may stand beside the years a phrase leaves out: their joining words, a count of them, their reports, 还 of 除了
# 2019年还有….
_BESIDE_YEARS = re.compile(rf"[两二三四五六七八九十]年|年度?|[、和及与]|的?{_REPORT_WORD}|的|还有?|也|\s")

_PERIODS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"上半年|前半年|1-6月|一至六月|\bfirst half\b", re.IGNORECASE), "上半年"),
    (re.compile(r"下半年|后半年|\bsecond half\b", re.IGNORECASE), "下半年"),
    (re.compile(r"全年|年度|年终|一年来|\b(?:whole|full|entire) year\b|\bannual\b", re.IGNORECASE), "全年"),
]

# Question scaffolding removed to leave the topic; longer cues first so 什么时候 goes before 什么.
_SCAFFOLD = re.compile(
    r"帮我|帮忙|给我|找一些|找找|找出|找|列出|列举|一下|其中"
    r"|怎么写|如何写|怎样写|写法|参考段落|参考|范文|例文|模板|如何表述|表述|措辞|提法|段落"
    r"|有?(?:哪些|哪几个|哪几家|哪几|哪个|哪家|哪一个|哪一)"
    r"|是?(?:哪天|哪年|哪月|哪里|什么时候|何时)|多少|几[个家次人月天号年]?(?!乎)|为什么|为何|什么|是否|都有谁|谁|吗|呢"
    r"|如何|怎样|怎么样|怎么"
    r"|\b(?:which|what)\b(?:\s+(?:towns?|townships?|streets?|sub-?districts?|districts?|count(?:y|ies)|enterprises?"
    r"|compan(?:y|ies)|firms?|communit(?:y|ies)|places|units)\b)?"
    r"|\b(?:please|list|name all|how (?:many|much|long|to|should|do i|can i)|how|when|who|whom|whose|where"
    r"|why|did|does|do|is|are|was|were|has|have|find|show me|some|there)\b"
    r"|[?？!！。]",
    re.IGNORECASE,
)
# Particles, generic verbs and genre words that split the topic into search terms.
_TERM_SPLIT = re.compile(
    r"[,，、;；:：()（）“”\"《》]+|(?<=[\u4e00-\u9fff])\s+|\s+(?=[\u4e00-\u9fff])|开展了|开展|进行了|进行|实施了|实施|召开了|召开|举办了|举办|组织了|建立了"
    r"|有关|关于|方面|情况|工作|总结|后(?=[，,]|$)|了(?!解)|的|和(?!谐)|与|及|或|是"
    r"|\b(?:after|before|in|of|the|a|an|and|or|to|for|on|with|by|at|from|about|rose|carried out|held)\b",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class YearSpan:
    """Years from first to last, both included; open on a side that is None (2013年及以前, 2021年以来)."""

    first: int | None
    last: int | None

    def holds(self, year: str | None) -> bool:
        """Whether a report's year (2024, not 20xx) is in the span."""
        if not (year and year.isdigit()):
            return False
        return (self.first is None or int(year) >= self.first) and (self.last is None or int(year) <= self.last)

    def said(self) -> str:
        """2024年, 2010年至2020年, 2013年及以前, 2021年及以后."""
        if self.first is None:
            return f"{self.last}年及以前"
        if self.last is None:
            return f"{self.first}年及以后"
        return f"{self.first}年" if self.first == self.last else f"{self.first}年至{self.last}年"


@dataclass
class QuestionAnalysis:
    """What a question asks for; every field is a hint, never a hard filter."""

    question: str
    normalized: str  # Simplified Chinese form of the question
    kind: Kind
    grouping: str | None  # a tier key of levels.toml (province … community), organisation, year, quarter or unit
    grouping_word: str | None  # the word the question groups by, as asked: 省份, 乡镇, 年份 …
    years: list[str]
    period: str | None
    topic: str
    topic_terms: list[str]
    expansions: list[list[str]] = field(default_factory=list)
    scope: str = ""  # what a list question puts before 哪些X: 全县, 2023年, 江苏省 (a place that narrows the list)
    scope_years: list[str] = field(default_factory=list)  # the years the scope narrows to (2024 of 清苑区2024年)
    scope_codes: tuple[str, ...] = ()  # the divisions above the grouping it narrows to (江苏省 of 江苏省哪些城市)
    left_out_codes: tuple[str, ...] = ()  # the divisions the question leaves out (清苑区 of 除清苑区外，哪些乡镇…)
    left_out_years: tuple[str, ...] = ()  # the years it leaves out (2020 of 除2020年外，哪些年份…)
    left_out_things: tuple[str, ...] = ()  # what else it leaves out, as written (旅游片区 of …？旅游片区不算)
    status: Status = "unknown"  # the status a list question asks for: done (已经建成), planned (力争启动) or either
    reports_of: str | None = None  # the tier whose reports it reads, when it names them (nation of 国务院政府工作报告)
    report_years: tuple[YearSpan, ...] = ()  # the years of the reports it reads, when it names them (2022年的报告里)

    def search_terms(self) -> list[str]:
        """Topic terms followed by their synonyms, without repeats."""
        return list(dict.fromkeys([*self.topic_terms, *(t for group in self.expansions for t in group)]))

    @property
    def negated(self) -> bool:
        """Whether a list topic denies what it names (没有获得过表彰, 尚未完成撤乡设镇): reports say who did, not who not."""
        import jieba

        words = [w for w in jieba.lcut(self.topic) if w not in _DENIAL_ADVERBS]
        return self.kind == "list" and bool(words) and words[0] in _DENIALS

    @property
    def asks_for_parts(self) -> bool:
        """Whether a list question asks for the places' parts along with them, right after its grouping word or
        opening it (哪些乡镇或其下辖村…, 或其派出所…的乡镇有哪些; not 获得过表彰及其原因)."""
        after = re.escape(self.grouping_word or "") + _THEIR_PARTS.pattern
        return bool(self.grouping_word and re.search(after, self.normalized)) or bool(
            _THEIR_PARTS.match(self.normalized)
        )

    @property
    def asked_tier(self) -> Tier | None:
        """The tier of divisions the question groups by, or None (years, organisations)."""
        return grouping_tier(self.grouping)

    @property
    def level_words(self) -> frozenset[str]:
        """The words of the level a list question asks by (乡镇, 镇, 乡 … for 哪些乡镇)."""
        tier = self.asked_tier
        return frozenset(tier.groups) if tier else frozenset()


@dataclass(frozen=True)
class _Vocab:
    groups: list[tuple[list[str], list[str]]]  # (Chinese terms, English aliases)
    status_marker: re.Pattern[str]
    status_kind: dict[str, tuple[str, int]]  # marker -> (planned | done | neutral, weight)
    honour_verbs: frozenset[str]  # verbs of receiving an honour: 获评, 入选 ([recognition])
    honour_categories: frozenset[str]  # nouns asking for any honour: 荣誉, 表彰 ([recognition])
    honour_received: frozenset[str]  # verbs a question receives one by: 获得, 受到 ([recognition])


@cache
def _vocab() -> _Vocab:
    with SYNONYMS_PATH.open("rb") as f:
        data: dict[str, Any] = tomllib.load(f)
    groups = [(list(g["terms"]), [a.lower() for a in g.get("en", [])]) for g in data.get("group", [])]
    status = data.get("status", {})
    kinds: dict[str, tuple[str, int]] = {}
    for key, (side, weight) in {
        "neutral": ("neutral", 0),
        "planned_weak": ("planned", 1),
        "done_weak": ("done", 1),
        "planned_strong": ("planned", 2),
        "done_strong": ("done", 2),
    }.items():
        for marker in status.get(key, []):
            kinds[marker] = (side, weight)
    # Longest first so 重要 hides 要 and 已将 hides 将.
    alternation = "|".join(re.escape(m) for m in sorted(kinds, key=len, reverse=True)) or r"(?!)"
    recognition = data.get("recognition", {})
    return _Vocab(
        groups=groups,
        status_marker=re.compile(alternation),
        status_kind=kinds,
        honour_verbs=frozenset(recognition.get("verbs", [])),
        honour_categories=frozenset(recognition.get("categories", [])),
        honour_received=frozenset(recognition.get("received", [])) | frozenset(recognition.get("verbs", [])),
    )


def honour_verbs() -> frozenset[str]:
    """The verbs of receiving an honour ([recognition] of qa/synonyms.toml): 获评, 入选, 评为 …"""
    return _vocab().honour_verbs


def honour_categories() -> frozenset[str]:
    """The nouns by which a question asks for any honour ([recognition] of qa/synonyms.toml): 荣誉, 称号, 表彰 …"""
    return _vocab().honour_categories


def honour_received() -> frozenset[str]:
    """The verbs by which a question asks for an honour received ([recognition] of qa/synonyms.toml): 获得, 受到, 获评 …"""
    return _vocab().honour_received


def _kind(text: str) -> Kind:
    if _WORDING.search(text):
        return "wording"
    if _LIST.search(text) or (_asked_group().search(text) and _ABOUT_REPORTS.search(text)):
        return "list"
    if _WHY.search(text):
        return "search"
    if _FACT.search(text):
        return "fact"
    return "search"


def _list_despite_remark(text: str) -> Kind:
    """The question's kind, a list when only what it leaves out asks for wording (？只说…而未用“扫黑除恶”提法的不算)."""
    kind = _kind(text)
    if kind == "wording":
        rest, left_out = _without_left_out(_without_please(text), "list")
        for phrase in left_out:
            rest = rest.replace(phrase, " ")  # in a remark too, which _without_left_out keeps
        if left_out and _kind(rest) == "list":
            return "list"
    return kind


def _grouping(text: str) -> tuple[str | None, str | None]:
    """What a question groups its answer by, and the word it uses: the grouping word asked for (哪些省份,
    的城市有哪些, 列出…的乡镇), else an English one, else the first grouping word of two characters or more."""
    # 哪些乡镇 wins over a word before 哪些 (全县哪些乡镇, 今年哪些乡镇: the county and the year are the scope).
    end = None  # where the word asked for ends in the question
    if asked := _asked_after().search(text):
        word = asked.group("asked") or asked.group("among")
        end = asked.end("asked" if asked.group("asked") else "among")
    else:
        m = _asked_group().search(text)
        word = (m.group("before") or m.group("listed")) if m else None
        end = m.end("before" if m.group("before") else "listed") if m and word else None
    if word is None:
        english = min(((e.start(), g) for p, g in _ENGLISH_GROUPS if (e := p.search(text))), default=None)
        if english:
            return english[1], None
        # One-character words (市, 区, 镇) are parts of names and words when not asked for. One after the asking word
        # is what it asks for, past the words that qualify it (哪些重点地市, not 自治区 of 据广西壮族自治区…报告，).
        asking = re.search(_ASKING, text)
        after = asking.end() if asking else 0
        # 哪些 before a clause asks for the noun the clause ends in (哪些入选国家碳达峰试点的城市: 城市, not 国家).
        head = _clause_head().search(text, after) if asking else None
        words = [w for w in _group_words() if len(w) >= 2 and w in text]
        word = (
            head.group("head")
            if head
            else min(
                words,
                key=lambda w: (text.find(w, after) < 0, text.find(w, after), text.index(w), -len(w)),
                default=None,
            )
        )
    labelled = next((m for m in _labelled_area().finditer(text) if end is not None and m.end() == end), None)
    if labelled:
        return next(t.key for t in levels().tiers if t.label == labelled.group("label")), word
    return (_group_words()[word], word) if word else (None, None)


@cache
def _clause_head() -> re.Pattern[str]:
    """的城市（市、州）？: a grouping word after 的 that ends its clause, the head of a noun phrase 哪些 opens."""
    words = "|".join(re.escape(w) for w in sorted(_group_words(), key=len, reverse=True) if len(w) >= 2)
    return re.compile(rf"的(?P<head>{words})(?=\s*(?:[（(，,。？?；;!！]|$))")


@cache
def _labelled_area() -> re.Pattern[str]:
    """A tier's label before a word for any area (省级地区, 省级行政区): the places asked for are of that tier."""
    labels = "|".join(t.label for t in levels().tiers if t.rank >= 1)
    return re.compile(rf"(?P<label>{labels})(?:行政)?(?P<area>地区|区)")


def _scope_years(scope: str, places: list[Place]) -> list[str]:
    """The years of a scope that says only which years, with places or not (2024年, 清苑区二〇二四年, 2023年和2024年),
    not from when (2010年以来), over which span (2010年至2013年) or which part (2023年上半年)."""
    rest = scope
    for place in places:
        rest = rest.replace(place.mention, "", 1)
    for form in _county_forms_in(rest):
        rest = rest.replace(form, "", 1)
    rest = re.sub(rf"(?:{_YEAR.pattern}|{_CN_YEAR.pattern})年度?|[、和及与]", "", rest)
    return _years(scope) if not re.sub(r"[\W_]", "", rest) else []


def grouping_tier(grouping: str | None) -> Tier | None:
    """The tier of divisions a list question groups by (province … community), or None (years, organisations)."""
    return next((t for t in levels().tiers if t.key == grouping and t.rank >= 1), None)


@cache
def _region_name() -> re.Pattern[str]:
    """A region's name as questions write it (ingest/data/regions.toml): 东北, or the 部 regions, several sharing one
    部 (中西部: 中部 and 西部)."""
    shared = "".join(name[0] for name in regions() if name.endswith("部"))
    return re.compile("|".join([*(name for name in regions() if not name.endswith("部")), f"[{shared}]+部"]))


@cache
def _region_scope() -> re.Pattern[str]:
    """Regions' provinces as a scope (东北三省, 西部和东北省份, 中西部地区, 西部12省区市, 东北三省和西北五省区): a region's
    name before the word for provinces, after no other word but a preposition or a joining word (not 保定东部,
    县城东部地区)."""
    name = _region_name().pattern
    return re.compile(
        rf"(?:(?<=[在从据和与及、])|(?<![\u4e00-\u9fff ]))((?:{name})(?:[和与及、](?:{name}))*)"
        rf"(?:{_PLACE_COUNT}+个?)?(?:省份|省区市|省区|省市|各省|省|地区)"
    )


def _region_codes(named: str) -> list[str]:
    """The provinces' codes of the regions a scope names (中西部 → 中部's and 西部's)."""
    names: list[str] = []
    for name in _region_name().findall(named):
        names += [name] if name in regions() else [f"{c}部" for c in name[:-1]]
    return [code for name in dict.fromkeys(names) for code in regions()[name]]


def _scope_codes(scope: str, places: list[Place], grouping: str | None) -> tuple[str, ...]:
    """The divisions of a scope above the level the question asks by (江苏省 of 江苏省哪些城市…), the provinces of the
    regions it names (东北三省: 辽宁, 吉林, 黑龙江), and the counties it names without their kind word (清苑 of
    清苑有哪些乡镇: every county so named)."""
    from ghqa.ingest.places import gazetteer

    tier = grouping_tier(grouping)
    known = [p.code for p in places if p.code and not p.anonymised and (tier is None or p.rank < tier.rank)]
    rest = scope
    for place in places:
        rest = rest.replace(place.mention, " ")
    for named in _region_scope().finditer(rest):
        known += _region_codes(named.group(1))
    if tier is None or tier.rank > levels().tier("county").rank:
        known += [code for form in _county_forms_in(rest) for code in gazetteer().county_short_forms()[form]]
    return tuple(dict.fromkeys(known))


def _years(text: str) -> list[str]:
    found = [(m.start(), m.group()) for m in _YEAR.finditer(text)]
    found += [(m.start(), m.group().translate(_CN_DIGITS)) for m in _CN_YEAR.finditer(text)]
    return list(dict.fromkeys(year for _, year in sorted(found)))


def _period(text: str) -> str | None:
    return next((period for pattern, period in _PERIODS if pattern.search(text)), None)


def _expansions(topic: str) -> list[list[str]]:
    topic = re.sub(r"了(?!解)", "", topic)  # 建立了工会 should still find 建立工会
    lowered = topic.lower()
    spans: list[tuple[int, int, int]] = []  # (start, end, group index)
    for index, (terms, _) in enumerate(_vocab().groups):
        for term in terms:
            spans += [(m.start(), m.end(), index) for m in re.finditer(re.escape(term), topic)]
    # A term inside a longer matched term (集体协商 in 工资集体协商) does not pull in its own group.
    matched = {
        index
        for start, end, index in spans
        if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
    }
    for index, (_, aliases) in enumerate(_vocab().groups):
        if any(re.search(rf"\b{re.escape(alias)}\b", lowered) for alias in aliases):
            matched.add(index)
    return [list(_vocab().groups[i][0]) for i in sorted(matched)]


def _asked_after_scope(text: str, kind: Kind) -> re.Match[str] | None:
    """哪些乡镇 of a list question whose topic follows it and whose words before it only say where or when (全县,
    2023年, 江苏省 of 江苏省哪些城市…): those words are the scope. Words on the topic before it (垃圾分类工作中哪些乡镇…)
    are not."""
    asked = _asked_after().search(text) if kind == "list" else None
    if not (asked and _CJK.search(text[asked.end() :])):
        return None
    # A clause naming the reports to read (据历年国务院政府工作报告，) says where to look.
    where = [c for c in CLAUSE.findall(_scope_text(text, asked)) if not _only_names_reports(c)]
    return asked if _says_where_or_when(_LIST_SCAFFOLD.sub(" ", " ".join(where))) else None


def _only_names_reports(clause: str) -> bool:
    """Whether a clause only names the reports to read: 据历年国务院政府工作报告, 在历届政府工作报告里, 从近年来的报告看;
    besides them it says where or when only, not a topic (在关于乡村振兴的报告中)."""
    return bool(_NAMES_REPORTS.fullmatch(clause.strip())) and _says_where_or_when(
        _READING.sub(" ", _LIST_SCAFFOLD.sub(" ", clause)), times=True
    )


def _scope_text(text: str, asked: re.Match[str]) -> str:
    # The partitive's grouping word belongs to its scope (西部省区市 of 西部省区市中，哪些…).
    end = asked.end("among") if asked.group("among") else asked.start()
    return text[:end].removesuffix("有").strip(" ，,、")


def _says_where_or_when(text: str, times: bool = False) -> bool:
    """Whether every word is a place, a unit speaking of itself (全县, 本市), a time or a number, or a function word;
    by kind words and jieba's word classes, so any place or time, not a list of them. With `times`, a word of years,
    sessions or times is a time whatever its class (历年, 历届, 历次)."""
    import jieba.posseg

    # Names ending in a kind word are places whatever jieba tags them (高唐县 is a person's name to it); so is a
    # county's name without it (清苑, 徐水).
    rest = _place_like().sub(_unless_a_phrase, self_reference().sub(" ", text))
    for form in _county_forms_in(rest):
        rest = rest.replace(form, " ")
    return all(
        flag.startswith(_SCOPE_TAGS) or (times and _TIMES.search(word))
        for word, flag in ((w.word.strip(), w.flag) for w in jieba.posseg.cut(rest))
        if word
    )


def _county_forms_in(text: str) -> list[str]:
    """The county names without their kind word that a scope holds (清苑 of 清苑有哪些乡镇), longest first and not
    overlapping (元宝山, not 宝山 inside it); not one the dictionary reads as a verb or another word class than a name's
    or a noun's (振兴 of 关于乡村振兴)."""
    from ghqa.ingest.places import gazetteer, jieba_dictionary

    forms = gazetteer().county_short_forms()
    _, tags = jieba_dictionary()
    found: list[str] = []
    i = 0
    while i < len(text):
        form = next((text[i:j] for j in range(min(len(text), i + 4), i + 1, -1) if text[i:j] in forms), None)
        if form and tags.get(form, "n").startswith(("n", "b")):
            found.append(form)
        i += len(form) if form else 1
    return sorted(set(found), key=len, reverse=True)


@cache
def _place_like() -> re.Pattern[str]:
    # Kind words run on (巴州区: 州 then 区), so the name is taken whole.
    return re.compile(rf"[\u4e00-\u9fff]{{1,10}}?(?:{levels().kind_pattern()})+")


def _unless_a_phrase(name: re.Match[str]) -> str:
    """A stretch ending in a kind word blanked as a place (高唐县, X乡, 西部省区): not one ending in a dictionary word
    that holds more than kind words (上山下乡 of 知识青年上山下乡) where the gazetteer finds no place in it."""
    import jieba

    last = jieba.lcut(name.group())[-1]
    more_than_kinds = bool(re.sub(f"(?:{levels().kind_pattern()})+$", "", last))
    phrase = jieba_dictionary()[0].get(last, 0) > 0 and more_than_kinds
    return name.group() if phrase and not find_places(name.group()) and not find_places(last) else " "


def _topic(text: str, kind: Kind, grouping_word: str | None, asked: re.Match[str] | None) -> str:
    if kind == "list":
        # The grouping asked for and the saying verbs are not the topic: 哪些省份提出发展银发经济 → 发展银发经济.
        if asked:
            text = _GROUP_EXAMPLES.sub("", text[asked.end() :], count=1)
        elif grouping_word:
            text = _without_grouping(text, grouping_word)
        # Remarks first: the saying verbs inside one are what it says (（开展试点、全国推开或深化）).
        text = _without_their_parts(_outside_names(_LIST_SCAFFOLD, without_asides(text, grouping_word)).strip())
    topic = _outside_names(_SCAFFOLD, text)
    topic = re.sub(r"\s+", " ", topic).strip(" ，,、；;：:的了是")
    return topic


def _outside_names(scaffold: re.Pattern[str], text: str) -> str:
    """The text with the scaffolding's words blanked, but not inside a name in quotation marks (计划 of “星火计划”)."""
    kept, last = [], 0
    for name in QUOTED.finditer(text):
        kept += [scaffold.sub(" ", text[last : name.start()]), name.group()]
        last = name.end()
    return "".join([*kept, scaffold.sub(" ", text[last:])])


# A remark in brackets that gives dates only (（2025年）).
_DATES = re.compile(r"[\d０-９〇一二三四五六七八九十百千万年月日季度期—\-－~～至到、，,.\s]+")
# A remark ending so says which cases count: statuses (（已建成、在建的都算）) are no part of the topic, things
# (（民宿、农家乐都算）) are examples of it.
_CASES_COUNT = re.compile(r"(?:都|也|均)算$|(?<!不计)在内$")
# A pronoun in a remark speaks of the topic (（包括对它的评价）): the remark is not another name of it; not 尤其, 极其,
# 及其, 其他, 其次 nor 其它.
_REFERS_BACK = re.compile(r"(?<![尤极与及])其(?![他它余中实次])|(?<!其)它")
_REMARK_CASES = re.compile(r"^(?:包括|包含|含)")
_CASES_JOINED = re.compile(rf"{_JOINING}|、")
# The asked places' word then one of these opens a remark on the places (（乡镇作为工程地段的起止点）).
_RELATION = {"作为", "为", "是", "属于"}
# A remark ending so lists kinds of the topic (（封关运行、扩区或提升发展等）, （变电站、风电场之类）): words of it.
REMARK_EXAMPLES_END = re.compile(r"(?:之类|这类|等等|等)$")


def without_asides(text: str, grouping_word: str | None = None) -> str:
    """The text without its remarks in brackets that are no part of a topic, or their clauses that are none: what
    it leaves out, which cases count when they are no things (（包括已申报成功的和正在申报的）, （在建的都算）), what it
    says of the topic or of the places asked (（乡镇作为工程的起止点）), or when."""
    return BRACKETED.sub(lambda m: _without_aside_clauses(m, grouping_word), text)


def _without_aside_clauses(bracket: re.Match[str], grouping_word: str | None) -> str:
    """A remark's clauses that are part of the topic, in its brackets (（封关运行等，不含保税物流中心） → （封关运行等））;
    a remark left out whole is one space."""
    remark = bracket.group(1).strip()
    # After a quoted name a remark lists its parts (“三去一降一补”（去产能、去库存…）), not ways of meeting it.
    after_name = bracket.start() > 0 and bracket.string[bracket.start() - 1] in CLOSING_QUOTES
    if _is_aside(remark, grouping_word, after_name):
        return " "
    clauses = [c.strip() for c in CLAUSE.findall(remark) if c.strip()]
    kept = [_CASES_COUNT.sub("", c) for c in clauses if not _is_aside(c, grouping_word, after_name)]
    if kept == clauses:
        return bracket.group()
    return f"（{'，'.join(kept)}）" if kept else " "


def _is_aside(remark: str, grouping_word: str | None, after_name: bool = False) -> bool:
    from ghqa.qa.word_classes import tagged_words

    # One that opens by leaving something out (（不含高速公路连接线）, （海南除外）, （不是…）).
    leaves_out = any(start == 0 for start, _, _ in left_out_spans(remark)) or remark.startswith("不是")
    if leaves_out or _DATES.fullmatch(remark) or _REFERS_BACK.search(remark):
        return True
    if not after_name and _ways_of_meeting(remark):
        return True
    cases = _CASES_JOINED.split(_REMARK_CASES.sub("", _CASES_COUNT.sub("", remark)))
    if all(c.endswith("的") for c in cases):
        return True
    words = tagged_words(remark)
    if _CASES_COUNT.search(remark) and not any(flag.startswith("n") for _, flag in words):
        return True
    return len(words) > 1 and words[0][0] == grouping_word and words[1][0] in _RELATION


# A remark opening so gives examples or another name of the topic, not ways of meeting it (（如新线开通、客流）).
_NAMING_OPENING = re.compile(r"^(?:如|例如|比如|譬如|像|即|俗称|又称|或称|简称)")


def _ways_of_meeting(remark: str) -> bool:
    """Whether a remark lists the ways a place meets the topic, each opening with a verb (（建设专用线或推动企业、园区
    接入）, （作为特色领域或未来产业）): what counts, no other name of it. Not examples (（如…）) nor kinds (…等)."""
    from ghqa.qa.word_classes import tagged_words

    cases = _REMARK_CASES.sub("", remark)
    # A remark of several clauses is judged clause by clause (（封关运行、扩区等，不含保税物流中心）).
    if _NAMING_OPENING.match(remark) or REMARK_EXAMPLES_END.search(cases) or len(CLAUSE.findall(remark)) > 1:
        return False
    items = [i for i in _CASES_JOINED.split(cases) if i.strip()]
    first = tagged_words(items[0]) if items else []
    # After 包括/含 a verbal noun names a kind of the topic (（含生活垃圾、城市垃圾的分类处置）); else it is an act.
    verbs = ("v",) if cases != remark else ("v", "vn")
    return len(items) > 1 and bool(first) and first[0][1] in verbs


# 哪些乡镇或其派出所…, 哪些乡镇及下辖村…: what the places hold, asked along with them, before the topic.
_BELONGING = {"下辖", "所属", "下属", "所辖", "的"}
_THEIR_PARTS = re.compile(r"\s*(?:或者?|以及|及|和|与)(?:其(?![他它余中])|它们的|(?:下辖|所属|下属|所辖)的?)")


def _without_their_parts(text: str) -> str:
    """The text after the asked places without the parts of them asked along (或其派出所在平安建设… → 在平安建设…)."""
    from ghqa.qa.word_classes import tagged_words

    opening = _THEIR_PARTS.match(text)
    if not opening:
        return text
    rest = text[opening.end() :]
    words = tagged_words(rest)
    # Words of belonging (下辖, 所属), then the nouns naming the part (村卫生室, 派出所), up to a verb or 的.
    i = next((i for i, (w, _) in enumerate(words) if w not in _BELONGING), len(words))
    j = next((j for j in range(i, len(words)) if not words[j][1].startswith(("n", "zg"))), len(words))
    topic = rest[sum(len(w) for w, _ in words[:j]) :]
    return topic if j > i and re.search(r"[\u4e00-\u9fff]", topic) else text


# Brackets right after the grouping word say which places it means (哪些民族乡（彝族乡、傈僳族乡）…): not the topic.
_EXAMPLES = r"\s*" + BRACKETED.pattern
_GROUP_EXAMPLES = re.compile("^" + _EXAMPLES)


def _without_grouping(text: str, grouping_word: str) -> str:
    """The question without the grouping word it asks by: the one after 哪些, before 有哪些 or ending 列出… (完成了撤乡
    设镇的乡有哪些, 乡镇卫生院改造在哪些乡镇开展了: not the 乡 or 乡镇 inside the topic), else the first (列出乡镇开展…的情况)."""
    asked = _asked_group().search(text)
    group = next((g for g in ("asked", "before", "listed") if asked and asked.group(g) == grouping_word), None)
    if asked and group:
        # 哪些乡镇 goes whole; 的 before 乡镇有哪些 or a listed 的乡镇 too.
        start = asked.start() if group == "asked" else asked.start(group)
        # So does a tier's label before it (省级 of 省级地区有哪些).
        labelled = _labelled_area().search(text, max(0, start - 4), asked.end(group))
        start = labelled.start() if labelled and labelled.end() == asked.end(group) else start
        start -= 1 if text[start - 1 : start] == "的" else 0
        # The places' parts asked along after it go too (…的乡镇或其派出所有哪些).
        end = asked.end("parts") if group == "before" and asked.group("parts") else asked.end(group)
        return text[:start] + " " + _GROUP_EXAMPLES.sub("", text[end:], count=1)
    return re.sub(rf"{_ASKING}?{re.escape(grouping_word)}(?:的)?(?:{_EXAMPLES})?", " ", text, count=1)


def _topic_terms(topic: str, expansions: list[list[str]]) -> list[str]:
    stripped = _YEAR.sub(" ", _CN_YEAR.sub(" ", topic))
    for pattern, _ in _PERIODS:
        stripped = pattern.sub(" ", stripped)
    chunks = [c.strip(" 年'") for c in _TERM_SPLIT.split(stripped)]
    terms = [c for c in chunks if (len(c) >= 2 and _CJK.search(c)) or (not _CJK.search(c) and len(c) >= 3)]
    # Canonical terms help English questions reach the Chinese text.
    for group in expansions:
        if not any(group[0] in t for t in terms):
            terms.append(group[0])
    return list(dict.fromkeys(terms))


def analyze_question(q: str) -> QuestionAnalysis:
    """Analyse a question in Simplified, Traditional or English; never raises on any string."""
    question = q or ""
    normalized = to_simplified(question).strip()
    # How to answer may ask for wording (请给出参考表述), but is no part of the topic.
    kind = _list_despite_remark(normalized)
    text, left_out = _without_left_out(_without_please(_without_instructions(normalized)), kind)
    grouping, grouping_word = _grouping(text)
    asked = _asked_after_scope(text, kind)
    codes_left_out = [code for phrase in left_out for code in _codes_left_out(phrase)]
    # A place whose reports a remark leaves out is no scope ((莒南县报告除外)).
    writers = [(p, end) for p, end in _report_writers(text) if p.code not in codes_left_out]
    regions_read = _region_writers(text)
    spans = [(p.start, end) for p, end in writers] + [(start, end) for start, end, _ in regions_read]
    # A list question's years of reports say where to look, not what about; another's may be what it asks.
    spans += [m.span() for m in _OPEN_YEAR.finditer(text)] if kind == "list" else []
    topic = _topic(_without_writers(text, spans), kind, grouping_word, asked)
    if kind == "list" and (opening := _opening_division(topic, text, grouping)) is not None:
        writers.append(opening)
        spans.append((opening[1] - len(opening[0].mention), opening[1]))
        topic = _topic(_without_writers(text, spans), kind, grouping_word, asked)
    expansions = _expansions(topic)
    scope = _scope_text(text, asked) if asked else ""
    places = find_places(scope) if scope else []
    years_left_out = tuple(dict.fromkeys(year for phrase in left_out for year in _years_left_out(phrase)))
    return QuestionAnalysis(
        question=question,
        normalized=normalized,
        kind=kind,
        grouping=grouping,
        grouping_word=grouping_word,
        # Remarks stay in the text (without_asides reads them): a year one leaves out is no year asked.
        years=[year for year in _years(text) if year not in years_left_out],
        period=_period(text),
        topic=topic,
        topic_terms=_topic_terms(topic, expansions),
        expansions=expansions,
        scope=scope,
        scope_years=_scope_years(scope, places),
        scope_codes=deepest_divisions(
            _as_current(
                [
                    *_scope_codes(scope, [*places, *(p for p, _ in writers)], grouping),
                    *(code for _, _, codes in regions_read for code in codes),
                ]
            )
        ),
        left_out_codes=deepest_divisions(_as_current(codes_left_out)),
        left_out_years=years_left_out,
        left_out_things=tuple(p for p in left_out if not _codes_left_out(p) and not _years_left_out(p)),
        status=_asked_status(topic) if kind == "list" else "unknown",
        reports_of=_reports_of(normalized),
        report_years=_report_years(text, years_left_out, kind),
    )


def _opening_division(topic: str, text: str, grouping: str | None) -> tuple[Place, int] | None:
    """The division a list question's topic opens with, after 在 at most, when it lies above the level asked: the
    places asked are its own (阜平县的农村寄宿制学校建在哪些乡镇, 容城县以服装…著称的乡镇有哪些, 清苑区计划在哪些…乡镇),
    as with 阜平县哪些乡镇…. Named with its kind word: a bare name may open another (上海 of 上海合作组织). With where
    its name ends in the question."""
    tier = grouping_tier(grouping)
    places = find_places(topic)
    if tier is None or not places:
        return None
    first = places[0]
    if topic[: first.start] not in ("", "在") or not first.code or first.anonymised or first.rank >= tier.rank:
        return None
    if not first.mention.endswith(first.level):
        return None
    at = text.find(first.mention)
    return (first, at + len(first.mention)) if at >= 0 else None


def _reports_of(text: str) -> str | None:
    """The tier whose reports a question names (国务院政府工作报告 → nation, 省级政府工作报告 → province), if one."""
    writers = [w for m in re.finditer(_REPORTS, text) for w in re.findall(_WRITERS, m.group()) if _REPORTS_BY[w]]
    return _REPORTS_BY[writers[0]] if writers else None


def _report_writers(text: str) -> list[tuple[Place, int]]:
    """The places whose reports a question names, anywhere in it (阜平县 of 2021年阜平县报告的名词解释里, 广东省 of
    广东省2026年政府工作报告中…的城市有哪些), each with where the words naming its reports end."""
    return [
        (p, m.end())
        for p in find_places(text)
        # 向阜平县报告 reports to the county: 报告 is a verb.
        if text[p.start - 1 : p.start] not in ("向", "对", "给")
        and (m := _ITS_REPORTS.match(text, p.start + len(p.mention)))
    ]


def _region_writers(text: str) -> list[tuple[int, int, list[str]]]:
    """The regions whose provinces' reports a question names, anywhere in it (东北三省 of 哪些地市在东北三省的2026年
    政府工作报告中…), each with where its name starts, where the words naming the reports end, and the provinces."""
    return [
        (m.start(1), its.end(), _region_codes(m.group(1)))
        for m in _region_scope().finditer(text)
        if (its := _ITS_REPORTS.match(text, m.end()))
    ]


def _without_writers(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each writer's reports it names (from, to) blanked, a space for each character so that offsets
    hold: they say where to read, not what about."""
    for start, end in spans:
        start -= text[start - 1 : start] in ("在", "从", "据")
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _report_years(text: str, years_left_out: tuple[str, ...], kind: Kind) -> tuple[YearSpan, ...]:
    """The years of the reports a question names (2022年的报告里, 2024、2025年的报告, 在2020年至2025年的政府工作报告里,
    2013年及以前的县区报告, 1990年以前的国务院政府工作报告, （2009年及以后）的哪几年国务院政府工作报告): only places, writers,
    的 and the years asked may stand between the years and 报告; or, in a list question, a year and the side it opens
    anywhere. Not years a remark leaves out whole (哪几年（2019年至2020年除外）的政府工作报告)."""
    spans: list[YearSpan] = []
    for match in _REPORT_YEARS.finditer(text):
        between = match.group("between")
        if between.startswith(_NOT_THE_YEARS) or not _says_where_or_when(
            re.sub(rf"国务院|{_WRITERS}|[（）()]", "", between), times=True
        ):
            continue
        items = [_year_item_span(item.group()) for item in _YEAR_ITEM.finditer(match.group("years"))]
        # The last year alone opens the span its 以前/以后 says.
        if (opened := match.group("open")) and items[-1].first == items[-1].last:
            year = items[-1].first
            items[-1] = YearSpan(None, year) if opened.endswith("前") else YearSpan(year, None)
        spans += items
    for match in _OPEN_YEAR.finditer(text) if kind == "list" else ():
        year = _year_item_span(match.group("year")).first
        spans.append(YearSpan(None, year) if match.group("open").endswith("前") else YearSpan(year, None))
    return tuple(span for span in dict.fromkeys(spans) if not _all_left_out(span, years_left_out))


def _year_item_span(item: str) -> YearSpan:
    """2016年至2018年 as its span, 2019 or 二〇一九年 as that year alone."""
    if closed := _YEAR_SPAN.match(item):
        years = [int(y) for y in _span_years(closed)]
        return YearSpan(years[0], years[-1])
    year = int(_years(item.removesuffix("度").removesuffix("年") + "年")[0])  # 二〇一九 is a year only before 年
    return YearSpan(year, year)


def _all_left_out(span: YearSpan, years_left_out: tuple[str, ...]) -> bool:
    """Whether every year of a closed span is one the question leaves out."""
    if span.first is None or span.last is None:
        return False
    return all(str(year) in years_left_out for year in range(span.first, span.last + 1))


# A sentence after the question's own that tells how to answer (请回答对应的乡镇, 答案可能不止一年).
_PLEASE = ("请", "请问")
_ANSWER = "答案"
_SENTENCE_WITH_END = re.compile(f"[^；;{_SENTENCE_ENDS}]+[；;{_SENTENCE_ENDS}]*")


def _without_instructions(text: str) -> str:
    """The text without the sentences after the question's own (after 哪, else after the first) that only tell how
    to answer: they open with 请 or speak of the answer, and name no thing, place, year, exclusion or grouping the
    rest does not (请回答对应的乡镇 after 与乡镇同名的景区里，哪些…; not 请查找职工驿站建设, 请只列出2020年以后的,
    请注意，只挂牌的不算, 请列出乡镇 after 哪里…)."""
    asked = max(text.find("哪"), 0)
    sentences = [m for m in _SENTENCE_WITH_END.finditer(text)]
    dropped = [
        m
        for m in sentences
        if m.start() > asked and _only_instructs(m.group(), "".join(o.group() for o in sentences if o is not m))
    ]
    return "".join(m.group() for m in sentences if m not in dropped)


def _only_instructs(sentence: str, rest: str) -> bool:
    from ghqa.qa.word_classes import names_a_thing, tagged_words

    words = tagged_words(sentence)
    if not words or (words[0][0] not in _PLEASE and _ANSWER not in sentence):
        return False
    says_what = any(names_a_thing(flag) and w != _ANSWER and w not in _group_words() for w, flag in words)
    leaves_out = (
        _VERDICT.search(sentence) or _COUNTS.search(sentence) or any(map(left_out_spans, CLAUSE.findall(sentence)))
    )
    groups = _grouping(sentence)[0] is not None and _grouping(rest)[0] is None
    return not (says_what or leaves_out or groups or _years(sentence) or find_places(sentence))


def _without_please(text: str) -> str:
    """The text without 请 and 请问 where jieba's dictionary cuts them as words of their own (not 申请, 请求)."""
    import jieba

    return "".join(" " if word in _PLEASE else word for word in jieba.cut(text, HMM=False))


def _without_left_out(text: str, kind: Kind) -> tuple[str, list[str]]:
    """A list question without what its clauses before the places asked, its remarks in brackets and its clauses
    or sentences after them that only leave something out leave out, and what they leave out (清苑区 of
    除清苑区外，哪些乡镇…, 哪些乡镇（清苑区除外）…, 列出除清苑区外…的乡镇, 哪些乡镇…，清苑区除外, 哪些乡镇…？旅游片区不算)."""
    if kind != "list":
        return text, []
    asked = text.find("哪")
    clauses = [m.span() for m in _CLAUSE_OR_SENTENCE.finditer(text, 0, asked if asked >= 0 else len(text))]
    remarks = [(m.start(1), m.end(1)) for m in BRACKETED.finditer(text)]
    found: list[tuple[int, int, str]] = []
    for start, end in clauses + remarks:
        found += [(start + s, start + e, phrase) for s, e, phrase in left_out_spans(text[start:end])]
    # A sentence after the question listing what it leaves out, clause by clause, then only the verdict
    # (？只涉及…，或只针对…，都不算。), or a last clause joined to them that ends in it (？只是宣传推广，或单纯创建…的不算):
    # each clause is left out on its own; not where one says what counts (…也算).
    for sentence in list(_SENTENCE.finditer(text, asked + 1))[1:] if asked >= 0 else []:
        *items, verdict = CLAUSE.finditer(sentence.group())
        closing = verdict.group().strip()
        joined = _ITEM_OPENING.match(closing) and _ENDS_IN_VERDICT.search(closing)
        said = [c.group() for c in items] + [_ENDS_IN_VERDICT.sub("", closing)]
        if items and (_VERDICT.fullmatch(closing) or joined) and not any(_COUNTS.search(c) for c in said):
            # The last item's span takes a bare verdict with it.
            ends = [c.end() for c in items[:-1]] + [items[-1].end() if joined else verdict.end()]
            spans = [(c.start(), end, c.group()) for c, end in zip(items, ends, strict=True)]
            spans += [(verdict.start(), verdict.end(), said[-1])] if joined else []
            found += [
                (sentence.start() + start, sentence.start() + end, _ITEM_OPENING.sub("", phrase.strip()))
                for start, end, phrase in spans
            ]
    # After the places asked, only a later clause or sentence that is all exclusion (，2019年除外, ？旅游片区不算):
    # 在江苏省以外 there says where; in a clause 不计 or 不含 only of places or years (不计报酬 says how).
    later = list(_CLAUSE_OR_SENTENCE.finditer(text, asked + 1))[1:] if asked >= 0 else []
    for clause in later:
        if any(start <= clause.start() < end for start, end, _ in found):
            continue  # an item of a sentence read above
        start = clause.start() + len(clause.group()) - len(clause.group().lstrip())
        whole = clause.group().strip()
        # A sentence of its own after the question leaves out whatever 不含 names (…？不含幼儿园).
        sentence = text[: clause.start()].rstrip().endswith(tuple(_SENTENCE_ENDS))
        found += [
            (start + s, start + e, phrase)
            for s, e, phrase in left_out_spans(whole)
            if s == 0
            and e == len(whole)
            and (sentence or not _NOT_COUNTING.match(whole) or _codes_left_out(phrase) or _years_left_out(phrase))
        ]
    kept: list[tuple[int, int, str]] = []
    for span in sorted(found):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    # Remarks stay: question analysis leaves those that are no part of the topic out of it (without_asides).
    in_remarks = {span for span in kept if any(s <= span[0] < e for s, e in remarks)}
    for start, end, _ in reversed([span for span in kept if span not in in_remarks]):
        text = text[:start] + " " + text[end:]
    return text, [phrase for *_, phrase in kept]


def left_out_spans(clause: str) -> list[tuple[int, int, str]]:
    """Where a clause or a remark leaves something out, and what: 除…外 or 不含… within it, else …以外 or …除外 as the
    whole of it."""
    inside = [
        (match.start(), match.end(), match.group("left_out"))
        for pattern in (_EXCEPT, _NOT_COUNTING)
        for match in pattern.finditer(clause)
        if pattern is _NOT_COUNTING or _is_word_at(clause, match.start(), _EXCEPT_WORDS)
    ]
    if not inside and (match := _BEYOND.fullmatch(clause.strip())):
        inside = [(0, len(clause), match.group("left_out"))]
    return inside


def _is_word_at(text: str, at: int, words: tuple[str, ...]) -> bool:
    """Whether jieba's dictionary (no guessing: it would glue 除 to a rare name after it) cuts one of the words at."""
    import jieba

    return any(start == at and word in words for word, start, _ in jieba.tokenize(text, HMM=False))


@cache  # as _codes_left_out
def _years_left_out(phrase: str) -> tuple[str, ...]:
    """The years a phrase leaving something out names when it names years alone (2020年, 2019、2020年, 2019年的报告,
    each of 2016年至2018年) or after places and a joining word (清苑区和2021年); not a time from which (2020年以来), a
    thing of a year (2008年奥运会) nor a place's report (清苑区2021年: the place is left out)."""
    rest = phrase
    for place in find_places(phrase):
        if _YEARS_AFTER.match(phrase, place.start + len(place.mention)):
            return ()  # a place's report, not every report of the year
        rest = rest.replace(place.mention, " ", 1)
    years = [year for span in _YEAR_SPAN.finditer(rest) for year in _span_years(span)]
    years += _years(_YEAR_SPAN.sub(" ", rest))
    unexplained = _BESIDE_YEARS.sub("", _YEAR.sub("", _CN_YEAR.sub("", _YEAR_SPAN.sub("", rest))))
    return tuple(years) if not re.sub(r"[\W_]", "", unexplained) else ()


def _span_years(span: re.Match[str]) -> list[str]:
    """Each year of a span, either way round (2016年至2018年, 2018—2016, 1998—03年)."""
    first, last, short = span.groups()
    start = int(first.translate(_CN_DIGITS))
    if last:
        end = int(last.translate(_CN_DIGITS))
    else:
        end = start // 100 * 100 + int(short) + (100 if int(short) < start % 100 else 0)
    return [str(year) for year in range(min(start, end), max(start, end) + 1)]


@cache  # asked once to decide whether a later clause leaves something out, again for the analysis
def _codes_left_out(phrase: str) -> tuple[str, ...]:
    """The divisions a phrase leaving something out names, at any level (除南京市外, 除孝墓镇外); a county's name
    without its kind word only when it is the whole phrase (除清苑外; not 新建 of 新建学校); every division of a kind
    the phrase is the word for (除直辖市外)."""
    from ghqa.ingest.places import gazetteer

    places = [p for p in find_places(phrase) if p.code and not p.anonymised]
    # A place's thing leaves the thing out, not the place (清苑区的旅游驿站).
    if any(_OF_THE_PLACE.match(phrase, p.start + len(p.mention)) for p in places):
        return ()
    named = tuple(p.code for p in places) + tuple(gazetteer().county_short_forms().get(phrase.strip(), ()))
    return named + _divisions_of_a_kind(phrase.strip())


def _divisions_of_a_kind(phrase: str) -> tuple[str, ...]:
    """Every division the words of a phrase name by their kind, alone or joined (直辖市: 北京市, 天津市, 上海市,
    重庆市; 直辖市和自治区: those and the five), from the gazetteer; none for words of places in general (城市,
    省会城市, 县区)."""
    from ghqa.ingest.places import gazetteer

    words = [word.strip().removesuffix("的") for word in _CASES_JOINED.split(phrase)]
    kinds = [levels().divisions_kind(word) for word in words]
    # Each word a kind or a place (除北京和自治区外), else the phrase names something else too (计划单列市).
    if not any(kinds) or not all(kind or find_places(word) for kind, word in zip(kinds, words, strict=True)):
        return ()
    return tuple(code for named in kinds if named for code in gazetteer().of_kind(named[0].rank, named[1]))


def _as_current(codes: list[str]) -> list[str]:
    """The codes with a former division's replaced by the current one that took it over (清苑县 → 清苑区), where known:
    the places of its reports, old and new, are current divisions under that one."""
    from ghqa.ingest.places import current_equivalent, gazetteer

    by_code = gazetteer().by_code
    return [current_equivalent(by_code[c]).code if c in by_code else c for c in codes]


def deepest_divisions(codes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The codes without those of divisions above another one of them (河北省保定市清苑区: 清苑区 alone)."""
    from ghqa.ingest.places import gazetteer

    above = {a.code for c in codes if (d := gazetteer().by_code.get(c)) for a in gazetteer().ancestors(d)}
    return tuple(dict.fromkeys(c for c in codes if c not in above))


# Work under way is neither done nor only planned (已创成或正在争创, 在建或已经投入使用).
_UNDER_WAY = re.compile(r"正在|在建")

# Words that deny, as jieba cuts them (not 未来, 没收), and the adverbs that may come before them (还没有).
_DENIALS = {"没有", "尚未", "从未", "并未", "未曾", "从没", "不曾", "没", "未", "还没", "还未"}
_DENIAL_ADVERBS = {"还", "仍", "至今", "目前", "从来", "仍然"}


def _asked_status(topic: str) -> Status:
    """The status a list topic restricts its answer to: done when it says 已 (已经建成投入使用), planned when it names
    a plan with a strong marker (力争, 争取, 拟) and says nothing done (争取到了 is done); either when it says both,
    neither, or work under way (在建). A past verb alone (开展了, 完成了) is the question's tense, not a restriction, and
    打算 and 计划 are read as verbs of saying (哪些省份打算…: which ones mention it). A quoted name says nothing of it
    (“星火计划”)."""
    import jieba

    vocab = _vocab()
    topic = QUOTED.sub(" ", topic)
    done = "已" in topic
    # 了 and 过 as words of their own mark something done (争取到了, 获得过); 争取到 is a result, not a plan.
    said_done = any(word in ("了", "过") for word in jieba.lcut(topic))
    planned = not said_done and any(
        vocab.status_kind[m.group()] == ("planned", 2) and topic[m.end() : m.end() + 1] != "到"
        for m in vocab.status_marker.finditer(topic)
    )
    if _UNDER_WAY.search(topic) or done == planned:
        return "unknown"
    return "done" if done else "planned"


def classify_status(sentence: str) -> Status:
    """Whether a report sentence describes planned work, work already done, or can't tell."""
    vocab = _vocab()
    score = {"planned": 0, "done": 0, "neutral": 0}
    for m in vocab.status_marker.finditer(to_simplified(sentence or "")):
        side, weight = vocab.status_kind[m.group()]
        score[side] += weight
    if score["planned"] == score["done"]:
        return "unknown"
    return "planned" if score["planned"] > score["done"] else "done"
