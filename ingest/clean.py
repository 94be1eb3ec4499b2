"""Cleaning of scraped report text: pinyin annotations, site boilerplate, mojibake, width and script."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_TONED_SYLLABLE = rf"[a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*"
# A pinyin syllable in parentheses: toned ones anywhere (鄉(xiāng), also after a mojibake `?`), untoned ones
# (們(men)) only right after a Chinese character, and the toned tail `fàn)` a broken decode left of one.
_PINYIN_ANNOTATION = re.compile(
    rf"[(（]{_TONED_SYLLABLE}[)）]"
    rf"|(?<=[\u3400-\u9fff])[(（][bcdfghjklmnpqrstwxyz]{{0,2}}[aeiouü][a-z]{{0,4}}[)）]"
    rf"|(?<=[?\ufffd]){_TONED_SYLLABLE}[)）]"
)

# What a page wrote for a space where a scraper kept markup or lost the character: HTML space entities (&nbsp;,
# &emsp; and the cut &ems), and runs of ? left by encoding a no-break space to GBK (县长????尤志敬).
_SPACE_STAND_IN = re.compile(
    r"&(?:nbsp|ensp|emsp|ems|#160|#x0*a0|#8194|#8195|#12288|#x3000);?"
    r"|(?<=[\u4e00-\u9fff\s])\?{2,}(?=[\u4e00-\u9fff\s])",
    re.IGNORECASE,
)

_URL = re.compile(r"(?:https?://|www\.)[\w./?=&%#-]+", re.IGNORECASE)

# Whole lines that are site furniture, not report text.
_BOILERPLATE_LINE = re.compile(
    r"""^(?:
        当前位置[:：].* | 您的位置[:：].* | 首页\s*>.* | .*\s>\s*$ |
        时间[:：]\s*\d{4}[-/]\d{1,2}[-/]\d{1,2}.* | 更新时间[:：].* | 发布时间[:：].* | 作者[:：].{0,20} |
        来源[:：].{0,30} | 点击数[:：]?.{0,10} | 浏览次数[:：]?.{0,10} | 本站原创 | 专题 | 导语[:：].* |
        触碰右侧展开 | 展开全文 | 展开 | 收起 | 阅读全文 | 上一篇.* | 下一篇.* | 返回顶部 | 打印本页 | 关闭窗口 |
        下载 | 打印 | 全屏 | 收藏 | 分享 | 加大 | 还原 | 减小 | [大中小] | [【】>] | 【字[号体][:：]? | 首页 |
        \d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)? |
        .*(?:版权|版權)(?:所有|归|屬|属).* | .*转载请注明.* | .*未经许可.* |
        .*小编.*(?:整理|收集|为大家|帮助) | .*希望(?:能够|能)?(?:对|帮助到)大家.* |
        .*(?:范文网|範文網|范文宝典|文秘网|写作网|公文网).*
    )$""",
    re.VERBOSE,
)
# Page-head furniture that survives line filtering: a row of toolbar words (下载 打印 分享:), a site section
# (云南要闻, 政务信息, 政府信息公开), a photo caption (…记者 李森 摄) or a timestamp in words.
_TOOLBAR_WORDS = "下载|打印|全屏|收藏|分享|字号|字体|加大|还原|减小|关闭|来源|作者|编辑|责任编辑|发表时间|发布时间|时间|日期|阅读量|浏览量|浏览次数|点击数|[大中小]"
_PAGE_FURNITURE = re.compile(
    rf"""^(?:
        (?:(?:{_TOOLBAR_WORDS})\s*[:：]?\s*|[【】|/>\s])+ |
        (?![一二三四五六七八九十\d(（]).{{0,8}}(?:要闻|新闻|资讯|动态|信息|信息公开|频道|专题) |
        .{{0,40}}(?:记者|摄影|通讯员).{{0,20}}\s摄 |
        \d{{4}}年\d{{1,2}}月\d{{1,2}}日\s*\d{{1,2}}[时:：]\d{{2}}分?
    )$""",
    re.VERBOSE,
)
# A label ending its line (来源: / 作者: / …来源：政府官网 阅读:): the short line after it is its value (四川日报, 147).
_BARE_LABEL = re.compile(r"^(?:.*\s)?(?:来源|作者|编辑|责任编辑|发布者|阅读|评论|点击|浏览)\s*[:：]$")

# A "相关文章" list ends a scraped page; everything from it on is links.
_RELATED_TAIL = re.compile(
    r"^(?:【.*】)?\s*(?:相关文章|相关推荐|相关阅读|猜你喜欢|热门文章|推荐阅读|延伸阅读)[:：]?\s*$"
)

# Characters that appear when GBK bytes were decoded as something else, plus the replacement character.
# Kana never occur in Chinese reports: in them they are GBK bytes read as another code page (奥毠さ目).
_MOJIBAKE_CHARS = re.compile(
    r"[\ufffd\u0080-\u009f\u00a0-\u00ff\u0100-\u024f\u02b0-\u02ff\u0370-\u03ff\u2500-\u259f\u3040-\u30ff\ue000-\uf8ff]"
)
_LATIN_TONED = re.compile(rf"[{_TONED}]")
_LATIN_LETTER = re.compile(rf"[a-zA-Z{_TONED}]")


def strip_pinyin_annotations(text: str) -> str:
    """`鄉(xiāng)鎮(zhèn)` → `鄉鎮`; real parentheses such as `(一)`, `(2010)` or `(試行)` stay."""
    return _PINYIN_ANNOTATION.sub("", text)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s").convert


def to_simplified(text: str) -> str:
    return _t2s()(text)


def normalize_width(text: str) -> str:
    """Fullwidth letters and digits to ASCII, odd spaces to plain ones, runs of blanks to one; CJK punctuation stays."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            out.append(chr(code - 0xFEE0))
        elif ch in "\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\t":
            out.append(" ")
        else:
            out.append(ch)
    return re.sub(r" {2,}", " ", "".join(out)).strip(" ")


# Unit symbols after a number, as their Chinese names: reports write 35KV and 35千伏 alike. Each is two characters
# for two, so offsets into the normalised text stay those of the original.
_UNIT_SYMBOLS = {"kv": "千伏", "kw": "千瓦", "mw": "兆瓦"}
_UNIT_SYMBOL = re.compile(rf"(?<=\d)(?:{'|'.join(_UNIT_SYMBOLS)})(?![a-z])")


def normalize_for_index(text: str) -> str:
    """The form used for lexical matching and comparison: NFKC, Simplified, lower case, unit symbols after a number
    as their Chinese names (35kv → 35千伏)."""
    lowered = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    return _UNIT_SYMBOL.sub(lambda m: _UNIT_SYMBOLS[m.group()], lowered)


def is_boilerplate(line: str) -> bool:
    """A line of site furniture: breadcrumbs, dates, copyright, reprint notes, UI text, site adverts."""
    text = to_simplified(strip_pinyin_annotations(line.strip()))
    if not text:
        return False
    if _URL.search(text) and (len(_URL.sub("", text)) < 40 or "版权" in text or "转载" in text):
        return True
    return bool(_BOILERPLATE_LINE.match(text))


def is_page_furniture(line: str) -> bool:
    """A line of a page's head that is site furniture rather than a title: toolbar words, a site section, a photo
    caption or a timestamp."""
    return bool(_PAGE_FURNITURE.match(to_simplified(line.strip())))


def is_bare_label(line: str) -> bool:
    return bool(_BARE_LABEL.match(to_simplified(line.strip())))


def is_related_articles_heading(line: str) -> bool:
    return bool(_RELATED_TAIL.match(to_simplified(strip_pinyin_annotations(line.strip()))))


def has_mojibake(text: str) -> bool:
    """Fragments such as `。ǘ┴撠` or U+FFFD left by a wrong decode; pinyin tone letters alone do not count."""
    # No-break space, 中国梦·劳动美 and ××镇 are ordinary report text.
    for m in _MOJIBAKE_CHARS.finditer(text):
        ch = m.group()
        if ch in "\u00a0·×":
            continue
        # A tone letter inside a Latin word is pinyin (xiāng); standing alone (ǘ20xx年) it is a stray byte.
        around = text[max(0, m.start() - 1) : m.start()] + text[m.end() : m.end() + 1]
        if _LATIN_TONED.match(ch) and _LATIN_LETTER.search(around):
            continue
        return True
    return False


def clean_line(line: str) -> tuple[str, list[int]]:
    """The display form of one source line (pinyin removed, width and blanks normalised, space entities and runs of
    ? a lost no-break space left between words read as a space, original script kept),
    with the offset in `line` of every character kept."""
    kept: list[tuple[str, int]] = []
    pos = 0
    skipped = sorted([*_PINYIN_ANNOTATION.finditer(line), *_SPACE_STAND_IN.finditer(line)], key=lambda m: m.start())
    for m in [*skipped, None]:
        end = m.start() if m else len(line)
        for i in range(pos, end):
            ch = normalize_width(line[i]) or " "
            if ch == " " and (not kept or kept[-1][0] == " "):
                continue
            kept.append((ch, i))
        if m and m.re is _SPACE_STAND_IN and kept and kept[-1][0] != " ":
            kept.append((" ", m.start()))
        pos = m.end() if m else len(line)
    while kept and kept[-1][0] == " ":
        kept.pop()
    return "".join(ch for ch, _ in kept), [i for _, i in kept]
