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
    assert re.fullmatch(r"哪些乡镇开展了工资集体协商_\d{4}-\d\d-\d\d\.csv", download.value.suggested_filename)
    table = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert table.startswith("问题,") and "状态" in table.splitlines()[0] and len(table.splitlines()) >= 4, table[:200]
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
    ask(page, "哪些乡镇开展了工资集体协商？")
    page.locator("#ghqa-citations .ghqa-card").first.wait_for(state="attached")
    ask(page, "")
    last_reply(page).get_by_text("请输入一个问题").wait_for()
    # No blank bubble for the empty question, and the previous answer's citations are gone.
    bubbles = page.locator("#ghqa-chat .message-row").all_inner_texts()
    assert all(b.strip() for b in bubbles), bubbles
    page.locator("#ghqa-citations .ghqa-empty").wait_for(state="attached")
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


def wait_answered(page, count: int) -> None:
    """Until the chat holds `count` bubbles and the last one is an answer, not the searching placeholder."""
    page.wait_for_function(
        "(n) => { const m = document.querySelectorAll('#ghqa-chat .message-row');"
        " return m.length >= n && !m[m.length-1].innerText.includes('正在检索'); }",
        arg=count,
    )


def test_every_citation_names_the_paragraph_holding_its_quote(page, services):
    ask(page, "哪些乡镇开展了工资集体协商？")
    page.locator("#ghqa-evidence tbody tr").first.wait_for()
    page.get_by_role("tab", name="引用的原文").click()
    cards = page.locator("#ghqa-citations .ghqa-card")
    cards.nth(2).wait_for()
    numbers = [int(n) for n in re.findall(r"\[(\d+)", last_reply(page).inner_text())]
    # Numbered in order of first mention.
    assert numbers[:3] == sorted(set(numbers))[:3], numbers
    checked = 0
    for i in range(cards.count()):
        card = cards.nth(i)
        quote = card.get_attribute("data-quote")
        locator = card.locator(".ghqa-loc").inner_text()
        name, article = locator.split(" › ")[0], re.search(r"第(\d+)篇", locator).group(1)
        paragraph = int(re.search(r"¶(\d+)$", locator).group(1))
        row = services.store.find_article(f"{name}#{article}")
        [text] = [p.text for p in services.store.paragraphs(row["id"], paragraph, paragraph)]
        assert quote and " ".join(quote.split()) in " ".join(text.split()), (locator, quote, text)
        ref = card.locator(".ghqa-copy").get_attribute("data-ref")
        assert ref.startswith(f"“{' '.join(quote.split())}”") and f"第{paragraph}段" in ref, ref
        checked += 1
    assert checked >= 3


def test_source_viewer_opens_from_a_citation_marker(page, screenshot):
    ask(page, "马过河镇农民工工资上浮了多少？")
    page.locator("#ghqa-citations .ghqa-card").first.wait_for()
    ref = last_reply(page).locator(".ghqa-ref").first
    ref.hover()
    page.locator("#ghqa-preview .ghqa-loc").wait_for()
    ref.click()
    viewer = page.locator("#ghqa-viewer")
    focus = viewer.locator(".ghqa-focus")
    focus.wait_for()
    assert focus.locator("mark").count() >= 1
    assert viewer.locator(".ghqa-source-body p").count() > focus.count()
    screenshot(page, "11_source_viewer")
    viewer.get_by_role("button", name="关闭").click()
    viewer.wait_for(state="hidden")


def test_conversation_survives_a_reload(page, screenshot):
    question = "哪些街道开展了职工书屋建设？"
    ask(page, question)
    wait_answered(page, 2)
    page.locator("#ghqa-conv-list").get_by_text(question[:20]).first.wait_for()
    # The browser notes the conversation right after the answer; reload once it has.
    page.wait_for_function("() => localStorage.getItem('ghqa-conversation')")
    page.reload()
    page.locator("#ghqa-chat .message-row").first.wait_for()
    assert question in page.locator("#ghqa-chat").inner_text()
    page.locator("#ghqa-citations .ghqa-card").first.wait_for(state="attached")
    page.locator("#ghqa-export-md").wait_for()
    with page.expect_download() as download:
        page.locator("#ghqa-export-docx").click()
    assert download.value.suggested_filename.endswith(".docx")
    screenshot(page, "12_conversation_restored")


def choose(page, elem_id: str, *values: str) -> None:
    """Pick values in a multi-select dropdown by typing each and taking the first match."""
    box = page.locator(f"#{elem_id} input")
    for value in values:
        box.click()
        box.fill(value)
        page.locator("ul[role=listbox] li", has_text=value).first.wait_for()
        box.press("Enter")
    box.press("Escape")


def test_question_limited_to_two_documents(page, screenshot):
    page.locator("#ghqa-scope").get_by_text("检索范围").first.click()
    docs = ("003_25279264fab4da48.txt", "004_c9f48bbe3820a36e.txt")
    choose(page, "ghqa-scope-docs", *docs)
    ask(page, "哪些乡镇开展了工资集体协商？")
    wait_answered(page, 2)
    reply = last_reply(page).inner_text()
    assert f"检索范围：文件：{'、'.join(docs)}" in reply, reply
    page.locator("#ghqa-evidence tbody tr").first.wait_for()
    page.get_by_role("tab", name="引用的原文").click()
    locators = page.locator("#ghqa-citations .ghqa-loc").all_inner_texts()
    assert locators and all(loc.startswith(docs) for loc in locators), locators
    screenshot(page, "13_scope_two_documents")


def test_corrected_unit_is_used_by_the_list_answer(page, services, screenshot):
    open_tab(page, "文档库")
    page.locator("#ghqa-correct").get_by_text("更正篇目信息").click()
    pick = page.locator("#ghqa-correct-article input")
    pick.click()
    pick.fill("003_25279264fab4da48.txt 第7篇")
    page.locator("ul[role=listbox] li", has_text="003_25279264fab4da48.txt 第7篇").first.click()
    unit = page.locator("#ghqa-correct-unit textarea, #ghqa-correct-unit input").first
    page.wait_for_function(
        "() => document.querySelector('#ghqa-correct-unit textarea, #ghqa-correct-unit input').value"
    )
    unit.fill("青蛙湾镇")
    page.locator("#ghqa-correct-save").click()
    page.locator("#ghqa-correct-msg").get_by_text("已保存更正").wait_for()
    open_tab(page, "问答")
    ask(page, "哪些乡镇开展了工资集体协商？")
    page.locator("#ghqa-evidence tbody tr").first.wait_for()
    assert "青蛙湾镇" in page.locator("#ghqa-evidence").inner_text()
    screenshot(page, "14_corrected_unit")


def test_spaced_out_pdf_is_repaired_and_said_so(page, tmp_path: Path, screenshot):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "pdf_spacing", Path(__file__).parents[1] / "ingest" / "test_pdf_spacing.py"
    )
    pdf_spacing = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pdf_spacing)
    path = pdf_spacing.spaced_pdf(tmp_path / "绿水街道工会2011年工作总结.pdf")
    upload(page, path)
    message = page.locator("#ghqa-upload-msg").inner_text()
    assert "已导入" in message and "空格或空字符已自动去除" in message, message
    search(page, "街道工会积极推进非公企业建会", exact=True)
    page.locator("#ghqa-results .ghqa-card").first.wait_for()
    screenshot(page, "15_spaced_pdf")


def test_upload_and_removal_keep_status_and_filters_true(page, tmp_path: Path):
    path = tmp_path / "白鹭镇工会2012年工作总结.txt"
    path.write_text("\n".join(("白鹭镇工会2012年工作总结", *SEED)), encoding="utf-8")
    upload(page, path)
    page.locator("#ghqa-status").get_by_text("索引就绪").wait_for()
    page.reload()
    page.locator("#ghqa-status").get_by_text("索引就绪").wait_for()
    page.locator("#ghqa-scope").get_by_text("检索范围").first.click()
    page.locator("#ghqa-scope-docs input").click()
    page.locator("ul[role=listbox] li", has_text=path.name).first.wait_for()
    page.keyboard.press("Escape")
    open_tab(page, "文档库")
    pick = page.locator("#ghqa-remove input")
    pick.click()
    page.locator("ul[role=listbox] li", has_text=path.name).first.click()
    assert "/" not in page.locator("#ghqa-remove input").input_value()
    page.locator("#ghqa-remove-btn").click()
    page.locator("#ghqa-remove-msg").get_by_text("已删除").wait_for()
    status = page.locator("#ghqa-status")
    status.get_by_text("索引就绪").wait_for()
    assert "需要更新" not in status.inner_text()


def test_phone_width(browser, app_url, tmp_path: Path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(app_url)
    ask(page, "哪些乡镇开展了工资集体协商？")
    table = page.locator("#ghqa-evidence")
    rows = table.locator("tbody tr")
    rows.first.wait_for()
    # Each evidence row is a card: place · status on one line, the quote below at full width, the source last.
    assert table.bounding_box()["width"] <= 390
    assert table.evaluate("box => box.scrollWidth <= box.clientWidth + 1"), "no sideways scrolling"
    # A short place name, so that its status fits beside it (a long one wraps it to the next line).
    row = next(rows.nth(i) for i in range(rows.count()) if len(rows.nth(i).locator("td").first.inner_text()) <= 10)
    place, status, quote, source = (row.locator(f"td:nth-child({n})").bounding_box() for n in range(1, 5))
    assert abs(place["y"] - status["y"]) < 8 and status["x"] > place["x"], (place, status)
    assert place["y"] < quote["y"] < source["y"], (place, quote, source)
    card = row.bounding_box()
    assert quote["width"] >= max(250, card["width"] - 8) and source["width"] >= quote["width"] - 1, (
        card,
        quote,
        source,
    )
    from conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    table.evaluate("box => box.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SCREENSHOTS / "16_phone_evidence.png"))
    page.get_by_role("tab", name="引用的原文").click()
    cards = page.locator("#ghqa-citations .ghqa-card")
    cards.first.wait_for()
    assert cards.first.bounding_box()["width"] <= 390
    cards.first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "17_phone_citations.png"))
    context.close()


def test_llm_endpoint_set_in_the_settings_writes_the_answer(page, server, ghqa_home, screenshot):
    from ghqa.ui.conversations import ConversationStore, Settings

    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.reply = {"mode": "sse", "pieces": ["马过河镇农民工工资", "上浮了十五个百分点[1]。"]}
    secret = "sk-browser-secret"
    open_tab(page, "设置")
    page.locator("#ghqa-set-llm-url input, #ghqa-set-llm-url textarea").first.fill(url)
    page.locator("#ghqa-set-llm-model input, #ghqa-set-llm-model textarea").first.fill("test-model")
    page.locator("#ghqa-set-llm-key input").fill(secret)
    page.locator("#ghqa-set-save").click()
    try:
        page.locator("#ghqa-set-msg").get_by_text("设置已保存").wait_for()
        assert page.locator("#ghqa-set-llm-key input").input_value() == ""
        open_tab(page, "问答")
        ask(page, "马过河镇农民工工资上浮了多少？")
        last_reply(page).get_by_text("上浮了十五个百分点").wait_for()
        assert server.requests[-1]["body"]["model"] == "test-model"
        # After a reload the endpoint and model are back; the key is only said to be saved, never sent to the page.
        page.reload()
        open_tab(page, "设置")
        page.wait_for_function(
            "(url) => document.querySelector('#ghqa-set-llm-url input, #ghqa-set-llm-url textarea').value === url",
            arg=url,
        )
        key = page.locator("#ghqa-set-llm-key input")
        assert key.input_value() == "" and "已保存" in key.get_attribute("placeholder")
        assert secret not in page.content()
        screenshot(page, "18_settings_llm")
    finally:
        saved = ConversationStore(ghqa_home)
        saved.save_settings(Settings())  # the other tests answer without the endpoint, which goes with this test
        saved.close()
