"""Fast checks of the server's exposure rules and question guards (no index, no browser)."""

from __future__ import annotations

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
    assert "已删除" in h.remove(str(report)) and "没有" in h.remove(str(report))
    services.close()
