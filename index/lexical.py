"""Segmentation for the FTS5 lexical index, and safe MATCH expressions built from a user's words."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

CJK = re.compile(r"[\u3400-\u9fff]")
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_TOKEN = re.compile(r"[\u3400-\u9fff]+|[0-9a-z]+(?:\.[0-9]+)?")
# Spaces between two CJK characters (scraped and PDF text): the words run on across them.
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) +(?=[\u3400-\u9fff])")
# Quotation and title marks around a name the text goes on after (“十四五”规划, 「三北」工程, 《民法典》宣传): a
# phrase is held across them, as someone typing 十四五规划 expects.
OPENING_QUOTES = "“‘「『《〈〝"
CLOSING_QUOTES = "”’」』》〉〞"
QUOTE_MARKS = OPENING_QUOTES + CLOSING_QUOTES + "\"'"
_QUOTES = re.compile("[" + re.escape(QUOTE_MARKS) + "]")

# Words too common in this genre to say anything about a passage.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "在",
        "是",
        "对",
        "为",
        "把",
        "被",
        "并",
        "等",
        "将",
        "以",
        "也",
        "都",
        "而",
        "或",
        "其",
        "之",
        "这",
        "那",
        "有",
        "个",
        "中",
        "上",
        "下",
        "年",
        "月",
        "日",
        "我们",
        "工作",
        "开展",
        "进行",
        "加强",
    ]
)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def segment(norm: str) -> list[str]:
    """Words of a normalised (Simplified, lower-case) text: jieba's search-mode words plus character bigrams.

    Bigrams catch names jieba does not know (马过河镇, 帝利斯); words keep ranking sharp on common terms.
    """
    jieba = _jieba()
    tokens: list[str] = []
    for run in _TOKEN.findall(_CJK_GAP.sub("", norm.lower())):
        if CJK.match(run):
            tokens.extend(w for w in jieba.cut_for_search(run) if w not in STOPWORDS)
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


def phrase_bigrams(phrase: str) -> list[str]:
    """The two-character words jieba finds in a phrase's CJK runs (search mode: 菜篮, 篮子, 工程 of 菜篮子工程): each is
    a token of every chunk holding the phrase, also where the text puts quotation marks between its words
    (“菜篮子”工程; the lexical index holds no bigram across a mark, 子工)."""
    runs = CJK_RUN.findall(_CJK_GAP.sub("", without_quotes(phrase.lower())))
    return list(dict.fromkeys(w for run in runs for w in _jieba().cut_for_search(run) if len(w) == 2))


def without_quotes(text: str) -> str:
    return _QUOTES.sub("", text)


def phrase_needle(phrase: str) -> str:
    """A phrase as it is looked for: without spaces, and, unless it is all letters and digits (xi'an), without
    quotation marks, which the text may hold or not."""
    kept = phrase.strip(QUOTE_MARKS + " ") if phrase.isascii() else without_quotes(phrase)
    return kept.replace(" ", "")


def holds_phrase(norm: str, phrase: str) -> bool:
    """Whether a normalised text holds a normalised phrase, spaces and quotation marks ignored; a phrase that begins
    or ends in a letter or digit only as a whole token there (6g is not in 16g, ai not in openai, 5亿元 not in
    2.5亿元)."""
    return phrase_span(norm, phrase) is not None


def phrase_span(norm: str, phrase: str) -> tuple[int, int] | None:
    """Where a normalised text holds a normalised phrase first (see holds_phrase), as offsets into the text."""
    needle = phrase_needle(phrase)
    if not needle:
        return None
    if not has_ascii_edge(needle) and " " not in norm and not _QUOTES.search(norm):
        # Nothing between characters to look past.
        return (at, at + len(needle)) if (at := norm.find(needle)) >= 0 else None
    match = _bounded(needle).search(norm)
    return match.span() if match else None


def phrase_spans(norm: str, phrase: str) -> list[tuple[int, int]]:
    """Everywhere a normalised text holds a normalised phrase (see holds_phrase), in order, none overlapping."""
    needle = phrase_needle(phrase)
    return [m.span() for m in _bounded(needle).finditer(norm)] if needle else []


def has_ascii_edge(phrase: str) -> bool:
    """Whether a phrase begins or ends in a letter or digit, where a longer token can hold it (6g in 16g)."""
    return any(c.isascii() and c.isalnum() for c in (phrase[0], phrase[-1]))


@lru_cache(maxsize=1024)
def _bounded(needle: str) -> re.Pattern[str]:
    """The needle with spaces (and for a phrase not all ASCII, quotation marks) allowed between its characters, and
    a whole token where it begins or ends in a letter or digit (not the decimals of 2.5; 2024 of 2024.3 is a year)."""
    ascii_edge = r"(?<![0-9a-z])(?<![0-9]\.)", r"(?![0-9a-z])"
    before = ascii_edge[0] if needle[0].isascii() and needle[0].isalnum() else ""
    after = ascii_edge[1] if needle[-1].isascii() and needle[-1].isalnum() else ""
    gap = "[ ]*" if needle.isascii() else "[ " + re.escape(QUOTE_MARKS) + "]*"
    return re.compile(before + gap.join(map(re.escape, needle)) + after)


def jieba_words(norm: str) -> list[str]:
    """jieba's words of a normalised text, each once in its reading (中山东路: 中山, 东路; no 山东)."""
    return list(_jieba().cut(norm))


def index_tokens(norm: str) -> str:
    """The space-separated token string stored in chunks_fts for a chunk's normalised text."""
    return " ".join(segment(norm))


def match_expression(terms: list[str]) -> str | None:
    """An FTS5 MATCH expression that ORs the words of each term (normalised text, segmented term by term, so a
    query's chosen tokens keep their own sub-words and never run into each other), quoted so no user text is FTS
    syntax."""
    seen: dict[str, None] = {}
    for term in terms:
        for token in segment(term):
            seen.setdefault(token, None)
    if not seen:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in seen)
