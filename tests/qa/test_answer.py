"""Answers over the real bundled corpus: list answers across all reports, fact answers, no-answer, follow-ups, LLM."""

from __future__ import annotations

import csv
import io

import pytest
from ghqa.ingest.clean import normalize_for_index
from ghqa.qa.evidence import NO_ANSWER

from ghqa.services import open_services

# The places that did 工资集体协商 in corpus/, as the user counts them (any spelling in a group names the place).
WAGE_BARGAINING_PLACES = [["马过河"], ["巴州"], ["出江"], ["逍林"], ["宗汉"], ["崇州", "帝利斯"], ["青峙", "蔚斗"]]


@pytest.fixture(scope="module")
def reports(indexed_corpus):
    services = open_services(indexed_corpus)
    yield services
    services.close()


@pytest.fixture
def no_llm(monkeypatch):
    monkeypatch.delenv("GHQA_LLM_BASE_URL", raising=False)


def test_list_answer_names_the_places_with_supporting_citations(reports, no_llm):
    answer = reports.ask("哪些乡镇开展了工资集体协商？")
    assert answer.kind == "list" and answer.found
    text = normalize_for_index(answer.text)
    named = [group for group in WAGE_BARGAINING_PLACES if any(name in text for name in group)]
    assert len(named) >= 6, f"named only {named}"
    for row in answer.evidence:
        cited = answer.citations[row.citation - 1]
        assert row.evidence in cited.text, "each evidence sentence is quoted from the passage it cites"
        assert f"[{row.citation}]" in answer.text


def test_list_answer_tells_planned_from_done_and_exports_csv(reports, no_llm):
    answer = reports.ask("哪些乡镇开展了工资集体协商？")
    statuses = {row.place: row.status for row in answer.evidence}
    assert statuses.get("马过河镇") == "done"
    assert "planned" in statuses.values()
    rows = list(csv.reader(io.StringIO(answer.to_csv())))
    assert rows[0] == ["问题", "地区/单位", "年份", "状态", "证据", "出处"]
    assert len(rows) == len(answer.evidence) + 1


def test_fact_answer_quotes_and_cites_the_gold_sentence(reports, no_llm):
    answer = reports.ask("巴州区2010年金秋助学帮助了多少名学生？")
    assert answer.found and answer.citations
    assert "181名学生" in answer.text
    assert any("181名学生" in c.text for c in answer.citations)
    assert "[1]" in answer.text


def test_a_question_about_a_report_the_corpus_lacks_says_so(reports, no_llm):
    # corpus/ holds 巴州区's 2010 summary, not a 2011 one: its 2010 figures do not answer for 2011.
    answer = reports.ask("巴州区2011年工作总结里金秋助学帮助了多少名学生？")
    assert not answer.found and answer.text == NO_ANSWER
    assert answer.note == "资料中没有2011年的报告。"
    assert reports.ask("巴州区2010年工作总结里金秋助学帮助了多少名学生？").found


def test_an_answer_reports_the_signals_its_abstention_weighed(reports, no_llm):
    from ghqa.qa.abstention import abstention_model

    answered = reports.ask("巴州区2010年金秋助学帮助了多少名学生？")
    absent = reports.ask("巴州区的地铁三号线有多少个站？")
    model = abstention_model()
    assert answered.signals and model.probability(answered.signals) >= model.threshold
    assert absent.signals and not absent.found and model.probability(absent.signals) < model.threshold
    assert answered.to_json()["signals"]["dense_top"] == round(answered.signals.dense_top, 4)
    assert answered.signals.sentence_top is not None and absent.signals.sentence_top is not None
    assert reports.ask("哪些乡镇开展了工资集体协商？").signals is None  # a list answer never consults the model


def test_the_abstention_model_refuses_signals_without_the_sentence_signal():
    from ghqa.index.passages import Passage, QuerySignals, Ranking
    from ghqa.qa.abstention import corpus_answers

    passage = Passage(1, "春节期间走访慰问困难职工36户。", "a.txt", 1, "工作总结", [], 0, 0, 0, 15, 1.0)
    with pytest.raises(ValueError, match="sentence_signal"):
        corpus_answers(Ranking([passage], QuerySignals(0.9, 0.05, 0.8, 1.0)))


def test_traditional_question_finds_the_passage(reports, no_llm):
    answer = reports.ask("逍林鎮總工會第一次代表大會是哪天召開的？")
    assert any("1月13日" in c.text for c in answer.citations)


def test_absent_topic_gets_no_answer_and_only_labelled_nearest_passages(reports, no_llm):
    answer = reports.ask("哪些乡镇举办了马拉松比赛？")
    assert not answer.found
    assert answer.text == NO_ANSWER
    assert answer.citations == [] and answer.evidence == []


def test_follow_up_narrows_the_previous_list(reports, no_llm):
    first = reports.ask("哪些乡镇开展了工资集体协商？")
    follow = reports.ask("其中哪些是2010年的？", history=[first])
    assert follow.found
    assert [row.place for row in follow.evidence] == ["巴州区"]
    assert follow.citations[0].source.endswith("002_50b9cbe120692619.txt")


def test_wording_request_returns_passages_from_several_reports(reports, no_llm):
    answer = reports.ask("困难职工帮扶工作的总结怎么写？找一些参考段落")
    assert answer.kind == "wording"
    assert len({c.source for c in answer.citations}) >= 3


def test_empty_and_huge_questions_get_a_reply(reports, no_llm):
    assert not reports.ask("   ").found
    assert reports.ask("工会" * 5000).text


def test_llm_answer_is_used_and_checked(reports, server, monkeypatch):
    monkeypatch.setenv("GHQA_LLM_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
    server.reply = {"mode": "sse", "pieces": ["帮助了181名学生", "完成学业[1]。", "这句没有出处。"]}
    answer = reports.ask("巴州区2010年金秋助学帮助了多少名学生？")
    assert answer.text.startswith("帮助了181名学生")
    assert answer.note and "没有有效出处" in answer.note
    prompt = "\n".join(str(m["content"]) for m in server.requests[-1]["body"]["messages"])
    assert "181名学生" in prompt


def test_llm_failure_falls_back_to_the_extractive_answer(reports, server, monkeypatch):
    monkeypatch.setenv("GHQA_LLM_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
    server.reply = {"mode": "raw", "body": "{not json"}
    answer = reports.ask("巴州区2010年金秋助学帮助了多少名学生？")
    assert "181名学生" in answer.text
    assert answer.note and "摘录式" in answer.note


def test_a_sentence_in_the_second_piece_of_a_paragraph_is_quoted_from_that_paragraph():
    from ghqa.index.passages import Passage
    from ghqa.ingest.model import Paragraph
    from ghqa.qa.evidence import quotable_sentences

    heading = Paragraph(41, "三、2016年重点工作", "三、2016年重点工作", [], 0, 11, heading_level=1)
    body = "今年是开局之年。做好政府工作，按照“四个全面”战略布局推进。"
    paragraph = Paragraph(42, body, body, ["三、2016年重点工作"], 12, 12 + len(body))

    class _Store:
        def paragraphs(self, article_id, first, last):
            return [heading, paragraph]

    # A long paragraph cut at a sentence end: both pieces are lines of one passage, three lines for two paragraphs.
    text = "三、2016年重点工作\n今年是开局之年。\n做好政府工作，按照“四个全面”战略布局推进。"
    passage = Passage(7, text, "2016.txt", 1, "报告", [], 41, 42, 0, 12 + len(body), 0.0, article_id=1)

    quotes = quotable_sentences(_Store(), passage)

    assert [q.sentence for q in quotes] == ["今年是开局之年。", "做好政府工作，按照“四个全面”战略布局推进。"]
    assert {q.paragraph.number for q in quotes} == {42}


def test_the_line_telling_when_a_report_was_delivered_is_no_evidence():
    from ghqa.index.passages import Passage
    from ghqa.ingest.model import Paragraph
    from ghqa.qa.evidence import quotable_sentences

    lines = ["——2026年1月25日在北京市第十六届人民代表大会第四次会议上", "第四次全国文物普查新发现文物1.4万余处。"]
    paragraphs = [Paragraph(n, line, line, [], 0, len(line)) for n, line in enumerate(lines)]

    class _Store:
        def paragraphs(self, article_id, first, last):
            return paragraphs

    passage = Passage(7, "\n".join(lines), "2026.txt", 1, "报告", [], 0, 1, 0, 40, 0.0, article_id=1)

    # Its 第四次 is the congress session's, not the topic's.
    assert [q.sentence for q in quotable_sentences(_Store(), passage)] == [lines[1]]
