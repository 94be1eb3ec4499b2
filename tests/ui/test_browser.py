"""The web UI in a real browser (Debian chromium via Playwright) over a two-report index.

Screenshots land in artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SEED = (
    "一、加强基层组织建设",
    "今年以来，镇工会围绕中心工作，积极推进非公企业建会，新建工会组织12家，发展会员860人。",
    "二、维护职工合法权益",
    "全镇开展工资集体协商，签订工资专项集体合同15份，覆盖职工3200人。",
)


def ask(page, question: str) -> None:
    page.locator("#ghqa-question textarea").fill(question)
    page.locator("#ghqa-ask").click()


def last_reply(page):
    return page.locator("#ghqa-chat .message-row").last


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def search(page, query: str, exact: bool = False) -> None:
    open_tab(page, "检索原文")
    page.locator("#ghqa-query textarea, #ghqa-query input").first.fill(query)
    box = page.locator("#ghqa-exact input[type=checkbox]")
    if box.is_checked() != exact:
        box.click()
    page.locator("#ghqa-search").click()


def upload(page, path: Path) -> None:
    open_tab(page, "文档库")
    page.locator("#ghqa-upload input[type=file]").set_input_files(str(path))
    # The preview row appears once the browser has sent the file.
    page.locator("#ghqa-upload td.filename").first.wait_for()
    page.locator("#ghqa-import").click()
    page.locator("#ghqa-upload-msg .ghqa-notice").wait_for()


def test_page_loads_with_ready_index(page, screenshot):
    expect_text = page.locator("#ghqa-status")
    expect_text.get_by_text("索引就绪").wait_for()
    screenshot(page, "01_start")


def test_chat_answer_cites_passages_with_locators(page, screenshot):
    ask(page, "哪些乡镇开展了工资集体协商？")
    # A list answer opens its evidence table (place, status, evidence, source) with a CSV download.
    rows = page.locator("#ghqa-evidence tbody tr")
    rows.nth(2).wait_for()
    screenshot(page, "02_chat_evidence_table")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载证据表 CSV").click()
    table = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert table.startswith("question,place,status,evidence") and len(table.splitlines()) >= 4, table[:200]
    page.get_by_role("tab", name="引用的原文").click()
    cards = page.locator("#ghqa-citations .ghqa-card")
    cards.nth(2).wait_for()
    assert cards.count() >= 3
    for i in range(3):
        locator = cards.nth(i).locator(".ghqa-loc").inner_text()
        assert " › " in locator and "¶" in locator, locator
    reply = last_reply(page).inner_text()
    assert re.search(r"\[\d", reply), reply
    screenshot(page, "03_chat_citations")

    cards.first.locator(".ghqa-ctx").click()
    cards.first.locator(".ghqa-context p").first.wait_for()
    assert cards.first.locator(".ghqa-context .ghqa-cited").count() >= 1
    cards.first.locator(".ghqa-copy").click()
    page.wait_for_function("() => document.querySelector('.ghqa-copy').textContent !== '复制（含出处）'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("“") and "（来源：" in copied and "第" in copied, copied
    screenshot(page, "04_chat_context")

    ask(page, "其中哪些是2010年的？")
    page.locator("#ghqa-chat .message-row").nth(3).wait_for()
    page.wait_for_function(
        "() => { const m = document.querySelectorAll('#ghqa-chat .message-row');"
        " return m.length >= 4 && !m[m.length-1].innerText.includes('正在检索'); }"
    )
    screenshot(page, "05_chat_followup")


def test_empty_and_huge_questions_get_a_reply(page, screenshot):
    ask(page, "")
    last_reply(page).get_by_text("请输入一个问题").wait_for()
    ask(page, "工会" * 5000)
    last_reply(page).get_by_text("问题太长").wait_for()
    screenshot(page, "06_chat_bad_questions")


def test_search_is_script_insensitive_and_exact(page, screenshot):
    search(page, "职工书屋")
    cards = page.locator("#ghqa-results .ghqa-card")
    cards.first.wait_for()
    screenshot(page, "07_search")
    search(page, "工资集体协商", exact=True)
    # The corpus is Traditional: the Simplified query must find and mark the original script.
    marked = page.locator("#ghqa-results .ghqa-card mark", has_text=re.compile("^工[資资]集[體体]協商$"))
    marked.first.wait_for()
    cards = page.locator("#ghqa-results .ghqa-card").all_inner_texts()
    assert cards and all(re.search("工[資资]集[體体][協协]商", card) for card in cards), (
        "exact mode keeps only the phrase"
    )
    screenshot(page, "08_search_exact")


def test_uploaded_docx_is_searchable(page, screenshot, tmp_path: Path):
    import docx

    phrase = "青蛙湾镇首创夜校订单式技能培训"
    document = docx.Document()
    for line in (*SEED, f"{phrase}，全年培训职工四百人次。"):
        document.add_paragraph(line)
    path = tmp_path / "青蛙湾镇工会2011年工作总结.docx"
    document.save(path)

    upload(page, path)
    assert "已导入" in page.locator("#ghqa-upload-msg").inner_text()
    page.locator("#ghqa-documents").get_by_text(path.name).first.wait_for()
    screenshot(page, "09_corpus_after_upload")

    search(page, phrase, exact=True)
    hit = page.locator("#ghqa-results .ghqa-card").first
    hit.wait_for()
    assert phrase in hit.inner_text()
    assert path.name in hit.locator(".ghqa-loc").inner_text()


def test_markup_in_documents_is_shown_as_text(page, screenshot, tmp_path: Path):
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    path = tmp_path / "<b onmouseover=alert(3)>红旗镇工会总结.txt"
    path.write_text(
        "\n".join((*SEED, f"红旗镇工会开展劳动竞赛{hostile}共评出先进班组九个。")),
        encoding="utf-8",
    )
    upload(page, path)
    # The file name arrives sanitised and is listed as text, never as markup.
    page.locator("#ghqa-documents").get_by_text("红旗镇工会总结.txt").first.wait_for()
    assert page.locator("#ghqa-documents b").count() == 0
    search(page, "红旗镇工会开展劳动竞赛", exact=True)
    hit = page.locator("#ghqa-results .ghqa-card").first
    hit.wait_for()
    text = hit.inner_text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text
    assert page.locator("#ghqa-results script, #ghqa-results img").count() == 0
    hit.locator(".ghqa-ctx").click()
    hit.locator(".ghqa-context").wait_for()
    page.wait_for_timeout(500)
    assert page.dialogs == []
    screenshot(page, "10_markup_as_text")
