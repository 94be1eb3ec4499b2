"""The word classes (jieba's part-of-speech tags) that decide which words of a question can name its topic."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ghqa.index.lexical import CJK_RUN, CLOSING_QUOTES, OPENING_QUOTES, phrase_spans
from ghqa.ingest.clean import normalize_for_index

# Word classes (jieba) that never make a key phrase, besides verbs: prepositions, conjunctions, particles, adverbs,
# pronouns.
NOT_TOPIC_TAGS = ("p", "c", "u", "d", "r", "y", "e", "o", "x", "w")

# jieba's tags of proper names (person, place, organisation, other): a name the corpus never holds is not paraphrased.
NAME_TAGS = ("nr", "ns", "nt", "nz")

# jieba's tags of bound morphemes, a character it could make no word of, with the class of a word ending in one:
# a compound's last part is its head (重点|村 is a noun); jieba gives unknown characters zg, mostly nouns' ends; a
# word ending in a suffix (紧密|型) says which kind.
BOUND_MORPHEME_HEADS = {"g": "n", "ng": "n", "zg": "n", "vg": "v", "ag": "a", "tg": "t", "dg": "d", "k": "b"}

# A name in quotation or title marks (“星火计划”, 《海峡两岸经济合作框架协议》): the name is group 1.
QUOTED = re.compile(f"[{OPENING_QUOTES}]([^{CLOSING_QUOTES}]+)[{CLOSING_QUOTES}]")

# The words joining alternatives or items (新建或扩建, 板泉镇、大店镇).
CONJUNCTIONS = {"和", "或", "与", "及", "或者", "或是", "以及", "、"}
# A remark in brackets, innermost first: its text is group 1.
BRACKETED = re.compile(r"[（(]([^（()）]*)[)）]")


def without_brackets(text: str) -> str:
    """The text without its remarks in brackets, nested ones too."""
    while (shorter := BRACKETED.sub("", text)) != text:
        text = shorter
    return text


@lru_cache(maxsize=4096)
def tagged_words(topic: str) -> tuple[tuple[str, str], ...]:
    """The topic's words with their jieba word classes (kept: one list answer tags the same topic and words often)."""
    import jieba.posseg

    topic = normalize_for_index(topic)
    words: list[tuple[str, str]] = []
    read, rest = 0, ""
    for w in jieba.posseg.cut(topic):
        read += len(w.word)
        if _reads_or_into_next_word(w.word, topic[read - len(w.word) + 1 :]):
            words.append(("或", "c"))
            rest = topic[read - len(w.word) + 1 :]
            break
        # Letters and digits written together are one word (6G, 5G), which jieba cuts after the digits.
        if words and w.word.isascii() and w.word.isalnum() and words[-1][0].isascii() and words[-1][0].isalnum():
            words[-1] = (words[-1][0] + w.word, "eng")
        else:
            words.append((w.word, w.flag))
    # A letter alone is no word of a topic (B of B超 is read with what follows, or not at all).
    words = [(w, "x" if w.isascii() and len(w) == 1 and w.isalpha() else flag) for w, flag in words]
    return tuple(words) + (tagged_words(rest) if rest else ())


def _reads_or_into_next_word(word: str, rest: str) -> bool:
    """Whether jieba's word is the conjunction 或 read into the word after it (或非 of 非典或非典型肺炎, 或硬件 of
    光伏或硬件设施): its dictionary holds such words, and the 或 joining alternatives parts them."""
    import jieba

    return len(word) > 1 and word[0] == "或" and word not in CONJUNCTIONS and len(jieba.lcut(rest)[0]) >= len(word) - 1


def holds_as_words(norm: str, phrase: str) -> bool:
    """Whether a normalised text holds a phrase (index.lexical.holds_phrase) somewhere not read across two words, from
    inside one into the next (海西 of 青海|西宁, 家电 of 国家|电网, 建房 of 构建|房地产): there the text says neither."""
    starts, ends = _word_edges(norm)
    edges = starts | ends
    return any(
        (start in starts or end in ends or not any(start < b < end for b in edges))
        and not _inside_number(norm, phrase, start, end)
        for start, end in phrase_spans(norm, phrase)
    )


# Digits, then the units that multiply them: a phrase opening or ending with a digit is no part of a longer number;
# one opening with a unit may follow a digit (千亿元 of 三千亿元).
_DIGITS = frozenset("0123456789零〇一二两三四五六七八九")
_NUMERALS = _DIGITS | frozenset("十百千万亿")


def _inside_number(norm: str, phrase: str, start: int, end: int) -> bool:
    """Whether a phrase found at start..end opens or ends with a digit inside a longer number (一五 of 十一五, 5千伏 of
    35千伏)."""
    opens = phrase[:1] in _DIGITS and start > 0 and norm[start - 1] in _NUMERALS
    ends = phrase[-1:] in _DIGITS and end < len(norm) and norm[end] in _NUMERALS
    return opens or ends


@lru_cache(maxsize=8192)
def _word_edges(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """Where jieba's dictionary words of a text begin, and where they end, with the words a compound opens or closes
    with (农业 of 现代农业, 产业 of 产业园): a phrase may begin or end there. No guessed words (HMM), whose edges are
    what is in doubt."""
    import jieba

    # jieba's FREQ also holds every prefix of a word, at frequency 0: only a positive one is a word.
    is_word = jieba.dt.FREQ.get
    starts, ends = set(), set()
    for word, at, end in jieba.tokenize(text, HMM=False):
        starts.add(at)
        ends.add(end)
        ends.update(at + i for i in range(2, len(word)) if is_word(word[:i], 0) > 0)
        starts.update(at + i for i in range(1, len(word) - 1) if is_word(word[i:], 0) > 0)
    return frozenset(starts), frozenset(ends)


def is_bound_morpheme(word: str, flag: str) -> bool:
    """Whether a word is one character jieba tags a morpheme (物 of 物|联网, 霾 of 雾|霾): the rest of a word it did
    not know."""
    return len(word) == 1 and flag in BOUND_MORPHEME_HEADS


def is_suffix(word: str, flag: str) -> bool:
    """Whether a word is one character jieba tags a suffix (型 of 紧密|型): it ends the word before it."""
    return len(word) == 1 and flag == "k"


def is_verb(flag: str) -> bool:
    return flag.startswith("v") and flag != "vn"


def is_verb_word(word: str) -> bool:
    """A word jieba tags a verb throughout; one that ends a topic is its head when it is also its rarest word (禁渔 of
    长江禁渔)."""
    return all(is_verb(flag) for _, flag in tagged_words(word))


def is_noun(word: str) -> bool:
    return all(flag.startswith("n") or flag == "vn" for _, flag in tagged_words(word))


def is_activity(word: str) -> bool:
    """A verbal noun (建设, 发展): a pair ending in one says less than a pair ending in a thing (美丽乡村, 平台企业)."""
    return all(flag == "vn" for _, flag in tagged_words(word))


def names_a_thing(flag: str) -> bool:
    """Whether a word class is a noun's, not a place name's (jieba also reads 新建 of 新建或改扩建 as a county)."""
    return flag.startswith("n") and flag != "ns"


def qualifies_next(word: str) -> bool:
    """Whether a word is one character jieba tags a distinguishing word or a prefix (副, 总, 非): it says which kind
    of the word after it, and names nothing alone (副 of 省域|副|中心城市)."""
    return len(word) == 1 and all(flag in ("b", "h") for _, flag in tagged_words(word))


def is_head(word: str) -> bool:
    """A noun, or a fixed expression, which jieba tags some head nouns as (连接线, 出入口)."""
    return is_noun(word) or all(flag in ("l", "i") for _, flag in tagged_words(word))


def is_topic_word(flag: str, every_word: bool) -> bool:
    """Whether a word can be part of a key phrase; with every_word, any word but punctuation (首发 is an adverb)."""
    if every_word:
        return not flag.startswith(("u", "x", "w"))
    return not is_verb(flag) and not is_function_word(flag)


def is_function_word(flag: str) -> bool:
    """A preposition, conjunction, particle, adverb, pronoun or punctuation; not a word in letters ('eng', whose 'e'
    is not the interjection's)."""
    return flag != "eng" and flag.startswith(NOT_TOPIC_TAGS)


def topic_words(words: Sequence[tuple[str, str]], every_word: bool) -> list[bool]:
    """Which of the tagged words can be part of a key phrase. A time word that opens a predicate says when, not what
    (正在 of 或正在推进乡改镇); as a verb's object it is the topic (春节 of 开展春节慰问). A localiser of one
    character frames the topic (上 of 在…问题上), and so does one of time (之后, 以来, 以前); a longer one names a
    region or an extent (西部 of 西部大开发, 以上 of 省级以上称号). A pronoun with its classifier (那条) is no key word."""
    return [
        is_topic_word(flag, every_word)
        and (every_word or not _opens_predicate(words, i))
        and not (flag == "f" and (len(word) == 1 or _says_since_or_until(word)))
        and not _is_year(words, i)
        and not _is_demonstrative(word, flag)
        and not (not every_word and (count := _count_around(words, i)) and not _inside_name(words, *count))
        for i, (word, flag) in enumerate(words)
    ]


def _count_around(words: Sequence[tuple[str, str]], i: int) -> tuple[int, int] | None:
    """The words (from, to) of the count that the word at i is or is part of: a number with its classifier or unit
    (十年, 一座), or a number in digits and the one character after it, which jieba cuts apart (22|项 of 22项民生工程);
    not a year (2003|年)."""
    if _is_quantity(*words[i]):
        return i, i + 1
    for start in (i, i - 1):
        if not 0 <= start < len(words) - 1:
            continue
        number, unit = words[start][0], words[start + 1][0]
        year = unit == "年" and YEAR_DIGITS.fullmatch(number)  # 2003年 dates, it counts nothing
        if number.isdigit() and len(unit) == 1 and CJK_RUN.fullmatch(unit) and not year:
            return start, start + 2
    return None


# A year in digits, 1900 to 2099.
YEAR_DIGITS = re.compile(r"(?:19|20)\d{2}")


def _says_since_or_until(localiser: str) -> bool:
    """Whether a localiser says before or after a time (以前, 之后, 以来; 前 and 后 alone), not where or how far."""
    return localiser in ("前", "后") or (localiser[:1] in "以之" and localiser[-1:] in "前后来")


def _is_year(words: Sequence[tuple[str, str]], i: int) -> bool:
    """Whether a word is a year that opens a span (2009 of 2009年及以后, 1998年以来) or a predicate (1984年决定开放),
    or the 年 of one: it says which years to read or when, not what about. A year dating the topic stays (2003 of
    2003年的非典疫情: the reports write it)."""
    at = i - (words[i][0] == "年")
    if at < 0 or not (YEAR_DIGITS.fullmatch(words[at][0]) and [w for w, _ in words[at + 1 : at + 2]] == ["年"]):
        return False
    after = [(w, f) for w, f in words[at + 2 : at + 4] if w != "及"][:1]
    return bool(after) and (_says_since_or_until(after[0][0]) or is_verb(after[0][1]))


def _is_demonstrative(word: str, flag: str) -> bool:
    """Whether a word is a pronoun with its classifier (那条, 这件, 这方面, which jieba tags as quantities): it points
    at the topic, it names nothing of it."""
    return flag == "mq" and tagged_words(word[:1])[0][1] == "r"


# The characters of a cardinal number written in words (十, 两, 几 …); ordinals (第二个, 首批) pick one out, they count nothing.
_NUMERALS = frozenset("零一二三四五六七八九十百千万亿两几数多半")


def _is_quantity(word: str, flag: str) -> bool:
    """Whether a word is a number with its classifier or unit of time (十年, 一座, 两个, 一批), which counts what the
    topic names and names nothing itself; not a name made of numbers (十四五) or numbers and a word (三通)."""
    unit = tagged_words(word[-1:])[0][1] if word else ""
    return flag == "m" and len(word) >= 2 and set(word[:-1]) <= _NUMERALS and (unit == "q" or word[-1] in "年月日天")


def _inside_name(words: Sequence[tuple[str, str]], start: int, end: int) -> bool:
    """Whether the words from start to end have content words on both sides (十年 of 长江|十年|禁渔), part of a name
    they make."""
    return (
        start > 0
        and end < len(words)
        and all(
            not is_function_word(flag) and is_topic_word(flag, every_word=True)
            for _, flag in (words[start - 1], words[end])
        )
    )


def _opens_predicate(words: Sequence[tuple[str, str]], i: int) -> bool:
    before_verb = i + 1 < len(words) and is_verb(words[i + 1][1])
    after_verb = i > 0 and is_verb(words[i - 1][1])
    return words[i][1] == "t" and before_verb and not after_verb
