"""Per-article metadata: the issuing unit (checked against the gazetteer), the places a report names, its year,
period and administrative level."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from ghqa.ingest.clean import to_simplified
from ghqa.ingest.model import Article
from ghqa.ingest.places import (
    Place,
    divisions_named,
    find_places,
    gazetteer,
    is_place,
    kind_of,
    levels,
    rank_of_kind,
    strip_kind,
)

# The State Council's reports are the nation's: one unit every list answer can show, at level 国家.
STATE_COUNCIL = Place(name="国务院", level="国家", rank=0)
_NATIONAL = re.compile(r"国务院|中华人民共和国")
# What follows a unit's name when the text speaks as that unit: 逍林镇总工会, 上海市政府, 在广东省第十四届人民代表大会,
# 广东省省长. Used with .match(text, end), so no "^".
_UNIT_AFTER = re.compile(
    r"(?:第[一二三四五六七八九十\d]{1,3}届)?"
    r"(?:总工会|工会|人民政府|政府|党委|党工委|委员会|人民代表大会|职工代表大会|人大|"
    r"省长|市长|州长|区长|县长|旗长|镇长|乡长|主席)"
)
_OPENING_LINES = 6
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
# A year at either end of a file name, set off by _ - . or, at the end, a space (2024_新安县, 2024.新安县, 新安县 2024).
_FILED_YEAR = re.compile(r"^((?:19|20)\d{2})[_\-.]|[_\-.\s]((?:19|20)\d{2})$")
# A year and, within the same clause, the word for the report it heads.
_REPORT_OF_YEAR = re.compile(_YEAR.pattern + r"[^，。？！?!,;；]{0,12}?(?:报告|总结|汇报)")
# 20xx年, 20**年, 200x年, **年, X年: a year the page anonymised.
_ANONYMISED_YEAR = re.compile(r"(?<![\dA-Za-z])(?:(?:19|20)\d?)?[xX×*＊]{1,4}\s*年")
ANONYMISED_YEAR = "20xx"
_PERIOD = (
    ("上半年", "上半年"),
    ("下半年", "下半年"),
    ("一季度", "一季度"),
    ("全年", "全年"),
    ("年度", "全年"),
    ("一年来", "全年"),
)
# Proper nouns that are people when followed by these, not the place a report calls itself.
_PERSON_CONTEXT = r"(?:同志|先生|女士|主席|书记|镇长|乡长|工伤|家属|诉|的妻子|的丈夫|父亲|母亲|受伤|死亡|补偿)"


@cache
def self_reference() -> re.Pattern[str]:
    """我镇, 本街道, 全区: a report speaking of its own unit by its kind."""
    return re.compile(rf"(?:我|本|全)({levels().kind_pattern()})")


def issuing_unit(title: str, paragraphs: list[str]) -> Place | None:
    """The unit that wrote the report, a gazetteer division or a marked anonymised unit.

    The State Council for national reports; else the place the title names (before 总工会/政府 when it names
    several); else one the opening lines name as the speaker (在广东省第十四届人民代表大会, 逍林镇总工会); else the
    place the report's self-references (我镇, 本街道) point to. A place of another kind than the self-references
    (XX县总工会 in a report saying 我乡) is the writer's superior, not the writer."""
    simple_title = to_simplified(title)
    opening = [to_simplified(p) for p in paragraphs[:_OPENING_LINES]]
    if _NATIONAL.search(simple_title) or any("代表国务院" in p for p in opening):
        return STATE_COUNCIL
    own_kinds = _self_reference_kinds(paragraphs)
    in_title = find_places(simple_title)
    if in_title:
        speaking = [p for p in in_title if _UNIT_AFTER.match(simple_title, p.start + len(p.mention))]
        return (speaking or sorted(in_title, key=lambda p: p.rank))[-1]
    for text in opening:
        for place in find_places(text):
            if _UNIT_AFTER.match(text, place.start + len(place.mention)) and _is_own_kind(place, own_kinds):
                return place
    return _self_named_unit(opening, own_kinds) or _unit_from_self_references(paragraphs, own_kinds)


def _self_named_unit(opening: list[str], own_kinds: list[str]) -> Place | None:
    """A unit the gazetteer lacks (towns are merged and renamed) that the report names as itself: a name of the
    kind it calls itself by (我镇), speaking at the start of a clause in the opening lines (出江镇工会联合会在…).
    Kept unverified: no code, not anonymised. Running text never makes a unit this way."""
    if not own_kinds:
        return None
    kind = own_kinds[0]
    for text in opening:
        for m in re.finditer(rf"(?:^|(?<=[，,。；;：:、\s（(“”年]))(?P<stem>[\u4e00-\u9fff]{{2,4}}?){kind}", text):
            stem = m.group("stem")
            # A stem holding a kind word or a determiner (全县各镇, 我们镇), a function word (一是街道), or a name
            # ending in a longer kind word (自治区 read as 自治 + 区) names no one unit.
            if (
                _UNIT_AFTER.match(text, m.end())
                and not re.search(rf"{levels().kind_pattern()}|[各全我本该每这那其]", stem)
                and not _holds_function_words(stem)
                and not any(k.endswith(kind) and (stem + kind).endswith(k) for k in levels().kind_names() if k != kind)
            ):
                return Place(stem + kind, kind, rank_of_kind(kind) or 0, mention=m.group(), start=m.start())
    return None


def _self_reference_kinds(paragraphs: list[str]) -> list[str]:
    """The kinds a report calls itself by (我镇, 全镇 → 镇), most frequent first; first of all the kind its speaker
    says they speak for (我代表县人民政府): a county's report may say 全市第一 more often than 全县."""
    counts = Counter(m.group(1) for p in paragraphs for m in self_reference().finditer(to_simplified(p)))
    kinds = [kind for kind, _ in counts.most_common()]
    opening = (to_simplified(p) for p in paragraphs[:_OPENING_LINES])
    speaking = next((m.group(1) for text in opening if (m := _speaking_for().search(text))), None)
    return [speaking, *(k for k in kinds if k != speaking)] if speaking else kinds


@cache
def _speaking_for() -> re.Pattern[str]:
    # The speaker in the first person: 县总工会副主席代表县总工会致辞 is a guest speaking, not the report's speaker.
    return re.compile(rf"我谨?代表({levels().kind_pattern()})(?={_UNIT_AFTER.pattern})")


def _is_own_kind(place: Place, own_kinds: list[str]) -> bool:
    """Not above the kind the report calls itself by: XX县 is the superior of a report saying 我乡."""
    own_rank = rank_of_kind(own_kinds[0]) if own_kinds else None
    return own_rank is None or place.rank >= own_rank


def _unit_from_self_references(paragraphs: list[str], own_kinds: list[str]) -> Place | None:
    """The place of the kind the report calls itself by most often: the one named before 总工会/政府, else the one
    named most, counting a proper noun the report repeats (和谐清苑、清苑的优势; 实力宗汉) when it is with the kind a
    division (清苑县, 宗汉街道): a county named twice for a partnership (与新疆和静县合作) or once in a slogan (产业化
    富县) is not the unit of a report that says 容城 or 清苑 throughout."""
    body = [to_simplified(p) for p in paragraphs]
    named = [(text, place) for text in body for place in find_places(text)]
    for kind in own_kinds[:1]:
        of_kind = [(text, place) for text, place in named if place.name.endswith(kind)]
        speaking = [place for text, place in of_kind if _UNIT_AFTER.match(text, place.start + len(place.mention))]
        if speaking:
            return speaking[0]
        places = {place.name: place for _, place in reversed(of_kind)}  # each name's first mention
        counts = Counter(place.name for _, place in of_kind)
        # An anonymised report (xx镇) hides its name: a word it repeats (新建, read as a place name) is not it.
        recurring = None if any(place.anonymised for _, place in of_kind) else _recurring_proper_noun(body, kind)
        if recurring:
            place = find_places(recurring[0] + kind)[0]
            places.setdefault(place.name, place)
            counts[place.name] += recurring[1]
        if counts:
            return places[max(counts, key=lambda name: counts[name])]
    return None


def _holds_function_words(text: str) -> bool:
    """Whether jieba reads a numeral, pronoun, preposition, conjunction, particle or adverb in it (一是, 关于, 我们)."""
    import jieba.posseg

    return any(w.flag.startswith(("m", "r", "p", "c", "u", "d", "y")) for w in jieba.posseg.cut(text))


def _recurring_proper_noun(texts: list[str], kind: str) -> tuple[str, int] | None:
    """A report that says only 本街道 often still names its place in slogans (实力宗汉、活力宗汉): the proper noun
    jieba finds most often that with the kind is a division (宗汉街道) and is no place itself, with the count of its
    mentions not already written in full (宗汉街道), when it recurs; the first named wins a tie."""
    import jieba.posseg

    joined = "\n".join(texts)
    proper_nouns = dict.fromkeys(
        w.word for t in texts for w in jieba.posseg.cut(t) if w.flag in ("ns", "nr", "nz") and 2 <= len(w.word) <= 3
    )
    # Checked once per word, not per mention: the words sought are the ones a report repeats.
    candidates = [word for word in proper_nouns if is_place(word + kind) and not is_place(word)]
    counts = {
        name: len(re.findall(re.escape(name) + f"(?!{re.escape(kind)})", joined))
        for name in candidates
        if not re.search(re.escape(name) + _PERSON_CONTEXT, joined)
    }
    best = max(counts, key=lambda name: counts[name], default=None)
    return (best, counts[best]) if best and counts[best] >= 3 else None


def unit_parent(unit: Place, places: list[Place]) -> str | None:
    """The division above the unit: the gazetteer's parent when the unit is one known division; for an anonymised
    or ambiguous unit, the most specific higher place the report names (xx镇 of 崇州市), the most named on a tie."""
    if unit.code or unit.rank <= 1:
        return unit.parent
    above = Counter((p.rank, p.name) for p in places if 0 < p.rank < unit.rank and p.name != unit.name)
    if not above:
        return None
    return max(above, key=lambda key: (key[0], above[key]))[1]


def report_year(title: str, paragraphs: list[str]) -> str | None:
    """The year of the title, else of the date line or opening lines; an anonymised year (20xx年) as "20xx". A
    title that is a file's name may write the year alone, at one end (2024_新安县)."""
    if not _YEAR.search(to_simplified(title)) and (filed := _FILED_YEAR.search(to_simplified(title))):
        return filed.group(1) or filed.group(2)
    for text in [title, *paragraphs[:3]]:
        simple = to_simplified(text)
        year, anonymised = _YEAR.search(simple), _ANONYMISED_YEAR.search(simple)
        if year and not (anonymised and anonymised.start() < year.start()):
            return year.group(1)
        if anonymised:
            return ANONYMISED_YEAR
    return None


def report_years_named(text: str) -> list[str]:
    """The years a text names as a report's (1995年政府工作报告, 2014年李克强的政府工作报告, 2023年上半年工作总结),
    not the years it speaks of (宁夏2025年全区GDP is told in the 2026 report)."""
    return list(dict.fromkeys(_REPORT_OF_YEAR.findall(to_simplified(text))))


def report_period(title: str, paragraphs: list[str]) -> str | None:
    for text in [title, *paragraphs[:2]]:
        simple = to_simplified(text)
        for marker, period in _PERIOD:
            if marker in simple:
                return period
    return None


def admin_level(unit: Place | None, paragraphs: list[str]) -> str | None:
    """The unit's kind (镇, 街道, 区, 省 …, 国家 for the State Council), else the kind the report calls itself by."""
    if unit:
        return unit.level
    kinds = _self_reference_kinds(paragraphs)
    return kinds[0] if kinds else None


def describe_article(article: Article, file_name: str = "") -> None:
    """Fill an article's unit, its parent, places, year, period and level from its title and text; the year from
    the file's name when they give none (2017_易县, whose page opens with its speaker)."""
    texts = [p.text for p in article.paragraphs]
    unit = issuing_unit(article.title, texts)
    if unit is not None and article.title == file_name and not _named_in(unit, texts):
        unit = _unit_the_text_places(texts, unit) or unit
    near = _codes_around(unit)
    places = [place for text in [article.title, *texts] for place in find_places(text, near)]
    article.unit = unit.name if unit else None
    article.unit_parent = unit_parent(unit, places) if unit else None
    article.places = list(dict.fromkeys(place.name for place in places))
    article.year = report_year(article.title, texts) or report_year(file_name, [])
    article.period = report_period(article.title, texts)
    article.level = admin_level(unit, texts)


def _named_in(unit: Place, texts: list[str]) -> int:
    """How often a text names the unit, in full or by a short form of two characters or more (易县; 徐水 of 徐水区)."""
    short = strip_kind(unit.name)
    name = short if len(short) >= 2 else unit.name
    return sum(t.count(name) for t in map(to_simplified, texts))


def _unit_the_text_places(texts: list[str], filed: Place) -> Place | None:
    """The unit a page titled by a mislabelled file name speaks for (2024_安新县 holding 新安县's report): the one
    its text points to, when the text names it twice or more and names a division above it that is not above the
    filed unit (洛阳市, not 保定市); a partner county (与高阳县联合治理) or a common word read as a place (惠民 of
    惠民生) has none."""
    unit = issuing_unit("", texts)
    if unit is None or unit.code is None or _named_in(unit, texts) < 2:
        return None
    above = set(_codes_around(unit)) - {unit.code} - set(_codes_around(filed))
    named = {place.code for text in texts for place in find_places(to_simplified(text))}
    return unit if above & named else None


def _codes_around(unit: Place | None) -> list[str]:
    """The unit's code and its ancestors', so a shared name (城关镇) resolves to the one in the unit's area."""
    if unit is None or unit.code is None:
        return []
    division = gazetteer().by_code[unit.code]
    return [division.code, *(d.code for d in gazetteer().ancestors(division))]


def unit_rank(unit: str | None) -> int | None:
    """The tier of a stored unit name: its division's rank, else the usual rank of its kind (X区 → 3)."""
    if unit is None:
        return None
    if unit == STATE_COUNCIL.name:
        return STATE_COUNCIL.rank
    divisions = divisions_named(unit)
    if divisions:
        return min(d.rank for d in divisions)
    kind = kind_of(unit)
    return rank_of_kind(kind) if kind else None
