"""Per-article metadata of the real seed pages: issuing unit, places, year, period and level."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from ghqa.ingest.loaders import load_source
from ghqa.ingest.metadata import (
    STATE_COUNCIL,
    admin_level,
    describe_article,
    issuing_unit,
    report_period,
    report_year,
    report_years_named,
    unit_rank,
)
from ghqa.ingest.model import Article
from ghqa.ingest.places import divisions_named, find_places
from ghqa.ingest.structure import build_articles

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@cache
def articles(prefix: str) -> list[Article]:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    _, found = build_articles(load_source(path), path.stem)
    for article in found:
        describe_article(article)
    return found


def article(prefix: str, number: int) -> Article:
    found = articles(prefix)[number - 1]
    assert found.number == number
    return found


@pytest.mark.parametrize(
    ("prefix", "number", "unit", "level"),
    [
        ("003", 5, "马过河镇", "镇"),
        ("003", 6, "宗汉街道", "街道"),  # says only 本街道; the name comes from 实力宗汉、活力宗汉
        ("003", 7, "逍林镇", "镇"),
        ("002", 1, "巴州区", "区"),
        ("004", 1, "X区", "区"),
        ("001", 1, "x街道", "街道"),
        ("003", 1, None, "乡"),  # says 我乡 and names only its superior, XX县总工会
        ("003", 3, "xx镇", "镇"),
    ],
)
def test_issuing_unit(prefix, number, unit, level):
    a = article(prefix, number)
    assert a.unit == unit
    assert a.level == level


@pytest.mark.parametrize(
    ("prefix", "number", "parent"),
    [("002", 1, "巴中市"), ("003", 7, "慈溪市"), ("003", 5, "马龙区"), ("003", 3, "崇州市")],
)
def test_unit_parent_from_the_gazetteer_or_from_the_text(prefix, number, parent):
    # 逍林镇's parent is the gazetteer's; xx镇 is anonymised, so its parent is the county-level city the text names.
    assert article(prefix, number).unit_parent == parent


def test_a_former_township_is_the_unit_with_its_county():
    # 出江镇 was merged in 2019 (NBS editions 2016–2019 list it under 大邑县, 510129); its report opens
    # "出江鎮工會聯合會在縣總工會…" and names no county. The former gazetteer makes it a verified unit and a place.
    a = article("003", 13)
    assert (a.unit, a.level, a.unit_parent) == ("出江镇", "镇", "大邑县")
    assert a.places == ["出江镇"]
    unit = issuing_unit("工会工作总结", ["20xx年,出江镇工会联合会在县总工会的领导下，结合我镇实际开展工作。"])
    assert unit is not None and (unit.name, unit.parent, unit.former) == ("出江镇", "大邑县", "2016–2019")
    assert unit.code == "510129106@2019" and not unit.anonymised


def test_a_unit_in_neither_gazetteer_is_kept_only_when_the_report_names_itself():
    # 青岭镇 is neither a current nor a former division, but a report opening "青岭镇工会联合会在…" and saying 我镇
    # names itself: kept as its unit, unverified (no code), and never a place.
    assert divisions_named("青岭镇") == []
    opening = "20xx年,青岭镇工会联合会在县总工会的领导下，结合我镇实际开展工作。"
    unit = issuing_unit("工会工作总结", [opening])
    assert unit is not None and (unit.name, unit.code, unit.anonymised, unit.former) == ("青岭镇", None, False, "")
    assert find_places(opening) == []
    # Without a self-reference of that kind, or inside running text, no unit is made up.
    assert issuing_unit("工会工作总结", ["20xx年,青岭镇工会联合会在县总工会的领导下开展工作。"]) is None
    assert issuing_unit("工会工作总结", ["我镇与邻近的青岭镇工会联合开展活动。"]) is None


def test_unit_is_in_simplified_even_for_traditional_pages():
    # 003 is written in Traditional characters (逍林鎮); units are stored in one script.
    (path,) = CORPUS.glob("003_*.txt")
    assert "逍林鎮" in path.read_text(encoding="utf-8")
    assert article("003", 7).unit == "逍林镇"


@pytest.mark.parametrize(
    ("prefix", "number", "year", "period"),
    [
        ("002", 1, "2010", None),
        ("004", 1, "2021", "上半年"),
        ("001", 1, "20xx", "上半年"),  # anonymised year, title says 上半年
        ("003", 13, "20xx", "全年"),
    ],
)
def test_year_and_period(prefix, number, year, period):
    a = article(prefix, number)
    assert a.year == year
    assert a.period == period


def test_places_are_listed_once_each_in_order_of_appearance():
    a = article("002", 1)
    assert "巴中市" in a.places and "巴州区" in a.places
    assert a.places.index("巴中市") < a.places.index("巴州区")
    assert len(a.places) == len(set(a.places))
    for name in articles("003"):
        assert len(name.places) == len(set(name.places))


def test_anonymised_places_are_found_in_the_reports():
    assert "X区" in article("004", 1).places
    assert "xx镇" in article("003", 8).places
    assert "x街道" in article("001", 1).places


def unit_name(title: str, paragraphs: list[str]) -> str | None:
    unit = issuing_unit(title, paragraphs)
    return unit.name if unit else None


def test_issuing_unit_from_the_title():
    assert unit_name("马过河镇总工会2019年工作总结", ["一年来,在镇党委的领导下。"]) == "马过河镇"


def test_issuing_unit_from_a_file_name_title_outweighs_a_common_word_the_text_repeats():
    # 惠民 of 惠民生 is also 惠民县's short form; the page is titled by its file name, 2018_易县.
    paragraphs = ["各位代表：", "坚持惠民生、补短板。", "落实惠民政策，惠民生工程全面完成。"]
    assert issuing_unit("2018_易县", paragraphs).name == "易县"


def test_a_page_titled_by_a_mislabelled_file_name_gets_the_unit_its_text_speaks_for():
    from ghqa.ingest.model import SourceText

    def described(text: str, file_name: str) -> Article:
        _, (found,) = build_articles(SourceText(text), file_name)
        describe_article(found, file_name)
        return found

    # The spreadsheet filed 新安县's report (洛阳市, 河南省) as 安新县's, whose name the text never writes.
    report = (
        "各位代表：\n现在，我代表县人民政府，向大会报告工作。\n"
        "新安成功入选全国县域旅游发展潜力百佳县，新安经开区获评省级先进开发区。\n"
        "五头镇入选全国乡村特色产业产值超十亿元镇，完成洛阳市下达的各项任务，新安高质量发展迈出坚实步伐。"
    )
    found = described(report, "2024_安新县")
    assert (found.unit, found.unit_parent) == ("新安县", "洛阳市")
    # A common word read as a place, with no division above it named, leaves the file's unit; so does a partner
    # county, named once, under the file's own prefecture.
    speaker = "各位代表：\n现在，我代表县人民政府，向大会报告工作。\n"
    assert described(speaker + "坚持惠民生、补短板。\n落实惠民政策，惠民生工程全面完成。", "2018_易县").unit == "易县"
    assert described(speaker + "完成保定市下达的任务。\n与高阳县联合治理潴龙河。", "2019_蠡县").unit == "蠡县"
    # A text naming the file's unit keeps it.
    assert described(report + "\n安新县城建设加快。", "2024_安新县").unit == "安新县"


def test_the_year_comes_from_the_file_name_when_title_and_text_give_none():
    from ghqa.ingest.model import SourceText
    from ghqa.ingest.structure import build_articles

    # The page opens with its speaker: the title read is his line, which names no year.
    _, (article,) = build_articles(
        SourceText("易县人民政府县长刘杰\n各位代表：\n现在，我代表县人民政府报告工作。"), "x"
    )
    describe_article(article, "2017_易县")
    assert article.year == "2017"


def test_issuing_unit_is_the_place_named_before_the_union_even_after_an_earlier_mention():
    title = "工会工作总结"
    assert unit_name(title, ["马过河镇与逍林镇交流，逍林镇总工会召开座谈会。"]) == "逍林镇"
    # the same in the body fallback, where the more often named 马过河镇 would otherwise win
    body = [
        "今年,我镇工会工作稳步推进。",
        "一年来。",
        "一年来。",
        "马过河镇来访。",
        "马过河镇与逍林镇交流，逍林镇工会组织竞赛。",
    ]
    assert unit_name(title, body) == "逍林镇"


def test_issuing_unit_from_self_references_and_counts():
    body = ["今年,我镇工会工作稳步推进。", "逍林镇总工会组织开展劳动竞赛。", "全镇共有基层工会50家。"]
    assert unit_name("乡镇工会工作总结", body) == "逍林镇"


def test_a_county_named_once_in_a_slogan_is_not_the_unit_a_report_keeps_naming():
    # 产业化富县 ("industry enriches the county") names 富县 of 延安市 once; the report says 清苑 everywhere and
    # 清苑县 (1980–2014, now 清苑区) is a former division.
    body = ["现在，我代表县政府向大会作工作报告。", "建设经济强县、和谐清苑，实施工业立县、产业化富县战略。"]
    body += ["清苑的后发优势逐渐显现。", "深入挖掘清苑历史、文化内涵。", "全县经济稳步增长。"]
    unit = issuing_unit("政府工作报告", body)
    assert unit is not None and (unit.name, unit.parent, unit.former) == ("清苑县", "保定市", "1980–2014")


def test_a_county_named_for_a_partnership_is_not_the_unit_of_a_report_naming_its_own_short_form_throughout():
    body = [
        "现在，我代表县政府向大会报告工作。",
        "与新疆和静县签订对接合作框架协议。",
        "加大与新疆和静县服装产业对接合作。",
    ]
    body += ["全国十佳服装设计师签约容城。", "平安容城建设扎实推进。", "打造生态容城。", "今日的容城站在新的起点。"]
    body += ["全县经济稳步增长。"]
    unit = issuing_unit("政府工作报告", body)
    assert unit is not None and (unit.name, unit.parent) == ("容城县", "保定市")


def test_the_kind_the_speaker_speaks_for_outweighs_rankings_within_the_superior():
    # A county's report that lost its title: 全市 (rankings: 居全市第一) outnumbers 全县, but the speaker speaks for
    # the county, so the unit is the county the report keeps naming, not the city above it.
    body = ["各位代表：", "现在，我谨代表县人民政府，向大会报告工作。", "主要指标居全市第一，全市前列，全市领先。"]
    body += ["积极承接洛阳中心城区产业转移。", "全景新安建设加快。", "新安经开区获评绿色园区。", "魅力新安。"]
    body += ["全县经济稳步增长。"]
    unit = issuing_unit("report4", body)
    assert unit is not None and (unit.name, unit.parent) == ("新安县", "洛阳市")
    # A guest speaking for the county is not the speaker of a township union's report.
    body = ["今天召开镇工会第三次会员代表大会，县总工会副主席代表县总工会致辞。"]
    body += ["在曲阳县总工会的领导下，羊平镇工会扎实开展工作。", "我镇工会全年慰问职工百人。", "全镇职工积极参与。"]
    unit = issuing_unit("工作总结", body)
    assert unit is not None and unit.name == "羊平镇"


def test_no_unit_when_no_place_is_named():
    assert unit_name("工会工作总结", ["一年来,各项工作稳步推进。"]) is None


def test_year_period_and_level_helpers():
    assert report_year("区总工会2021年上半年工作总结", []) == "2021"
    assert report_year("工作总结", ["20XX年,我镇工会"]) == "20xx"
    assert report_year("工作总结", ["今年以来"]) is None
    # A title that is the file's name: its year, not the year the report looks back on.
    assert report_year("2024_新安县", ["一、2023年工作回顾"]) == "2024"
    assert report_year("新安县", ["一、2023年工作回顾"]) == "2023"
    assert report_year("第2024号文件", []) is None
    assert report_year("2023年工作总结_2024", []) == "2023"  # the title's own year comes first
    assert report_year("新安县 2024", ["一、2023年工作回顾"]) == report_year("2024.新安县", []) == "2024"
    assert report_year("完成投资 2000 万元", []) is None
    assert report_period("2021年上半年工作总结", []) == "上半年"
    assert report_period("2021年度工作总结", []) == "全年"
    assert report_period("工作总结", ["一年来,我乡工会"]) == "全年"
    assert report_period("工作总结", []) is None
    assert admin_level(issuing_unit("宗汉街道总工会", []), []) == "街道"
    assert admin_level(issuing_unit("巴州区总工会", []), []) == "区"
    assert admin_level(None, ["我乡工会", "全乡职工", "我乡"]) == "乡"
    assert admin_level(None, ["工会工作"]) is None


def test_a_year_before_the_place_is_not_part_of_its_name():
    assert unit_name("2026年上海市政府工作报告", []) == "上海市"


def test_provincial_report_unit_from_the_congress_line_when_the_title_names_none():
    opening = ["——2026年1月26日在广东省第十四届", "人民代表大会第五次会议上", "广东省省长 孟凡利", "各位代表："]
    assert unit_name("政府工作报告", opening) == "广东省"
    # 港澳大湾区 and 际科技大市 are not divisions, so they can never be the unit.
    assert unit_name("政府工作报告", ["推进粤港澳大湾区建设，全省上下", "建设国际科技大市，全省"]) is None


def test_national_reports_are_the_state_councils_with_the_title_year():
    title = "1994年中华人民共和国国务院政府工作报告"
    body = ["各位代表：", "现在，我代表国务院向大会作政府工作报告。", "培育外汇调剂市场。"]
    assert issuing_unit(title, body) == STATE_COUNCIL
    assert admin_level(STATE_COUNCIL, body) == "国家"
    assert report_year(title, body) == "1994"


def test_anonymised_years():
    assert report_year("工作总结", ["**年镇工会联合会在镇党委的领导下"]) == "20xx"
    assert report_year("工作总结", ["召开了20*年度表彰大会"]) == "20xx"


def test_unit_rank():
    assert unit_rank("国务院") == 0 and unit_rank("广东省") == 1 and unit_rank("慈溪市") == 3
    assert unit_rank("X区") == 3 and unit_rank(None) is None


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("1995年政府工作报告解释为何调低增速？", ["1995"]),
        ("2014年李克强的政府工作报告用了什么说法？", ["2014"]),
        ("2023年上半年工作總結怎么写", ["2023"]),
        ("宁夏2025年全区GDP是多少亿元？", []),  # the year spoken of, told in the 2026 report
        ("2023年，市总工会向大会作报告", []),  # another clause
    ],
)
def test_the_years_a_question_names_as_a_reports(text: str, years: list[str]) -> None:
    assert report_years_named(text) == years
