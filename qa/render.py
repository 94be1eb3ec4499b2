"""Plain-text output for people at a terminal: ranked passages and cited answers, query terms marked."""

from __future__ import annotations

import re
import shutil
import textwrap

import click
from ghqa.index.passages import Passage
from ghqa.ingest.clean import normalize_for_index


def query_terms(query: str) -> list[str]:
    """Words of the query worth marking in a passage (two characters or more)."""
    from ghqa.index.lexical import segment

    return sorted({w for w in segment(normalize_for_index(query)) if len(w) >= 2}, key=len, reverse=True)


def mark_terms(text: str, terms: list[str], style=lambda s: click.style(s, bold=True, fg="yellow")) -> str:
    """Mark the query's words in a passage, matching Traditional text against Simplified terms."""
    if not terms:
        return text
    norm = normalize_for_index(text)
    if len(norm) != len(text):
        return text
    spans = sorted({(m.start(), m.end()) for t in terms for m in re.finditer(re.escape(t), norm)})
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(style(text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _wrap(text: str) -> str:
    width = min(100, shutil.get_terminal_size((100, 20)).columns) - 4
    return "\n".join(
        textwrap.fill(line, width, initial_indent="    ", subsequent_indent="    ") for line in text.splitlines()
    )


def print_hits(query: str, hits: list[Passage]) -> None:
    click.echo(click.style(f"» {query}", bold=True))
    if not hits:
        click.echo("  no passage found")
        return
    for rank, hit in enumerate(hits, start=1):
        place = hit.unit or "—"
        strength = f"  {hit.relevance.describe()}" if hit.relevance else ""
        click.echo(f"\n{rank:>2}. {hit.article_title}  [{place}]{strength}")
        click.echo(click.style(f"    {hit.locator()}", dim=True))
        terms = hit.relevance.matched if hit.relevance and hit.relevance.matched else query_terms(query)
        click.echo(mark_terms(_wrap(hit.text), terms))
        if hit.also_in:
            click.echo(click.style(f"    also in {len(hit.also_in)}: " + "; ".join(hit.also_in), dim=True))
    click.echo("")


def print_answer(answer, text_shown: bool = False) -> None:
    """The answer, then its numbered sources with locators (or the nearest passages, said to be only that)."""
    if not text_shown:
        click.echo(click.style(f"» {answer.question}", bold=True))
        click.echo(answer.text)
    if answer.note:
        click.echo(click.style(f"note: {answer.note}", fg="red"))
    if answer.citations:
        click.echo(click.style("\nsources", bold=True))
    for i, p in enumerate(answer.citations, start=1):
        click.echo(f"[{i}] {p.article_title}  [{p.unit or '—'}]")
        click.echo(click.style(f"    {p.locator()}", dim=True))
        click.echo(_wrap(p.text))
    if answer.nearest:
        click.echo(click.style("\nnearest passages (they do not answer the question)", bold=True))
        for p in answer.nearest:
            click.echo(click.style(f"  {p.locator()}", dim=True))
            click.echo(_wrap(p.text[:200]))
    click.echo("")


def print_streamed_answer(question: str, updates) -> object:
    """Print an LLM's answer as it is written, then the sources; returns the final Answer."""
    click.echo(click.style(f"» {question}", bold=True))
    shown = ""
    for update in updates:
        if isinstance(update, str):
            click.echo(update[len(shown) :], nl=False)
            shown = update
            continue
        if shown:
            click.echo("")
        if update.text != shown.strip():  # no stream, or the LLM failed and the extractive answer stands
            click.echo(update.text)
        print_answer(update, text_shown=True)
        return update
    raise RuntimeError("the answer stream ended without an answer")
