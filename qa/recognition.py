"""List topics that ask for recognition of a tier, not for a named thing (哪些乡镇获得过省级称号？): a report names each
honour by what it is (草场镇获评省级乡村振兴先进乡镇), never by the category, so the evidence is a clause that a place of
the level asked opens and a qualifier of the tier follows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from ghqa.ingest.places import Tier, find_places, levels
from ghqa.qa.questions import honour_verbs

# What may stand between a qualifier and its category noun: 的, 性 and brackets (全国性（国家层面）的称号).
_BETWEEN = re.compile(r"(?:[的性（）()\s]|层面)+$")
_OPENING = " \t“”\"'‘’「」"


@dataclass(frozen=True)
class Recognition:
    """What a topic asks for: any `category` (称号) of one of the `tiers`, which it names by `qualifier` (省级,
    省级或市级)."""

    tiers: tuple[Tier, ...]
    qualifier: str
    category: str

    def qualifiers(self) -> list[str]:
        return [q for tier in self.tiers for q in tier.qualifiers]


def asked_recognition(topic: str, keys: Iterable[str], written: Callable[[str], int]) -> Recognition | None:
    """The tiers a topic puts right before a key of one word that ends its phrase (省级称号, 国家级荣誉, 全国性（国家
    层面）的称号, 省级或市级的命名): that word is then a category (any provincial title), not a thing the text names
    (省级民主法治示范村 is one; so is 全省小城镇创新提升行动, where 小城镇 goes on). A word made of words is a title when
    the reports write it after the qualifier (`written`, passages holding a phrase: 全国文明城市), a category when they
    never do (省级荣誉称号)."""
    import jieba

    for key in keys:
        if len(jieba.lcut(key)) != 1:
            continue
        compound = any(len(w) >= 2 and w != key for w in jieba.cut_for_search(key))
        for found in re.finditer(re.escape(key), topic):
            if not _ends_phrase(topic[found.end() :]):
                continue
            before = _BETWEEN.sub("", topic[: found.start()])
            if not _opens_phrase(before):
                continue
            tiers: list[Tier] = []
            end = len(before)
            # The qualifier next to the key has two characters or more (省级, not 市 of 市运动会); one joined to it may
            # have one (省、市级称号).
            while qualified := _qualifier_ending(before[:end], shortest=1 if tiers else 2):
                qualifier, tier = qualified
                tiers.append(tier)
                end -= len(qualifier)
                joiner = _JOINER.search(before[:end])
                if not joiner:
                    break
                end = joiner.start()
            qualifier = before[end:].lstrip("或和、及与者")
            if tiers and not (compound and written(qualifier + key)):
                return Recognition(tuple(dict.fromkeys(tiers)), qualifier, key)
    return None


def recognised_clauses(clauses: Iterable[str], tiers: Iterable[Tier], rank: int, near: Iterable[str] = ()) -> list[str]:
    """The clauses that a place of `rank` opens (its subject: 安肃镇小寺各庄被评为…) and that hold, after it, a verb of
    receiving an honour and a qualifier of one of the `tiers` or a division of one (全国乡村治理示范村, 平安四川建设先进
    集体, 被河北省评为); not 冉庄镇位于保定市西南, 冉庄镇全面落实国家惠农政策."""
    import jieba

    near = list(near)
    tiers = list(tiers)
    ranks = {tier.rank for tier in tiers}
    found = []
    for clause in clauses:
        places = find_places(clause, near=near)
        if not places:
            continue
        first = min(places, key=lambda p: p.start)
        if first.rank != rank or clause[: first.start].strip(_OPENING):
            continue
        after = first.start + len(first.mention)
        # Matched as jieba words: not 获 of 获取.
        if not any(w in honour_verbs() for w in jieba.lcut(clause[after:])):
            continue
        if qualified(clause[after:], tiers) or any(p.rank in ranks for p in places if p.start >= after):
            found.append(clause)
    return found


def qualified(text: str, tiers: Iterable[Tier]) -> bool:
    """Whether text holds a qualifier of one of the tiers: one of two characters or more anywhere (省级, 全国), one of
    one character where an honour's name begins (命名为省“四好农村路”示范乡, 入选第二批省乡村旅游重点村)."""
    for tier in tiers:
        for q in tier.qualifiers:
            if (len(q) >= 2 and q in text) or (len(q) == 1 and _begins_a_name(text, q)):
                return True
    return False


def _begins_a_name(text: str, qualifier: str) -> bool:
    """Whether a one-character qualifier begins an honour's name somewhere in text: after 为 or a quote, or after 选
    or a batch when read as a word of its own, not with the character after it (入选省道沿线示范: 省道 is a road)."""
    from ghqa.ingest.places import jieba_dictionary

    words, _ = jieba_dictionary()
    for m in re.finditer(f'(?:为|[“"「]|(选|批)){re.escape(qualifier)}', text):
        if not m.group(1):
            return True  # 评为省…, “省…: a name begins there (省直机关 too)
        # After 入选 or 获批 a common word may begin (省道): the likelier reading of the word it makes with the next
        # character against the word that character begins (省道 against 道改; 省 of 省乡村 against 乡村).
        pair, after = text[m.end() - 1 : m.end() + 1], text[m.end() : m.end() + 2]
        if words.get(pair, 0) <= words.get(after, 0):
            return True
    return False


_JOINER = re.compile(r"(?:或者|或|和|及|与|、)$")


def _qualifier_ending(text: str, shortest: int = 2) -> tuple[str, Tier] | None:
    """The qualifier of `shortest` characters or more that a question's text ends with."""
    return next(((q, tier) for q, tier in _qualifiers() if len(q) >= shortest and text.endswith(q)), None)


def _opens_phrase(before: str) -> bool:
    """Whether a qualifier at the end of `before` opens its noun phrase: no noun stands before it (获得过|省级, not
    长城|国家文化公园, a name)."""
    import jieba.posseg

    qualified = _qualifier_ending(before)
    if qualified is None:
        return False
    words = list(jieba.posseg.cut(before[: len(before) - len(qualified[0])]))
    return not words or not words[-1].flag.startswith(("n", "b"))


def _ends_phrase(after: str) -> bool:
    """Whether nothing of the same noun phrase follows: the topic ends, or punctuation, a conjunction or 的 comes."""
    import jieba.posseg

    first = next(iter(jieba.posseg.cut(after)), None)
    return first is None or first.flag.startswith(("x", "w", "c", "u"))


@cache
def _qualifiers() -> list[tuple[str, Tier]]:
    """Every tier's qualifiers, longest first (全国性 before 全国)."""
    pairs = [(q, t) for t in levels().tiers for q in t.qualifiers]
    return sorted(pairs, key=lambda pair: -len(pair[0]))
