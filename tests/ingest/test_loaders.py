"""load_source: every supported format gives back its text, and every bad file gives a specific reason."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import opencc
import pytest
from ghqa.core.errors import IngestError
from ghqa.ingest.loaders import SUPPORTED_SUFFIXES, load_source


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def reason_for(path: Path) -> str:
    with pytest.raises(IngestError) as caught:
        load_source(path)
    assert caught.value.path == str(path)
    return caught.value.reason


# --- text encodings ---------------------------------------------------------------------------------------------


def test_seed_files_load_as_utf8():
    for path in sorted((Path(__file__).resolve().parents[2] / "corpus").glob("*.txt")):
        source = load_source(path)
        assert source.encoding == "utf-8"
        assert source.text == path.read_text(encoding="utf-8")


def test_gbk_file_round_trips(tmp_path, seed_lines):
    text = "\n".join(seed_lines[:3])
    source = load_source(write(tmp_path / "report.txt", text.encode("gbk")))
    assert (source.text, source.encoding) == (text, "gb18030")


def test_big5_file_round_trips(tmp_path, seed_lines):
    text = opencc.OpenCC("s2tw").convert("\n".join(seed_lines[:3]))
    source = load_source(write(tmp_path / "report.md", text.encode("big5")))
    assert source.text == text
    assert source.encoding.startswith("big5")


@pytest.mark.parametrize(
    ("codec", "bom", "expected"),
    [("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"), ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
     ("utf-8", codecs.BOM_UTF8, "utf-8-sig")],
)  # fmt: skip
def test_bom_files_decode_without_the_bom(tmp_path, seed_lines, codec, bom, expected):
    text = "\n".join(seed_lines[:2])
    source = load_source(write(tmp_path / "report.txt", bom + text.encode(codec)))
    assert (source.text, source.encoding) == (text, expected)


def test_windows_newlines_become_newlines(tmp_path, seed_lines):
    source = load_source(write(tmp_path / "report.txt", "\r\n".join(seed_lines[:3]).encode()))
    assert source.text == "\n".join(seed_lines[:3])


def test_line_ends_a_scraper_wrote_out_as_characters_become_newlines(tmp_path, seed_lines):
    # The whole page on one line, its line ends written as the four characters \r\n.
    source = load_source(write(tmp_path / "report.txt", "\\r\\n".join(seed_lines[:3]).encode()))
    assert source.text == "\n".join(seed_lines[:3])
    # A page with line ends of its own keeps a backslash it holds (a path, C:\new).
    kept = "\n".join([*seed_lines[:3], "见C:\\new目录"])
    assert load_source(write(tmp_path / "path.txt", kept.encode())).text == kept


def test_replacement_characters_and_a_few_broken_bytes_still_load_as_utf8(tmp_path, seed_lines):
    text = "\n".join(seed_lines) + "\ufffd"
    # One stray byte in a long UTF-8 report, as scraped pages have.
    data = text.encode() + b"\xff" + "结束".encode()
    source = load_source(write(tmp_path / "report.txt", data))
    assert source.encoding == "utf-8"
    assert source.text == text + "\ufffd结束"
    assert source.warnings == ["1 invalid UTF-8 byte sequence(s) replaced with U+FFFD"]


# --- HTML ---------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>总工会</title>
<style>body {{ color: red; }}</style><script>var tracking = "不要";</script></head>
<body>
<nav><ul>
<li><a href="/">首页</a></li><li><a href="/news">新闻中心</a></li><li><a href="/about">关于我们</a></li>
</ul></nav>
<article><h1>{title}</h1>
{paragraphs}
</article>
<footer>版权所有 联系我们 网站地图</footer>
</body></html>
"""


def html_page(seed_lines: list[str], charset: str) -> tuple[str, list[str]]:
    paragraphs = seed_lines[5:10]
    markup = PAGE.format(
        charset=charset, title=seed_lines[0], paragraphs="\n".join(f"<p>{line}</p>" for line in paragraphs)
    )
    return markup, paragraphs


def test_html_gives_article_paragraphs_one_per_line(tmp_path, seed_lines):
    markup, paragraphs = html_page(seed_lines, "utf-8")
    source = load_source(write(tmp_path / "page.html", markup.encode()))
    lines = source.text.splitlines()
    for paragraph in paragraphs:
        assert paragraph in lines
    for furniture in ("首页", "新闻中心", "版权所有", "tracking", "color"):
        assert furniture not in source.text


@pytest.mark.parametrize(
    ("declared", "codec", "expected"),
    [("gb2312", "gb18030", "gb18030"), ("gb2312", "utf-8", "utf-8")],
    ids=["declared", "stale-declaration"],
)
def test_html_charset(tmp_path, seed_lines, declared, codec, expected):
    markup, paragraphs = html_page(seed_lines, declared)
    source = load_source(write(tmp_path / "page.htm", markup.encode(codec)))
    assert source.encoding == expected
    assert paragraphs[0] in source.text.splitlines()


def test_html_without_detectable_article_falls_back_to_visible_text(tmp_path, seed_lines, monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: None)
    markup, paragraphs = html_page(seed_lines, "utf-8")
    source = load_source(write(tmp_path / "page.html", markup.encode()))
    assert source.text.splitlines() == [seed_lines[0], *paragraphs]


# --- PDF ----------------------------------------------------------------------------------------------------


def test_pdf_pages_and_offsets(tmp_path, seed_lines, make_pdf):
    first, second = seed_lines[:2], seed_lines[2:4]
    source = load_source(write(tmp_path / "report.pdf", make_pdf([first, [], second])))
    assert source.text.splitlines() == first + second
    assert source.warnings == ["page 2 has no text layer"]
    assert source.page_at(source.text.index(first[1])) == 1
    assert source.page_at(source.text.index(second[0])) == 3


def test_pdf_without_text_layer(tmp_path, make_pdf):
    assert reason_for(write(tmp_path / "scan.pdf", make_pdf([[], []]))) == "no text layer (scanned?)"


def test_truncated_pdf(tmp_path, seed_lines, make_pdf):
    data = make_pdf([seed_lines[:3]])
    assert reason_for(write(tmp_path / "cut.pdf", data[: len(data) // 3])).startswith("damaged PDF: ")


def test_encrypted_pdf_needs_password(tmp_path, seed_lines, make_pdf, encrypt_pdf):
    data = encrypt_pdf(make_pdf([seed_lines[:2]]), user_password="secret")
    assert reason_for(write(tmp_path / "locked.pdf", data)).startswith("encrypted PDF: ")


def test_pdf_encrypted_with_empty_password_opens(tmp_path, seed_lines, make_pdf, encrypt_pdf):
    data = encrypt_pdf(make_pdf([seed_lines[:2]]), user_password="")
    assert load_source(write(tmp_path / "restricted.pdf", data)).text.splitlines() == seed_lines[:2]


# --- DOCX ---------------------------------------------------------------------------------------------------


def test_docx_keeps_paragraphs_and_tables_in_order(tmp_path, seed_lines, make_docx):
    table = [["单位", "会员人数"], ["巴州区总工会", "405"]]
    data = make_docx([seed_lines[0], table, seed_lines[5]])
    source = load_source(write(tmp_path / "report.docx", data))
    assert source.text.splitlines() == [seed_lines[0], "单位 | 会员人数", "巴州区总工会 | 405", seed_lines[5]]


def test_damaged_docx(tmp_path):
    assert reason_for(write(tmp_path / "report.docx", b"PK\x03\x04 not really a zip")).startswith("damaged DOCX: ")


# --- files that cannot be read ------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    assert reason_for(write(tmp_path / "empty.txt", b"")) == "empty file"


@pytest.mark.parametrize("junk", [bytes(range(256)) * 8, bytes(range(1, 256)) * 8], ids=["with-nul", "without-nul"])
def test_binary_junk_named_txt(tmp_path, junk):
    assert reason_for(write(tmp_path / "junk.txt", junk)) == "not a text file (binary content)"


def test_too_large_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(80 * 1024 * 1024)  # sparse: takes no disk space
    monkeypatch.setattr(Path, "open", lambda *args, **kwargs: pytest.fail("a too-large file was opened"))
    assert reason_for(path) == "file too large: 80.0 MB (limit 64 MB, set GHQA_MAX_FILE_MB)"


def test_size_limit_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GHQA_MAX_FILE_MB", "2")
    path = tmp_path / "report.txt"
    with path.open("wb") as handle:
        handle.truncate(5 * 1024 * 1024 // 2)
    assert reason_for(path) == "file too large: 2.5 MB (limit 2 MB, set GHQA_MAX_FILE_MB)"


def test_file_deleted_after_scan(tmp_path):
    assert reason_for(tmp_path / "gone.txt") == "file no longer exists"


def test_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path / "secret.txt", "工会".encode())

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    # Tests run as root, where chmod 000 does not stop reading.
    monkeypatch.setattr(Path, "open", refuse)
    assert reason_for(path) == "permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_permissions(tmp_path):
    path = write(tmp_path / "secret.txt", "工会".encode())
    path.chmod(0)
    assert reason_for(path) == "permission denied"


def test_directory(tmp_path):
    folder = tmp_path / "reports.txt"
    folder.mkdir()
    assert reason_for(folder) == "is a directory, not a file"


def test_unsupported_suffix(tmp_path):
    reason = reason_for(write(tmp_path / "sheet.xyz", b"data"))
    assert reason == f"unsupported file type '.xyz' (supported: {', '.join(SUPPORTED_SUFFIXES)})"


def test_bad_size_setting_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GHQA_MAX_FILE_MB", "lots")
    with pytest.raises(ValueError, match="GHQA_MAX_FILE_MB must be a positive number"):
        load_source(write(tmp_path / "report.txt", "工会".encode()))


# --- encodings by content, long lines -----------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_text(tmp_path, seed_lines, codec):
    text = "\n".join(seed_lines[:3])
    source = load_source(write(tmp_path / "report.txt", text.encode(codec)))
    assert (source.text, source.encoding) == (text, codec)


def test_a_line_longer_than_the_limit_is_split_at_sentence_ends(tmp_path, seed_lines, monkeypatch):
    monkeypatch.setenv("GHQA_MAX_PARAGRAPH_CHARS", "200")
    line = "".join(seed_lines) * 3
    source = load_source(write(tmp_path / "report.txt", line.encode()))
    lines = source.text.split("\n")
    assert "".join(lines) == line
    assert max(map(len, lines)) <= 200 and len(lines) >= len(line) // 200
    # cut after a sentence, else after a clause; the seed text has no 200 characters without either
    assert all(part[-1] in "。；！？”，、,：:" for part in lines[:-1])
    assert "GHQA_MAX_PARAGRAPH_CHARS" in source.warnings[-1]


def test_a_line_without_punctuation_is_cut_at_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("GHQA_MAX_PARAGRAPH_CHARS", "100")
    source = load_source(write(tmp_path / "report.txt", ("工会" * 500).encode()))
    assert [len(line) for line in source.text.split("\n")] == [100] * 10
