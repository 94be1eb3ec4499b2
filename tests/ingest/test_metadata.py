"""Per-article metadata of the real seed pages: issuing unit, places, year, period and level."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from ghqa.ingest.loaders import load_source
from ghqa.ingest.metadata import (
    admin_level,
    describe_article,
    find_places,
    issuing_unit,
    place_matches,
    report_period,
    report_year,
)
from ghqa.ingest.model import Article
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
        ("003", 13, "出江镇", "镇"),
        ("002", 1, "巴州区", "区"),
        ("004", 1, "X区", "区"),
        ("001", 1, "x街道", "街道"),
    ],
)
def test_issuing_unit(prefix, number, unit, level):
    a = article(prefix, number)
    assert a.unit == unit
    assert a.level == level


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


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("xx镇工会在镇党委的领导下开展工作。", "xx镇"),
        ("2021年上半年,X区总工会在区委和市总工会的正确领导下", "X区"),
        ("XX县总工会的指导下", "XX县"),
        ("我们将××花炮厂纳入××镇联合工会", "××镇"),
        ("马过河镇总工会2019年工作总结", "马过河镇"),
        ("宁波市慈溪市宗汉街道总工会", "宗汉街道"),
        ("巴中市巴州區總工會", "巴州区"),  # Traditional input, Simplified name
    ],
)
def test_find_places(text, place):
    assert place in find_places(text)


@pytest.mark.parametrize(
    "text",
    ["全镇乡镇企业和城区社区开展活动", "在辖区、小区和园区开展工会组建", "全市全县全区各级工会", "本市本县"],
)
def test_words_ending_in_place_suffixes_are_not_places(text):
    assert find_places(text) == []


def test_issuing_unit_from_the_title():
    assert issuing_unit("马过河镇总工会2019年工作总结", ["一年来,在镇党委的领导下。"]) == "马过河镇"


def test_issuing_unit_is_the_place_named_before_the_union_even_after_an_earlier_mention():
    title = "工会工作总结"
    assert issuing_unit(title, ["马过河镇与逍林镇交流，逍林镇总工会召开座谈会。"]) == "逍林镇"
    # the same in the body fallback, where the more often named 马过河镇 would otherwise win
    body = [
        "今年,我镇工会工作稳步推进。",
        "一年来。",
        "一年来。",
        "马过河镇来访。",
        "马过河镇与逍林镇交流，逍林镇工会组织竞赛。",
    ]
    assert issuing_unit(title, body) == "逍林镇"


def test_find_places_still_lists_names_and_place_matches_gives_each_occurrence():
    text = "马过河镇与逍林镇交流，逍林镇总工会召开"
    assert find_places(text) == ["马过河镇", "逍林镇", "逍林镇"]
    assert [(p, text[:end]) for p, end in place_matches(text)][-1] == ("逍林镇", text[: text.rindex("总工会")])


def test_issuing_unit_from_self_references_and_counts():
    body = ["今年,我镇工会工作稳步推进。", "逍林镇总工会组织开展劳动竞赛。", "全镇共有基层工会50家。"]
    assert issuing_unit("乡镇工会工作总结", body) == "逍林镇"


def test_no_unit_when_no_place_is_named():
    assert issuing_unit("工会工作总结", ["一年来,各项工作稳步推进。"]) is None


def test_year_period_and_level_helpers():
    assert report_year("区总工会2021年上半年工作总结", []) == "2021"
    assert report_year("工作总结", ["20XX年,我镇工会"]) == "20xx"
    assert report_year("工作总结", ["今年以来"]) is None
    assert report_period("2021年上半年工作总结", []) == "上半年"
    assert report_period("2021年度工作总结", []) == "全年"
    assert report_period("工作总结", ["一年来,我乡工会"]) == "全年"
    assert report_period("工作总结", []) is None
    assert admin_level("宗汉街道", []) == "街道"
    assert admin_level("巴州区", []) == "区"
    assert admin_level(None, ["我乡工会", "全乡职工", "我乡"]) == "乡"
    assert admin_level(None, ["工会工作"]) is None


def test_a_year_before_the_place_is_not_part_of_its_name():
    assert issuing_unit("2026年上海市政府工作报告", []) == "上海市"


def test_common_words_ending_in_a_place_suffix_are_not_places():
    assert find_places("建设重点城市和自贸区，打造合肥都市圈") == []
