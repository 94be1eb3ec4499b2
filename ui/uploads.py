"""Uploaded files: checked for type and size, then copied under GHQA_HOME/uploads/ under a safe name."""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ghqa.ingest.loaders import SUPPORTED_SUFFIXES, max_file_bytes

UPLOAD_DIR = "uploads"
_MAX_NAME = 120
# Characters that are unsafe or awkward in file names on any common system.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


class UploadRejected(ValueError):
    """An upload refused before ingestion; the message names the file and the reason."""


@dataclass
class SavedUpload:
    original: str
    path: Path
    replaced: bool


def safe_name(name: str) -> str:
    """A plain file name from whatever the browser sent: last path component, no controls, no leading dots."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = _UNSAFE.sub("_", base).strip().lstrip(".").strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    # Keep the suffix intact when trimming a long name, since it picks the loader.
    stem = stem[: _MAX_NAME - len(suffix) - 1].rstrip() or "upload"
    return f"{stem}.{suffix}" if suffix else stem


def check_type(name: str) -> None:
    """Raise UploadRejected unless the name has a type ingestion can read."""
    suffix = Path(safe_name(name)).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        allowed = " ".join(SUPPORTED_SUFFIXES)
        raise UploadRejected(f"{name}：不支持的文件类型“{suffix or '无扩展名'}”，可上传 {allowed}")


def check_size(name: str, size: int) -> None:
    """Raise UploadRejected for an empty file or one over the ingestion size limit."""
    limit = max_file_bytes()
    if size > limit:
        raise UploadRejected(f"{name}：文件太大（{size / 2**20:.1f} MB），上限 {limit / 2**20:.0f} MB")
    if size == 0:
        raise UploadRejected(f"{name}：文件是空的")


def save(src: Path, home: Path, original_name: str | None = None) -> SavedUpload:
    """Copy an uploaded temp file to GHQA_HOME/uploads/<safe name>, replacing an earlier upload of that name."""
    original = original_name or src.name
    check_type(original)
    try:
        check_size(original, src.stat().st_size)
    except FileNotFoundError as exc:
        raise UploadRejected(f"{original}：上传的文件已不存在，请重新上传") from exc
    folder = (home / UPLOAD_DIR).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    dest = (folder / safe_name(original)).resolve()
    # safe_name already yields a bare name; this guards against any path it might still let through.
    if dest.parent != folder:
        raise UploadRejected(f"{original}：文件名无效")
    replaced = dest.exists()
    shutil.copyfile(src, dest)
    return SavedUpload(original=original, path=dest, replaced=replaced)


# Ingest reports why a file failed in English (the CLI's language); the page says it in Chinese. Technical detail
# after the reason (a parser's exception text) is left out: it does not help someone who only uploaded a file.
_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^damaged PDF"), "PDF 文件已损坏，无法读取；请用原软件重新导出 PDF 后再上传"),
    (re.compile(r"^encrypted PDF: a password"), "PDF 文件有密码保护；请先去掉密码再上传"),
    (re.compile(r"^encrypted PDF"), "PDF 文件已加密，无法解密；请先去掉加密再上传"),
    (re.compile(r"^no text layer"), "PDF 没有文字层（可能是扫描件）；请先做文字识别（OCR）再上传"),
    (
        re.compile(r"spaced|NUL|separat", re.IGNORECASE),
        "PDF 的文字层每个字之间都夹着空格或空字符，无法可靠还原；请另存为 Word 或文本后再上传",
    ),
    (re.compile(r"^damaged DOCX"), "Word 文件已损坏，无法读取；请用 Word 打开后另存再上传"),
    (re.compile(r"^not a text file"), "不是文本文件（内容为二进制）"),
    (re.compile(r"^no text found"), "文件里没有找到文字"),
    (re.compile(r"^empty file"), "文件是空的"),
    (re.compile(r"^file too large"), "文件太大，超过导入上限"),
    (re.compile(r"^too many passages"), "文件太长（段落数超过上限），请拆分后再上传"),
    (re.compile(r"^unsupported file type"), f"不支持的文件类型，可上传 {' '.join(SUPPORTED_SUFFIXES)}"),
    (re.compile(r"^(file no longer exists|file does not exist)"), "上传的文件已不存在，请重新上传"),
    (re.compile(r"^permission denied"), "没有读取权限"),
    (re.compile(r"^out of memory"), "内存不足，无法导入这个文件"),
]


def chinese_reason(reason: str) -> str:
    """Why a file failed to import, in Chinese."""
    for pattern, chinese in _REASONS:
        if pattern.search(reason):
            return chinese
    return "无法导入这个文件（详情见服务器日志）"
