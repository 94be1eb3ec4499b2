"""Files the web UI hands out: a conversation as Markdown or Word with numbered sources, an evidence table as CSV.

Each file is named after its question (or conversation) and the date, so downloads do not overwrite each other.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ghqa.qa.evidence import Answer
from ghqa.qa.llm import CITATION_MARKER
from ghqa.ui.render import reference

_NAME_CHARS = 30
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\s。，、；：？！“”‘’（）【】《》]+')


def file_stem(title: str, day: date | None = None) -> str:
    """A file name from a question and the date: 哪些乡镇开展了工资集体协商_2024-05-01."""
    words = _UNSAFE.sub("_", title).strip("_.")[:_NAME_CHARS] or "ghqa"
    return f"{words}_{(day or date.today()).isoformat()}"


def _fresh(name: str) -> Path:
    return Path(tempfile.mkdtemp(prefix="ghqa-")) / name


def write_csv(answer: Answer) -> Path:
    """The evidence table as CSV (UTF-8 with BOM so Excel reads the Chinese)."""
    path = _fresh(f"{file_stem(answer.question)}.csv")
    path.write_text(answer.to_csv(), encoding="utf-8-sig")
    return path


def sources_of(answers: Sequence[Answer]) -> list[tuple[int, Answer, int, str]]:
    """Every cited passage across the conversation, numbered once: (number, answer, its [n], reference)."""
    out = []
    for answer in answers:
        for i, p in enumerate(answer.citations, 1):
            out.append((len(out) + 1, answer, i, reference(p, p.quote or None)))
    return out


def _renumbered(answer: Answer, first: int) -> str:
    """The answer's text with its [n] markers shifted to the conversation-wide numbering."""

    def shift(m: re.Match) -> str:
        return "[" + ",".join(str(int(n) + first - 1) for n in re.findall(r"\d+", m.group(1))) + "]"

    return CITATION_MARKER.sub(shift, answer.text)


def markdown(title: str, answers: Sequence[Answer]) -> str:
    """A conversation as Markdown: each question and answer, then the numbered sources."""
    lines, first = [f"# {title}", ""], 1
    for answer in answers:
        lines += [f"## 问：{answer.question}", "", _renumbered(answer, first), ""]
        if answer.note:
            lines += [f"> {answer.note}", ""]
        first += len(answer.citations)
    sources = sources_of(answers)
    if sources:
        lines += ["## 出处", ""] + [f"{n}. {ref}" for n, _, _, ref in sources]
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(title: str, answers: Sequence[Answer]) -> Path:
    path = _fresh(f"{file_stem(title)}.md")
    path.write_text(markdown(title, answers), encoding="utf-8")
    return path


def write_docx(title: str, answers: Sequence[Answer]) -> Path:
    """A conversation as a Word document: questions as headings, answers, then the numbered sources."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    first = 1
    for answer in answers:
        document.add_heading(f"问：{answer.question}", level=2)
        for line in _renumbered(answer, first).split("\n"):
            document.add_paragraph(line)
        if answer.note:
            document.add_paragraph(answer.note, style="Intense Quote")
        first += len(answer.citations)
    sources = sources_of(answers)
    if sources:
        document.add_heading("出处", level=2)
        for n, _, _, ref in sources:
            document.add_paragraph(f"[{n}] {ref}")
    path = _fresh(f"{file_stem(title)}.docx")
    document.save(path)
    return path
