"""What every answer is made of: the answer with its numbered citations and evidence rows, the sentences a
passage can quote, each with the paragraph it cites."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ghqa.index.passages import Passage, QuerySignals, Ranking, Retriever
from ghqa.ingest.chunks import split_sentences
from ghqa.ingest.clean import has_mojibake, to_simplified
from ghqa.ingest.model import Paragraph
from ghqa.qa.questions import QuestionAnalysis

STATUS_LABELS = {"done": "已开展", "planned": "计划开展", "unknown": "提及"}

NO_ANSWER = "资料中没有找到能回答这个问题的段落。"

# A heading line that ends a sentence is body text numbered as a heading (1、开展了…。).
_SENTENCE_END = re.compile(r"[。！？!?；;]\s*$")


@dataclass
class EvidenceRow:
    place: str
    status: str  # done / planned / unknown
    evidence: str
    citation: int  # 1-based index into Answer.citations
    title: str
    locator: str
    year: str | None = None
    level: str | None = None  # the kind word of the row's place (镇, 市, 省 …), when the row is a place
    source_unit: str | None = None  # the issuing unit of the cited report (the province of a city row)
    mentions: int = 1  # sentences on the topic found for this row


CSV_HEADER = ["问题", "地区/单位", "年份", "状态", "证据", "出处"]


@dataclass
class Answer:
    question: str
    kind: str
    text: str
    citations: list[Passage]
    found: bool = True
    evidence: list[EvidenceRow] = field(default_factory=list)
    nearest: list[Passage] = field(default_factory=list)  # shown when nothing answers, labelled as such
    note: str | None = None
    signals: QuerySignals | None = None  # what the abstention model weighed, for answers that consult it

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.question,
            "answer": self.text,
            "kind": self.kind,
            "found": self.found,
            "note": self.note,
            "citations": [{"n": i, **p.to_json()} for i, p in enumerate(self.citations, start=1)],
            "evidence": [row.__dict__ for row in self.evidence],
            "nearest": [p.to_json() for p in self.nearest],
            "signals": self.signals.to_json() if self.signals else None,
        }

    def to_csv(self, header: bool = True) -> str:
        """The evidence table of a list answer, headed in Chinese: question, place or unit, year, status (已开展 /
        计划开展 / 提及), evidence and source."""
        out = io.StringIO()
        writer = csv.writer(out)
        if header:
            writer.writerow(CSV_HEADER)
        for row in self.evidence:
            writer.writerow(
                [
                    self.question,
                    row.place,
                    row.year or "",
                    STATUS_LABELS.get(row.status, row.status),
                    row.evidence,
                    f"[{row.citation}] {row.locator}",
                ]
            )
        return out.getvalue()

    def overview(self) -> dict[str, int]:
        """Each row's place, unit or year and how many sentences on the topic it has, for a chart."""
        return {row.place: row.mentions for row in self.evidence}


def no_answer(analysis: QuestionAnalysis, ranking: Ranking, signals: QuerySignals | None = None) -> Answer:
    """Nothing answers: say so, and show the nearest passages, labelled as such (signals: what the abstention model
    weighed, when it decided)."""
    return Answer(
        analysis.question, analysis.kind, NO_ANSWER, [], found=False, nearest=ranking.passages[:3], signals=signals
    )


def expanded_query(analysis: QuestionAnalysis, text: str | None = None) -> str:
    """The question (or the given part of it) plus the Chinese canonical terms of the topics it names, so English
    questions reach Chinese text."""
    extra = [group[0] for group in analysis.expansions if group[0] not in analysis.normalized]
    return " ".join([text or analysis.question, *extra])


@dataclass
class Quote:
    """A sentence quoted from a passage, and the paragraph that holds it."""

    sentence: str
    passage: Passage
    paragraph: Paragraph
    line: str  # the paragraph's text as the passage holds it (a long paragraph may be split between passages)

    def citation(self) -> Passage:
        """The passage narrowed to the quoted sentence's paragraph, with that paragraph's own section path."""
        return replace(
            self.passage,
            text=self.line,
            first_paragraph=self.paragraph.number,
            last_paragraph=self.paragraph.number,
            section_path=list(self.paragraph.section_path),
            char_start=self.paragraph.char_start,
            char_end=self.paragraph.char_end,
            quote=self.sentence,
            also_in=[],
        )


# The line under a report's title telling when and where it was delivered: its words are the congress's, not the topic's.
_DELIVERY_LINE = re.compile(
    r"[（(—―\-－\s]*(?:\d{4}|[〇零○一二三四五六七八九]{4})年[^，。]{1,3}月[^，。]{1,4}日\s*在[^，。]*(?:会议|大会)上[）)]?"
)


def quotable_sentences(retriever: Retriever, passage: Passage) -> list[Quote]:
    """The passage's sentences that can stand as evidence: never a heading alone, nor the line telling when and where
    the report was delivered (——2026年1月25日在…第四次会议上), never text with mojibake."""
    if passage.article_id is None:
        return []
    paragraphs = retriever.paragraphs(passage.article_id, passage.first_paragraph, passage.last_paragraph)
    quotes: list[Quote] = []
    for line, paragraph in _lines_with_paragraphs(passage.text, paragraphs):
        if paragraph is not None:
            quotes += _line_quotes(passage, paragraph, line)
    return quotes


def section_quotes(retriever: Retriever, passage: Passage, heading: Paragraph) -> list[Quote]:
    """The quotable sentences of the paragraphs under a heading of the passage, to the section's end, which the
    passage may not hold (九、…抓好十项民心工程, then 1、… to 10、…), each citing its own paragraph."""
    if passage.article_id is None:
        return []
    title = heading.text.strip()
    quotes: list[Quote] = []
    for paragraph in retriever.paragraphs(passage.article_id, heading.number + 1):
        if title not in paragraph.section_path:
            break
        quotes += _line_quotes(passage, paragraph, paragraph.text)
    return quotes


def _line_quotes(passage: Passage, paragraph: Paragraph, line: str) -> list[Quote]:
    if paragraph.heading_level is not None and not _SENTENCE_END.search(line):
        return []
    if _DELIVERY_LINE.fullmatch(to_simplified(line).strip()):
        return []
    quotes = []
    for a, b in split_sentences(line):
        sentence = without_mojibake(line[a:b].strip())
        if sentence:
            quotes.append(Quote(sentence, passage, paragraph, line))
    return quotes


def _lines_with_paragraphs(text: str, paragraphs: list[Paragraph]) -> list[tuple[str, Paragraph | None]]:
    """Each line of a passage with the paragraph holding it, in order: two pieces of one long paragraph may be two
    lines of one passage, so a line is matched by its text, not by its position."""
    found: list[tuple[str, Paragraph | None]] = []
    k = 0
    for line in text.split("\n"):
        at = next((j for j in range(k, len(paragraphs)) if line in paragraphs[j].text), None)
        k = k if at is None else at
        found.append((line, None if at is None else paragraphs[at]))
    return found


def without_mojibake(sentence: str) -> str:
    """The sentence, or its longest run of clauses free of mojibake: a quote never carries a garbled fragment."""
    if not has_mojibake(sentence):
        return sentence
    runs, current = [], ""
    for clause in re.split(r"(?<=[,，、:：])", sentence):
        if has_mojibake(clause):
            runs.append(current)
            current = ""
        else:
            current += clause
    runs.append(current)
    best = max(runs, key=len).strip(" ,，、:：")
    return best if _SENTENCE_END.search(best) or len(best) >= len(sentence) / 2 else ""
