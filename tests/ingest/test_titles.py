"""Titles: the first line of a page that is a real title, not its furniture."""

from __future__ import annotations

import pytest
from ghqa.ingest.clean import is_page_furniture
from ghqa.ingest.model import SourceText
from ghqa.ingest.structure import build_articles

BODY = "各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议。"


@pytest.mark.parametrize(
    "head",
    [
        "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】",
        "您的位置:\n首页\n>\n云南要闻\n云南要闻",
        "当前位置：\n首页\n>\n政务信息\n>\n宁夏要闻",
        "分享:",
        "政府工作报告。 贵州日报天眼新闻记者 李森 摄",
    ],
)
def test_page_furniture_before_the_title_is_skipped(head):
    title, (article,) = build_articles(SourceText(f"{head}\n2026年政府工作报告\n{BODY}"), "fallback")
    assert title == article.title == "2026年政府工作报告"
    assert article.paragraphs[0].text == "各位代表："


def test_furniture_after_the_title_goes_too():
    text = "2026年四川省人民政府工作报告\n2026年02月10日 07时41分\n来源:\n四川日报\n分享：\n" + BODY
    title, (article,) = build_articles(SourceText(text), "fallback")
    assert title == "2026年四川省人民政府工作报告"
    assert article.paragraphs[0].text == "各位代表："


def test_a_sites_section_name_above_the_title_and_its_counters_go():
    # An aggregator's page: its section (工作报告), then the title holding it, then a head of counters.
    head = "工作报告\n2026年政府工作报告\n时间：2022-11-22 作者：中国县域 来源：政府官网 阅读：\n147\n评论：\n0\n"
    title, (article,) = build_articles(SourceText(head + BODY), "fallback")
    assert title == article.title == "2026年政府工作报告"
    assert article.paragraphs[0].text == "各位代表："


def test_a_first_line_held_by_a_sentence_or_an_articles_heading_after_it_is_no_section_name():
    text = "政府工作报告\n现在，我代表县人民政府向大会作政府工作报告，请予审议。\n一、回顾"
    title, (article,) = build_articles(SourceText(text), "fallback")
    assert title == "政府工作报告"
    assert article.paragraphs[0].text.startswith("现在，我代表")
    compiled = "乡镇工会工作总结\n乡镇工会工作总结1\n" + BODY + "\n乡镇工会工作总结2\n" + BODY
    assert build_articles(SourceText(compiled), "fallback")[0] == "乡镇工会工作总结"


@pytest.mark.parametrize(
    "line", ["政府工作报告", "2026年政府工作报告", "各位代表：", "一、政务信息公开", "大力发展新闻出版"]
)
def test_report_lines_are_not_furniture(line):
    assert not is_page_furniture(line)


@pytest.mark.parametrize("first", ["各位代表：", "一、2014年工作回顾"])
def test_a_page_that_lost_its_title_is_named_by_its_file_not_by_its_salutation_or_first_heading(first):
    title, (article,) = build_articles(SourceText(f"{first}\n现在，我代表县人民政府，向大会报告工作。"), "2015_容城县")
    assert title == article.title == "2015_容城县"
    assert article.paragraphs[0].text == first  # the line stays in the text
