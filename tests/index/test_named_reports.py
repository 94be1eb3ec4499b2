"""A question naming a report, by its issuing unit or its year, prefers that report's passages, whose text rarely
names the unit or the year."""

from __future__ import annotations

import pytest
from fakes import fake_home, fake_services

# Two provinces' reports say the same thing in the same words; only the opening line names the province.
REPORTS = {
    "hubei.txt": "政府工作报告\n在湖北省第十四届人民代表大会第五次会议上\n各位代表：\n"
    "过去一年，全省经济稳中有进，地区生产总值达到62661亿元。\n",
    "fujian.txt": "政府工作报告\n在福建省第十四届人民代表大会第五次会议上\n各位代表：\n"
    "过去一年，全省地区生产总值达到60199亿元，全省经济总量稳中有进。\n",
    # Worded closer to the question than either province's passage, by a unit the question does not name.
    "guide.txt": "统计工作总结\n全省地区生产总值达到多少亿元，由统计部门按季度核算发布。\n",
    "2013.txt": "2013年国务院政府工作报告\n各位代表：\n今年拟安排财政赤字1.2万亿元。\n",
    "2014.txt": "2014年国务院政府工作报告\n各位代表：\n今年拟安排财政赤字1.35万亿元。\n",
    "deficit.txt": "财政知识问答\n政府工作报告安排的财政赤字规模是多少，每年由人民代表大会审查批准。\n",
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory):
    return fake_home(tmp_path_factory.mktemp("units_named"), REPORTS)


@pytest.fixture
def services(home, monkeypatch):
    yield from fake_services(home, monkeypatch)


def test_the_units_a_question_names_in_full_or_shortened(services):
    assert services.engine.units_named("湖北全省地区生产总值是多少") == ["湖北省"]
    assert services.engine.units_named("福建省的经济总量") == ["福建省"]
    assert services.engine.units_named("全国地区生产总值是多少") == []
    # A short form counts as a whole word only: 洞庭湖北部 holds 湖北 across two words.
    assert services.engine.units_named("洞庭湖北部的水位") == []


def test_a_question_naming_a_province_finds_its_report_first(services):
    hits = services.search("湖北全省地区生产总值达到多少亿元？", k=2).hits
    assert hits[0].unit == "湖北省" and "62661" in hits[0].text
    hits = services.search("福建全省地区生产总值达到多少亿元？", k=2).hits
    assert hits[0].unit == "福建省" and "60199" in hits[0].text


def test_a_question_naming_a_reports_year_finds_that_report_first(services):
    hits = services.search("2014年政府工作报告安排的财政赤字规模是多少？", k=2).hits
    assert hits[0].year == "2014" and "1.35万亿元" in hits[0].text
    hits = services.search("2013年的政府工作报告安排的财政赤字规模是多少？", k=2).hits
    assert hits[0].year == "2013" and "1.2万亿元" in hits[0].text
