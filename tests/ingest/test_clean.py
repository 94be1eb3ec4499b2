"""Cleaning of scraped lines: pinyin annotations, site boilerplate, mojibake, offsets and script normalisation."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from ghqa.ingest.clean import (
    clean_line,
    has_mojibake,
    is_boilerplate,
    is_related_articles_heading,
    normalize_for_index,
    normalize_width,
    strip_pinyin_annotations,
)

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def seed_line(prefix: str, needle: str) -> str:
    """The one raw line of a seed file (named by its number prefix) that contains needle."""
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if needle in line]
    assert len(lines) == 1, (prefix, needle, lines)
    return lines[0]


# --- pinyin annotations -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("鄉(xiāng)鎮(zhèn)", "鄉鎮"),
        ("鄉(xiāng)鎮(zhèn)工會工作總結(jié)(匯編15篇)", "鄉鎮工會工作總結(匯編15篇)"),
        ("時(shí)間", "時間"),
        ("工會(huì)", "工會"),
        ("我們(men)", "我們"),  # toneless syllable
        ("鄉（xiāng）鎮（zhèn）", "鄉鎮"),  # fullwidth brackets
        ("關(guān)於", "關於"),
    ],
)
def test_pinyin_annotations_are_removed(raw, expected):
    assert strip_pinyin_annotations(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "(一)政治引領不斷深化",
        "（一）政治引领不断深化",
        "巴州区总工会(2010)年度",
        "《基層工會規範化建設考核管理辦法(試行)》",
        "鄉鎮(街道)工會",
        "市總工會三屆二次全委(擴大)會議",
        "(1)新建工会",
        "中國夢(China Dream)",
        "QC(quality)小组",  # after Latin letters, not after a Chinese character
    ],
)
def test_real_parentheses_stay(text):
    assert strip_pinyin_annotations(text) == text


def test_seed_title_loses_all_annotations():
    raw = seed_line("003", "(匯編15篇)")
    assert strip_pinyin_annotations(raw) == "鄉鎮工會工作總結(匯編15篇)"


# --- boilerplate --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "needle"),
    [
        ("000", "2022-04-24 05:55:00"),  # 時(shí)間:2022-04-24 …, with pinyin annotations
        ("000", "一文來源于網(wǎng)友上傳"),  # 導(dǎo)語:…
        ("001", "當前位置"),
        ("001", "工作總結 >工會工作總結 >"),
        ("001", "轉載請註明"),  # • 文章版權屬於文章作者所有,轉載請註明 URL
        ("002", "作者:佚名"),
        ("002", "本站原创"),
        ("002", "点击数:"),
        ("002", "更新时间:2011/07/12"),
        ("002", "触碰右侧展开"),
        ("004", "携笔同道公文写作范文宝典:www.xiebitongdao.com区"),
    ],
)
def test_seed_boilerplate_lines_are_recognised(prefix, needle):
    assert is_boilerplate(seed_line(prefix, needle))


@pytest.mark.parametrize(
    "line",
    [
        "專題",
        "专题",
        "携笔同道公文写作范文宝典:www.xiebitongdao.com",
        "時間:2022-04-24 05:55:00",
        "导语:某某工会工作总结一文来源于网友上传",
        "当前位置:首页 > 工作总结",
        "作者:佚名",
    ],
)
def test_short_boilerplate_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    ("prefix", "needle"),
    [
        ("000", "半年以來,全市工會(huì)工作"),
        ("000", "一、主要工作完成情況"),
        ("001", "20xx年,x街道總工會按照黨的羣眾路線"),
        ("002", "2010年,在区委和上级工会的正确领导下"),
        ("002", "一、融入全区大局,在服务经济发展上有新作为。"),
        ("003", "2、不斷完善工會組織管理體制。借縣總工會"),  # mentions 相關(guān)政策
        ("003", "總結(jié)如下:"),
        ("004", "党的十九大精神和习近平总书记关于工会工作的重要论述"),
        ("004", "(一)政治引领不断深化。"),
    ],
)
def test_seed_report_lines_are_not_boilerplate(prefix, needle):
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    lines = path.read_text(encoding="utf-8").split("\n")
    matching = [line for line in lines if needle in line]
    assert matching, needle
    for line in matching:
        assert not is_boilerplate(line), line


@pytest.mark.parametrize(
    "line",
    [
        "区总工会组织开展专题培训,参训人员达200人次。",
        "时间紧、任务重,工会干部克服困难,按时完成了各项任务。",
        "来源于职工的合理化建议共采纳52条,创造经济效益300余万元。",
        "作者认为基层工会建设仍需加强,要进一步完善制度。",
        "",
    ],
)
def test_report_sentences_with_boilerplate_words_are_kept(line):
    assert not is_boilerplate(line)


def test_related_articles_heading_of_the_seed_is_recognised():
    # 【鄉(xiāng)鎮(zhèn)工會工作總結(jié)】相關(guān)文章: — the annotation sits inside 相關文章
    assert is_related_articles_heading(seed_line("003", "文章:"))
    assert is_related_articles_heading("相关文章")
    assert is_related_articles_heading("【工会工作总结】相关文章：")


@pytest.mark.parametrize(
    "line",
    ["鄉鎮工會工作總結12-30", "相关文章显示,工会经费使用规范。", "借縣總工會出臺的有關工會經費相關政策的東風"],
)
def test_lines_mentioning_related_are_not_the_related_heading(line):
    assert not is_related_articles_heading(line)


# --- mojibake -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["工会。ǘ┴撠工作", "改革的精\ufffd", "\ufffd工會統一管理", "å·¥ä¼š", "其面向?qū)ο鬄猷l(xiān)"]
)
def test_mojibake_is_detected(text):
    assert has_mojibake(text)


@pytest.mark.parametrize(
    "text",
    [
        "2010年,在区委和上级工会的正确领导下,全区各级工会以科学发展观为指导。",
        "鄉鎮工會工作總結(匯編15篇)",
        "“中国梦·劳动美——做新时代垦荒者”X区职工文艺展演",
        "我們將××花炮廠等家公司",
        "QC小组,Office 2010,5%~10%",
        "xiāng zhèn",  # tone letters alone are pinyin, not a broken decode
    ],
)
def test_clean_text_is_not_mojibake(text):
    assert not has_mojibake(text)


# --- clean_line offsets -------------------------------------------------------------------------------------------


def test_clean_line_removes_pinyin_and_keeps_offsets():
    text, offsets = clean_line("鄉(xiāng)鎮(zhèn)工會")
    assert text == "鄉鎮工會"
    assert offsets == [0, 8, 15, 16]


def test_space_entities_and_runs_of_question_marks_a_lost_space_left_read_as_a_space():
    text, offsets = clean_line("唐县人民政府县长????尤志敬&nbsp;&emsp;报告")
    assert text == "唐县人民政府县长 尤志敬 报告"
    assert offsets[8:10] == [8, 12]  # the space stands where the ? began; 尤 is where it was
    assert clean_line("&nbsp; 现在，我代表")[0] == "现在，我代表"
    assert clean_line("鄉(xiāng)鎮&nbsp;工會")[0] == "鄉鎮 工會"
    assert clean_line("县长&#8195;尤志敬")[0] == "县长 尤志敬"
    # A ? as written, and a run of them that stands for no space between words, stay.
    assert clean_line("是否完成?")[0] == "是否完成?"
    assert clean_line("难道不是吗??")[0] == "难道不是吗??"


def test_clean_line_normalises_width_and_blanks():
    raw = "\u3000\u3000２０１０年，ＡＢＣ  公司\t"
    text, offsets = clean_line(raw)
    assert text == "2010年，ABC 公司"
    assert [raw[i] for i in offsets][:4] == ["２", "０", "１", "０"]


def _same_char(kept: str, raw: str) -> bool:
    return kept == raw or kept == unicodedata.normalize("NFKC", raw) or (kept == " " and raw.isspace())


def test_clean_line_offsets_point_at_the_same_characters_in_every_seed_line():
    checked = 0
    for path in sorted(CORPUS.glob("*.txt")):
        for raw in path.read_text(encoding="utf-8").split("\n"):
            text, offsets = clean_line(raw)
            assert len(text) == len(offsets)
            assert offsets == sorted(set(offsets)), "offsets must increase"
            for ch, i in zip(text, offsets, strict=True):
                assert _same_char(ch, raw[i]), (path.name, raw[:30], ch, raw[i])
            checked += len(text)
            # the kept characters are exactly the line without its annotations, blanks squeezed
            expected = "".join(normalize_width(c) for c in strip_pinyin_annotations(raw))
            assert text.replace(" ", "") == expected.replace(" ", "")
    assert checked > 40_000


# --- normalisation for the index ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("鄉鎮工會工作總結", "乡镇工会工作总结"),
        ("勞動競賽活動不斷深入", "劳动竞赛活动不断深入"),
        ("巴州區總工會", "巴州区总工会"),
        ("ＡＢＣ２０２１", "abc2021"),
        ("X区总工会", "x区总工会"),
        ("李庄35KV变电站增容", "李庄35千伏变电站增容"),
        ("1.5MW光伏电站", "1.5兆瓦光伏电站"),
        ("KV值、5kWh", "kv值、5kwh"),
    ],
)
def test_normalize_for_index(raw, expected):
    assert normalize_for_index(raw) == expected


def test_a_unit_symbol_keeps_the_offsets_of_the_original():
    # Evidence sentences are cut from the original text at offsets found in the normalised one.
    raw = "完成李庄35KV变电站增容工程"
    norm = normalize_for_index(raw)
    start = norm.index("变电站")
    assert raw[start : start + 3] == "变电站"


def test_traditional_and_simplified_meet_in_the_index_form():
    assert normalize_for_index("逍林鎮總工會") == normalize_for_index("逍林镇总工会")


@pytest.mark.parametrize("line", ["下载", "打印", "全屏", "收藏", "【字号：", "】", "首页", "2026-02-03 09:02:33"])
def test_site_toolbar_lines_of_government_portals_are_boilerplate(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ["大力发展大湾区建设。", "2026年上海市政府工作报告", "中小企业服务"])
def test_report_lines_beside_toolbar_words_are_kept(line):
    assert not is_boilerplate(line)


def test_a_tone_letter_standing_alone_is_mojibake_but_pinyin_is_not():
    assert has_mojibake("ǘ20xx年至今,全區各鄉鎮工會")
    assert has_mojibake("關心職工生活!奥毠さ目,就是我們的苦")
    assert not has_mojibake("鄉(xiāng)鎮(zhèn) 愛(ài)")
