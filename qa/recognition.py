"""List topics that ask for recognition of a tier, not for a named thing (哪些乡镇获得过省级称号？): a report names each
honour by what it is (草场镇获评省级乡村振兴先进乡镇), never by the category, so the evidence is a clause that a place of
the level asked opens and a qualifier of the tier follows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from ghqa.ingest.places import Tier, find_places, levels
from ghqa.qa.questions import honour_categories, honour_received, honour_verbs
from ghqa.qa.word_classes import CONJUNCTIONS, names_a_thing, tagged_words, without_brackets

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
    field: tuple[str, ...] = ()  # the field an honour is asked in (文化, 旅游 of 在文化和旅游方面获得过荣誉)
    holders: tuple[str, ...] = ()  # what of the places holds it (派出所 of 哪些乡镇的派出所获得过表彰)

    def qualifiers(self) -> list[str]:
        return [q for tier in self.tiers for q in tier.qualifiers]

    def frames(self, key: str) -> bool:
        """Whether a key is only what places the honour asked: its qualifier or the words around a field (方面, 以上)."""
        return any(key in q for q in (self.qualifier, *_FIELD_WORDS, _ABOVE) if q)

    def phrases(self) -> tuple[str, ...]:
        """What the question says of the honour (荣誉, 市级以上, 乡村旅游, 方面, 卫生院): no evidence without a place
        receiving one."""
        return (self.category, self.qualifier, *self.field, *self.holders, *_FIELD_WORDS, _ABOVE)


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
            # 省级以上: that tier and those above it.
            above = before.endswith(_ABOVE)
            before = before.removesuffix(_ABOVE)
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
                joined = _with_joined(
                    _with_above(tiers, above), qualifier + (_ABOVE if above else ""), tagged_words(topic[found.end() :])
                )
                return Recognition(
                    *joined,
                    key,
                    honour_field(topic),
                    honour_holders(topic),
                )
    return None


def asked_honour(topic: str, rank: int) -> Recognition | None:
    """A topic asking for any honour received (获得过表彰, 受到表彰或认定, 被表彰过, 获得过乡村旅游方面的荣誉): a category
    noun ([recognition] of qa/synonyms.toml) after a verb of receiving, ending the topic or before punctuation, a
    conjunction or a particle that does; not one a noun names (劳模表彰), that goes on (表彰大会, 称号的创建名单) or that is
    striven for (争创某项称号). The tiers its qualifiers name (市级或省级, 省级以上: and those above), else every tier
    above the places asked (rank)."""
    tagged = tagged_words(topic)
    for i, (word, _) in enumerate(tagged):
        if word not in honour_categories() or not _ends_honour(tagged[i + 1 :]):
            continue
        named, j, above = _tiers_named_before(tagged, i)
        if j < 0 or tagged[j][0] not in honour_received():
            continue
        first = next((k for k in range(j + 1, i) if tagged[k][0] in {q for q, _ in named}), i)
        qualifier = "".join(w for w, _ in tagged[first:i]).rstrip("的")
        if not named:
            return Recognition(
                tuple(t for t in levels().tiers if t.rank < rank),
                qualifier,
                word,
                honour_field(topic),
                honour_holders(topic),
            )
        tiers, qualifier = _with_joined(_with_above([t for _, t in named], above), qualifier, tagged[i + 1 :])
        return Recognition(tiers, qualifier, word, honour_field(topic), honour_holders(topic))
    return None


def _tiers_named_before(tagged: Sequence[tuple[str, str]], i: int) -> tuple[list[tuple[str, Tier]], int, bool]:
    """The tiers named before the category noun at i, back over particles, numbers, joined qualifiers, 以上, a tier's
    organ and a field (获得过市级或省级的, 获得过…方面的, 获得过省委省政府), with where that walk stopped and whether 以上
    was among them."""
    qualifiers = dict(_qualifiers())
    named: list[tuple[str, Tier]] = []
    j = i - 1
    while j >= 0 and (
        tagged[j][1].startswith(("u", "m", "q", "r"))
        or tagged[j][0] in {*_FIELD_WORDS, *qualifiers, *CONJUNCTIONS, _ABOVE}
        or _ORGAN.fullmatch(tagged[j][0])
    ):
        # A tier's committee or government giving it names the tier (获得过省委省政府表彰).
        tier_word = _ORGAN.sub(r"\1", tagged[j][0])
        if tier_word in qualifiers:
            named.insert(0, (tagged[j][0], qualifiers[tier_word]))
        j = _field_start(tagged, j) - 1 if tagged[j][0] in _FIELD_WORDS else j - 1
    return named, j, any(w == _ABOVE for w, _ in tagged[j + 1 : i])


def _with_joined(
    tiers: tuple[Tier, ...], qualifier: str, after: Sequence[tuple[str, str]]
) -> tuple[tuple[Tier, ...], str]:
    """The tiers and qualifier of an honour asked with those of the honours of a tier joined after it (省级荣誉|和市级以上
    荣誉、县委表彰 → 省级、市级以上、县委)."""
    qualifiers = [qualifier]
    start = 0
    while start < len(after) and after[start][0] in CONJUNCTIONS:
        i = next((k for k in range(start + 1, len(after)) if after[k][0] in honour_categories()), None)
        if i is None:
            break
        named, j, above = _tiers_named_before(after, i)
        if j >= start or not named:
            break  # something else between (和奖励, 和市级领导的表彰), or no tier of its own
        tiers = tuple(dict.fromkeys([*tiers, *_with_above([t for _, t in named], above)]))
        qualifiers.append("".join(w for w, _ in after[start + 1 : i]).rstrip("的"))
        start = i + 1
    return tiers, "、".join(qualifiers)


def _ends_honour(after: Sequence[tuple[str, str]]) -> bool:
    """Whether nothing of the honour's noun phrase follows it: the end, punctuation, a conjunction, or particles
    before either (被表彰过)."""
    k = next((k for k, (_, flag) in enumerate(after) if not flag.startswith("u")), len(after))
    return k == len(after) or after[k][1].startswith(("x", "w", "c"))


def honour_field(topic: str) -> tuple[str, ...]:
    """The phrases naming the field a topic asks an honour in, before 方面 or 领域, or 上 and 中 closing 在 (在文化和旅游
    方面获得过荣誉 → 文化, 旅游; 乡村旅游或乡村文化方面的荣誉 → 乡村旅游, 乡村文化; 在平安建设、公安工作上受到表彰 → 平安建设,
    公安工作): the runs of words between conjunctions or enumeration commas, back to a preposition or a verb of
    receiving. A remark in brackets is no field (乡村振兴（含乡村文化振兴）方面 → 乡村振兴)."""
    tagged = tagged_words(without_brackets(topic))
    end = next((i for i, word in enumerate(tagged) if _closes_field(word, tagged[:i])), None)
    if end is None:
        return ()
    runs = re.split(
        "|".join(map(re.escape, CONJUNCTIONS)), "".join(w for w, _ in tagged[_field_start(tagged, end) : end])
    )
    return tuple(r for r in runs if len(r) >= 2)


def _closes_field(word: tuple[str, str], before: Sequence[tuple[str, str]]) -> bool:
    """Whether a word ends a field: 方面 or 领域, or 上 and 中 after a 在 (在平安建设上, 在年度考核中: an occasion is
    read as a field too, and list answers fall back to any field when no honour names it)."""
    return word[0] in _FIELD_WORDS or (word[0] in ("上", "中") and word[1] == "f" and ("在", "p") in before)


def _field_start(tagged: Sequence[tuple[str, str]], end: int) -> int:
    """Where the field before 方面 at `end` begins: after the preposition or the verb of receiving before it, or a
    particle (获得过|乡村振兴方面); a verb inside it is part of it (乡村振兴, 脱贫攻坚)."""
    start = end
    while start > 0 and not _opens_field(tagged[start - 1]):
        start -= 1
    return start


def _opens_field(word: tuple[str, str]) -> bool:
    # An enumeration comma lists fields (平安建设、公安工作).
    return (word[1].startswith(("p", "u", "x", "w")) and word[0] != "、") or word[0] in honour_received()


def honour_holders(topic: str) -> tuple[str, ...]:
    """The things of the places a topic opens with, after an opening 有, before its verb of receiving (派出所、服务中心
    这类基层站所获得过表彰 → 派出所, 服务中心, 基层; 有村获得… → 村, a village of the place); else the village words
    before that verb (本身，或写明了所属乡镇的村，获得过… → 村)."""
    tagged = tagged_words(topic)
    tagged = tagged[1:] if tagged[:1] == (("有", "v"),) else tagged
    end = next((i for i, (w, _) in enumerate(tagged) if w in honour_received()), 0)
    # A level word is one whatever jieba tags it (村 alone is a morpheme to it).
    holders = [
        w
        for w, flag in tagged[:end]
        if ((names_a_thing(flag) and len(w) >= 2) or levels().group_tier(w)) and w not in _FIELD_WORDS
    ]
    if end and holders and tagged[0][0] == holders[0]:
        return tuple(holders)
    # Villages asked along however worded (本身，或写明了所属乡镇的村，获得过…).
    return tuple(w for w, _ in tagged[:end] if w in levels().tier("community").groups)


# After a qualifier: that tier and every one above it (省级以上荣誉).
_ABOVE = "以上"


def _with_above(tiers: Sequence[Tier], above: bool) -> tuple[Tier, ...]:
    top = min(t.rank for t in tiers)
    return tuple(dict.fromkeys([*tiers, *(t for t in levels().tiers if above and t.rank < top)]))


# A field an honour is asked in ends with these (在…方面, …领域的).
_FIELD_WORDS = {"方面", "领域"}


def recognised_clauses(
    clauses: Iterable[str],
    tiers: Iterable[Tier],
    rank: int,
    near: Iterable[str] = (),
    own: bool = False,
    any_tier: bool = False,
) -> list[str]:
    """The clauses that a place of `rank` opens (its subject: 安肃镇小寺各庄被评为…) and that hold, after it, a verb of
    receiving an honour and a qualifier of one of the `tiers` or a division of one (全国乡村治理示范村, 平安四川建设先进
    集体, 被河北省评为); not 冉庄镇位于保定市西南, 冉庄镇全面落实国家惠农政策. With `own`, only the place's own honours:
    no noun stands between it and the verb but after 被 or 受到, the giver (not 安肃镇小寺各庄被评为…, a village's, nor
    草场派出所荣获…), and only the
    part of the clause from the places sharing it on (坪上镇被评为… of 板泉镇西村和坪上镇被评为…). With `any_tier`, a
    category noun after the verb names an honour without a tier (…授予“人民满意的公务员集体”荣誉称号)."""
    import jieba
    import jieba.posseg

    near = list(near)
    tiers = list(tiers)
    ranks = {tier.rank for tier in tiers}
    found = []
    for clause in clauses:
        places = find_places(clause, near=near)
        if not places:
            continue
        # The subject: the place opening the clause, or the last of the subjects it lists (县委组织部、孝墓镇被评为…).
        first = min(places, key=lambda p: p.start)
        opening = [first] if not clause[: first.start].strip(_OPENING) else []
        listed = [p for p in places if p.rank == rank and _lists_subjects(clause[: p.start])]
        subject = max([*opening, *listed], key=lambda p: p.start, default=None)
        if subject is None or subject.rank != rank:
            continue
        after = subject.start + len(subject.mention)
        # Matched as jieba words: not 获 of 获取. A category noun says it too (冉庄镇受到省级表彰).
        words = jieba.lcut(clause[after:])
        verb = next((i for i, w in enumerate(words) if w in honour_verbs() or w in honour_categories()), None)
        if verb is None:
            continue
        # A noun before the verb names a part (安肃镇小寺各庄) or what is listed, unless after 被/受到 it gives the honour.
        receiver = re.split("被|受到|受", "".join(words[:verb]), maxsplit=1)[0]
        if own and any(w.flag.startswith("n") for w in jieba.posseg.cut(receiver)):
            continue
        tier_named = qualified(clause[after:], tiers) or any(p.rank in ranks for p in places if p.start >= after)
        # With no tier asked, a category noun says it is an honour (齐村镇被省委省政府授予…荣誉称号).
        if not tier_named and not (any_tier and any(w in honour_categories() for w in words)):
            continue
        if not own:
            found.append(clause)
            continue
        # Only the places listed right before the subject share its honour (齐村镇、孝墓镇被评为…), not a village's.
        start = subject.start
        for p in sorted(places, key=lambda p: -p.start):
            if p.start < start and p.rank == rank and _LIST_JOINER.fullmatch(clause[p.start + len(p.mention) : start]):
                start = p.start
        found.append(clause[start:])
    return found


_LIST_JOINER = re.compile(r"[、和及与]")


def _lists_subjects(before: str) -> bool:
    """Whether the text before a place is items of a list it ends (县委组织部、农业农村局、; 板泉镇西村和): no verb."""
    import jieba.posseg

    if not _LIST_JOINER.fullmatch(before[-1:]):
        return False
    return all(not w.flag.startswith("v") for w in jieba.posseg.cut(before.strip(_OPENING)))


def qualified(text: str, tiers: Iterable[Tier]) -> bool:
    """Whether text holds a qualifier of one of the tiers: one of two characters or more anywhere (省级, 全国), one of
    one character where an honour's name begins (命名为省“四好农村路”示范乡, 入选第二批省乡村旅游重点村) or naming the
    tier's committee or government as the giver (被省委…, 受到县政府…)."""
    for tier in tiers:
        for q in tier.qualifiers:
            if (len(q) >= 2 and q in text) or (len(q) == 1 and (_begins_a_name(text, q) or _names_organ(text, q))):
                return True
    return False


def _names_organ(text: str, qualifier: str) -> bool:
    """Whether text names the party committee or the government of a tier by its one-character qualifier as who gives
    something (被省委省政府授予…, 受到市委表彰), not as where it goes (列入省政府重点项目名单)."""
    return re.search(f"(?:被|受到|受)(?:中共)?{re.escape(qualifier)}(?:委(?!托)|政府|人民政府)", text) is not None


# A tier's party committee or government, by the tier's one-character qualifier (省委, 市政府).
_ORGAN = re.compile(r"(.)(?:委|政府|人民政府)")


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
