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
