"""Articles and paragraphs of the real seed pages: compilations split, boilerplate and pinyin gone, offsets exact."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from ghqa.ingest.clean import clean_line, is_boilerplate, normalize_for_index
from ghqa.ingest.loaders import load_source
from ghqa.ingest.model import Article, SourceText
from ghqa.ingest.structure import build_articles, chinese_number, heading_level, source_lines

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEEDS = ["000", "001", "002", "003", "004"]
PINYIN_LEFT = re.compile(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)")


@cache
def seed(prefix: str) -> tuple[SourceText, str, list[Article]]:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    source = load_source(path)
    title, articles = build_articles(source, path.stem)
    return source, title, articles


def all_paragraphs(prefix: str):
    _, _, articles = seed(prefix)
    return [(a, p) for a in articles for p in a.paragraphs]


# --- articles -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "count"), [("000", 1), ("001", 3), ("002", 1), ("003", 15), ("004", 1)])
def test_article_count(prefix, count):
    _, _, articles = seed(prefix)
    assert len(articles) == count
    assert [a.number for a in articles] == list(range(1, count + 1))
    assert all(a.paragraphs for a in articles)


def test_compilation_articles_are_titled_and_in_order():
    _, title, articles = seed("003")
    assert title == "鄉鎮工會工作總結(匯編15篇)"
    assert [a.title for a in articles] == [f"鄉鎮工會工作總結{n}" for n in range(1, 16)]
    starts = [a.char_start for a in articles]
    assert starts == sorted(starts)
    # each article ends before the next one starts
    for a, b in zip(articles, articles[1:], strict=False):
        assert a.char_end <= b.char_start


_CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


def test_compilation_numbered_past_ten_in_chinese_splits_into_all_its_articles():
    text = "工会工作总结汇编\n" + "\n".join(f"【篇{n}】工会工作总结\n第{i}篇的正文。" for i, n in enumerate(_CN, 1))
    _, articles = build_articles(SourceText(text), "fallback")
    assert [a.title for a in articles] == [f"【篇{n}】工会工作总结" for n in _CN]
    assert [a.paragraphs[0].text for a in articles] == [f"第{i}篇的正文。" for i in range(1, 13)]


@pytest.mark.parametrize(
    ("raw", "number"),
    [("三", 3), ("十", 10), ("十一", 11), ("十二", 12), ("二十", 20), ("二十三", 23), ("九十九", 99)],
)
def test_chinese_number(raw, number):
    assert chinese_number(raw) == number


@pytest.mark.parametrize("raw", ["十十", "一二", "二十三四", "百", ""])
def test_chinese_number_rejects_malformed_numerals(raw):
    assert chinese_number(raw) is None


def test_three_part_compilation_drops_its_repeated_page_title():
    _, title, articles = seed("001")
    assert title == "工會2023上半年總結(精選3篇)"
    assert [a.title for a in articles] == [f"工會2023上半年總結 篇{n}" for n in (1, 2, 3)]
    assert all(p.text != title for _, p in all_paragraphs("001"))
    # the first paragraph of article 1 is its opening sentence, not the heading
    assert articles[0].paragraphs[0].text.startswith("20xx年,x街道總工會")


@pytest.mark.parametrize(
    ("prefix", "title"),
    [
        ("000", "司法局工會上半年工作總結"),
        ("002", "巴中市巴州区总工会2010年工作总结"),
        ("004", "区总工会2021年上半年工作总结和下半年工作打算"),
    ],
)
def test_single_report_title_is_clean_and_not_repeated_as_a_paragraph(prefix, title):
    _, doc_title, articles = seed(prefix)
    assert doc_title == title
    assert articles[0].title == title
    assert all(p.text != title for _, p in all_paragraphs(prefix))


# --- cleaning on the real pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", SEEDS)
def test_no_pinyin_annotation_survives(prefix):
    source, title, articles = seed(prefix)
    assert not PINYIN_LEFT.search(title)
    for a, p in all_paragraphs(prefix):
        assert not PINYIN_LEFT.search(p.text), (a.number, p.number, p.text[:40])
        assert not PINYIN_LEFT.search(a.title)


def test_the_seeds_do_carry_pinyin_annotations():
    """Guard for the test above: the raw pages really have annotations to remove."""
    assert PINYIN_LEFT.search(seed("000")[0].text)
    assert PINYIN_LEFT.search(seed("003")[0].text)


_BOILERPLATE_MARKS = [
    "当前位置",
    "當前位置",
    "版權",
    "版权",
    "转载请注明",
    "轉載請註明",
    "触碰右侧展开",
    "本站原创",
    "点击数",
]
_BOILERPLATE_MARKS += [
    "更新时间",
    "作者:佚名",
    "xiebitongdao",
    "時間:2022",
    "導語",
    "萬佳範文網",
    "相關文章",
    "相关文章",
]


@pytest.mark.parametrize("prefix", SEEDS)
def test_no_boilerplate_line_in_any_paragraph(prefix):
    for a, p in all_paragraphs(prefix):
        for mark in _BOILERPLATE_MARKS:
            assert mark not in p.text, (prefix, a.number, p.number, p.text[:40])
        assert p.text != "專題"
        assert not is_boilerplate(p.text)


def test_related_articles_tail_of_the_compilation_is_gone():
    source, _, articles = seed("003")
    tail_start = source.text.index("相關(guān)文章")
    last = articles[-1]
    assert last.char_end <= tail_start
    assert last.paragraphs[-1].text.startswith("三是鄉鎮(街道)工會的工作制度和運行機制要完善")
    # the list of links after the heading, e.g. "鄉鎮工會工作總結12-30"
    for _, p in all_paragraphs("003"):
        assert not re.fullmatch(r".{2,20}\d{2}-\d{2}", p.text), p.text


def test_site_introduction_of_the_compilation_is_gone():
    _, _, articles = seed("003")
    assert articles[0].paragraphs[0].text.startswith("一年來,我鄉工會工作")
    assert all("小編" not in p.text for _, p in all_paragraphs("003"))


# --- offsets ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", SEEDS)
def test_paragraph_offsets_point_at_the_paragraph_in_the_source(prefix):
    source, _, _ = seed(prefix)
    for _, p in all_paragraphs(prefix):
        raw = source.text[p.char_start : p.char_end]
        assert "\n" not in raw
        assert clean_line(raw)[0] == p.text
        assert len(p.offsets) == len(p.text)
        assert p.offsets[0] == p.char_start and p.offsets[-1] == p.char_end - 1
        assert normalize_for_index(p.text) == p.norm


@pytest.mark.parametrize("prefix", SEEDS)
def test_article_spans_cover_their_paragraphs(prefix):
    _, _, articles = seed(prefix)
    for a in articles:
        assert a.char_start == a.paragraphs[0].char_start
        assert a.char_end == a.paragraphs[-1].char_end
        numbers = [p.number for p in a.paragraphs]
        assert numbers == list(range(1, len(numbers) + 1))
        starts = [p.char_start for p in a.paragraphs]
        assert starts == sorted(starts)


def test_paragraphs_keep_their_own_script():
    # Traditional pages stay Traditional in the display text; the index form is Simplified.
    _, _, articles = seed("003")
    p = articles[6].paragraphs[0]
    assert p.text != p.norm
    assert "鎮" in "".join(q.text for q in articles[6].paragraphs)


# --- headings and section paths -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("一、主要工作完成情況", 1),
        ("十二、其他工作", 1),
        ("(一)政治引领不断深化", 2),
        ("（一）政治引领不断深化", 2),
        ("(十二)承擔鄉鎮黨委交辦的其他工作任務", 2),
        ("1、勞動競賽活動不斷深入", 3),
        ("10、做好了企業民主管理的指導工作。", 3),
        ("1.加强组织建设", 3),
        ("(1)新建工会组织", 4),
        ("（2）发展会员", 4),
        ("一是指導全鄉非公企業建會", 4),
        ("2010年,在区委和上级工会的正确领导下", None),
        ("1.5万元用于帮扶困难职工", None),
        ("半年以來,全市工會工作認真貫徹落實", None),
        ("(2010)年度工作", None),
    ],
)
def test_heading_level(line, level):
    assert heading_level(line) == level


def _paragraph(prefix: str, start: str):
    matches = [(a, p) for a, p in all_paragraphs(prefix) if p.text.startswith(start)]
    assert len(matches) == 1, (prefix, start, len(matches))
    return matches[0]


def test_section_path_under_a_top_level_heading():
    _, heading = _paragraph("000", "一、主要工作完成情況")
    assert heading.heading_level == 1
    assert heading.section_path == ["一、主要工作完成情況"]
    _, p = _paragraph("000", "1、勞動競賽活動不斷深入。")
    assert p.heading_level is None  # a numbered heading followed by its text is body
    assert p.section_path[0] == "一、主要工作完成情況"
    assert p.section_path == ["一、主要工作完成情況", "1、勞動競賽活動不斷深入"]
    # the next top-level heading replaces the whole path
    _, later = _paragraph("000", "二、存在的問題")
    assert later.section_path == ["二、存在的問題"]


def test_section_path_with_bracketed_sub_headings():
    _, p = _paragraph("004", "(一)政治引领不断深化。")
    assert p.section_path == ["一、思想引领更加有力", "(一)政治引领不断深化"]
    _, p = _paragraph("004", "(一)全面开展镇(街道)总工会换届工作。")
    assert p.section_path == ["二、组织建设不断夯实", "(一)全面开展镇(街道)总工会换届工作"]


def test_opening_paragraph_has_no_section():
    _, p = _paragraph("002", "2010年,在区委和上级工会的正确领导下")
    assert p.section_path == []
    assert p.heading_level is None


def test_nested_heading_levels_of_all_kinds():
    text = "\n".join(
        [
            "某镇总工会2022年工作总结",
            "一、组织建设",
            "（一）建会工作",
            "1、非公企业",
            "(1)新建工会",
            "本年度新建非公企业工会12家,发展会员300人。",
            "一是规范建会程序",
            "严格按照规定程序组建工会。",
            "(二)会员发展",
            "全年发展会员500人。",
            "二、维权工作",
            "全年调处劳动争议15起。",
        ]
    )
    _, articles = build_articles(SourceText(text), "x")
    (article,) = articles
    by_text = {p.text: p for p in article.paragraphs}
    assert [by_text[t].heading_level for t in ["一、组织建设", "（一）建会工作", "1、非公企业", "(1)新建工会"]] == [
        1,
        2,
        3,
        4,
    ]
    assert by_text["一是规范建会程序"].heading_level == 4
    assert by_text["本年度新建非公企业工会12家,发展会员300人。"].section_path == [
        "一、组织建设",
        "（一）建会工作",
        "1、非公企业",
        "(1)新建工会",
    ]
    # 一是 is at the level of (1), so it replaces it
    assert by_text["严格按照规定程序组建工会。"].section_path == [
        "一、组织建设",
        "（一）建会工作",
        "1、非公企业",
        "一是规范建会程序",
    ]
    # (二) closes (一) and everything under it
    assert by_text["全年发展会员500人。"].section_path == ["一、组织建设", "(二)会员发展"]
    assert by_text["全年调处劳动争议15起。"].section_path == ["二、维权工作"]


def test_source_lines_skip_boilerplate_and_stop_at_related_articles():
    text = "\n".join(
        [
            "當前位置:某某範文網 >",
            "鄉(xiāng)鎮(zhèn)工會工作總結",
            "時(shí)間:2022-04-24 05:55:00",
            "一年來,我鎮工會工作穩步推進。",
            "【鄉(xiāng)鎮(zhèn)工會工作總結】相關(guān)文章:",
            "鄉鎮工會工作總結12-30",
        ]
    )
    lines = source_lines(SourceText(text))
    assert [ln.text for ln in lines] == ["鄉鎮工會工作總結", "一年來,我鎮工會工作穩步推進。"]
    assert text[lines[1].start : lines[1].end] == "一年來,我鎮工會工作穩步推進。"


def test_a_page_of_only_boilerplate_has_no_articles():
    text = "當前位置:某某範文網 >\n作者:佚名\n点击数:\n触碰右侧展开\n"
    _, articles = build_articles(SourceText(text), "fallback")
    assert articles == []
