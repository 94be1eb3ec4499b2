"""The key phrases of a list question's topic: the words whose presence makes a sentence evidence, measured on the
corpus (generic words left out, the corpus's own spellings added)."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from functools import cache

from ghqa.index.lexical import CJK, CJK_RUN, CLOSING_QUOTES, OPENING_QUOTES, QUOTE_MARKS
from ghqa.index.passages import Retriever
from ghqa.ingest.clean import normalize_for_index
from ghqa.ingest.places import find_places, jieba_dictionary, levels
from ghqa.qa.questions import CLAUSE, REMARK_EXAMPLES_END, QuestionAnalysis
from ghqa.qa.word_classes import (
    BOUND_MORPHEME_HEADS,
    BRACKETED,
    CONJUNCTIONS,
    NAME_TAGS,
    QUOTED,
    is_activity,
    is_bound_morpheme,
    is_function_word,
    is_head,
    is_noun,
    is_suffix,
    is_topic_word,
    is_verb,
    is_verb_word,
    names_a_thing,
    qualifies_next,
    tagged_words,
    topic_words,
    without_brackets,
)

# A topic word held by more than this share of passages is generic (经济, 产业, 发展) and is left out of the key
# phrase when rarer words remain; chosen by bench/list_sweep.py.
TOPIC_COMMON_SHARE = 0.04

# Words saying that what follows is the kind of thing meant, not the thing (…方面的荣誉, …之类的项目, …这类项目).
_CATEGORY_AFTER = re.compile(r"方面的|之类的|这类|此类|一类")

# Examples after the topic, set off by a comma (农村厕所问题，比如农村改厕、“厕所革命”…), and what parts them.
_EXAMPLES_AFTER = re.compile(r"[，,]\s*(?:比如说?|例如|譬如|诸如|如)")
_BRACKETED_EXAMPLES = re.compile(r"[（(]\s*(?:比如|例如|如)([^（()）]+)[)）]\s*$")
# A quoted name and a bracket after it listing items (“三大攻坚战”（防范化解重大风险、精准脱贫、…）): its parts.
_PARTS_OF_NAME = re.compile(
    rf"(?P<name>[{OPENING_QUOTES}](?P<quoted>[^{CLOSING_QUOTES}]+)[{CLOSING_QUOTES}])\s*[（(](?P<parts>[^（()）]*、[^（()）]*)[)）]"
)
_EXAMPLE_JOINS = re.compile(r"[、，,；;]|或者|以及|或")
# A word in the examples pointing back to the topic makes them sides of it (它的成立、峰会, 这方面的费用), not things
# of its kind.
_POINTS_BACK = re.compile(r"它|其|该|这|相关")

# A closing and an opening quotation mark between two names, nothing else.
_QUOTED_SIDE_BY_SIDE = re.compile(f"[{CLOSING_QUOTES}\"'][{OPENING_QUOTES}\"']")

# Names of more words are not abbreviated: each form is a store lookup, and there are up to 2^(words-1)·4 of them.
_MAX_WORDS_TO_ABBREVIATE = 6


def list_terms(
    retriever: Retriever,
    analysis: QuestionAnalysis,
    common_share: float = TOPIC_COMMON_SHARE,
    unheld: frozenset[str] = frozenset(),
) -> list[str]:
    """The phrases whose presence makes a sentence evidence: the topic's key phrase (提高最低工资标准 → 最低工资,
    发展银发经济 → 银发), then, as a boost, the synonyms (qa/synonyms.toml) of a known topic that holds it. Phrases
    in `unheld` are read as if the corpus never wrote them (see qa.lists.list_answer)."""
    # The rules below ask for the same words again and again; each is a store lookup.
    frequency = cache(
        lambda phrase: 0 if normalize_for_index(phrase) in unheld else retriever.document_frequency(phrase)
    )
    level_words = analysis.level_words
    common = common_count(retriever, common_share)
    topic = _without_parts_listed(analysis.topic, frequency)
    keys = key_phrases(topic, frequency, common, level_words)
    # Not generic: the topic as written, not the words around it. The asked level's word may begin one (乡改镇 when
    # 哪些乡镇 asks, though 乡 alone is never a key).
    bridged = [p for p in bridged_phrases(topic, frequency) if frequency(p) <= common]
    # The whole topic held as written is its key: a key that is the object of a verb inside it is broader (增值税 of
    # 营业税改征增值税); one the verb follows is not (棚户区 of 棚户区改造, also written 改造棚户区).
    whole = without_brackets(normalize_for_index(topic)).removesuffix("的情况")
    keys = [k for k in keys if not (whole in bridged and _object_inside(k, whole))] + bridged
    # A topic of one stretch held as written is a key, though it opens with a verb the runs cut at (合成|生物).
    if CJK_RUN.fullmatch(whole) and whole not in keys and 0 < frequency(whole) <= common:
        keys.append(whole)
    # A key held only inside a longer one adds no passage, only a broader stand-in (长江十年 of 长江十年禁渔).
    keys = [k for k in keys if not any(k in b and k != b and frequency(k) == frequency(b) for b in bridged)]
    keys += [a for a in abbreviations(topic, keys) if 0 < frequency(a) <= common]
    keys += [w for w in repeated_names(topic, level_words) if 0 < frequency(w) <= common and w not in keys]
    # A name never written as the topic writes it may be written with one word otherwise (抽水蓄能电站 for
    # 抽水储能电站): that spelling is a key beside the pieces of the name the corpus holds.
    for name in unwritten_names(topic, frequency, common):
        keys += [s for s in reworded_spellings(retriever, name) if 0 < frequency(s) <= common]
    # Measured on the eight list sets: one more character inside a key stretch found towns, a replaced one junk.
    # Not a spelling read as never written (`unheld`).
    keys += [
        v
        for stretch in _key_stretches(topic, keys)
        for v in spelling_variants(retriever, stretch, common)
        if frequency(v)
    ]
    # A key's first words listed beside others before the rest (长征、黄河国家文化公园 for 长征国家文化公园) say it too.
    keys += [
        c
        for key in keys
        for c in coordinated_spellings(retriever, key, frequency, common)
        if normalize_for_index(c) not in unheld
    ]
    # Names inside a key read as never written carry it where the groups asked write the name alone (三北 of
    # 三北防护林: the provinces write “三北”工程).
    keys += [name for name in _names_inside(unheld) if 0 < frequency(name) <= common]
    synonyms = [
        term
        for group in analysis.expansions
        if any(key in term for key in keys for term in group) or not keys
        for term in group
        if frequency(term) > 0
    ]
    return list(dict.fromkeys(normalize_for_index(t) for t in [*keys, *synonyms] if normalize_for_index(t)))


def left_out_keys(
    retriever: Retriever, analysis: QuestionAnalysis, terms: list[str], common_share: float = TOPIC_COMMON_SHARE
) -> list[str]:
    """The key phrases of what a question leaves out that is no place or year (高速公路连接线, 互通 of
    …？高速公路连接线和互通不算), as the index writes them; not one inside a key of the topic, which would leave it
    no evidence."""
    if not analysis.left_out_things:
        return []  # most questions: no store lookup
    frequency = cache(retriever.document_frequency)
    common = common_count(retriever, common_share)
    # Each clause leaves out its own thing (只涉及要素市场化配置综合改革试点，或只针对国际贸易…).
    keys = [
        _with_topic_key(normalize_for_index(clause), normalize_for_index(key), terms, frequency)
        for thing in analysis.left_out_things
        for clause in CLAUSE.findall(thing)
        for key in key_phrases(clause, frequency, common, analysis.level_words)
    ]
    return [k for k in dict.fromkeys(keys) if k and not any(k in t for t in terms)]


def _with_topic_key(clause: str, key: str, terms: list[str], frequency: Callable[[str], int]) -> str:
    """A key left out widened to a key of the topic it qualifies, where the corpus holds the two so (要素市场化配置 to
    要素市场化配置综合改革试点 of a topic keyed 综合改革试点): a kind of the topic, whose key inside it is then not said.
    Not a key after the topic's (扫黑除恶|专项斗争 of 没有提扫黑除恶专项斗争的): that is the topic named in full."""
    at = clause.find(key)
    for term in terms:
        start = clause.find(term)
        if at < 0 or start < at + len(key) or term in key:
            continue
        stretch = clause[at : start + len(term)]
        if frequency(stretch):
            return stretch
    return key


def _object_inside(key: str, stretch: str) -> bool:
    """Whether a key stands right after a verb inside a stretch of words (增值税 after 改征 in 营业税改征增值税)."""
    at = stretch.find(key)
    if at <= 0:
        return False
    words = tagged_words(stretch)
    ends = dict(zip(itertools.accumulate(len(w) for w, _ in words), (f for _, f in words), strict=True))
    return at in ends and is_verb(ends[at])


def _names_inside(phrases: frozenset[str]) -> list[str]:
    """The proper names (jieba's ns, nz, nt) of two characters or more inside phrases of several words."""
    return [
        w
        for phrase in sorted(phrases)
        for w, flag in tagged_words(phrase)
        if w != phrase and len(w) >= 2 and flag.startswith(("ns", "nz", "nt"))
    ]


def common_count(retriever: Retriever, common_share: float) -> float:
    """How many passages make a word generic; at least one: in a small corpus a word one passage holds is not."""
    return max(1.0, common_share * retriever.passage_count())


def bridged_phrases(topic: str, frequency: Callable[[str], int]) -> list[str]:
    """Stretches of the topic the corpus holds as written across a verb the word classes cut at (乡改镇 of 推进乡改镇,
    改镇 tagged a verb; 乡村振兴示范区): each begins with a topic word, ends with a word of two characters or more
    (not a predicate such as 建 of 中学建), holds a verb and has three characters or more. Never ending in the verb
    of the topic's subject when more follows it (卫生院建成 of 卫生院建成了国医堂, which a large corpus holds too); a
    stretch may go on past that verb (乡村振兴示范区 of 乡村振兴示范区获评省级)."""
    tagged = tagged_words(topic)
    # A verb after a verb, an aspect particle between at most, may begin the predicate's object, a name of what was
    # done (完成|撤乡改镇, 推进实施|撤乡改镇, 完成了|撤乡改镇).
    before = [
        tagged[i - 2] if i > 1 and tagged[i - 1][0] in ("了", "过") else tagged[i - 1] for i in range(len(tagged))
    ]
    starts = [
        is_start or (i > 0 and is_verb(tagged[i][1]) and is_verb(before[i][1]))
        for i, is_start in enumerate(topic_words(tagged, every_word=False))
    ]
    verb = subject_end(tagged)
    found: list[str] = []
    for i in range(len(tagged)):
        if not starts[i]:
            continue
        best = None
        for j in range(i + 1, len(tagged)):
            word, next_flag = tagged[j]
            if not (is_verb(next_flag) or is_topic_word(next_flag, every_word=False)):
                break
            piece = "".join(w for w, _ in tagged[i : j + 1])
            if not frequency(piece):
                break
            predicate = j == verb and j + 1 < len(tagged)
            if not predicate and any(is_verb(f) for _, f in tagged[i : j + 1]) and len(word) >= 2 and len(piece) >= 3:
                best = piece
        if best and not any(best in f for f in found):
            found.append(best)
    return found


def repeated_names(topic: str, level_words: frozenset[str] = frozenset()) -> list[str]:
    """The nouns that open each of the topic's alternatives or items, said again in each (北斗 of 北斗卫星导航系统的推广应用
    或北斗相关产业, 秸秆 of 秸秆综合利用或秸秆禁烧): what all of them are about. No place nor the asked level's word."""
    words = [(w, flag) for w, flag in tagged_words(without_brackets(topic)) if w.strip()]
    openings = Counter(
        w for i, (w, flag) in enumerate(words) if flag.startswith("n") and (i == 0 or words[i - 1][0] in CONJUNCTIONS)
    )
    said = Counter(w for w, _ in words)
    return [
        w
        for w, n in openings.items()
        if n > 1 and n == said[w] and len(w) >= 2 and w not in level_words and not find_places(w)
    ]


def abbreviations(topic: str, keys: list[str]) -> list[str]:
    """The usual short forms (`abbreviated_forms`) of a key of several words, or of a key word and the topic's word
    before it (综合保税区 → 综保区, 经济开发区 → 经开区, 亚洲冬季运动会 → 亚冬会)."""
    runs = [tuple(w for w, _ in tagged_words(key)) for key in keys]
    tagged = tagged_words(topic)
    runs += [
        (tagged[i - 1][0], tagged[i][0])
        for i in range(1, len(tagged))
        if tagged[i][0] in keys and is_topic_word(tagged[i - 1][1], every_word=False)
    ]
    return list(dict.fromkeys(short for words in runs for short in abbreviated_forms(words)))


def abbreviated_forms(words: Sequence[str]) -> list[str]:
    """The ways Chinese abbreviates a name of several words: each word whole or its first character, the last word
    also its last character, or, of three characters or more, its first or its first and last (营业税|改征|增值税 →
    营改增, 亚洲|冬季|运动会 → 亚冬会, 海上|风力|发电 → 海上风电, 综合|保税区 → 综保区; not 科创中 of 科技|创新|中心); at
    least two words shortened and three characters left, and no word but the last kept whole after a shortened one
    (not 国经济技 of 国家级|经济|技术开发区). Not one whose first word is shortened into a dictionary
    word (生产园 of 生态|产业园 reads 生产|园区), unless the short form is a dictionary word itself (亚运会, though 亚运
    is one too). None for a name of more than _MAX_WORDS_TO_ABBREVIATE words or with
    a word not all in Chinese characters (5G|基站)."""
    if not all(CJK_RUN.fullmatch(w) for w in words) or len(words) > _MAX_WORDS_TO_ABBREVIATE:
        return []
    dictionary, _ = jieba_dictionary()
    choices = [
        dict.fromkeys([w, w[-1], *((w[0], w[0] + w[-1]) if len(w) >= 3 else ())] if k == len(words) - 1 else [w, w[0]])
        for k, w in enumerate(words)
    ]
    found = []
    for combo in itertools.product(*choices):
        short = "".join(combo)
        cut = [part != word for part, word in zip(combo, words, strict=True)]
        misread = cut[0] and dictionary.get(short[:2], 0) and not dictionary.get(short, 0)
        # A qualifier kept whole comes before the shortened words (海上风电), not after one (国经济技 of 国家级|经济|技术开发区).
        whole_after_cut = any(cut[k] and len(words[k + 1]) > 1 and not cut[k + 1] for k in range(len(words) - 2))
        if sum(cut) < 2 or len(short) < 3 or misread or whole_after_cut:
            continue
        found.append(short)
    return list(dict.fromkeys(found))


def _key_stretches(topic: str, keys: list[str]) -> list[str]:
    """Each one-word key, alone and with the word before it (特色小镇 for 小镇), and each key of words holding a verb
    (撤乡设镇, also written 撤乡建镇), where that makes four characters or more, as the topic writes them."""
    words = [w for w, _ in tagged_words(topic)]
    found = []
    for i, word in enumerate(words):
        if word in keys:
            for stretch in (word, "".join(words[max(0, i - 1) : i + 1])):
                if len(stretch) >= 4 and CJK_RUN.fullmatch(stretch):
                    found.append(stretch)
    found += [
        key
        for key in keys
        if key not in words
        and len(key) >= 4
        and CJK_RUN.fullmatch(key)
        and any(is_verb(f) for _, f in tagged_words(key))
    ]
    return list(dict.fromkeys(found))


def spelling_variants(retriever: Retriever, phrase: str, common: float) -> list[str]:
    """The corpus's spellings of a phrase with one more character inside it (特色小镇: 特色小城镇; 农村饮水: 农村饮用水),
    the same thing written out, or without its last character when that leaves a dictionary noun not generic in the
    corpus (物流园区: 物流园), the same thing shortened; not another head (农业园区: 农业区), nor an expression (自来水厂: 自来水). A one-character verb outside any dictionary
    word may be another one (撤乡设镇: 撤乡改镇, 撤乡建镇; not 撤乡并镇, 并 is a conjunction); any other character
    replaced is not the same thing: 土地整理 is not 土地管理 (整理 is a word), nor 银发 研发."""
    inner = [re.escape(phrase[:k]) + "[\u4e00-\u9fff]" + re.escape(phrase[k:]) for k in range(1, len(phrase))]
    words, tags = jieba_dictionary()
    verbs = _loose_verbs(phrase)
    replaced = [re.escape(phrase[:k]) + "[\u4e00-\u9fff]" + re.escape(phrase[k + 1 :]) for k in verbs]
    pattern = re.compile("|".join(inner + replaced))
    found: dict[str, None] = {}
    shorter = phrase[:-1]
    if words.get(shorter, 0) > 0 and is_noun(shorter) and 0 < retriever.document_frequency(shorter) <= common:
        found[shorter] = None
    # All passages of either end: one more character inside leaves one of them whole (特色小城镇 holds 特色).
    for p in retriever.gather(list(dict.fromkeys([phrase[:2], phrase[-2:]])), limit=None):
        for m in pattern.finditer(normalize_for_index(p.text)):
            spelled = m.group()
            if len(spelled) > len(phrase):
                # A conjunction inserted joins two things (平台和企业, 平台与企业), 的 makes a phrase (乡镇的规划), where any
                # other character spells one.
                inserted = _inserted(phrase, spelled)
                if inserted not in CONJUNCTIONS and tags.get(inserted) != "c" and inserted != "的":
                    found[spelled] = None
            elif all(_verb_for_verb(spelled, k, words, tags) for k in verbs if spelled[k] != phrase[k]):
                found[spelled] = None
    found.pop(phrase, None)
    return list(found)


# Between a key's first words and the rest, the others listed with them: up to four, each after 、 or a conjunction.
_LISTED_BESIDE = r"(?:[、和与及][\u4e00-\u9fff]{1,8}?){1,4}等?"
# Between them, the name of the place the thing is in, bracketed or not (中欧班列（沈阳）集结中心): group 1.
_PLACE_INSIDE = r"\(?([\u4e00-\u9fff]{2,8}?)\)?"


def coordinated_spellings(retriever: Retriever, key: str, frequency: Callable[[str], int], common: float) -> list[str]:
    """The corpus's spellings of a key of several words with its first words listed beside others that share the rest
    (长征国家文化公园: 长征、黄河国家文化公园, 长征、黄河、长江等国家文化公园), or with the name of the place the thing is in
    between them (中欧班列集结中心: 中欧班列广州集结中心, 中欧班列（沈阳）集结中心); only of a key naming a thing, whose head the
    listed words share (not 领域取得: 领域和关键环节改革取得 is no more about the topic), and only where the rest is no
    generic word (平台和领军企业 would be of 企业, 国家和省级区域医疗中心 of 中心) and follows no verb."""
    tagged = tagged_words(key)
    words = [w for w, _ in tagged]
    if len(words) < 2 or not CJK_RUN.fullmatch(key) or not names_a_thing(tagged[-1][1]):
        return []
    found: dict[str, None] = {}
    for k in range(1, len(words)):
        first, rest = "".join(words[:k]), "".join(words[k:])
        # A verb before the rest is the key's predicate, not a word the listed ones stand beside (提升|项目).
        if len(rest) < 2 or is_verb(tagged[k - 1][1]) or not 0 < frequency(rest) <= common:
            continue
        listed = re.compile(re.escape(first) + _LISTED_BESIDE + re.escape(rest))
        placed = re.compile(re.escape(first) + _PLACE_INSIDE + re.escape(rest))
        # Every spelling holds both parts: the passages of the rarer hold them all.
        for p in retriever.gather([min(first, rest, key=frequency)], limit=None):
            text = normalize_for_index(p.text)
            found |= dict.fromkeys(m.group() for m in listed.finditer(text))
            found |= dict.fromkeys(m.group() for m in placed.finditer(text) if _names_one_place(m.group(1)))
    return list(found)


def _names_one_place(text: str) -> bool:
    """Whether the text is one division's name, nothing more (广州, 沈阳市)."""
    places = find_places(text)
    return len(places) == 1 and places[0].mention == text and not places[0].anonymised


def unwritten_names(topic: str, frequency: Callable[[str], int], common: float) -> list[list[str]]:
    """The names of three words or more in a topic that the corpus never writes: stretches of topic words and verbs
    between function words and punctuation, from the first word not generic to the last noun, the head (建设 of
    建设抽水储能电站, 国家 of 国家服务业对外开放综合试点 are the predicate and a modifier; 建成 of 填埋场建成, what was
    done)."""
    tagged = tagged_words(topic)
    stretches: list[list[tuple[str, str]]] = [[]]
    for (word, flag), is_topic in zip(tagged, topic_words(tagged, every_word=False), strict=True):
        if (is_topic or is_verb(flag)) and word not in CONJUNCTIONS and CJK_RUN.fullmatch(word):
            stretches[-1].append((word, flag))
        elif stretches[-1]:
            stretches.append([])
    names = []
    for stretch in stretches:
        start = next((i for i, (w, _) in enumerate(stretch) if frequency(w) <= common), len(stretch))
        end = next((i for i in range(len(stretch), start, -1) if names_a_thing(stretch[i - 1][1])), start)
        words = [w for w, _ in stretch[start:end]]
        if len(words) >= 3 and not frequency("".join(words)):
            names.append(words)
    return names


def reworded_spellings(retriever: Retriever, words: Sequence[str]) -> list[str]:
    """The corpus's spellings of a name of three words or more with one word inside it written otherwise, by a word
    sharing a character with it (抽水|储能|电站: 抽水蓄能电站; 服务业|对外开放|综合|试点: 服务业扩大开放综合试点): the
    words kept, the name's first and last among them, say what it is, the shared character that the word is the same
    thing. Not one holding the word itself or a function word (互联网等 of 卫星互联网等产业, 抽水和电站)."""
    if len(words) < 3:
        return []
    _, tags = jieba_dictionary()
    patterns = [
        (
            k,
            re.compile(
                re.escape("".join(words[:k]))
                + f"([\u4e00-\u9fff]{{1,{len(words[k]) + 1}}}?)"
                + re.escape("".join(words[k + 1 :]))
            ),
        )
        for k in range(1, len(words) - 1)
    ]
    found: dict[str, None] = {}
    # The first and last words are in every spelling: the passages of the rarer hold them all.
    for p in retriever.gather([min(words[0], words[-1], key=retriever.document_frequency)], limit=None):
        text = normalize_for_index(p.text)
        for k, pattern in patterns:
            for m in pattern.finditer(text):
                word = m.group(1)
                function = any(is_function_word(tags.get(c, "")) for c in word)
                if words[k] not in word and set(word) & set(words[k]) and not function:
                    found[m.group()] = None
    return list(found)


def _inserted(phrase: str, spelled: str) -> str:
    """The character a spelling one character longer has inside the phrase."""
    k = next((i for i, (a, b) in enumerate(zip(phrase, spelled, strict=False)) if a != b), len(phrase))
    return spelled[k]


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
    """The key phrases of a topic (_described_keys, or the short form of a list it spells out), with each name it
    gives in brackets or quotation marks, held and not generic, whatever is rarer around it: the asker names the thing
    as reports write it (碳汇 of …吸收固定二氧化碳的能力（碳汇）, 电动自行车 of 电瓶车（电动自行车）的充电火灾隐患, 大锅饭 of
    吃“大锅饭”); and the spellings around an optional character (区域中心城市, 区域性中心城市 of 区域（性）中心城市)."""
    # Items listed that the reports write short, one character of each, name one thing (源网荷储 of 电源、电网、
    # 用电负荷和储能): each item alone is broader.
    keys = _list_abbreviations(topic, frequency, common) or _described_keys(topic, frequency, common, level_words)
    # A clause opening with 或 after a comma is another way the topic is met (被评为乡村旅游重点镇，或其所辖村入选乡村
    # 旅游重点村): its own keys are alternatives, those that are not generic and not one bare word (个人, 当地, 机构).
    for clause in _alternative_clauses(topic)[1:]:
        keys += [
            k
            for k in _described_keys(clause, frequency, common, level_words)
            if k not in keys and frequency(k) <= common and len(tagged_words(k)) > 1
        ]
    # A name in quotation marks is the reports' own word, quoted (要打破企业或职工吃“大锅饭”): it says the topic too.
    quoted = [m.group(1).strip() for m in QUOTED.finditer(topic)]
    named = [
        name
        for name in [*_bracketed_names(topic, frequency), *quoted]
        if len(name) >= 2 and name not in level_words and 0 < frequency(name) <= common
    ]
    return list(dict.fromkeys([*keys, *named, *_optional_spellings(topic, frequency, common)]))


# Items of a list: between 、, the last after 和, 与, 及 or 以及 (not 或, which gives alternatives).
_LIST_ITEMS = re.compile(rf"{CJK_RUN.pattern}(?:、{CJK_RUN.pattern})+(?:以及|[和与及]){CJK_RUN.pattern}")
_ITEM_JOINS = re.compile(r"、|以及|[和与及]")


def _list_abbreviations(topic: str, frequency: Callable[[str], int], common: float) -> list[str]:
    """The short forms of a list of three items or more, one character of each, the first or the last that no other
    item has there, that the corpus holds and that are not generic (电源、电网、用电负荷和储能 → 源网荷储; 农业、林业、牧业和渔业 → 农林牧渔). The
    first item is the last word before the first 、, the last item the first word after the last join."""
    import jieba

    found = []
    for listed in _LIST_ITEMS.finditer(without_brackets(topic)):
        items = _ITEM_JOINS.split(listed.group())
        items[0] = jieba.lcut(items[0])[-1]
        items[-1] = jieba.lcut(items[-1])[0]
        if len(items) < 3 or not all(len(item) >= 2 for item in items):
            continue
        # A character items share at the same end (业 of 农业、林业, 电 of 电源、电网) tells none of them apart.
        firsts, lasts = Counter(item[0] for item in items), Counter(item[-1] for item in items)
        ends = [[c for c, shared in ((item[0], firsts), (item[-1], lasts)) if shared[c] == 1] for item in items]
        for combo in itertools.product(*ends):
            if 0 < frequency(short := "".join(combo)) <= common:
                found.append(short)
    return list(dict.fromkeys(found))


def _bracketed_names(topic: str, frequency: Callable[[str], int]) -> list[str]:
    """The names a topic gives in brackets, not descriptions: no function word but quotation marks (a list, with its
    、, gives the parts or examples of a kind), none qualifying the word after it (碳汇, 消费“三新”, 新农合; not
    从县城向外放射的干线, 去产能、去库存…, 建设（中国特色）自由贸易港)."""
    names = []
    for bracket in BRACKETED.finditer(topic):
        remark = bracket.group(1).strip()
        if remark and not _REMARK_OPENING.match(remark) and not REMARK_EXAMPLES_END.search(remark):
            words = [(w, flag) for w, flag in tagged_words(remark) if w.strip(QUOTE_MARKS)]
            if not any(is_function_word(flag) for _, flag in words) and not _reads_on(
                remark, topic[bracket.end() :], frequency
            ):
                names.append(remark)
    return names


def _reads_on(remark: str, rest: str, frequency: Callable[[str], int]) -> bool:
    """Whether a remark in brackets qualifies the word after them, the corpus writing the two together (中国特色 of
    建设（中国特色）自由贸易港): then it names nothing alone."""
    following = tagged_words(rest)[:1]
    return bool(following) and not is_function_word(following[0][1]) and frequency(remark + following[0][0]) > 0


def _described_keys(
    topic: str, frequency: Callable[[str], int], common: float, level_words: frozenset[str] = frozenset()
) -> list[str]:
    """The key phrases of a topic, measured on the corpus by `frequency` (passages holding a phrase).

    The topic's words are cut into runs at verbs, particles, punctuation and the words of the level the question
    asks by (乡镇 of 哪些乡镇被评为乡村振兴先进乡镇: the places listed, not what they did); in each run the rarest word that
    occurs is extended over its neighbours that are not generic (held by more than `common` passages). A run of
    generic words only keeps a two-word span, one ending in a thing and the last of those (平台企业; 次中心 of
    建设医疗次中心). Runs joined by a conjunction are alternatives;
    of the others the rarest is the key (工会 开展 安康杯 竞赛 → 安康杯). Before 方面的/之类的/这类 and 等 the topic
    names what it asks about and after it only the kind of thing (乡村旅游或乡村文化方面的荣誉 → 乡村旅游, 乡村文化;
    教学楼等校舍 → 教学楼). Examples after ，比如 add their keys to the topic's (医改, 医联体 of …医改…，比如建成医联体)."""
    # Examples in brackets ending the topic are examples after it (规模（如突破千万人次）: 规模，比如突破千万人次).
    topic = _BRACKETED_EXAMPLES.sub(r"，比如\1", topic)
    if examples := _examples_after(topic):
        # Each example is a thing of the topic's kind the reports may name instead (医联体, 国医堂 of 卫生院在医改上有
        # 具体动作，比如建成医联体…或者建成“国医堂”): a key beside the topic's own.
        head, listed = topic[: examples.start()], topic[examples.end() :]
        keys = _described_keys(head, frequency, common, level_words)
        # Examples pointing back to the topic (它的, 这方面) or naming its key again (土豆的种薯 of 土豆) are sides of it.
        if _POINTS_BACK.search(listed) or any(k in listed for k in keys):
            return keys
        # Not what the topic already says the examples are of (卫生院 of …，比如开展乡镇卫生院与村卫生室一体化管理试点).
        for example in _EXAMPLE_JOINS.split(bracket_alternatives(listed)):
            found = [
                k for k in _described_keys(example, frequency, common, level_words) if k not in keys and k not in head
            ]
            # An example saying part of the topic's key again is a kind of it (认知障碍照护床位 of 老年认知障碍照护): only
            # its keys that hold the part name that kind, not 床位 alone.
            if shared := _part_said_again(keys, example, frequency, common):
                keys += [k for k in found if shared in k]
            else:
                keys += found
        return keys
    topic = bracket_alternatives(topic)
    if category := _CATEGORY_AFTER.search(topic, 1):
        named = _described_keys(topic[: category.start()], frequency, common, level_words)
        # Unless only generic words come before it (改革或建设方面的试点): then the kind is the topic.
        if any(frequency(k) <= common for k in named):
            return named
        topic = topic[: category.start()] + " " + topic[category.end() :]
    words = _morphemes_joined(_quoted_as_words(tagged_words(topic), frequency, common), frequency)
    # X等Y names examples before the kind (教学楼等校舍): the examples are what the text names.
    if cut := next((i for i, (w, _) in enumerate(words) if w == "等" and 0 < i < len(words) - 1), None):
        words = words[:cut]
    keyed = _keyed_runs(words, frequency, common, level_words, every_word=False)
    if not all(keyed):
        return []  # a name in the topic the corpus never holds (毕卡索 of 毕卡索的蓝色时期): the topic is not there
    # After the thing the places have and its verb, the words that follow are what is asked about (直播 of
    # 电商服务中心被评为省级电商直播基地, 救护车 of 卫生院配备了救护车); a verb alone after it keeps the thing (卫生院要新建或改扩建).
    # Not where only generic words follow and jieba cut a name at the verb (西电东|送|工程: the corpus never writes
    # 西电东 but before 送) or the verb is passive, whose subject is what is asked about (中心卫生院被列入建设或改造提升项目).
    if (k := subject_end(words)) and any(names_a_thing(flag) for _, flag in words[k:]):
        after = _keyed_runs(words[k:], frequency, common, level_words, every_word=False)
        cut_name = _only_before(words[k - 1][0], words[k][0], frequency)
        passive = words[k][0] == "被"
        # Nor where the corpus writes all the words before it only with it: the "verb" ends a name (上海合作|组织).
        named_through = k > 1 and _only_before("".join(w for w, _ in words[:k]), words[k][0], frequency)
        if not named_through and not ((cut_name or passive) and after and _rarest(min(after, key=_rarest)) > common):
            keyed = after or keyed
    if keyed and _rarest(min(keyed, key=_rarest)) > common:
        # Only generic words left once verbs and particles are cut (经济 of 首发经济): the whole run around them
        # (首发经济), when it occurs.
        generic = [key for alternatives in keyed for key, _ in alternatives]
        whole = [
            alternatives
            for alternatives in _keyed_runs(words, frequency, common, level_words, every_word=True)
            if all(any(g in key for g in generic) for key, _ in alternatives)
        ]
        # A generic verbal noun ending one says that something was done, not what (工作 of 援藏工作): the verb
        # before it is the key where it is held and not generic.
        keyed = [[_without_activity(key, n, generic, frequency, common) for key, n in a] for a in whole] or keyed
    if not keyed:
        return []
    ranked = sorted(keyed, key=_rarest)
    alternatives = ranked[0]
    # A list asks for several places: keys one passage holds name one passage's, so the next rarest keys count too,
    # unless they are what the places have (卫生院 of 卫生院开展了国医堂), no evidence of what they did.
    subject = "".join(w for w, _ in words[: subject_end(words, at_gap=True)])
    if sum(n for _, n in alternatives) <= 1 and len(ranked) > 1 and _rarest(ranked[1]) <= common:
        alternatives = alternatives + [(key, n) for key, n in ranked[1] if key not in subject]
    # So is a key one passage holds that opens with an attribute (国家级 of 国家级数据标注基地): others write the name
    # without it or with another (国家数据标注基地).
    if sum(n for _, n in alternatives) <= 1:
        alternatives += [
            (rest, m)
            for key, _ in alternatives
            if (rest := _without_attribute(key)) and 0 < (m := frequency(rest)) <= common
        ]
    # A generic alternative (建设 of 建设或谋划…物流园区) is not what a question naming rarer ones asks for.
    return [key for key, n in alternatives if n <= common] or [key for key, _ in alternatives]


# A comma and 或 opening the next clause.
_ALTERNATIVE_CLAUSE = re.compile(r"[，,；;]\s*(?:或者|或是|或)")


def _alternative_clauses(topic: str) -> list[str]:
    """The topic cut where a clause opens with 或 (…重点镇，或其所辖村入选…), not inside brackets."""
    cuts = [m for m in _ALTERNATIVE_CLAUSE.finditer(topic) if not _inside_brackets(topic, m.start())]
    ends = [0, *(c for m in cuts for c in (m.start(), m.end())), len(topic)]
    return [topic[a:b] for a, b in zip(ends[::2], ends[1::2], strict=True) if topic[a:b].strip()]


def _without_parts_listed(topic: str, frequency: Callable[[str], int]) -> str:
    """The topic without a bracket listing the parts of a quoted name the corpus holds (“三大攻坚战”（防范化解重大风险、
    精准脱贫、污染防治三场攻坚战）): each part alone is another thing; not examples or inclusions (“菜篮子”（如…）)."""

    def named(m: re.Match[str]) -> str:
        listed = m.group("parts")
        return m.group("name") if not _REMARK_OPENING.match(listed) and frequency(m.group("quoted")) else m.group()

    return _PARTS_OF_NAME.sub(named, topic)


def _part_said_again(keys: list[str], example: str, frequency: Callable[[str], int], common: float) -> str:
    """The longest stretch of two characters or more of a key that the example says again, when the corpus holds it
    and it is not generic; else ""."""
    parts = [
        key[m.a : m.a + m.size]
        for key in keys
        if (m := SequenceMatcher(None, key, example, autojunk=False).find_longest_match()).size >= 2
    ]
    return max((p for p in parts if 0 < frequency(p) <= common), key=len, default="")


def _examples_after(topic: str) -> re.Match[str] | None:
    """Where examples after the topic open (，比如, ，如); not a word opening with 如 (，如期完成, ，如何), nor examples
    in brackets, of the words before them (高铁枢纽站，如某某东站、北站): those are `_BRACKETED_EXAMPLES` or remarks."""
    return next(
        (
            m
            for m in _EXAMPLES_AFTER.finditer(topic, 1)
            if not _inside_brackets(topic, m.start())
            and (m.group().lstrip("，, ") != "如" or tagged_words(topic[m.end() - 1 :])[0][0] == "如")
        ),
        None,
    )


def _inside_brackets(text: str, at: int) -> bool:
    """Whether a position lies inside a remark in brackets opened before it and not yet closed."""
    before = text[:at]
    return before.count("（") + before.count("(") > before.count("）") + before.count(")")


def _only_before(words: str, word: str, frequency: Callable[[str], int]) -> bool:
    """Whether the corpus writes the words, held, only with the word after them (西电东 of 西电东送)."""
    return 0 < frequency(words + word) == frequency(words)


def _without_attribute(key: str) -> str:
    """The key without the attribute it opens with (数据标注基地 of 国家级数据标注基地), or "" if it opens with none."""
    tagged = tagged_words(key)
    return key[len(tagged[0][0]) :] if len(tagged) > 1 and tagged[0][1] == "b" else ""


def _without_activity(
    key: str, n: int, generic: list[str], frequency: Callable[[str], int], common: float
) -> tuple[str, int]:
    """The key without a generic verbal noun that ends it, when the rest is a verb, held and not generic (援藏 of
    援藏工作; not 上海 of 上海合作组织)."""
    ending = next((g for g in generic if key.endswith(g) and key != g and is_activity(g)), None)
    rest = key.removesuffix(ending) if ending else ""
    return (rest, m) if rest and is_verb_word(rest) and 0 < (m := frequency(rest)) <= common else (key, n)


# A bracket names what is meant too, after these words or none (可控核聚变（聚变能源）, 邮轮（如邮轮港、邮轮旅游）).
_REMARK_OPENING = re.compile(r"^(?:或者?|如|例如|比如|包括|包含|含|即|尤其是|特别是)")


def bracket_alternatives(topic: str) -> str:
    """The topic with each remark in brackets, innermost first, read as an alternative to what it follows (可控核聚变
    （聚变能源） → 可控核聚变或聚变能源), or, listing examples, as words of the topic; an optional character left out
    (区域（性）中心城市 → 区域中心城市). Question analysis has left out those that are no part of the topic
    (qa.questions.without_asides)."""
    topic = _OPTIONAL_CHARACTER.sub(lambda m: m.group() if _is_kind_word(m) else m[1] + m[3], topic)
    while (rewritten := BRACKETED.sub(_remark_as_alternative, topic)) != topic:
        topic = rewritten
    return topic


# One character in brackets inside a phrase may be there or not (区域（性）中心城市: 区域中心城市, 区域性中心城市).
_OPTIONAL_CHARACTER = re.compile(rf"({CJK_RUN.pattern})[（(]({CJK.pattern})[)）]({CJK_RUN.pattern})")


def _is_kind_word(phrase: re.Match[str]) -> bool:
    """Whether the character is a division's kind word: another kind of place (县（区）的乡镇), no part of a word."""
    return phrase[2] in levels().kind_names()


def _optional_spellings(topic: str, frequency: Callable[[str], int], common: float) -> list[str]:
    """The phrase around one optional character, with it and without, as long as the corpus holds either and not
    generic: the word before it and the most words after it (区域（性）中心城市 → 区域中心城市, 区域性中心城市)."""
    import jieba

    found = []
    for phrase in _OPTIONAL_CHARACTER.finditer(topic):
        if _is_kind_word(phrase):
            continue
        before, after = jieba.lcut(phrase[1])[-1], jieba.lcut(phrase[3])
        for n in range(len(after), 0, -1):
            spellings = [before + "".join(after[:n]), before + phrase[2] + "".join(after[:n])]
            if held := [s for s in spellings if 0 < frequency(s) <= common]:
                found += held
                break
    return found


def _remark_as_alternative(bracket: re.Match[str]) -> str:
    remark = _REMARK_OPENING.sub("", bracket.group(1).strip())
    if not remark:
        return " "
    if REMARK_EXAMPLES_END.search(remark):
        return " " + remark + " "
    return remark + "或" if bracket.start() == 0 else "或" + remark


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
    words = list(words)
    roles = [
        "topic" if is_topic and w not in level_words else "other"
        for (w, _), is_topic in zip(words, topic_words(words, every_word), strict=True)
    ]
    # The asked level's word inside a name the corpus writes whole is part of it (紧密型|城市|医疗集团 when 哪些城市
    # asks): the places listed are named elsewhere.
    for i in range(1, len(words) - 1):
        inside = roles[i - 1] == roles[i + 1] == "topic" and words[i][0] in level_words
        if inside and frequency("".join(w for w, _ in words[i - 1 : i + 2])):
            roles[i] = "topic"
    # An adverb right before a noun of the topic that the corpus writes with it opens a name (特别|国债, 特别国债 held):
    # adverbs qualify verbs, so before a noun it is no adverb.
    for i in range(len(words) - 2, -1, -1):
        (w, flag), (noun, noun_flag) = words[i], words[i + 1]
        if flag == "d" and roles[i + 1] == "topic" and noun_flag.startswith("n") and 0 < frequency(w + noun) <= common:
            words[i : i + 2] = [(w + noun, noun_flag)]
            roles[i : i + 2] = ["topic"]
    # A verb the corpus holds rarely, after a noun of the topic, is part of the name when it ends the topic (长江禁渔)
    # or the corpus writes the two together before another topic word (数据标注基地): a predicate is generic (建设,
    # 推进) or has an object after it (景区|推行|电子门票).
    for i in range(1, len(words)):
        w, flag = words[i]
        noun = words[i - 1][0]
        after_noun = roles[i - 1] == "topic" and words[i - 1][1].startswith("n")
        ends = i == len(words) - 1 or roles[i + 1] == "topic" and frequency(noun + w) > 0
        if is_verb(flag) and len(w) >= 2 and after_noun and ends and 0 < frequency(w) <= common:
            roles[i] = "topic"
    # Rare verbs after the topic's first verb and written with the noun after them are a name too (在建|抽水蓄能电站),
    # one word of the run (休闲农业, though 农业 alone is generic): the first verb is the predicate, a verbal noun before
    # a verb too (建设|抽水蓄能电站).
    first_verb = next(
        (
            i
            for i, (_, flag) in enumerate(words)
            if is_verb(flag) or (flag == "vn" and i + 1 < len(words) and is_verb(words[i + 1][1]))
        ),
        len(words),
    )
    i = len(words) - 1
    while i > first_verb + 1:
        j = i
        if roles[i] == "topic" and words[i][1].startswith("n"):
            while j - 1 > first_verb and is_verb(words[j - 1][1]) and 0 < frequency(words[j - 1][0]) <= common:
                j -= 1
            if j < i and frequency("".join(w for w, _ in words[j : i + 1])) > 0:
                words[j : i + 1] = [("".join(w for w, _ in words[j : i + 1]), words[i][1])]
                roles[j : i + 1] = ["topic"]
        i = j - 1
    for i in range(1, len(words) - 1):
        if words[i][0] not in CONJUNCTIONS or every_word:
            continue
        before = next((flag for word, flag in reversed(words[:i]) if word not in CLOSING_QUOTES), "")  # “…镇”或
        if names_a_thing(before):
            # After a noun and 或, verbs open a noun phrase like it (风电场或抽水蓄能电站): they name the thing.
            j = i + 1
            while j < len(words) - 1 and is_verb(words[j][1]) and is_topic_word(words[j + 1][1], True):
                roles[j] = "topic"
                j += 1
        elif is_verb(words[i - 1][1]) or is_verb(words[i + 1][1]):
            # Words coordinated by 或/和 play one part: 新建 in 新建或扩建机场 is a verb like 扩建.
            roles[i - 1] = roles[i + 1] = "other"
    runs: list[list[str]] = []
    joined: list[bool] = []  # whether a run follows the one before across a conjunction alone
    followed: list[list[str]] = []  # the words after each run, up to the next
    between: list[str] = []
    for i, ((word, _), role) in enumerate(zip(words, roles, strict=True)):
        # A name the text goes on after its closing mark is one run of its own words (“菜篮子”|工程, “两新”|政策, not
        # 新政策); an opening mark still parts two.
        goes_on = runs and not between and i + 1 < len(roles) and roles[i + 1] == "topic"
        if word in CLOSING_QUOTES and goes_on:
            continue
        if role != "topic" or not word.strip():
            between.append(word)
            continue
        if not runs or between:
            # Quotation marks around an alternative do not part it from the others (“菜篮子”或“菜篮子”工程), nor does
            # the asked level's word ending its name (乡村旅游重点镇、旅游名镇).
            linking = [w for w in between if w.strip(QUOTE_MARKS) and w not in level_words]
            # Quoted names side by side are a list (“一城两翼”“一城五镇”).
            listed = not linking and _QUOTED_SIDE_BY_SIDE.fullmatch("".join(between).replace(" ", ""))
            joined.append(bool(runs) and (bool(listed) or bool(linking) and all(w in CONJUNCTIONS for w in linking)))
            if runs:
                followed.append(between)
            runs.append([])
            between = []
        runs[-1].append(word)
    if runs:
        followed.append(between)
    names = {word for word, flag in words if flag.startswith(NAME_TAGS)}
    attributes = {word for word, flag in words if flag == "b"}
    flags = dict(words)
    sets: list[list[tuple[str, int]]] = []
    open_set: list[tuple[str, int]] | None = None  # the alternatives a run joined to the one before adds to
    # An attribute without its noun (所在 of 所在的片区, 国家级 of 国家级的奖项) says of what, not what; unless it is one of
    # alternatives (国家级或省级示范区) or all the topic has (被评为省级).
    alone = [
        not every_word and set(run) <= attributes and not is_joined and not (k + 1 < len(runs) and joined[k + 1])
        for k, (run, is_joined) in enumerate(zip(runs, joined, strict=True))
    ]
    for run, is_joined, skipped, after in zip(runs, joined, alone, followed, strict=True):
        if not is_joined:
            open_set = None
        if skipped and not all(alone):
            open_set = None
            continue
        # A run right before a word the corpus never writes qualifies it or acts on it (农村群众 of 农村群众吃水难, 防控
        # of 防控超重和肥胖): the other runs say what is asked about.
        if not every_word and len(runs) > 1 and after and _before_unwritten(run, after[0], flags, frequency):
            continue
        # A run never written whole may be written short (北京冬季奥林匹克运动会: 北京冬奥会): its short forms are the keys.
        shortened = [] if every_word or frequency("".join(run)) else _held_abbreviations(run, frequency, common)
        variants = [run] if every_word else _present_variants(run, frequency, common, names)
        keys = shortened or list(
            dict.fromkeys(key for v in variants if (key := _run_key(v, frequency, common, whole=every_word)))
        )
        # A name ending before the asked level's word may be given to places of other tiers too (旅游重点村).
        if not every_word and after and after[0] in level_words:
            keys = [
                (form, n)
                for k, n in keys
                for form in (_of_the_tier(k, level_words, frequency) if "".join(run).endswith(k) else [k])
            ]
        if not keys and (every_word or not any(w in names and _unheld_name(w, frequency) for w in run)):
            continue  # a common word may be worded otherwise (新楼 for 宿舍楼): the other runs carry the topic
        if open_set is not None:
            open_set.extend(keys)
        else:
            open_set = list(keys)
            sets.append(open_set)
    return sets


def _of_the_tier(key: str, level_words: frozenset[str], frequency: Callable[[str], int]) -> list[str]:
    """A name ending before the asked level's word that the corpus also gives places of another tier (旅游重点村 of
    乡村旅游重点|镇 when 哪些乡镇 asks): its forms with the asked tier's words that the corpus holds (旅游重点镇,
    旅游重点乡镇); the places hold it themselves, not a village of theirs. Else the key as it is (省域副中心)."""
    other_tiers = {word for tier in levels().tiers for word in tier.groups} - level_words
    if not any(frequency(key + word) for word in other_tiers):
        return [key]
    return [key + word for word in sorted(level_words, key=lambda w: (-len(w), w)) if frequency(key + word)] or [key]


def _before_unwritten(run: list[str], word: str, flags: dict[str, str], frequency: Callable[[str], int]) -> bool:
    """Whether the word after a run is a content word the corpus never writes that the run qualifies (农村群众|吃水难)
    or, an activity, acts on (防控|超重); not a verb after a thing, saying what was done with it (地方志|编修), nor a
    function word (之类)."""
    flag = flags.get(word, "")
    if len(word) < 2 or not CJK_RUN.fullmatch(word) or is_function_word(flag) or frequency(word):
        return False
    return not is_verb(flag) or all(flags.get(w) == "vn" for w in run)


# A name in quotation marks is Chinese characters, letters and digits (“两新”, “村BA”), lower-cased as the index holds it.
_QUOTED_NAME = re.compile(r"[\u3400-\u9fff0-9a-z]+")


def without_quoted_names(topic: str) -> tuple[str, list[str]]:
    """The topic without what it puts in quotation or title marks, and those names as the index holds them (村ba of
    “村BA”, 海峡两岸经济合作框架协议 of 《海峡两岸经济合作框架协议》): a name is one thing, its words alone are others."""
    names = [normalize_for_index(m.group(1)) for m in QUOTED.finditer(topic)]
    return QUOTED.sub(" ", topic), names


def _quoted_as_words(
    words: Sequence[tuple[str, str]], frequency: Callable[[str], int], common: float
) -> list[tuple[str, str]]:
    """The tagged words with each name in quotation marks that the corpus holds read as one name (“两新” is 两新, not
    两|新, whose 新 would make 新政策 of “两新”政策; “村BA” is 村ba, not ba of 县BA); a name it holds only without its
    first words, as so held when what is left opens with a noun that is not generic (框架协议 of
    《海峡两岸经济合作框架协议》; not 的意见 of 《关于加快发展银发经济的意见》, nor 规划纲要). Not a list in the marks
    (“稳就业、稳企业”)."""
    merged: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        if words[i][0] in OPENING_QUOTES:
            close = next((j for j in range(i + 1, len(words)) if words[j][0] in CLOSING_QUOTES), i)
            starts = [
                k
                for k in range(i + 1, close - 1)
                if k == i + 1 or (names_a_thing(words[k][1]) and 0 < frequency(words[k][0]) <= common)
            ]
            names = ("".join(w for w, _ in words[k:close]) for k in starts)
            whole = "".join(w for w, _ in words[i + 1 : close])
            if _QUOTED_NAME.fullmatch(whole) and (name := next((n for n in names if frequency(n)), None)):
                merged += [words[i], (name, "nz"), words[close]]
                i = close + 1
                continue
        merged.append(words[i])
        i += 1
    return merged


def _morphemes_joined(words: Sequence[tuple[str, str]], frequency: Callable[[str], int]) -> list[tuple[str, str]]:
    """The tagged words with each bound morpheme between a word and the topic's edge, punctuation or a conjunction
    joined to that word, and each suffix or one-character verb at that edge to the name before it, where the corpus
    writes them together (物|联网 → 物联网, 雾|霾 → 雾霾, 紧密|型 → 紧密型, 新农|合 → 新农合): jieba did not know the word. Not a morpheme between two words (国家|选|为,
    资源|往|乡镇), which may belong to either."""
    joined = list(words)

    def is_edge(at: int) -> bool:
        return not 0 <= at < len(joined) or joined[at][1].startswith(("x", "w")) or joined[at][0] in CONJUNCTIONS

    i = len(joined) - 1
    while i >= 0:
        word, flag = joined[i]
        if is_suffix(word, flag):
            host = i - 1
        elif is_bound_morpheme(word, flag):
            host = next((side for side, other in ((i - 1, i + 1), (i + 1, i - 1)) if is_edge(other)), None)
        elif len(word) == 1 and is_verb(flag) and i and joined[i - 1][1].startswith(NAME_TAGS) and is_edge(i + 1):
            host = i - 1  # a name's last character read as a verb (新农|合)
        else:
            host = None
        if host is None or is_edge(host) or is_function_word(joined[host][1]):
            i -= 1
            continue
        lo, hi = min(i, host), max(i, host)
        if frequency(whole := joined[lo][0] + joined[hi][0]):
            head = joined[host][1] if hi == host else BOUND_MORPHEME_HEADS.get(flag, joined[host][1])
            joined[lo : hi + 1] = [(whole, head)]
        i = lo - 1
    return joined


def _held_abbreviations(run: list[str], frequency: Callable[[str], int], common: float) -> list[tuple[str, int]]:
    """The short forms of a run, or of the run without its first words, that the corpus holds and that are not
    generic, with their counts; generic words at its edges are no part of a name (建设 of 建设|污水|处理厂, which is
    held once they are left out)."""
    end = len(run)
    while end > 0 and frequency(run[end - 1]) > common:
        end -= 1
    start = next((i for i in range(end) if frequency(run[i]) <= common), end)
    if frequency("".join(run[start:end])):
        return []  # written whole (污水处理厂 of 建设|污水|处理厂): the name itself
    # A generic word may open a name all the same (新型|冠状病毒|肺炎: 新冠肺炎): tried where the rest gives none.
    return _abbreviations_held(run[start:end], frequency, common) or (
        _abbreviations_held(run[:end], frequency, common) if start else []
    )


def _abbreviations_held(name: list[str], frequency: Callable[[str], int], common: float) -> list[tuple[str, int]]:
    if len(name) < 2 or frequency("".join(name)):
        return []
    # The words before a name may qualify it and be no part of its short form (海关|综合性|保税|园区: 综保区), unless
    # the rest is written whole: then it is the name (进口博览会 of 上海|国际|进口|博览会, not 进博会 alone).
    for first in range(len(name) - 1):
        if first and frequency("".join(name[first:])):
            return []
        if held := [(short, n) for short in abbreviated_forms(name[first:]) if 0 < (n := frequency(short)) <= common]:
            return held
    return []


def _unheld_name(word: str, frequency: Callable[[str], int]) -> bool:
    """Whether a word jieba tags a name is held by no passage, nor is any word inside it (毕卡索): then the topic is
    not there. jieba tags common nouns as names too (养老院 as a person's): one whose parts the corpus holds (养老) is
    worded otherwise (敬老院)."""
    import jieba

    return not frequency(word) and not any(
        frequency(p) for p in jieba.cut_for_search(word) if len(p) >= 2 and p != word
    )


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
        elif word not in names and not is_noun(word) and len(run) > 1 and i in (0, len(run) - 1):
            continue
        else:
            return []
    return [list(v) for v in itertools.product(*choices)] if choices else []


def _run_key(
    run: list[str], frequency: Callable[[str], int], common: float, whole: bool = False
) -> tuple[str, int] | None:
    if whole:
        # The shortest stretch of two words or more ending in the last noun that the corpus holds and that is not
        # generic (休闲农业 of 在发展休闲农业, 首发经济; 特色农业品牌 where 农业品牌 is generic); failing that, the
        # shortest it holds. A one-word run is its word.
        if len(run) == 1:
            return (run[0], n) if (n := frequency(run[0])) else None
        end = next((i for i in range(len(run) - 1, 0, -1) if is_noun(run[i])), None)
        if end is None:
            return None
        held = [(s, n) for s in ("".join(run[i : end + 1]) for i in range(end - 1, -1, -1)) if (n := frequency(s))]
        return next(((s, n) for s, n in held if n <= common), held[0] if held else None)
    counts = [frequency(w) for w in run]
    rarest = min(range(len(run)), key=counts.__getitem__)
    if counts[rarest] > common:
        # Every word is generic: the two-word span that occurs and ends in a noun says what the topic is (次中心, not
        # 医疗次: 次 is a classifier), a thing before an activity (美丽乡村, not 乡村建设), the last before others: a
        # Chinese noun phrase ends in its head (次中心 of 建设医疗次中心, though a large corpus holds 建设医疗 less often).
        pairs = [
            (not is_head(run[i + 1]), is_activity(run[i + 1]), -i, n, "".join(run[i : i + 2]))
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
    start, end = _across_generic_words(run, counts, start, end, frequency, common)
    # A key ends in the word a prefix qualifies, generic or not (省域副中心城市, not 省域副).
    while end < len(run) - 1 and qualifies_next(run[end]) and frequency("".join(run[start : end + 2])):
        end += 1
    phrase = "".join(run[start : end + 1])
    if end - start + 1 < len(run) and _names_one_place(phrase):
        # A division's name says who, not what (上海 of 上海合作组织): the shortest stretch around it the corpus holds,
        # one ending in a noun first.
        wider = [
            (not is_noun(run[j]), j - i, stretch, m)
            for i in range(start, -1, -1)
            for j in range(end, len(run))
            if (i, j) != (start, end) and (m := frequency(stretch := "".join(run[i : j + 1])))
        ]
        if wider:
            *_, stretch, m = min(wider)
            return stretch, m
    n = frequency(phrase)
    if n:
        return phrase, n
    # Words never written together: the stretch the corpus holds most often with the rarest word in it (the longest
    # of those), a name the topic qualifies (基孔|肯雅|热 of 基孔肯雅热疫情); else the last noun, the head of a Chinese
    # noun phrase (高速公路互通 → 互通), or a verb that ends the run and is its rarest word (长江禁渔 → 禁渔).
    held = [
        (n, len(stretch), stretch)
        for i in range(start, rarest + 1)
        for j in range(end, rarest - 1, -1)
        if j > i and (n := frequency(stretch := "".join(run[i : j + 1])))
    ]
    if held:
        n, _, stretch = max(held)
        return stretch, n
    head = next(
        (i for i in range(end, start - 1, -1) if is_head(run[i]) or i == end == rarest and is_verb_word(run[i])),
        rarest,
    )
    return run[head], counts[head]


def _across_generic_words(
    run: list[str], counts: list[int], start: int, end: int, frequency: Callable[[str], int], common: float
) -> tuple[int, int]:
    """A stretch of a run widened across generic words to the words not generic beyond them, as far as the corpus
    holds the wider stretch as written (黄河|国家|文化公园: 黄河国家文化公园, not 文化公园, of which there are several);
    not where it also writes them without the generic words (5A|级|旅游|景区: 5A景区 too, so 旅游 is no part of a name)."""
    stretch = "".join(run[start : end + 1])
    while True:
        before = next((i for i in range(start - 1, -1, -1) if counts[i] <= common), None)
        after = next((j for j in range(end + 1, len(run)) if counts[j] <= common), None)
        # Across generic words only where the corpus never writes the two sides without them.
        skipped_before = before is not None and before < start - 1 and frequency(run[before] + stretch)
        skipped_after = after is not None and after > end + 1 and frequency(stretch + run[after])
        if before is not None and frequency("".join(run[before : end + 1])) and not skipped_before:
            start = before
        elif after is not None and frequency("".join(run[start : after + 1])) and not skipped_after:
            end = after
        else:
            return start, end
        stretch = "".join(run[start : end + 1])


def subject_end(tagged: Sequence[tuple[str, str]], at_gap: bool = False) -> int:
    """Where the noun phrase a topic opens with ends, at its verb (卫生院|建成了…, 电商服务中心|被评为…), or with
    `at_gap` at a gap question analysis left where it took scaffolding out, a list verb most often (工会 金秋助学, of
    工会开展了金秋助学); 0 when the topic opens otherwise (在建设…) or holds nothing after it."""
    k = next((i for i, (_, flag) in enumerate(tagged) if not is_topic_word(flag, every_word=False)), len(tagged))
    # Verbal nouns alone before a verb are its predicate (建设|抽水蓄能电站), no subject.
    if k == 0 or k == len(tagged) or all(flag == "vn" for _, flag in tagged[:k]):
        return 0
    passive = tagged[k][1] == "p" and k + 1 < len(tagged) and is_verb(tagged[k + 1][1])
    return k if is_verb(tagged[k][1]) or passive or (at_gap and tagged[k][0].isspace()) else 0
