"""Fast checks of the server's exposure rules and question guards (no index, no browser)."""

from __future__ import annotations

import re

import pytest
from ghqa.ui.web import FAILED, Handlers, ServeRefused, check_exposure, serve

REPORT = "测试镇工会工作总结\n一、建会情况\n今年新建工会组织五家，发展会员二百人。"
LONGER_REPORT = (
    "测试镇工会2011年工作总结\n一、加强基层组织建设\n今年以来，测试镇工会积极推进非公企业建会，新建工会组织五家，"
    "发展会员二百人。\n二、维护职工合法权益\n全镇开展工资集体协商，签订工资专项集体合同15份，覆盖职工3200人。"
)
DAMAGED = "ghqa.db is damaged; restore a copy made by ghqa backup / 存储文件已损坏：请恢复 ghqa backup 做的副本"


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


def test_question_guards_use_the_cli_limit(monkeypatch):
    monkeypatch.delenv("GHQA_MAX_QUERY_CHARS", raising=False)
    assert "请输入" in Handlers.question_problem("  \n")
    assert "上限 2000 字" in Handlers.question_problem("问" * 2001)
    assert Handlers.question_problem("问" * 2000) is None
    assert Handlers.question_problem("哪些乡镇开展了工资集体协商？") is None
    monkeypatch.setenv("GHQA_MAX_QUERY_CHARS", "10")
    assert "问题太长（11 字，上限 10 字" in Handlers.question_problem("问" * 11)
    monkeypatch.setenv("GHQA_MAX_QUERY_CHARS", "many")
    assert "GHQA_MAX_QUERY_CHARS must be a positive number" in Handlers.question_problem("问")


def app_function(app, name: str):
    """The function an event of a built app runs, by its name (the chat's `ask`, the corpus tab's `refresh`)."""
    wanted = f"build_app.<locals>.{name}"
    return next(block.fn for block in app.fns.values() if getattr(block.fn, "__qualname__", "") == wanted)


def test_store_errors_reach_the_page_as_their_own_message(tmp_path, monkeypatch):
    from ghqa.core.errors import StoreError
    from ghqa.index.store import Store
    from ghqa.ui.web import build_app

    from ghqa.services import Services, open_services

    def damaged(*args, **kwargs):
        raise StoreError(DAMAGED)

    monkeypatch.setenv("GHQA_HOME", str(tmp_path))
    services = open_services(tmp_path, create=True)
    h = Handlers(services)
    app = build_app(services)
    for name in ("search", "stream_ask", "ingest", "correct_article"):
        monkeypatch.setattr(Services, name, damaged)
    assert DAMAGED in h.search("工资集体协商", False, [], [], [], 5)
    *_, last = app_function(app, "ask")("哪些乡镇开展了工资集体协商？", [], [], None, [], [], [], "original")
    assert last[1][-1]["content"] == DAMAGED
    report = tmp_path / "incoming" / "测试镇工会工作总结.txt"
    report.parent.mkdir()
    report.write_text(REPORT, encoding="utf-8")
    assert DAMAGED in h.upload([str(report)], lambda frac, desc: None)
    assert DAMAGED in h.correct("1", "标题", "测试镇", "", "")
    monkeypatch.setattr(Store, "files", damaged)
    assert DAMAGED in h.remove("0123456789abcdef")
    status, _, documents, *_ = app_function(app, "refresh")()
    assert DAMAGED in status and DAMAGED in documents
    # Any other failure shows a pointer to the server log, never the exception's text (it may hold server paths).
    monkeypatch.setattr(Services, "search", lambda *a, **k: (_ for _ in ()).throw(RuntimeError(str(tmp_path))))
    shown = h.search("工资集体协商", False, [], [], [], 5)
    assert FAILED in shown and str(tmp_path) not in shown
    assert "检索内容太长" in h.search("工" * 2001, False, [], [], [], 5)
    app.close()
    services.close()


def test_llm_endpoint_from_the_settings_answers_and_its_key_stays_on_the_server(tmp_path, server, monkeypatch):
    from ghqa.services import open_services

    monkeypatch.delenv("GHQA_LLM_BASE_URL", raising=False)
    services = open_services(tmp_path / "home", create=True)
    report = tmp_path / "测试镇工会工作总结.txt"
    report.write_text(LONGER_REPORT, encoding="utf-8")
    services.ingest([report])
    services.sync_vectors()
    h = Handlers(services)
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    told, saved = h.save_settings(10, "hybrid", "original", url, "test-model", "sk-secret")
    assert "test-model" in told and "sk-secret" not in told and "sk-secret" not in repr(saved)

    server.reply = {"mode": "sse", "pieces": ["测试镇今年新建", "工会组织五家[1]。"]}
    *partial, answer = h.answer_stream("测试镇今年新建工会组织多少家？", [])
    assert partial and answer.text == "测试镇今年新建工会组织五家[1]。", answer
    assert server.requests[-1]["body"]["model"] == "test-model"

    # An empty key field keeps the saved key; an empty endpoint clears both and answers stay extractive.
    h.save_settings(10, "hybrid", "original", url, "test-model", "")
    assert h.llm_config().api_key == "sk-secret"
    h.save_settings(10, "hybrid", "original", "", "", "")
    assert h.llm_config() is None and h.saved.settings().llm_api_key == ""
    *_, extractive = h.answer_stream("测试镇今年新建工会组织多少家？", [])
    assert len(server.requests) == 1 and "五家" in extractive.text
    told, _ = h.save_settings(10, "hybrid", "original", "localhost:11434", "", "")
    assert "无效" in told and h.llm_config() is None
    services.close()


def test_status_says_when_the_index_is_empty_or_stale_and_upload_fixes_it(tmp_path, monkeypatch):
    from ghqa.services import open_services

    monkeypatch.setenv("GHQA_HOME", str(tmp_path))
    services = open_services(tmp_path, create=True)
    h = Handlers(services)
    notice, needs_build = h.index_state()
    assert "索引是空的" in notice and not needs_build

    report = tmp_path / "incoming" / "测试镇工会工作总结.txt"
    report.parent.mkdir()
    report.write_text(REPORT, encoding="utf-8")
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
    from ghqa.qa.evidence import Answer, EvidenceRow
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
    from ghqa.qa.evidence import Answer
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
    from ghqa.qa.evidence import Answer
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


def test_source_viewer_names_a_former_division_as_such(tmp_path):
    """003's 13th report is from 出江镇, a township of 大邑县 the NBS editions list only from 2016 to 2019."""
    from pathlib import Path

    from ghqa.services import open_services

    name = "003_25279264fab4da48.txt"
    (tmp_path / name).write_bytes((Path(__file__).resolve().parents[2] / "corpus" / name).read_bytes())
    services = open_services(tmp_path / "home", create=True)
    services.ingest([tmp_path / name])
    h = Handlers(services)
    header = "第13篇 · 出江镇（原建制，2016–2019） · 20xx"
    assert header in h.source_at(f"{name} › 第13篇 鄉鎮工會工作總結13 › ¶2", "")
    chunk = next(i for i in services.store.chunk_ids() if services.source_context(i).article.number == 13)
    assert header in h.source(chunk, "")
    seventh = next(i for i in services.store.chunk_ids() if services.source_context(i).article.number == 7)
    assert "第7篇 · 逍林镇</div>" in h.source(seventh, "") and "原建制" not in h.source(seventh, "")
    assert "ghqa-cited" in h.context(chunk) and "ghqa-empty" in h.source(999_999, "")
    assert "ghqa-empty" in h.source("1; DROP TABLE chunks", "")  # a malformed id is "not found", not an error
    services.close()
