"""Turn a report file (.txt, .md, .html, .htm, .pdf, .docx) into its decoded text.

Heavy libraries are imported inside the functions that use them so that `import ingest.loaders` stays fast.
"""

from __future__ import annotations

import bisect
import codecs
import io
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from ghqa.core.errors import IngestError, SettingError
from ghqa.core.settings import positive_setting
from ghqa.ingest.chunks import split_long
from ghqa.ingest.model import SourceText

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
DEFAULT_MAX_FILE_MB = 64
MAX_FILE_ENV = "GHQA_MAX_FILE_MB"
# The longest paragraph in corpus/ has about 900 characters; a scraped page's one-line dump is far longer.
DEFAULT_MAX_PARAGRAPH_CHARS = 2000
MIN_PARAGRAPH_CHARS = 100
MAX_PARAGRAPH_ENV = "GHQA_MAX_PARAGRAPH_CHARS"

T = TypeVar("T")
_MB = 1024 * 1024
# Chinese encodings that a detector may name; gb18030 is a superset of them all, big5hkscs of big5/cp950.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}
# Mostly-UTF-8 text with at most this share of broken bytes is read as UTF-8 with replacement characters.
_MAX_BROKEN_UTF8 = 0.001
# More than this share of control characters means the content is not text.
_MAX_CONTROL_CHARS = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# ASCII, CJK (punctuation, kana, ideographs) and full-width forms: what a report's characters are.
_PLAIN_TEXT = re.compile(r"[\t\n\r\x20-\x7e\u3000-\u9fff\uff00-\uffef]")
_MIN_PLAIN_TEXT = 0.9
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class _Rejected(Exception):
    """A format loader's reason for refusing the bytes; load_source adds the path."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


_BINARY = "not a text file (binary content)"


def max_file_bytes() -> int:
    """The size limit, from GHQA_MAX_FILE_MB."""
    try:
        return int(positive_setting(MAX_FILE_ENV, DEFAULT_MAX_FILE_MB) * _MB)
    except SettingError:
        raise SettingError(
            f"{MAX_FILE_ENV} must be a positive number of megabytes, got {os.environ.get(MAX_FILE_ENV)!r}"
        ) from None


def max_paragraph_chars() -> int:
    """The longest line kept whole, from GHQA_MAX_PARAGRAPH_CHARS; longer lines are split at sentence ends."""
    return max(MIN_PARAGRAPH_CHARS, int(positive_setting(MAX_PARAGRAPH_ENV, DEFAULT_MAX_PARAGRAPH_CHARS)))


def read_bytes(path: Path) -> bytes:
    """Read a supported file's bytes once, size-checked; raises IngestError naming the file and the reason."""
    path = Path(path)
    with _naming(path):
        return _read(path)


def load_source(path: Path, data: bytes | None = None) -> SourceText:
    """The text of one file, decoded from `data` when given (as read by read_bytes), else read from disk.

    Raises IngestError naming the file and a specific reason."""
    path = Path(path)
    with _naming(path):
        loader = _loader(path)
        source = loader(_read(path) if data is None else data)
        if not source.text.strip():
            raise _Rejected("no text found")
        return _split_long_lines(source, max_paragraph_chars())


def _split_long_lines(source: SourceText, limit: int) -> SourceText:
    """Break lines longer than `limit` at sentence ends, so one giant line becomes paragraphs, not one chunk.

    Each break adds a newline, so later offsets move by the breaks before them; page starts move with them."""
    if all(len(line) <= limit for line in source.text.split("\n")):
        return source
    parts: list[str] = []
    added_before: list[tuple[int, int]] = []  # (offset in the old text, newlines added before it)
    added = pos = 0
    for line in source.text.split("\n"):
        spans = split_long(line, limit)
        parts.append("\n".join(line[s:e] for s, e in spans))
        for s, _ in spans[1:]:
            added += 1
            added_before.append((pos + s, added))
        pos += len(line) + 1
    pages = [(number, offset + _added_at(added_before, offset)) for number, offset in source.pages]
    warning = f"{added} line break(s) added to split lines longer than {limit} characters (set {MAX_PARAGRAPH_ENV})"
    return replace(source, text="\n".join(parts), pages=pages, warnings=[*source.warnings, warning])


def _added_at(added_before: list[tuple[int, int]], offset: int) -> int:
    index = bisect.bisect_right(added_before, (offset, float("inf"))) - 1
    return added_before[index][1] if index >= 0 else 0


@contextmanager
def _naming(path: Path) -> Iterator[None]:
    """Turn a loader's rejection into an IngestError that names the file."""
    try:
        yield
    except _Rejected as rejected:
        raise IngestError(str(path), rejected.reason) from rejected.__cause__


def _loader(path: Path) -> Callable[[bytes], SourceText]:
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        shown = path.suffix.lower() or "(none)"
        raise _Rejected(f"unsupported file type '{shown}' (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    return loader


def _read(path: Path) -> bytes:
    info = _guard_os(path.stat)
    if stat.S_ISDIR(info.st_mode):
        raise _Rejected("is a directory, not a file")
    # Refuse an unsupported type before reading it.
    _loader(path)
    return _read_bytes(path, info.st_size)


def _read_bytes(path: Path, size: int) -> bytes:
    """Check the size from stat before reading, so a huge file never reaches memory."""
    limit = max_file_bytes()
    if size > limit:
        raise _Rejected(_too_large(size, limit))
    if size == 0:
        raise _Rejected("empty file")
    data = _guard_os(lambda: _read_at_most(path, limit + 1))
    # The file may have changed since the stat.
    if len(data) > limit:
        raise _Rejected(_too_large(len(data), limit))
    if not data:
        raise _Rejected("empty file")
    return data


def _read_at_most(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def _guard_os(action: Callable[[], T]) -> T:
    """Run a file-system call, turning its OS errors into reasons a user can act on."""
    try:
        return action()
    except FileNotFoundError:
        raise _Rejected("file no longer exists") from None
    except PermissionError:
        raise _Rejected("permission denied") from None
    except IsADirectoryError:
        raise _Rejected("is a directory, not a file") from None
    except OSError as error:
        raise _Rejected(f"cannot read file: {error.strerror or error}") from None


def _too_large(size: int, limit: int) -> str:
    return f"file too large: {size / _MB:.1f} MB (limit {limit / _MB:g} MB, set {MAX_FILE_ENV})"


# --- plain text ---------------------------------------------------------------------------------------------


def _load_text(data: bytes) -> SourceText:
    text, encoding, warnings = _decode_bytes(data)
    return SourceText(text=text, encoding=encoding, warnings=warnings)


def _decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode text bytes to (text with \\n newlines, encoding, warnings); `declared` is e.g. an HTML meta charset."""
    text, encoding, warnings = _decode(data, declared)
    if text and len(_CONTROL.findall(text)) / len(text) > _MAX_CONTROL_CHARS:
        raise _Rejected(_BINARY)
    return _normalise_newlines(text), encoding, warnings


def _decode(data: bytes, declared: str | None) -> tuple[str, str, list[str]]:
    # A BOM is the only certain signal, so it wins over everything else.
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig"), "utf-8-sig", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16", []
    if b"\x00" in data:
        # Text with NUL bytes is UTF-16 saved without a BOM (Windows editors do this), or it is not text.
        decoded = _utf16_without_bom(data)
        if decoded is None:
            raise _Rejected(_BINARY)
        return decoded
    # Strict UTF-8 almost never accepts bytes in another encoding, and pages often declare a stale charset.
    for encoding in ["utf-8", *([_superset(declared)] if declared else [])]:
        try:
            return data.decode(encoding), encoding, []
        except (UnicodeDecodeError, LookupError):
            pass
    return _mostly_utf8(data) or _detect(data)


def _utf16_without_bom(data: bytes) -> tuple[str, str, list[str]] | None:
    """UTF-16 told by its NUL bytes (each ASCII character puts one in its high byte) and by reading as text."""
    if len(data) % 2:
        return None
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    encoding = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    plausible = len(_PLAIN_TEXT.findall(text))
    return (text, encoding, []) if plausible >= _MIN_PLAIN_TEXT * len(text) else None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise _Rejected(_BINARY) from None


def _mostly_utf8(data: bytes) -> tuple[str, str, list[str]] | None:
    """Scraped reports are UTF-8 with a few broken bytes; a detector would guess some other encoding for them."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    if broken > max(1, len(text) * _MAX_BROKEN_UTF8):
        return None
    return text, "utf-8", [f"{broken} invalid UTF-8 byte sequence(s) replaced with U+FFFD"]


def _detect(data: bytes) -> tuple[str, str, list[str]]:
    # charset-normalizer guesses Chinese poorly on short texts, so it comes last.
    from charset_normalizer import from_bytes

    for match in from_bytes(data):
        for encoding in dict.fromkeys((_superset(match.encoding), match.encoding)):
            try:
                return data.decode(encoding), encoding, []
            except (UnicodeDecodeError, LookupError):
                continue
    raise _Rejected(_BINARY)


def _superset(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    return _SUPERSETS.get(name, name)


# Line ends a scraper wrote out as the characters \r\n or \n, in a page whose text then holds none of its own.
_ESCAPED_LINE_END = re.compile(r"\\r\\n|\\n|\\r")


def _normalise_newlines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    escaped = len(_ESCAPED_LINE_END.findall(text))
    return _ESCAPED_LINE_END.sub("\n", text) if escaped > text.count("\n") else text


# --- HTML ---------------------------------------------------------------------------------------------------

# Page furniture that never belongs to the article text.
_HTML_DROP = ("head", "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe")
_HTML_BLOCKS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "blockquote", "pre", "table", "ul", "ol", "dd", "dt",
)  # fmt: skip


def _load_html(data: bytes) -> SourceText:
    match = _META_CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii") if match else None
    markup, encoding, warnings = _decode_bytes(data, declared)
    text = _article_text(markup) or _plain_html_text(markup)
    return SourceText(text=text, encoding=encoding, warnings=warnings)


def _article_text(markup: str) -> str:
    import trafilatura

    # txt output puts one paragraph on each line.
    text = trafilatura.extract(
        markup, output_format="txt", include_comments=False, include_tables=True, include_images=False
    )
    return _normalise_newlines(text or "").strip()


def _plain_html_text(markup: str) -> str:
    """All visible text, one block element per line, for pages trafilatura finds no article in."""
    from lxml import etree, html

    try:
        root = html.document_fromstring(markup)
    except (ValueError, etree.ParserError):
        return ""
    for element in list(root.iter(*_HTML_DROP)):
        element.drop_tree()
    for element in root.iter(*_HTML_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


# --- PDF ----------------------------------------------------------------------------------------------------


def _load_pdf(data: bytes) -> SourceText:
    from pypdf.errors import PyPdfError

    try:
        return _pdf_text(_open_pdf(data))
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        # pypdf reports broken structure with many exception types.
        raise _Rejected(f"damaged PDF: {error or type(error).__name__}") from error


def _open_pdf(data: bytes):
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # Many PDFs are encrypted only to restrict printing and open with an empty password.
        try:
            opened = reader.decrypt("")
        except DependencyError as error:
            raise _Rejected(f"encrypted PDF: cannot decrypt ({error})") from error
        if opened == PasswordType.NOT_DECRYPTED:
            raise _Rejected("encrypted PDF: a password is needed to open it")
    return reader


# Some PDF writers (fpdf2 with a CJK font among them) leave a NUL, or a space, between every character in the text
# layer; the text then matches no phrase and names no place. A line is spaced out when most of its neighbouring
# non-Latin characters are one blank apart.
_SPACED_GAP = re.compile(r"(?<=[^\sA-Za-z]) (?=[^\sA-Za-z])")
_NON_LATIN_PAIR = re.compile(r"(?=([^\sA-Za-z]) ?[^\sA-Za-z])")
SPACED_SHARE = 0.8


def repair_spacing(text: str) -> tuple[str, str | None]:
    """Text with NULs dropped and spaced-out lines closed up, and what was repaired (None when nothing was)."""
    fixed = []
    if "\x00" in text:
        text = text.replace("\x00", "")
        fixed.append("NUL characters between letters removed")
    lines, closed = [], False
    for line in text.split("\n"):
        pairs = len(_NON_LATIN_PAIR.findall(line))
        gaps = len(_SPACED_GAP.findall(line))
        if pairs >= 4 and gaps / pairs >= SPACED_SHARE:
            line, closed = _SPACED_GAP.sub("", line), True
        lines.append(line)
    if closed:
        fixed.append("spaced-out text closed up")
    return "\n".join(lines), ("; ".join(fixed) + " (repaired)") if fixed else None


def _pdf_text(reader) -> SourceText:
    parts: list[str] = []
    pages: list[tuple[int, int]] = []
    warnings: list[str] = []
    offset = 0
    for number, page in enumerate(reader.pages, start=1):
        text, respaced = repair_spacing(_normalise_newlines(page.extract_text() or ""))
        if respaced:
            warnings.append(f"page {number}: {respaced}")
        pages.append((number, offset))
        if not text.strip():
            warnings.append(f"page {number} has no text layer")
            continue
        # Each page starts on its own line so a page's offset is where its first line begins.
        text = text if text.endswith("\n") else text + "\n"
        parts.append(text)
        offset += len(text)
    if not parts:
        raise _Rejected("no text layer (scanned?)")
    return SourceText(text="".join(parts), pages=pages, warnings=warnings)


# --- DOCX ---------------------------------------------------------------------------------------------------


def _load_docx(data: bytes) -> SourceText:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises zipfile, lxml and KeyError failures for a broken package
        raise _Rejected(f"damaged DOCX: {error or type(error).__name__}") from error
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.append(block.text)
    return SourceText(text=_normalise_newlines("\n".join(lines)))


def _table_lines(table) -> list[str]:
    """One line per row, cells joined by ' | '; a merged cell is listed once."""
    lines = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            # python-docx repeats a horizontally merged cell once per grid column it spans.
            if cell._tc is not previous:
                cells.append(" ".join(cell.text.split()))
            previous = cell._tc
        lines.append(" | ".join(cells))
    return lines


_LOADERS: dict[str, Callable[[bytes], SourceText]] = {
    ".txt": _load_text,
    ".md": _load_text,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}
