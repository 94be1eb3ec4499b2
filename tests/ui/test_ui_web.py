"""Fast checks of the server's exposure rules and question guards (no index, no browser)."""

from __future__ import annotations

import re

import pytest
from ghqa.ui.web import MAX_QUESTION_CHARS, Handlers, ServeRefused, check_exposure, serve


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_local_hosts_need_no_login(host):
    check_exposure(host, None, share=False)


@pytest.mark.parametrize(("host", "share"), [("0.0.0.0", False), ("192.168.1.5", False), ("127.0.0.1", True)])
def test_exposed_server_requires_login(host, share):
    with pytest.raises(ServeRefused, match="--auth"):
        check_exposure(host, None, share=share)
    check_exposure(host, ("staff", "secret"), share=share)


def test_serve_refuses_before_opening_anything():
    with pytest.raises(ServeRefused):
        serve(None, host="0.0.0.0")


def test_question_guards():
    assert "请输入" in Handlers.question_problem("  \n")
    assert "太长" in Handlers.question_problem("问" * 10_000)
    assert Handlers.question_problem("问" * MAX_QUESTION_CHARS) is None
    assert Handlers.question_problem("哪些乡镇开展了工资集体协商？") is None


def test_status_says_when_the_index_is_empty_or_stale_and_upload_fixes_it(tmp_path, monkeypatch):
    from ghqa.services import open_services

    monkeypatch.setenv("GHQA_HOME", str(tmp_path))
    services = open_services(tmp_path)
    h = Handlers(services)
    notice, needs_build = h.index_state()
    assert "索引是空的" in notice and not needs_build

    report = tmp_path / "incoming" / "测试镇工会工作总结.txt"
    report.parent.mkdir()
    report.write_text("测试镇工会工作总结\n一、建会情况\n今年新建工会组织五家，发展会员二百人。", encoding="utf-8")
    services.ingest([report])
    notice, needs_build = h.index_state()
    assert "需要更新" in notice and needs_build

    ticks: list[float] = []
    h.sync_vectors(lambda frac, desc: ticks.append(frac))
    notice, needs_build = h.index_state()
    assert "索引就绪" in notice and not needs_build and ticks[-1] == 1.0

    message = h.upload([str(report.with_name("bad.exe"))], lambda frac, desc: None)
    assert "不支持的文件类型" in message
    assert [name for name, _ in h.file_choices()] == ["测试镇工会工作总结.txt"]
    key = h.file_choices()[0][1]
    assert str(tmp_path) not in key
    assert "已删除" in h.remove(key) and "没有" in h.remove(key)
    # Removal syncs the vectors, so the status never asks for a rebuild that is not needed.
    assert "需要更新" not in h.index_state()[0]
    services.close()


def test_citations_are_renumbered_in_order_of_mention():
    from ghqa.qa.answer import Answer, EvidenceRow
    from ghqa.ui.web import in_citation_order
    from test_ui_render import passage

    cites = [passage(chunk_id=i) for i in (1, 2, 3)]
    rows = [EvidenceRow("甲镇", "done", "…", 3, "t", "l"), EvidenceRow("乙镇", "done", "…", 1, "t", "l")]
    answer = Answer("哪些乡镇？", "list", "甲镇[3]；乙镇[1,3]。", cites, evidence=rows)
    ordered = in_citation_order(answer)
    assert ordered.text == "甲镇[1]；乙镇[2,1]。"
    assert [p.chunk_id for p in ordered.citations] == [3, 1, 2]
    assert [r.citation for r in ordered.evidence] == [1, 2]
    assert in_citation_order(ordered) is ordered


def test_upload_failures_are_told_in_chinese():
    from ghqa.ui.uploads import chinese_reason

    assert "PDF 文件已损坏" in chinese_reason("damaged PDF: Stream has ended unexpectedly")
    assert "Stream" not in chinese_reason("damaged PDF: Stream has ended unexpectedly")
    assert "密码" in chinese_reason("encrypted PDF: a password is needed to open it")
    assert "无法导入" in chinese_reason("something new")


def test_conversations_and_settings_persist(tmp_path):
    from ghqa.qa.answer import Answer
    from ghqa.ui.conversations import ConversationStore, Settings
    from test_ui_render import passage

    saved = ConversationStore(tmp_path)
    first = Answer("哪些乡镇开展了工资集体协商？", "list", "逍林镇[1]。", [passage(quote="全鎮開展工資集體協商")])
    conv = saved.add_turn(None, first)
    assert saved.add_turn(conv, Answer("其中哪些是2010年的？", "list", "逍林镇[1]。", first.citations)) == conv
    saved.save_settings(Settings(top_k=25, mode="lexical", script="simplified"))
    saved.close()

    again = ConversationStore(tmp_path)
    assert again.list() == [(conv, "哪些乡镇开展了工资集体协商？")]
    restored = again.get(conv)
    assert [a.question for a in restored.answers] == ["哪些乡镇开展了工资集体协商？", "其中哪些是2010年的？"]
    assert restored.answers[0].citations[0] == first.citations[0]
    assert again.settings() == Settings(top_k=25, mode="lexical", script="simplified")
    again.delete(conv)
    assert again.list() == []


def test_conversation_exports_number_their_sources(tmp_path):
    import docx
    from ghqa.qa.answer import Answer
    from ghqa.ui import exports
    from test_ui_render import passage

    answers = [
        Answer("问一", "fact", "甲[1]。", [passage(quote="全鎮開展工資集體協商，簽訂合同12份。")]),
        Answer("问二", "fact", "乙[1]，丙[2]。", [passage(chunk_id=7), passage(chunk_id=8)]),
    ]
    md = exports.markdown("问一", answers)
    assert "乙[2]，丙[3]。" in md and "## 出处" in md
    assert "1. “全鎮開展工資集體協商，簽訂合同12份。”（来源：" in md
    path = exports.write_docx("问一", answers)
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    assert "[3] " in text and "出处" in text
    assert re.fullmatch(
        r"哪些乡镇开展了工资集体协商_\d{4}-\d\d-\d\d", exports.file_stem("哪些乡镇开展了工资集体协商？")
    )
