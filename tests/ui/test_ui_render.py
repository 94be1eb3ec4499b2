"""Fast checks of the UI's HTML rendering, escaping and upload-name handling (no browser, no index)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ghqa.index.passages import Passage
from ghqa.ingest.model import Paragraph
from ghqa.ui import render, uploads

from ghqa.services import ArticleInfo

TRAD = "一、穩固基礎\n全鎮開展工資集體協商，簽訂合同12份。\n建立職工書屋3個。"


def passage(text: str = TRAD, **kw) -> Passage:
    base = dict(
        chunk_id=42,
        text=text,
        source="/data/corpus/003_25279264fab4da48.txt",
        article_number=7,
        article_title="鄉鎮工會工作總結7",
        section_path=["一、穩固基礎"],
        first_paragraph=2,
        last_paragraph=4,
        char_start=100,
        char_end=150,
        score=0.8,
        unit="逍林镇",
        places=["逍林镇"],
        year="2010",
    )
    base.update(kw)
    return Passage(**base)


def paragraph(number: int, text: str, heading_level: int | None = None) -> Paragraph:
    return Paragraph(number, text, text, [], 0, len(text), heading_level)


def article(**kw) -> ArticleInfo:
    base = dict(
        id=7,
        source="/srv/x/003.txt",
        number=7,
        title="鄉鎮工會工作總結7",
        unit="逍林镇",
        unit_parent="慈溪市",
        unit_former=None,
        level="镇",
        places=["逍林镇"],
        year="2010",
        period=None,
        n_paragraphs=2,
        n_chunks=1,
        document_id=1,
        document_title="鄉鎮工會工作總結",
    )
    base.update(kw)
    return ArticleInfo(**base)


HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> "quoted" & {{value}} ${1+1}'


def no_raw_markup(html: str) -> None:
    assert "<script" not in html
    assert "<img" not in html
    assert "onerror=" not in html.replace("onerror=&quot;", "")


def test_cards_escape_document_text_everywhere():
    p = passage(
        HOSTILE,
        article_title="<b>title</b>",
        section_path=["<i>sec</i>"],
        unit="<u>x</u>",
        also_in=["<s>.txt"],
        first_paragraph=1,
        last_paragraph=1,
    )
    for html in (
        render.citations_html([p], "答案[1]", "alert"),
        render.search_html([p], "<script>", exact=True),
        render.search_html([p], "alert"),
    ):
        no_raw_markup(html)
        assert "<b>title" not in html and "<i>sec" not in html and "<u>x" not in html and "<s>.txt" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;script&gt;</mark>" in html


def test_copy_reference_survives_attribute_quoting():
    p = passage('他说"好"&<x>', first_paragraph=3, last_paragraph=3)
    html = render.search_html([p], "好")
    ref = re.search(r'data-ref="([^"]*)"', html).group(1)
    assert "&quot;好&quot;" in ref and "&lt;x&gt;" in ref and "&amp;" in ref


def test_reference_format():
    p = passage(first_paragraph=3, last_paragraph=3, text="全鎮開展工資集體協商。")
    assert render.reference(p) == (
        "“全鎮開展工資集體協商。”（来源：《鄉鎮工會工作總結7》，逍林镇，003_25279264fab4da48.txt，第7篇，一、穩固基礎，第3段）"
    )
    assert "第2–4段" in render.reference(passage())


def test_support_sentence_is_script_insensitive_and_names_its_paragraph():
    p = passage()
    span = render.support_span(p.text, "全镇开展了工资集体协商")
    assert p.text[span[0] : span[1]] == "全鎮開展工資集體協商，簽訂合同12份。"
    assert render.paragraph_of(p, span[0]) == 3
    html = render.citations_html([p], "逍林镇开展了工资集体协商[1]。")
    assert "<mark>全鎮開展工資集體協商，簽訂合同12份。</mark>" in html
    # List answers quote the evidence and put the marker after the closing quote.
    html = render.citations_html([p], "1. 逍林镇（已开展）：“全鎮開展工資集體協商，簽訂合同12份。”[1]")
    assert "<mark>全鎮開展工資集體協商，簽訂合同12份。</mark>" in html
    assert "第3段" in re.search(r'data-ref="([^"]*)"', html).group(1)


def test_exact_phrase_highlight_matches_other_script():
    p = passage()
    assert render.phrase_spans(p.text, "职工书屋") == [(TRAD.index("職工書屋"), TRAD.index("職工書屋") + 4)]
    # As phrase lookup finds it: across quotation marks, letters and digits as whole tokens.
    assert render.phrase_spans("推进“三北”工程和三北工程", "三北工程") == [(3, 8), (9, 13)]
    assert render.phrase_spans("16G内存和6G试验", "6g") == [(6, 8)]
    assert "<mark>職工書屋</mark>" in render.search_html([p], "职工书屋", exact=True)


def test_cards_show_locator_place_and_duplicates():
    html = render.citations_html([passage(also_in=["a/004_x.txt", "b/005_y.txt"])])
    assert render.esc(passage().locator()) in html
    assert "逍林镇 · 2010" in html
    assert "另见于 2 份报告" in html and "004_x.txt" in html


def test_answer_markers_and_escaping():
    html = render.answer_html("甲镇[1]，乙镇[2]。\n<script>x</script>")
    assert '<sup class="ghqa-sup">[<span class="ghqa-ref">1</span>]</sup>' in html and "<br>" in html
    both = render.answer_html("甲镇[1,2]。")
    assert '[<span class="ghqa-ref">1</span>,<span class="ghqa-ref">2</span>]' in both
    assert "<script" not in html


def test_context_marks_cited_paragraphs_and_escapes():
    rows = [paragraph(1, "一、標題", 1), paragraph(2, "<b>正文</b>"), paragraph(3, "後文")]
    html = render.context_html(rows, 2, 2)
    assert 'class="ghqa-cited"' in html and "&lt;b&gt;正文" in html and "ghqa-heading" in html
    assert "ghqa-empty" in render.context_html([], 1, 1)


def test_empty_states():
    assert "ghqa-empty" in render.search_html([], "  ")
    assert "没有找到" in render.search_html([], "<x>") and "<x>" not in render.search_html([], "<x>")
    assert "ghqa-empty" in render.table_html(["a"], [], "空")
    assert "&lt;" in render.table_html(["a"], [["<x>"]], "空")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\x.docx", "x.docx"),
        ("/abs/path/报告.PDF", "报告.PDF"),
        ("..", "upload"),
        (".hidden.md", "hidden.md"),
        ("a\x00b<c>.txt", "a_b_c_.txt"),
        ("鄉鎮工會工作總結.html", "鄉鎮工會工作總結.html"),
    ],
)
def test_safe_name(name, expected):
    assert uploads.safe_name(name) == expected


def test_safe_name_trims_long_names_but_keeps_suffix():
    name = uploads.safe_name("长" * 500 + ".docx")
    assert name.endswith(".docx") and len(name) <= 120


def test_save_stays_inside_home(tmp_path: Path):
    src = tmp_path / "tmp.txt"
    src.write_text("工会工作总结", encoding="utf-8")
    home = tmp_path / "home"
    saved = uploads.save(src, home, "../../../escape.txt")
    assert saved.path == (home / "uploads" / "escape.txt").resolve()
    assert saved.path.read_text(encoding="utf-8") == "工会工作总结"
    assert not (tmp_path / "escape.txt").exists() and not saved.replaced
    assert uploads.save(src, home, "escape.txt").replaced


def test_save_rejects_bad_type_size_and_empty(tmp_path: Path, monkeypatch):
    src = tmp_path / "x.exe"
    src.write_bytes(b"MZ")
    with pytest.raises(uploads.UploadRejected, match="不支持的文件类型"):
        uploads.save(src, tmp_path)
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    with pytest.raises(uploads.UploadRejected, match="空的"):
        uploads.save(empty, tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 4096)
    monkeypatch.setenv("GHQA_MAX_FILE_MB", "0.001")
    with pytest.raises(uploads.UploadRejected, match="太大"):
        uploads.save(big, tmp_path)


def test_answer_quote_is_marked_and_referenced_at_its_own_paragraph():
    p = passage("全鎮開展工資集體協商，簽訂合同12份。", first_paragraph=3, last_paragraph=3, quote="簽訂合同12份。")
    html = render.citations_html([p], "甲镇[1]。")
    assert "<mark>簽訂合同12份。</mark>" in html
    ref = re.search(r'data-ref="([^"]*)"', html).group(1)
    assert ref.startswith("“簽訂合同12份。”") and ref.endswith("一、穩固基礎，第3段）")
    assert 'data-quote="簽訂合同12份。"' in html


def test_search_reference_names_the_quoted_paragraphs_own_section():
    p = passage(
        "一、穩固基礎\n全鎮開展工資集體協商。\n二、維護權益\n建立職工書屋3個。", first_paragraph=1, last_paragraph=4
    )
    p.article_id = 5
    sections = {(5, 4): ["二、維護權益"]}
    html = render.search_html([p], "职工书屋", sections=sections)
    ref = re.search(r'data-ref="([^"]*)"', html).group(1)
    assert "二、維護權益，第4段" in ref and "一、穩固基礎" not in ref


def test_quotes_shown_in_the_chosen_script():
    [simplified] = render.shown_in_script([passage(quote="建立職工書屋3個。")], "simplified")
    assert "建立职工书屋3个。" in simplified.text and simplified.quote == "建立职工书屋3个。"
    [traditional] = render.shown_in_script([passage("建立职工书屋")], "traditional")
    assert traditional.text == "建立職工書屋"
    assert render.shown_in_script([passage()], "original")[0].text == TRAD


def test_source_viewer_marks_the_quoted_sentence_and_escapes():
    rows = [paragraph(1, "一、標題", 1), paragraph(2, "<img src=x onerror=alert(1)>全鎮開展工資集體協商。另有他事。")]
    html = render.source_html(article(title="<b>總結</b>"), rows, 2, "全镇开展工资集体协商。")
    assert "<img" not in html and "<b>" not in html and "&lt;img src=x" in html
    assert 'class="ghqa-focus" data-paragraph="2"' in html and "<mark>全鎮開展工資集體協商。</mark>" in html
    assert "/srv/x" not in html and "003.txt › 第7篇 · 逍林镇 · 2010" in html
    assert "ghqa-empty" in render.source_html(None, [], None)


def test_source_viewer_says_when_the_unit_is_a_former_division():
    former = article(number=13, unit="出江镇", unit_parent="大邑县", unit_former="2016–2019", year="20xx")
    html = render.source_html(former, [paragraph(1, "出江鎮工會聯合會")], 1)
    assert "003.txt › 第13篇 · 出江镇（原建制，2016–2019） · 20xx" in html
    assert render.unit_label("逍林镇") == "逍林镇" and render.unit_label(None, "2016–2019") == ""


def test_copies_elsewhere_open_in_the_viewer():
    html = render.citations_html([passage(also_in=['b/005_y.txt › 第2篇 "x" › ¶3'])])
    assert 'class="ghqa-also-open" data-locator="b/005_y.txt › 第2篇 &quot;x&quot; › ¶3"' in html


def test_overview_chart_has_a_bar_per_group_years_in_order_and_escapes_labels():
    chart = render.overview_html({"2016": 1, "2015": 3, "<b>x</b>": 2})
    assert chart.count('class="ghqa-bar"') == 3
    assert "&lt;b&gt;x&lt;/b&gt;" in chart and "<b>x</b>" not in chart
    years = render.overview_html({"2016": 1, "2015": 3})
    assert years.index("2015") < years.index("2016")
    assert render.overview_html({}) == ""
