"""China's administrative divisions: the vocabulary of levels (data/levels.toml), the gazetteer of divisions down
to townships (data/gazetteer.tsv.gz, with the former divisions of data/gazetteer_former.tsv.gz, see data/README.md)
and the places a text names.

A place is either a division of the gazetteer, named in full (逍林镇, 慈溪市, 广东省) or by the short form a text
uses for a province or prefecture (广东, 杭州, 湘西州), and in a report of the division above them for a township
(羊平 in 曲阳县's) or a county-level city (义乌 in 浙江省's), or a marked anonymised unit (X区, xx镇, *市, ××街道).
A former division (a town merged or renamed since, 出江镇 of 大邑县) is a place only where the text backs it: an
organ of it follows (出江镇工会, 出江镇党委), a division above it is named in the text or around it, or the text is
the name alone. Nothing else is a place: 深化利率市, 外汇调剂市 and 港澳大湾区 are in neither list.
"""

from __future__ import annotations

import gzip
import itertools
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

from ghqa.ingest.clean import to_simplified


@dataclass(frozen=True)
class Tier:
    """One tier of the hierarchy: 省级 (rank 1) … 乡级 (rank 4), with the words a question groups it by and the words
    that qualify something as of this tier (省级, 全省)."""

    key: str
    label: str
    rank: int
    groups: tuple[str, ...]
    qualifiers: tuple[str, ...]
    with_county_cities: tuple[str, ...] = ()  # grouping words that ask for county-level cities too (城市, not 地级市)
    kind_words: tuple[tuple[str, str], ...] = ()  # a word for this tier's divisions of one kind: (直辖市, 市)


@dataclass(frozen=True)
class Kind:
    """The word that ends a division's name (镇, 街道, 自治州 …), the tiers it occurs at and its usual rank."""

    name: str
    tiers: tuple[str, ...]
    rank: int


@dataclass(frozen=True)
class Levels:
    tiers: tuple[Tier, ...]
    kinds: tuple[Kind, ...]  # longest name first, so 自治区 is tried before 区
    ethnic: tuple[str, ...]

    def tier(self, key: str) -> Tier:
        return next(t for t in self.tiers if t.key == key)

    def kind(self, name: str) -> Kind | None:
        return next((k for k in self.kinds if k.name == name), None)

    def kind_names(self, tier: str | None = None) -> list[str]:
        """Kind words, longest first; only those occurring at `tier` when given."""
        return [k.name for k in self.kinds if tier is None or tier in k.tiers]

    def kind_pattern(self) -> str:
        """A regex alternation of every kind word, longest first."""
        return "|".join(map(re.escape, self.kind_names()))

    def divisions_kind(self, word: str) -> tuple[Tier, str] | None:
        """The tier and kind of the divisions a word names all of: a kind word that occurs at one tier only, above the
        counties, so that an answer can name them (自治区, 自治州, 地区), or a tier's word for one kind (直辖市: the
        province tier's 市)."""
        named = next(((t, kind) for t in self.tiers for w, kind in t.kind_words if w == word), None)
        kind = self.kind(word)
        if named or not (
            kind and len(kind.tiers) == 1 and self.tier(kind.tiers[0]).rank <= self.tier("prefecture").rank
        ):
            return named
        return self.tier(kind.tiers[0]), word

    def group_tier(self, word: str) -> Tier | None:
        """The tier a question's grouping word asks for: 乡镇 → township, 省份 → province, 城市 → prefecture."""
        return next((t for t in self.tiers if word in t.groups), None)


@cache
def levels() -> Levels:
    data = tomllib.loads(resources.files("ghqa.ingest").joinpath("data/levels.toml").read_text(encoding="utf-8"))
    tiers = tuple(
        Tier(
            t["key"],
            t["label"],
            t["rank"],
            tuple(t["groups"]),
            tuple(t["qualifiers"]),
            tuple(t.get("with_county_cities", ())),
            tuple(t.get("kind_words", {}).items()),
        )
        for t in data["tier"]
    )
    kinds = tuple(
        sorted((Kind(k["name"], tuple(k["tiers"]), k["rank"]) for k in data["kind"]), key=lambda k: -len(k.name))
    )
    return Levels(tiers, kinds, tuple(data["ethnic"]["names"]))


@cache
def regions(division: str | None = None) -> dict[str, tuple[str, ...]]:
    """Regions and their provinces' codes (data/regions.toml): one division of the country's (economic: the NBS's
    东部, 中部, 西部, 东北; geographic: 华北 … 西北), or every region of both."""
    data = tomllib.loads(resources.files("ghqa.ingest").joinpath("data/regions.toml").read_text(encoding="utf-8"))
    tables = [data[division]] if division else data.values()
    return {name: tuple(codes) for table in tables for name, codes in table.items()}


def kind_of(name: str) -> str | None:
    """The longest kind word a name ends with: 宁夏回族自治区 → 自治区, 宗汉街道 → 街道, 国务院 → None."""
    return next((k for k in levels().kind_names() if name.endswith(k) and len(name) > len(k)), None)


def strip_kind(name: str) -> str:
    """A name without its kind word: 马过河镇 → 马过河, 宁夏回族自治区 → 宁夏回族."""
    kind = kind_of(name)
    return name[: -len(kind)] if kind else name


def short_forms(name: str, rank: int) -> set[str]:
    """How texts shorten a province's or prefecture's name: 广东, 内蒙古, 杭州, 湘西, 湘西州, 喀什; none for other ranks."""
    if rank not in (1, 2):
        return set()
    stem = strip_kind(name)
    base = _trailing_ethnic().sub("", stem) if name.endswith("自治州") or rank == 1 else stem
    forms = {base, stem} | ({base + "州"} if name.endswith("自治州") else set())
    return {form for form in forms if len(form) >= 2 and form not in _NOT_SHORT_FORMS}


@cache
def _trailing_ethnic() -> re.Pattern[str]:
    names = sorted(levels().ethnic, key=len, reverse=True)
    # 土家族 and 蒙古 both end names; a one-character nationality only with 族, so 大理 keeps its 理.
    return re.compile("(?:(?:{})族|{})+$".format("|".join(names), "|".join(n for n in names if len(n) > 1)))


def rank_of_kind(kind: str) -> int | None:
    """The usual rank of a kind word (市 → 2, 镇 → 4), for units known only by it (我市, X市)."""
    found = levels().kind(kind)
    return found.rank if found else None


# --- the gazetteer -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Division:
    code: str  # the statistical code; a former division's adds "@" and its last edition (510129106@2019)
    name: str
    rank: int  # 1 province, 2 prefecture, 3 county, 4 township
    parent: str  # the parent division's code; "" for a province
    former: str = ""  # a division the current edition no longer has: the editions that list it, "2016–2019"
    successor: str = ""  # for a former one, the current division that took it over (清苑县 → 清苑区), when known


@dataclass(frozen=True)
class Place:
    """A place named in a text: a gazetteer division or a marked anonymised unit."""

    name: str  # the division's full name (杭州市 for 杭州), or the anonymised unit as written (xx镇)
    level: str  # its kind word: 镇, 街道, 区, 县, 市, 州, 省, 自治区 …
    rank: int  # 1 province … 4 township; for a name shared by divisions of several ranks, the lowest number
    parent: str | None = None  # the parent division's name, when the division is known
    code: str | None = None  # the division's code (see Division), when the name is one division or the text tells which
    anonymised: bool = False
    former: str = ""  # for a former division (merged or renamed since), the editions that list it: "2016–2019"
    mention: str = ""  # the text as written (杭州, 湘西州, 逍林镇)
    start: int = 0  # offset of the mention in the simplified text


# Short forms that are also common words or other things: 安康杯, 长治久安, 天下大同, 各位来宾, 朝阳产业,
# 阿里巴巴, 孙中山, 白银 the metal, 海西 (海峡西岸), 兴安岭.
_NOT_SHORT_FORMS = {"安康", "长治", "大同", "来宾", "朝阳", "阿里", "中山", "白银", "海西", "兴安"}
# Where a page has no title line, its title is its file's name, whose parts _ separates (2018_易县).
_FILE_NAME_SEPARATOR = "_"
# Name endings that continue into a common word: 市场, 乡村, 乡镇, 区域.
_WORD_AFTER = {"市": "场", "乡": "村镇土亲", "区": "域"}
# After a township's short form 县域 too (大王店县域医疗次中心: the county's area); a county's full name before it
# is still the county (容城县域经济).
_WORD_AFTER_SHORT_FORM = {**_WORD_AFTER, "县": "域"}
# Dictionary frequencies (jieba) above which a string is a common word rather than part of a name.
_CROSSING_WORD_FREQ = 50  # a word across a name's left edge: 黄河|南岸 holds no 河南, 上山|下乡 no 山下乡
# Characters either side of a name that jieba reads to find where words begin: a clause's worth.
_READING_SPAN = 8
_COMMON_TAIL_FREQ = 100  # 小城镇, 文明村镇: a short township name ending in the word 城镇, 村镇, 城乡
_COMMON_STEM_FREQ = 1000  # 中心镇, 发展乡, 解放区: a name whose stem is an everyday word
_SHORT_TOWN_WORD_FREQ = 20  # 草场, 三台, 垭口: a township's short form that is an everyday word, not a name
# Marks joining the items of a list of places (凯里、都匀, 仙桃和潜江).
_LIST_MARKS = "、和及与"
# What ends an item of a list or a clause: where the next item may open with a place (汉中油菜花节、安康…).
_ITEM_END = re.compile(r"[、，。；：,;:！？!?\s]")
# jieba tags of one-character stems that are function words or adjectives (和县, 易县, 新镇).
_FUNCTION_TAGS = set("cpudrmqfav")
# An organ of the division named just before: 出江镇工会联合会, 出江镇党委, 出江镇人民政府.
_ORGAN_AFTER = re.compile(r"总工会|工会|人民政府|政府|党委|党工委|纪委|人大|人民代表大会|委员会|办事处|镇长|乡长")
# A year right after a name (徐水县2011年): the text speaks of the division as it was then.
_YEAR_AFTER = re.compile(r"的?(\d{4})年")
# A division's government or congress in full: after one, even a name that reads as words is the division.
_GOVERNMENT_AFTER = re.compile(r"人民政府|人民代表大会")
# What every township has and names by its short form (草场派出所, 铁门中学, 铁门古镇): after one, a short form that is
# also an everyday word is the township.
_TOWNSHIP_INSTITUTION_AFTER = re.compile(
    r"派出所|中心卫生院|卫生院|中心校|中心学校|中学|小学|幼儿园|敬老院|司法所|财政所|古镇"
)
# X州 names a prefecture, a city's short form or an old one's name (杭州, 易州), not a town, though seat towns keep it.
_PREFECTURE_WORD = "州"
# A clause framing the one after it, 以…为重点 / 为核心 / 为抓手, within clause punctuation; not 以及, 以后 …, nor
# 成为, 作为 … (以及坊前镇成为示范镇).
FRAME_CLAUSE = re.compile(
    r"以(?!及|后|前|来|上|下|内|外|便|免|致|至)[^，,；;。：:]+?(?<![成作认因称视改更列评])为[\u4e00-\u9fff]{1,4}"
)


def institution_end(text: str, end: int) -> int:
    """Where an institution or landmark every township has (卫生院, 中学, 派出所, 古镇) named right after a place ending
    at `end` ends (紫荆关|卫生院); `end` when none follows."""
    m = _TOWNSHIP_INSTITUTION_AFTER.match(text, end)
    return m.end() if m else end


class Gazetteer:
    """Every division by code and by name, and an Aho-Corasick automaton over the names a text may use.

    `by_code` holds current and former divisions (a former one's code carries "@edition", so none collide);
    `by_name` the current ones, `former_by_name` the former ones. A name that is current keeps its current
    meaning; its former divisions are used only when the text or its surroundings point to one of them."""

    def __init__(self, divisions: Iterable[Division], former: Iterable[Division] = ()):
        import ahocorasick

        self.by_code: dict[str, Division] = {}
        self.by_name: dict[str, list[Division]] = {}
        self.former_by_name: dict[str, list[Division]] = {}
        for d in divisions:
            self.by_code[d.code] = d
            self.by_name.setdefault(d.name, []).append(d)
        for d in former:
            self.by_code[d.code] = d
            self.former_by_name.setdefault(d.name, []).append(d)
        for by_name in (self.by_name, self.former_by_name):
            # Texts are read in Simplified, where OpenCC writes 乾安县 as 干安县 and 於潜镇 as 于潜镇: both spellings.
            names = list(by_name)
            for name, simple in zip(names, to_simplified("\n".join(names)).split("\n"), strict=True):
                by_name.setdefault(simple, by_name[name])
        # key → (codes, is_short_form); a former name's codes are all former divisions' codes
        self.keys: dict[str, tuple[tuple[str, ...], bool]] = {
            name: (tuple(d.code for d in ds), False) for name, ds in self.by_name.items() if self._usable(name)
        }
        for key, code in self._short_forms().items():
            self.keys.setdefault(key, ((code,), True))
        for name, ds in self.former_by_name.items():
            if self._usable(name):
                self.keys.setdefault(name, (tuple(d.code for d in ds), False))
        self.automaton = ahocorasick.Automaton()
        for key, value in self.keys.items():
            self.automaton.add_word(key, (key, *value))
        self.automaton.make_automaton()

    @staticmethod
    def _usable(name: str) -> bool:
        """Full names that are also plain words (城区, 郊区, 矿区 of Shanxi) name no one place."""
        return len(strip_kind(name)) >= 1 and name not in {"城区", "郊区", "矿区", "新区"}

    def _short_forms(self) -> dict[str, str]:
        """Province and prefecture names as texts shorten them (`short_forms`), each form naming one division."""
        forms: dict[str, str] = {}
        ambiguous: set[str] = set()
        for rank in (1, 2):
            for d in (d for d in self.by_code.values() if d.rank == rank and not d.former):
                for form in short_forms(d.name, rank):
                    if form in self.by_name:
                        continue
                    if form in forms and self.by_code[forms[form]].rank < rank:
                        continue  # 吉林 and 海南 are provinces before they are prefectures
                    if form in forms and self.by_code[forms[form]].rank == rank and forms[form] != d.code:
                        ambiguous.add(form)
                    forms[form] = d.code
        return {form: code for form, code in forms.items() if form not in ambiguous}

    @cached_property
    def everyday_short_forms(self) -> dict[str, str]:
        """The short forms `short_forms` leaves out as everyday words (朝阳 of 朝阳市, 来宾 of 来宾市), each mapped to
        the one current province or prefecture it shortens."""
        forms: dict[str, list[str]] = {}
        for d in (d for d in self.by_code.values() if d.rank in (1, 2) and not d.former):
            for form in _NOT_SHORT_FORMS & {strip_kind(d.name), _trailing_ethnic().sub("", strip_kind(d.name))}:
                forms.setdefault(form, []).append(d.code)
        return {form: codes[0] for form, codes in forms.items() if len(codes) == 1}

    def parent(self, division: Division) -> Division | None:
        return self.by_code.get(division.parent)

    def children(self, code: str) -> list[Division]:
        """The divisions directly under one, current ones first, then former ones."""
        if not hasattr(self, "_children"):
            self._children: dict[str, list[Division]] = {}
            for d in sorted(self.by_code.values(), key=lambda d: bool(d.former)):
                self._children.setdefault(d.parent, []).append(d)
        return self._children.get(code, [])

    def of_kind(self, rank: int, kind: str) -> tuple[str, ...]:
        """The codes of the current divisions of a rank whose names end in a kind word (rank 1, 自治区: the five)."""
        return tuple(self._by_rank_and_kind.get((rank, kind), ()))

    @cached_property
    def _by_rank_and_kind(self) -> dict[tuple[int, str | None], list[str]]:
        kinds: dict[tuple[int, str | None], list[str]] = {}
        for d in self.by_code.values():
            if not d.former:
                kinds.setdefault((d.rank, kind_of(d.name)), []).append(d.code)
        return kinds

    def county_short_forms(self) -> dict[str, tuple[str, ...]]:
        """Current county-level names without their kind word or nationality, of two to four characters (清苑 of 清苑区,
        青龙 of 青龙满族自治县), each with the codes of every county so named; not a zone's (唐山高新技术产业开发区).
        Many are everyday words: only where a text says a place stands (the scope of a question: 清苑有哪些乡镇…)."""
        if not hasattr(self, "_county_forms"):
            forms: dict[str, list[str]] = {}
            for d in self.by_code.values():
                if d.rank != 3 or d.former:
                    continue
                stem = strip_kind(d.name)
                for form in {stem, _trailing_ethnic().sub("", stem)}:
                    if 2 <= len(form) <= 4:
                        forms.setdefault(form, []).append(d.code)
            self._county_forms = {form: tuple(codes) for form, codes in forms.items()}
        return self._county_forms

    def township_short_forms(self, county: str) -> dict[str, str]:
        """The short forms a county's own report uses for its townships (羊平 for 羊平镇, 湾丘 for 湾丘彝族乡): each
        name without its kind word (and a trailing nationality), of at least two characters, mapped to the
        township's code. A current township wins over a former one of the same short form; a short form that is
        the county's own or that of a division above or beside it (定兴 of 定兴镇 in 定兴县), or that two current
        townships share, is left out, and so is one ending in 州, which names a prefecture, today's (杭州) or an old one
        whose name its seat town kept (易州 of 易州镇: 易县's old prefecture, as in 易州酒店); 柳市 and 新市 stay towns."""
        division = self.by_code.get(county)
        if division is None or division.rank != 3:
            return {}
        above = {strip_kind(division.name)}
        for d in [*self.ancestors(division), *self.children(division.parent)]:
            above.add(strip_kind(d.name))
        ethnic = "|".join(sorted(levels().ethnic, key=len, reverse=True))
        trailing = re.compile(f"(?:{ethnic})族$") if ethnic else None
        forms: dict[str, str] = {}
        current: dict[str, int] = {}
        for town in self.children(county):
            if town.rank != 4:
                continue
            stem = strip_kind(town.name)
            stem = trailing.sub("", stem) if trailing and town.name.endswith("乡") else stem
            if len(stem) < 2 or stem in above or stem.endswith(_PREFECTURE_WORD):
                continue
            if not town.former:
                current[stem] = current.get(stem, 0) + 1
            forms.setdefault(stem, town.code)
        return {stem: code for stem, code in forms.items() if current.get(stem, 0) <= 1}

    def city_short_forms(self, area: str) -> dict[str, str]:
        """The short forms a province's or prefecture's report uses for the county-level cities under it, those of
        its prefectures and those directly under a province (凯里 for 凯里市, 天门 for 天门市, 五指山 for 五指山市): each
        name without 市, of at least two characters, mapped to the city's code; not one that names another division
        wherever it stands (a province's or prefecture's short form, a full name), nor one two counties of the area
        share (伊宁 of 伊宁市 and 伊宁县). A province's report uses them for its prefectures whose short forms are
        everyday words too (朝阳 for 朝阳市)."""
        division = self.by_code.get(area)
        if division is None or division.rank not in (1, 2):
            return {}
        below = [
            c
            for p in self.children(area)
            for c in ([p] if p.rank == 3 or division.rank == 2 else self.children(p.code))
        ]
        forms: dict[str, list[Division]] = {}
        for county in below:
            if county.rank == 3 and not county.former:
                forms.setdefault(strip_kind(county.name), []).append(county)
        cities = {
            stem: counties[0].code
            for stem, counties in forms.items()
            if len(counties) == 1
            and kind_of(counties[0].name) == "市"
            and len(stem) >= 2
            and stem not in self.keys
            and stem not in _NOT_SHORT_FORMS
        }
        # A prefecture whose short form is an everyday word (朝阳 of 朝阳市) is named by it only as these cities are.
        return cities | {f: c for f, c in self.everyday_short_forms.items() if c.startswith(area) and c != area}

    def ancestors(self, division: Division) -> list[Division]:
        """The divisions above one, nearest first."""
        found = []
        current = self.parent(division)
        while current is not None:
            found.append(current)
            current = self.parent(current)
        return found


def _rows(name: str) -> list[list[str]]:
    raw = resources.files("ghqa.ingest").joinpath(f"data/{name}").read_bytes()
    return [line.split("\t") for line in gzip.decompress(raw).decode("utf-8").splitlines()[1:]]


@cache
def gazetteer() -> Gazetteer:
    current = (Division(c, n, int(r), p) for c, n, r, p in _rows("gazetteer.tsv.gz"))
    former = (
        Division(key, n, int(r), p, first if first == last else f"{first}–{last}", successor)
        for key, n, r, p, first, last, successor in _rows("gazetteer_former.tsv.gz")
    )
    return Gazetteer(current, former)


@cache
def _anonymised_pattern() -> re.Pattern[str]:
    """X区, XX县, xx镇, *市, ××街道, 某镇: placeholder letters, asterisks or 某 before a kind word."""
    return re.compile(rf"(?<![A-Za-z0-9])(?:[xX×*＊]{{1,5}}|某{{1,2}})(?P<kind>{levels().kind_pattern()})")


@cache
def jieba_dictionary() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's word frequencies and part-of-speech tags."""
    import logging

    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.posseg.dt.initialize()
    return jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab


def divisions_named(name: str) -> list[Division]:
    """The gazetteer divisions with exactly this full name (城关镇 has many): the current ones, else the former ones
    (出江镇, last listed in the 2019 edition)."""
    simple = to_simplified(name)
    g = gazetteer()
    return list(g.by_name.get(simple) or g.former_by_name.get(simple, []))


def former_editions(name: str, parent: str | None = None) -> str | None:
    """The NBS editions that list a unit so named as a former division ("2016–2019" for 出江镇 of 大邑县), or None.

    As for places in a text, a current name keeps its current meaning: the unit is former only when no current
    division of that name lies under `parent` (a division above it, any rank; when None, when no current division
    has the name at all) and the former ones under it agree on their editions."""
    simple = to_simplified(name)
    above = to_simplified(parent) if parent else None
    g = gazetteer()

    def under(division: Division) -> bool:
        return above is None or any(a.name == above for a in g.ancestors(division))

    if any(under(d) for d in g.by_name.get(simple, [])):
        return None
    editions = {d.former for d in g.former_by_name.get(simple, []) if under(d)}
    return editions.pop() if len(editions) == 1 else None


def is_anonymised(name: str) -> bool:
    m = _anonymised_pattern().fullmatch(name)
    return m is not None


def is_place(name: str) -> bool:
    """Whether a name is a gazetteer division's full name (current or former) or a marked anonymised unit."""
    return bool(divisions_named(name)) or is_anonymised(name)


_Match = tuple[int, int, str, tuple[str, ...], bool]


def find_places(text: str, near: Iterable[str] = (), named_before: Iterable[str] = ()) -> list[Place]:
    """The places a text names, in order: gazetteer divisions (full names, province and prefecture short forms)
    and marked anonymised units. `near` holds codes of divisions known around the text (its report's unit and the
    divisions above it); a name shared by several divisions (城关镇) is resolved to the one under the nearest
    division the text or `near` names. A former division's name counts only where the text backs it (see the
    module's docstring). When the deepest of `near` is a county, its own townships are places by their short forms
    too (羊平 → 羊平镇), as a city's report names its districts, and their full names need no common-word guard;
    when it is a province or prefecture, the county-level cities under it are (义乌 → 义乌市);
    a short form that is an everyday word names its township before an organ or institution of it, or before one of
    `named_before` (what a question asks about: 小店|污水处理厂)."""
    simple = to_simplified(text)
    spans = _anonymised_spans(simple)
    g = gazetteer()
    near = list(near)
    matches = [
        (end + 1 - len(key), end + 1, key, codes, short) for end, (key, codes, short) in g.automaton.iter(simple)
    ]
    county = _county_of(near)
    own: set[str] = set()
    if county is not None:
        own = {d.code for d in g.children(county)}
    if (local := county or _area_of(near)) is not None:
        short = _own_short_forms(simple, local, matches, tuple(named_before))
        spans_of_short = {(start, end) for start, end, *_ in short}
        matches = [m for m in matches if (m[0], m[1]) not in spans_of_short] + short
    matches.sort(key=lambda m: (m[0], m[0] - m[1]))
    found = _take(simple, spans, matches, lambda start, end, codes: False, own)
    context = set(near) | {codes[0] for _, _, _, codes, _ in found if len(codes) == 1}
    if any(g.by_code[codes[0]].former for _, _, _, codes, _ in matches):
        found = _take(
            simple, spans, matches, lambda start, end, codes: _backed(simple, start, end, codes, context), own
        )
        context |= {codes[0] for _, _, _, codes, _ in found if len(codes) == 1}
    places = [_division_place(simple, start, key, codes, context) for start, _, key, codes, _ in found]
    places += [_anonymised_place(simple, start, end, kind) for start, end, kind in spans]
    return sorted(places, key=lambda p: p.start)


def current_equivalent(division: Division) -> Division:
    """The division itself, or for a former one the current division that took it over (清苑县 → 清苑区), if known."""
    return gazetteer().by_code.get(division.successor, division)


def _county_of(near: list[str]) -> str | None:
    """The code of the deepest division around a text when it is a county (the report's own unit), or of the
    current county that took a former one over."""
    deepest = _deepest(near)
    if deepest is None:
        return None
    # A former county (清苑县 of a 2008 report) names the townships of the one that took it over (清苑区).
    county = current_equivalent(deepest)
    return county.code if deepest.rank == county.rank == 3 else None


def _area_of(near: list[str]) -> str | None:
    """The code of the deepest division around a text when it is a province or prefecture (the report's own unit),
    or the current one that took a former one over."""
    deepest = _deepest(near)
    area = current_equivalent(deepest) if deepest is not None else None
    return area.code if area is not None and area.rank in (1, 2) else None


def _deepest(near: list[str]) -> Division | None:
    """The deepest division of those known around a text."""
    g = gazetteer()
    return max((g.by_code[c] for c in near if c in g.by_code), key=lambda d: d.rank, default=None)


@cache
def _short_form_pattern(local: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """The short forms a report of the division `local` uses: a county's townships, a province's or prefecture's
    county-level cities."""
    g = gazetteer()
    forms = g.township_short_forms(local) if g.by_code[local].rank == 3 else g.city_short_forms(local)
    if not forms:
        return None, forms
    return re.compile("|".join(map(re.escape, sorted(forms, key=len, reverse=True)))), forms


@cache
def _continuation_pattern() -> re.Pattern[str]:
    """Kind and grouping words of every tier but townships and the nation: a short form followed by one names
    another unit (南庄村, 石井社区, 白马区); no unit is named X国家 (天生桥国家地质公园 is the town's)."""
    township = levels().tier("township")
    words = {k.name for k in levels().kinds if "township" not in k.tiers}
    words |= {w for t in levels().tiers if t is not township and t.rank > 0 for w in t.groups}
    words -= set(township.groups)
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def _own_short_forms(
    simple: str, local: str, matches: list[_Match], named_before: tuple[str, ...] = ()
) -> list[_Match]:
    """The divisions a report of `local` names by their short forms (`_short_form_pattern`: a county's townships, a
    province's or prefecture's county-level cities), as matches resolving to the division's code.

    Not when the short form continues into the kind word of another tier (南庄村, 石井社区), lies inside a longer
    name the gazetteer knows (大南庄镇), or is an everyday word (草场, 三台, 垭口: a word jieba knows that is not a
    proper name) with no organ or institution of a township (草场派出所) or one of `named_before` after it. A city's
    short form names it only as an item of a list of places (凯里、都匀; 苏州、常熟), before an organ of it, or before
    one of `named_before`: many are landmarks and words as well (巢湖 the lake, 武夷山国家公园, 安宁疗护, 临海产业)."""
    pattern, forms = _short_form_pattern(local)
    if pattern is None:
        return []
    words, tags = jieba_dictionary()
    cities = gazetteer().by_code[local].rank < 3
    candidates = [(m.start(), m.end(), m.group()) for m in pattern.finditer(simple)]
    places = {(s, e) for s, e, *_ in matches} | {(s, e) for s, e, _ in candidates}
    found: list[_Match] = []
    for start, end, stem in candidates:
        if _continuation_pattern().match(simple, end) and not _common_word_at(simple, end, _WORD_AFTER_SHORT_FORM):
            continue  # 南庄村, 石井社区; but not 大王店县域, 望亭区域
        if any(s <= start and end <= e and e - s > end - start and not short for s, e, _, _, short in matches):
            continue
        tag = tags.get(stem, "")
        everyday = (
            cities or words.get(stem, 0) >= _SHORT_TOWN_WORD_FREQ and not tag.startswith(("ns", "nr", "nz", "nt"))
        )
        institution = _ORGAN_AFTER.match(simple, end) or (not cities and institution_end(simple, end) > end)
        listed = cities and _listed(simple, start, end, places)
        if everyday and not (institution or listed or any(simple.startswith(n, end) for n in named_before)):
            continue
        found.append((start, end, stem, (forms[stem],), True))
    return found


def _listed(text: str, start: int, end: int, places: set[tuple[int, int]]) -> bool:
    """Whether the name at start..end is an item of a list of places: a list mark (、和及与) joins it to another
    (凯里、都匀), or it opens an item of a 、 list whose neighbouring item names a place (办好汉中油菜花节、安康汉江龙舟节)."""
    before = start > 0 and text[start - 1] in _LIST_MARKS and any(e == start - 1 for _, e in places)
    after = end < len(text) and text[end] in _LIST_MARKS and any(s == end + 1 for s, _ in places)
    return before or after or _opens_parallel_item(text, start, end, {s for s, _ in places})


def _opens_parallel_item(text: str, start: int, end: int, starts: set[int]) -> bool:
    """Whether the name opens an item of a 、 list and the item before or after it names a place too."""
    if start > 0 and not _ITEM_END.match(text, start - 1):
        return False
    if start > 0 and text[start - 1] == "、":
        previous = [m.end() for m in _ITEM_END.finditer(text, 0, start - 1)]
        if any((previous[-1] if previous else 0) <= s < start - 1 for s in starts):
            return True
    following = _ITEM_END.search(text, end)
    if following is None or following.group() != "、":
        return False
    after = _ITEM_END.search(text, following.end())
    return any(following.end() <= s < (after.start() if after else len(text)) for s in starts)


def _common_word_at(text: str, i: int, words_after: dict[str, str] = _WORD_AFTER) -> bool:
    """Whether the kind word at i begins a common word (市场, 区域, 乡土) instead of ending a name there."""
    following = text[i + 1 : i + 2]
    return bool(following) and following in words_after.get(text[i], "")


def _take(
    simple: str,
    spans: list[tuple[int, int, str]],
    matches: list[_Match],
    former_ok: Callable[[int, int, tuple[str, ...]], bool],
    own: set[str] = frozenset(),
) -> list[_Match]:
    """The matches used as names, left to right, longest first, none overlapping another or an anonymised unit;
    a former division's name only where `former_ok(start, end, codes)`. A township of the report's own county
    (a code in `own`) reads as its name even where it would read as common words (腰山镇, 姚村镇)."""
    taken = [False] * len(simple)
    for start, end, _ in spans:
        taken[start:end] = [True] * (end - start)
    found: list[_Match] = []
    last_end = -1
    read_as_words: list[tuple[int, int]] = []  # names not taken, being common words there
    for start, end, key, codes, short in matches:
        owned = any(code in own for code in codes)
        if any(taken[start:end]):
            continue
        # The end of a longer name read as words is no name of its own (唐县 of 会议上|高唐县, 上高 a word).
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e in read_as_words):
            continue
        # A name after a file name's separator (2018_易县) begins a name as at the start of the text.
        anchored = start in (0, last_end) or simple[start - 1] == _FILE_NAME_SEPARATOR
        if not _plausible(simple, start, key, short, anchored, owned):
            # A kind word read into the next word (西安区|域) leaves the name before it (西安) a name all the same.
            if not _kind_reads_on(simple, end, short):
                read_as_words.append((start, end))
            continue
        if gazetteer().by_code[codes[0]].former and not former_ok(start, end, codes):
            continue
        last_end = end
        taken[start:end] = [True] * (end - start)
        found.append((start, end, key, codes, short))
    return found


def _backed(text: str, start: int, end: int, codes: tuple[str, ...], context: set[str]) -> bool:
    """Whether the text backs a former division's name: an organ of it follows (出江镇工会), a year it was listed
    in (徐水县2011年的报告), a division above one of its divisions is named in the text or around it (`context`), or
    the text is the name alone."""
    if _ORGAN_AFTER.match(text, end) or text.strip() == text[start:end]:
        return True
    g = gazetteer()
    if (year := _YEAR_AFTER.match(text, end)) and any(
        _listed_in(g.by_code[code].former, int(year.group(1))) for code in codes
    ):
        return True
    return any(a.code in context for code in codes for a in g.ancestors(g.by_code[code]))


def _listed_in(editions: str, year: int) -> bool:
    first, _, last = editions.partition("–")
    return int(first) <= year <= int(last or first)


def _anonymised_spans(simple: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group("kind")) for m in _anonymised_pattern().finditer(simple)]


def _plausible(text: str, start: int, key: str, short: bool, anchored: bool, own: bool = False) -> bool:
    """Whether a gazetteer name found in a text is used as that name there, not as part of common words.

    `anchored`: the name starts the text, follows another place (宁波市慈溪市) or a file name's _ (2018_易县).
    Names that read as everyday words (中心镇, 小城镇, 发展乡, 和县) count only when anchored, or for a one-character
    content-word stem when an organ of the division follows (易县人民政府). `own`: a township of the report's own county,
    which needs no such guard (腰山镇, 姚村镇), and whose first character belongs to a word across its left edge
    only when that word is likelier than the one ending just before it (完成|龙泉关, not 成龙), is a conjunction
    before the full name or a short form with an organ or institution of the township after it (扩建和|平阳中学; not
    和平), or is the 以 of a 以…为 frame before the full name (以|南张镇为重点; not 由于|城镇, 以|东城镇建设)."""
    end = start + len(key)
    words, tags = jieba_dictionary()
    if _kind_reads_on(text, end, short):
        return False
    crossing = words.get(text[start - 1 : start + 1], 0) if start > 0 else 0
    # An own township after a conjunction, in full or with an institution of it after, is a list item (扩建和|平阳中学,
    # 城南庄镇和|平阳镇; not 和平); in full after the 以 of a 以…为 frame, its object (以|南张镇为重点; not 由于|城镇).
    joined = own and (
        (
            tags.get(text[start - 1 : start], "") == "c"
            and (not short or bool(_ORGAN_AFTER.match(text, end)) or institution_end(text, end) > end)
        )
        or (not short and bool(FRAME_CLAUSE.match(text, start - 1)))
    )
    # Any place after the 以 of a 以…为 frame whose first character would read 以 as a direction (以西安…为牵引, 以西).
    framed = tags.get(text[start - 1 : start + 1], "") == "f" and bool(FRAME_CLAUSE.match(text, start - 1))
    if (
        crossing >= _CROSSING_WORD_FREQ
        and not (joined or framed)
        and not (own and start >= 2 and words.get(text[start - 2 : start], 0) > crossing)
        and not _word_begins_at(text, start)
    ):
        return False
    return anchored or own or short or _organ_names(key, text, end, tags) or not _reads_as_words(key, words, tags)


def _word_begins_at(text: str, start: int) -> bool:
    """Whether jieba's reading of the text around `start` begins a word there: the likelier reading of the whole
    stretch, not of the word across the edge alone (办好|汉中, though 好汉 is a word; not 黄河|南岸 for 河南)."""
    import jieba

    around = max(0, start - _READING_SPAN)
    edges = set(itertools.accumulate(len(w) for w in jieba.cut(text[around : start + _READING_SPAN], HMM=False)))
    return start - around in edges


def _kind_reads_on(text: str, end: int, short: bool) -> bool:
    """Whether a full name's kind word begins a word with the text after it (区域 of 西安区域, 乡土), unless the
    (two-character) word after the name is the likelier reading (东闾乡|土地整理)."""
    words, _ = jieba_dictionary()
    after = text[end : end + 2]
    likelier_after = words.get(after, 0) if len(after) == 2 else 0
    return not short and _common_word_at(text, end - 1) and words.get(text[end - 1 : end + 1], 0) >= likelier_after


def _organ_names(name: str, text: str, end: int, tags: dict[str, str]) -> bool:
    """Whether the organ after a name that reads as words makes it the division: any organ after a one-character
    content word (我代表易县人民政府: 易 is an adjective), the government or congress in full after a longer name
    (我代表和平区人民政府); never after a function word (市政府和县政府, 和县人民政府 after 市人民政府: 和), and not a
    short organ after a longer common name (中心镇政府)."""
    stem = strip_kind(name)
    if len(stem) == 1:
        return tags.get(stem, "n")[0] not in "cpudr" and bool(_ORGAN_AFTER.match(text, end))
    return bool(_GOVERNMENT_AFTER.match(text, end))


def _reads_as_words(name: str, words: dict[str, int], tags: dict[str, str]) -> bool:
    stem = strip_kind(name)
    kind = name[len(stem) :]
    if len(stem) == 1:
        return rank_of_kind(kind) == 4 or tags.get(stem, "n")[0] in _FUNCTION_TAGS
    tail = stem[-1] + kind
    if len(stem) == 2 and rank_of_kind(kind) == 4 and words.get(tail, 0) >= _COMMON_TAIL_FREQ:
        return True
    return words.get(stem, 0) >= _COMMON_STEM_FREQ and not tags.get(stem, "").startswith(("ns", "nr"))


def _division_place(text: str, start: int, key: str, codes: tuple[str, ...], context: set[str]) -> Place:
    """The place a matched name stands for: among the divisions of that name, the one under the nearest division
    of the context (a 白马镇 of the report's own 米易县 before a former 白马镇 elsewhere in 四川省); a former
    division of the name only when it lies under a nearer one than every current division does (大安乡 of a
    report from the county that merged it)."""
    g = gazetteer()
    candidates = [g.by_code[c] for c in codes]

    def depth(division: Division) -> int:
        """The rank of the nearest division of the context above this one; 0 when none is."""
        return max((a.rank for a in g.ancestors(division) if a.code in context), default=0)

    def nearest(divisions: list[Division]) -> tuple[int, list[Division]]:
        best = max((depth(d) for d in divisions), default=0)
        return best, [d for d in divisions if depth(d) == best] if best else []

    best, under = nearest(candidates)
    if len(under) == 1:
        candidates = under
    if not candidates[0].former and (len(candidates) > 1 or not best):
        # A current name that the context does not place: a former division of that name there is the one meant.
        former_best, former = nearest(g.former_by_name.get(key, []))
        candidates = former if len(former) == 1 and former_best > best else candidates
    division = candidates[0]
    known = len(candidates) == 1
    parent = g.parent(division) if known else None
    return Place(
        name=division.name,
        level=kind_of(division.name) or "",
        rank=min(d.rank for d in candidates),
        parent=parent.name if parent else None,
        code=division.code if known else None,
        former=division.former if known else "",
        mention=text[start : start + len(key)],
        start=start,
    )


def _anonymised_place(text: str, start: int, end: int, kind: str) -> Place:
    name = text[start:end]
    return Place(name, kind, rank_of_kind(kind) or 0, anonymised=True, mention=name, start=start)


def place_names(text: str) -> list[str]:
    """The names of the places a text names, in order of appearance, each once."""
    return list(dict.fromkeys(p.name for p in find_places(text)))
