"""Per-article metadata: the places a report names, its issuing unit, year, period and administrative level."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from ghqa.ingest.clean import to_simplified
from ghqa.ingest.model import Article

PLACE_SUFFIXES = ("街道", "社区", "镇", "乡", "区", "县", "市", "省", "自治区", "州")
# Characters that end a name when walking back from a suffix: function words, quantifiers, punctuation.
_NAME_STOP = set(
    '们名家级届次委府的在对于了和与及是为将把被由向从到至各全本我该此其每个这那等、，。；：:,.（）()“”"年月日《》 　与并和或及其共有新老原旧省市县区镇乡村里之以'
)
_ANON = re.compile(r"^(?:[xX×*＊]{1,3}|某)$")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffxX×*＊]")
# jieba tags that never start a place name: verbs, prepositions, adverbs, conjunctions, pronouns, numerals, …
_FUNCTION_TAGS = set("vpdcrumfqaty")
_PERSON_CONTEXT = r"(?:同志|先生|女士|主席|书记|镇长|乡长|工伤|家属|诉|的妻子|的丈夫|父亲|母亲|受伤|死亡|补偿)"
_NAME_TAGS = {"ns", "nr", "nz", "nt", "nrt", "nrfg"}
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]{1,4}")
# Words ending in a place suffix that are not places.
_NOT_PLACES = set(
    [
        "乡镇",
        "城镇",
        "村镇",
        "集镇",
        "市区",
        "城区",
        "社区",
        "街区",
        "园区",
        "景区",
        "厂区",
        "矿区",
        "片区",
        "辖区",
        "小区",
        "山区",
        "库区",
        "校区",
        "功能区",
        "开发区",
        "工业区",
        "展区",
        "自贸区",
        "大湾区",
        "示范区",
        "试验区",
        "实验区",
        "保护区",
        "城市",
        "都市",
        "超市",
        "县市",
        "省市",
        "地市",
        "本市",
        "城乡",
        "农村乡",
        "老区",
        "新区",
        "试点镇",
        "重点镇",
        "中心镇",
        "区县",
        "市县",
        "区域",
        "地区",
        "全区",
        "全市",
        "全县",
        "全镇",
        "全乡",
        "社区社区",
        "街道街道",
    ]
)
# Used with .match(text, pos), so no "^": it would only match at the start of the whole text.
_UNION_AFTER = re.compile(r"(?:总工会|工会|党委|人民政府|政府|委员会|工会联合会|联合工会)")
_SELF_REFERENCE = re.compile(r"(?:我|本|全)(镇|乡|街道|区|县|市)")
_YEAR = re.compile(r"((?:19|20)\d{2}|20[xX*＊]{1,2}|20\d[xX*＊])\s*年")
_PERIOD = (
    ("上半年", "上半年"),
    ("下半年", "下半年"),
    ("一季度", "一季度"),
    ("全年", "全年"),
    ("年度", "全年"),
    ("一年来", "全年"),
)


def find_places(text: str) -> list[str]:
    """Place names in a text, in order of appearance: 马过河镇, 巴州区, 宗汉街道, and anonymised ones like xx镇 or X区."""
    return [place for place, _ in place_matches(to_simplified(text))]


def place_matches(simple: str) -> Iterator[tuple[str, int]]:
    """Each place named in an already simplified text, with the offset just past that occurrence."""
    for m in re.finditer("|".join(PLACE_SUFFIXES), simple):
        name = _name_before(simple, m.start())
        if name and name + m.group() not in _NOT_PLACES and _could_be_place_name(name, m.group()):
            yield name + m.group(), m.end()


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    import logging

    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.posseg.dt.initialize()
    return jieba.posseg.dt.word_tag_tab


def _name_before(text: str, end: int) -> str:
    """The 1–4 name characters right before a suffix, cut after the last verb, preposition or other function word."""
    start = end
    while start > 0 and end - start < 6 and text[start - 1] not in _NAME_STOP and _NAME_CHAR.match(text[start - 1]):
        start -= 1
    window = text[start:end]
    tags = _word_tags()
    cut = 0
    for i in range(len(window)):
        for j in range(i + 2, len(window) + 1):
            if tags.get(window[i:j], "ns")[0] in _FUNCTION_TAGS:
                cut = max(cut, j)
    name = window[cut:][-4:]
    return name if _CJK_NAME.fullmatch(name) or _ANON.match(name) else ""


def _could_be_place_name(name: str, suffix: str) -> bool:
    """Anonymised names, and names jieba does not know as an ordinary word (产生, 时期); community names are free."""
    if _ANON.match(name):
        return True
    if len(name) < 2 or name[-1] + suffix in _NOT_PLACES:  # 重点城市, 合肥都市: the suffix ends a common word
        return False
    tag = _word_tags().get(name)
    return suffix == "社区" or tag is None or tag in _NAME_TAGS


def issuing_unit(title: str, paragraphs: list[str]) -> str | None:
    """The place that wrote the report: named before 总工会/工会 in the title or opening lines, else the place the
    report's self-references (我镇, 本街道) point to, else the most named place of the right level."""
    opening = [title, *paragraphs[:3]]
    for text in opening:
        simple = to_simplified(text)
        # Check each occurrence: a place may be named first in passing and then before 总工会.
        for place, end in place_matches(simple):
            if _UNION_AFTER.match(simple, end):
                return place
    body = [to_simplified(p) for p in paragraphs]
    counts = Counter(place for p in body for place in find_places(p))
    levels = Counter(m.group(1) for p in body for m in _SELF_REFERENCE.finditer(p))
    for level, _ in levels.most_common():
        candidates = [(n, place) for place, n in counts.items() if place.endswith(level)]
        for p in body:
            for place, end in place_matches(p):
                if place.endswith(level) and _UNION_AFTER.match(p, end):
                    return place
        if candidates:
            return max(candidates)[1]
        name = _recurring_proper_noun(body)
        if name:
            return name + level
    return None


def _recurring_proper_noun(texts: list[str]) -> str | None:
    """A report that says only 本街道 often still names its place in slogans (实力宗汉、活力宗汉): the proper noun
    jieba finds most often, when it recurs."""
    import jieba.posseg

    counts = Counter(
        w.word for t in texts for w in jieba.posseg.cut(t) if w.flag in ("ns", "nr", "nz") and 2 <= len(w.word) <= 3
    )
    joined = "\n".join(texts)
    for name in list(counts):
        if re.search(re.escape(name) + _PERSON_CONTEXT, joined):
            del counts[name]
    best = counts.most_common(1)
    return best[0][0] if best and best[0][1] >= 3 else None


def report_year(title: str, paragraphs: list[str]) -> str | None:
    for text in [title, *paragraphs[:3]]:
        m = _YEAR.search(to_simplified(text))
        if m:
            return m.group(1).lower().replace("*", "x").replace("＊", "x")
    return None


def report_period(title: str, paragraphs: list[str]) -> str | None:
    for text in [title, *paragraphs[:2]]:
        simple = to_simplified(text)
        for marker, period in _PERIOD:
            if marker in simple:
                return period
    return None


def admin_level(unit: str | None, paragraphs: list[str]) -> str | None:
    if unit:
        return next(
            (s for s in ("自治区", "街道", "社区", "镇", "乡", "区", "县", "市", "省", "州") if unit.endswith(s)), None
        )
    levels = Counter(m.group(1) for p in paragraphs for m in _SELF_REFERENCE.finditer(to_simplified(p)))
    return levels.most_common(1)[0][0] if levels else None


def describe_article(article: Article) -> None:
    """Fill an article's unit, places, year, period and level from its title and text."""
    texts = [p.text for p in article.paragraphs]
    article.unit = issuing_unit(article.title, texts)
    seen: dict[str, None] = {}
    for text in [article.title, *texts]:
        for place in find_places(text):
            seen.setdefault(place, None)
    article.places = list(seen)
    article.year = report_year(article.title, texts)
    article.period = report_period(article.title, texts)
    article.level = admin_level(article.unit, texts)
