"""CJK PDFs whose text layer has a NUL or a space between every character are repaired on load."""

from __future__ import annotations

from pathlib import Path

import pytest
from ghqa.ingest.loaders import load_source, repair_spacing

NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
LINES = (
    "绿水街道工会2011年工作总结",
    "一、加强基层组织建设",
    "今年以来，街道工会积极推进非公企业建会，新建工会组织12家。",
    "二、维护职工合法权益",
    "全街道开展工资集体协商，签订合同15份。",
)


def spaced_pdf(path: Path) -> Path:
    """A PDF written by fpdf2 with a Noto CJK font: pypdf reads it with a NUL before every character."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("noto", fname=str(NOTO_CJK))
    pdf.set_font("noto", size=12)
    for line in LINES:
        pdf.set_x(10)
        pdf.multi_cell(180, 8, line)
    pdf.output(str(path))
    return path


def test_fpdf2_cjk_pdf_reads_as_plain_text(tmp_path):
    if not NOTO_CJK.exists():
        pytest.fail(f"{NOTO_CJK} missing: apt-get install fonts-noto-cjk (scripts/install-browser.sh)", pytrace=False)
    source = load_source(spaced_pdf(tmp_path / "绿水街道.pdf"))
    assert "\x00" not in source.text
    assert [line for line in source.text.splitlines() if line] == list(LINES)
    assert any("(repaired)" in w for w in source.warnings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("绿 水 街 道 工 会 2 0 1 1 年 工 作 总 结", "绿水街道工会2011年工作总结"),
        ("\x00全\x00街\x00道\x00开\x00展", "全街道开展"),
    ],
)
def test_spaced_out_lines_are_closed_up(text, expected):
    fixed, what = repair_spacing(text)
    assert fixed == expected and what


@pytest.mark.parametrize(
    "text", ["一、 加强基层组织建设 今年以来", "Trade union work report 2011", "工会 工作 总结 2011 年 报告"]
)
def test_ordinary_spacing_is_left_alone(text):
    assert repair_spacing(text) == (text, None)
