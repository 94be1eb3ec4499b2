"""The Gradio web UI: cited answers in a chat, precedent wording search, the document library and settings.

Besides the page, two named API endpoints, /search and /ask, serve gradio_client and (with --mcp) MCP clients.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import click
from ghqa.core.errors import GhqaError
from ghqa.index.passages import LOCATOR_SEP, SearchFilters
from ghqa.qa.llm import CITATION_MARKER, DEFAULT_MODEL, LLMConfig
from ghqa.ui import exports, render, uploads
from ghqa.ui.assets import CARDS_JS, CSS
from ghqa.ui.conversations import ConversationStore, Settings

from ghqa.services import MAX_QUERY_ENV, max_query_chars

if TYPE_CHECKING:
    import gradio as gr
    from ghqa.ingest.model import Paragraph
    from ghqa.qa.evidence import Answer

    from ghqa.services import Services

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SHOWN_QUESTION_CHARS = 200
FAILED = "出错了，未能完成；详情见服务器日志。"
MODES = [("混合（语义 + 关键词）", "hybrid"), ("关键词", "lexical"), ("语义", "dense")]
SCRIPTS = [("原文", "original"), ("简体", "simplified"), ("繁体", "traditional")]
# The browser remembers which conversation it is on, so a reload brings that one back.
REMEMBER_JS = "(c) => { localStorage.setItem('ghqa-conversation', c == null ? '' : String(c)); }"
RECALL_JS = "() => localStorage.getItem('ghqa-conversation') || ''"
_ARTICLE_IN_LOCATOR = re.compile(r"^第(\d+)篇")
_PARAGRAPH_IN_LOCATOR = re.compile(r"^¶(\d+)")


class ServeRefused(click.ClickException):
    """The server would be reachable by others without a login (a ClickException: `ghqa serve` prints just the reason)."""


def check_exposure(host: str, auth: tuple[str, str] | None, share: bool) -> None:
    """Refuse to serve beyond this machine, or through a public share link, without a login."""
    if auth is None and (share or host not in LOCAL_HOSTS):
        where = "a public share link" if share else host
        raise ServeRefused(
            f"Refusing to serve on {where} without a login: anyone who can reach it could read and change the corpus. "
            "Give a user name and password (ghqa serve --auth USER:PASSWORD), or bind to 127.0.0.1."
        )


def scope(sources: Sequence[str] | None, places: Sequence[str] | None, years: Sequence[str] | None) -> SearchFilters:
    """The filters for the chosen documents, places and years (several of each; none means all)."""
    return SearchFilters(sources=list(sources or []), places=list(places or []), years=list(years or []))


def in_citation_order(answer: Answer) -> Answer:
    """The answer with its citations renumbered by first mention, so [1], [2], [3] … read in order."""
    order: list[int] = []
    for m in CITATION_MARKER.finditer(answer.text):
        for n in map(int, re.findall(r"\d+", m.group(1))):
            if 1 <= n <= len(answer.citations) and n not in order:
                order.append(n)
    order += [n for n in range(1, len(answer.citations) + 1) if n not in order]
    if order == sorted(order):
        return answer
    new = {old: i for i, old in enumerate(order, 1)}

    def renumber(m: re.Match) -> str:
        numbers = [str(new.get(int(n), int(n))) for n in re.findall(r"\d+", m.group(1))]
        return "[" + ",".join(numbers) + "]"

    return replace(
        answer,
        text=CITATION_MARKER.sub(renumber, answer.text),
        citations=[answer.citations[old - 1] for old in order],
        evidence=[replace(row, citation=new.get(row.citation, row.citation)) for row in answer.evidence],
    )


class Handlers:
    """What the page's events do, as plain methods over the services (one lock: they share a SQLite connection)."""

    def __init__(self, services: Services):
        self.services = services
        self.lock = threading.RLock()
        self.saved = ConversationStore(services.home)

    # --- status ---------------------------------------------------------------

    def index_state(self) -> tuple[str, bool]:
        """A one-line index status for the page, and whether the vectors need building."""
        with self.lock:
            try:
                st = self.services.index_status()
            except Exception as exc:  # a model that will not load, or an index built by another embedder
                return render.notice_html(f"索引不可用：{self.failure_message(exc, 'index status')}", "error"), True
            docs = self.services.stats().documents
        if st.chunks == 0:
            return render.notice_html("索引是空的：请在“文档库”上传报告。", "warn"), False
        if st.stale:
            return (
                render.notice_html(
                    f"索引需要更新：{docs} 份文档，{st.indexed}/{st.chunks} 段已向量化。请点“建立 / 更新索引”。", "warn"
                ),
                True,
            )
        return render.notice_html(f"索引就绪：{docs} 份文档，{st.chunks} 段 · 向量模型 {st.embedder}", "info"), False

    @contextmanager
    def writer(self) -> Iterator[Services]:
        """Services on their own connection and embedder for ingesting and embedding, so searches and answers never
        wait for them: the data folder's write lock orders writers, and readers see each commit."""
        from ghqa.services import open_services

        writer = open_services(self.services.home, self.services.embedder_spec, create=True)
        try:
            yield writer
        finally:
            writer.close()

    def sync_vectors(self, report: Callable[[float, str], None]) -> None:
        """Embed what is new, reporting progress as a fraction."""
        total = {"n": 0, "done": 0}

        def start(n: int) -> None:
            total["n"] = n
            report(0.0, f"向量化 0/{n} 段")

        def advance(n: int) -> None:
            total["done"] += n
            report(total["done"] / max(1, total["n"]), f"向量化 {total['done']}/{total['n']} 段")

        with self.writer() as writer:
            writer.sync_vectors(progress=advance, on_start=start)

    # --- chat -----------------------------------------------------------------

    @staticmethod
    def failure_message(exc: Exception, doing: str) -> str:
        """What the page says when `doing` failed: a GhqaError's own message (it says what to do), else a pointer
        to the server log, which gets the traceback."""
        if isinstance(exc, GhqaError):
            log.warning("%s failed: %s", doing, exc)
            return str(exc)
        log.error("%s failed", doing, exc_info=exc)
        return FAILED

    @staticmethod
    def question_problem(question: str) -> str | None:
        """Why a question cannot be asked as typed, or None."""
        if not question.strip():
            return "请输入一个问题，例如：哪些乡镇开展了工资集体协商？"
        problem = length_problem(question, "问题")
        return f"{problem}要查找一段原文的出处，请用“检索原文”的精确短语模式。" if problem else None

    def llm_config(self) -> LLMConfig | None:
        """The LLM endpoint saved in the settings panel; None leaves the GHQA_LLM_* settings in charge."""
        saved = self.saved.settings()
        if not saved.llm_base_url:
            return None
        return LLMConfig(
            base_url=saved.llm_base_url,
            model=saved.llm_model or DEFAULT_MODEL,
            api_key=saved.llm_api_key or LLMConfig.api_key,
        )

    def save_settings(
        self, top_k: int, mode: str, script: str, llm_base_url: str, llm_model: str, llm_api_key: str
    ) -> tuple[str, Settings]:
        """Save the settings panel; an empty key field keeps the saved key, an empty endpoint clears both."""
        url = (llm_base_url or "").strip()
        if url and not re.match(r"https?://[^\s/]+", url):
            problem = (
                f"LLM 地址“{url[:100]}”无效：请填写 http:// 或 https:// 开头的地址，如 http://127.0.0.1:11434/v1。"
            )
            return render.notice_html(problem, "error"), self.saved.settings()
        key = (llm_api_key or "").strip() or (self.saved.settings().llm_api_key if url else "")
        wanted = Settings(
            top_k=int(top_k), mode=mode, script=script, llm_base_url=url, llm_model=llm_model, llm_api_key=key
        )
        saved = self.saved.save_settings(wanted)
        told = "设置已保存。"
        if saved.llm_base_url:
            told += f"问答由 {saved.llm_model or DEFAULT_MODEL}（{saved.llm_base_url}）改写；列表问题仍用摘录。"
        return render.notice_html(told, "info"), saved

    def answer_stream(
        self, question: str, history: list[Any], filters: SearchFilters | None = None
    ) -> Iterator[str | Any]:
        """Partial answer texts as they grow, then the final Answer (through the settings' LLM when one is set)."""
        stream = self.services.stream_ask(question, history=history, filters=filters, llm=self.llm_config())
        # Only retrieval (the first step) needs the store; a lock held across yields could be released elsewhere.
        with self.lock:
            first = next(stream)
        yield first
        yield from stream

    # --- citations and search -------------------------------------------------

    def context(self, chunk_id: int) -> str:
        """Neighbouring paragraphs (two either side) of a passage."""
        with self.lock:
            around = self.services.source_context(chunk, around=2) if (chunk := _chunk_id(chunk_id)) else None
        if around is None:
            return render.context_html([], 0, 0)
        return render.context_html(around.paragraphs, around.first, around.last)

    def source(self, chunk_id: object, quote: str, script: str = "original") -> str:
        """The whole article of a passage for the source viewer, opened at the paragraph holding the quote."""
        with self.lock:
            whole = self.services.source_context(chunk, around=None) if (chunk := _chunk_id(chunk_id)) else None
        if whole is None:
            return render.source_html(None, [], None)
        focus = _paragraph_holding(whole.paragraphs, quote, whole.first, whole.last)
        return render.source_html(whole.article, whole.paragraphs, focus, quote, script)

    def source_at(self, locator: str, quote: str, script: str = "original") -> str:
        """The article a locator ("file › 第N篇 … › ¶a-b") names, for the copies listed under 另见于."""
        parts = locator.split(LOCATOR_SEP)
        number = next((m.group(1) for p in parts if (m := _ARTICLE_IN_LOCATOR.match(p))), None)
        paragraph = next((int(m.group(1)) for p in parts if (m := _PARAGRAPH_IN_LOCATOR.match(p))), None)
        if number is None:
            return render.source_html(None, [], None)
        with self.lock:
            article = self.services.article(f"{parts[0]}#{number}")
            if article is None:
                return render.source_html(None, [], None)
            rows = self.services.paragraphs(article.id)
        first = paragraph or 1
        focus = _paragraph_holding(rows, quote, first, first + 20)
        return render.source_html(article, rows, focus, quote, script)

    def search(
        self,
        query: str,
        exact: bool,
        sources: list[str] | None,
        places: list[str] | None,
        years: list[str] | None,
        top_k: int,
        mode: str = "hybrid",
        script: str = "original",
    ) -> str:
        query = query or ""
        if not query.strip():
            return render.search_html([], query)
        problem = length_problem(query, "检索内容")
        if problem:
            return render.notice_html(problem, "error")
        try:
            with self.lock:
                hits = self.services.search(
                    query, k=int(top_k), filters=scope(sources, places, years), exact=bool(exact), mode=mode
                ).hits
                sections = self.sections_of(hits)
        except Exception as exc:
            return render.notice_html(self.failure_message(exc, f"searching {query[:50]!r}"), "error")
        shown = render.shown_in_script(hits, script)
        html = render.search_html(shown, query, exact=bool(exact), sections=sections)
        return f'<div data-script="{render.esc(script)}">{html}</div>'

    def sections_of(self, passages: Sequence[Any]) -> dict[tuple[int | None, int], list[str]]:
        """Each paragraph's own section path, for references to a sentence inside a multi-paragraph passage."""
        out: dict[tuple[int | None, int], list[str]] = {}
        for p in passages:
            if p.article_id is None or p.first_paragraph == p.last_paragraph:
                continue
            for paragraph in self.services.paragraphs(p.article_id, p.first_paragraph, p.last_paragraph):
                out[(p.article_id, paragraph.number)] = paragraph.section_path
        return out

    def filter_choices(self) -> tuple[list[str], list[str], list[str]]:
        """Places, years and documents (file names) present in the index, for the scope filters."""
        with self.lock:
            choices = self.services.filter_choices()
        return choices.places, choices.years, choices.sources

    # --- API (gradio_client and MCP) -------------------------------------------

    def search_json(self, query: str, k: int, filters: SearchFilters, exact: bool, mode: str) -> dict:
        problem = length_problem(query or "", "检索内容")
        if problem:
            raise api_error(problem)
        try:
            with self.lock:
                return self.services.search(query, k=k, filters=filters, exact=exact, mode=mode).to_json()
        except GhqaError as exc:
            raise api_error(str(exc)) from exc

    def ask_json(self, question: str, filters: SearchFilters) -> dict:
        problem = self.question_problem(question or "")
        if problem:
            raise api_error(problem)
        try:
            *_, answer = self.answer_stream(question, [], filters)
        except GhqaError as exc:
            raise api_error(str(exc)) from exc
        return answer.to_json()

    # --- corpus ---------------------------------------------------------------

    def documents_html(self) -> str:
        with self.lock:
            files = self.services.library()
        rows = [
            (
                f.name,
                f.title or "",
                f.n_articles,
                f.n_chunks,
                f"{f.n_chars:,}" if f.n_chars is not None else 0,
                "已导入" if f.stored else f"失败：{uploads.chinese_reason(f.error or '')}",
            )
            for f in files
        ]
        return render.table_html(
            ["文件", "标题", "篇数", "段落块", "字数", "状态"], rows, "文档库是空的。请在右边上传报告。"
        )

    def file_choices(self) -> list[tuple[str, str]]:
        """(file name, key) for the removal list: names only, a folder added where two files share one."""
        with self.lock:
            files = self.services.library()
        names = [f.name for f in files]
        out = []
        for f in files:
            shown = f.name if names.count(f.name) == 1 else f"{f.name}（{PurePath(f.path).parent.name}）"
            out.append((shown, file_key(f.path)))
        return out

    def upload(self, files: list[str], report: Callable[[float, str], None]) -> str:
        """Save uploads under GHQA_HOME/uploads, ingest them and embed them; a summary notice."""
        saved, problems = [], []
        for f in files:
            try:
                saved.append(uploads.save(Path(f), self.services.home, PurePath(f).name))
            except uploads.UploadRejected as exc:
                problems.append(str(exc))
        if saved:

            def tick(done: int, total: int, path: str) -> None:
                report(0.3 * done / max(1, total), f"解析 {PurePath(path).name}")

            try:
                with self.writer() as writer:
                    result = writer.ingest([s.path for s in saved], progress=tick)
                self.sync_vectors(lambda frac, desc: report(0.3 + 0.7 * frac, desc))
                with self.lock:
                    warnings = {f.path: f.warnings for f in self.services.library()}
            except Exception as exc:
                return render.notice_html("；".join([*problems, self.failure_message(exc, "upload")]), "error")
            failed = {p for p, _ in result.failed}
            for path, reason in result.failed:
                log.warning("upload %s failed: %s", PurePath(path).name, reason)
                problems.append(f"{PurePath(path).name}：{uploads.chinese_reason(reason)}")
            ok = [
                s.path.name
                + ("（已替换同名文件）" if s.replaced else "")
                + (
                    "（PDF 文字层字间的空格或空字符已自动去除）"
                    if any("(repaired)" in w for w in warnings.get(str(s.path), []))
                    else ""
                )
                for s in saved
                if str(s.path) not in failed
            ]
        else:
            ok = []
        lines = ([f"已导入：{'、'.join(ok)}"] if ok else []) + problems
        return render.notice_html("；".join(lines), "error" if problems else "info")

    def remove(self, key: str | None) -> str:
        """Remove a file chosen by its key, then bring the vector index in step (so the status stays true)."""
        if not key:
            return render.notice_html("请先选择要删除的文档。", "warn")
        try:
            with self.lock:
                path = next((f.path for f in self.services.library() if file_key(f.path) == key), None)
                if path is None:
                    return render.notice_html("文档库里已没有这份文档。", "warn")
                self.services.remove(path)
                # Removal changes the store's version; syncing drops the removed vectors without embedding anything.
                self.services.sync_vectors()
        except Exception as exc:
            return render.notice_html(self.failure_message(exc, "removing a document"), "error")
        return render.notice_html(f"已删除：{PurePath(path).name}", "info")

    # --- metadata corrections ---------------------------------------------------

    def article_choices(self) -> list[tuple[str, str]]:
        with self.lock:
            articles = self.services.articles()
        return [(f"{PurePath(a.source or '').name} 第{a.number}篇 《{a.title}》", str(a.id)) for a in articles]

    def article_fields(self, article_id: str | None) -> tuple[str, str, str, str]:
        """An article's title, unit, parent unit and year as now used (corrections applied)."""
        with self.lock:
            a = self.services.article(int(article_id)) if article_id else None
        if a is None:
            return "", "", "", ""
        return a.title or "", a.unit or "", a.unit_parent or "", a.year or ""

    def correct(self, article_id: str | None, title: str, unit: str, unit_parent: str, year: str) -> str:
        if not article_id:
            return render.notice_html("请先选择要更正的篇目。", "warn")
        year = (year or "").strip()
        if year and not re.fullmatch(r"(19|20)\d\d", year):
            return render.notice_html(f"年份“{year}”无效：请填写四位年份，如 2010，或留空。", "error")
        try:
            with self.lock:
                self.services.correct_article(
                    int(article_id), title=title.strip(), unit=unit.strip(), unit_parent=unit_parent.strip(), year=year
                )
        except Exception as exc:
            return render.notice_html(self.failure_message(exc, "correcting an article"), "error")
        return render.notice_html("已保存更正：检索范围、列表回答和引用都将使用更正后的信息。", "info")


def length_problem(text: str, what: str) -> str | None:
    """Why a question or query is too long to search (the CLI's limit, GHQA_MAX_QUERY_CHARS), or None."""
    try:
        limit = max_query_chars()
    except GhqaError as exc:  # a GHQA_MAX_QUERY_CHARS that is not a positive number
        return str(exc)
    if len(text) <= limit:
        return None
    return f"{what}太长（{len(text)} 字，上限 {limit} 字，可用环境变量 {MAX_QUERY_ENV} 调整）。请缩短后再试。"


def api_error(message: str) -> Exception:
    """An error whose message reaches gradio_client and MCP callers (other exceptions arrive without one)."""
    import gradio as gr

    return gr.Error(message, print_exception=False)


def file_key(path: str) -> str:
    """A stand-in for a stored file's path in the page, which must not show where the server keeps files."""
    return hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _paragraph_holding(paragraphs: Sequence[Paragraph], quote: str, first: int, last: int) -> int:
    """The paragraph in first..last whose text holds the quote (script-insensitive), else the first."""
    wanted = render.normalize(quote)
    if wanted:
        for paragraph in paragraphs:
            if first <= paragraph.number <= last and wanted in render.normalize(paragraph.text):
                return paragraph.number
    return first


def evidence_html(answer: Any) -> str:
    """The evidence table of a list answer: place, status, evidence, source (scrolls inside its box on a phone)."""
    from ghqa.qa.evidence import STATUS_LABELS

    rows = [
        (r.place, STATUS_LABELS.get(r.status, r.status), r.evidence, f"[{r.citation}] {r.locator}")
        for r in answer.evidence
    ]
    return render.overview_html(answer.overview()) + render.table_html(["地方", "状态", "依据", "出处"], rows, "")


def chat_messages(answers: Sequence[Answer]) -> list[dict]:
    """The chat bubbles of a conversation restored from its answers."""
    out: list[dict] = []
    for answer in answers:
        question = answer.question
        shown = question if len(question) <= SHOWN_QUESTION_CHARS else question[:SHOWN_QUESTION_CHARS] + "…"
        out.append({"role": "user", "content": render.esc(shown)})
        out.append({"role": "assistant", "content": render.answer_html(answer.text, answer.note)})
    return out


def build_app(services: Services) -> gr.Blocks:
    """The Blocks app over open services; start it with launch() so the styles come along."""
    import gradio as gr

    h = Handlers(services)
    hidden = gr.update(value=None, visible=False)

    def progress_reporter(progress: gr.Progress) -> Callable[[float, str], None]:
        return lambda frac, desc: progress(frac, desc=desc)

    def panels(answer: Any, script: str) -> tuple:
        """Citations, evidence table, CSV button, selected side tab and the table tab's visibility."""
        if not answer.found and answer.nearest:
            cites = render.nearest_html(render.shown_in_script(answer.nearest, script), answer.question)
        else:
            cites = render.citations_html(
                render.shown_in_script(answer.citations, script), answer.text, answer.question
            )
        cites = f'<div data-script="{render.esc(script)}">{cites}</div>'
        if answer.evidence:
            csv_file = gr.update(value=str(exports.write_csv(answer)), visible=True)
            return cites, evidence_html(answer), csv_file, gr.update(selected="table"), gr.update(visible=True)
        return cites, "", hidden, gr.update(selected="cites"), gr.update(visible=False)

    def empty_panels() -> tuple:
        return render.citations_html([]), "", hidden, gr.update(selected="cites"), gr.update(visible=False)

    def conversation_outputs(conv_id: int | None) -> tuple:
        """The conversation list (this one selected) and its two export buttons."""
        conv = h.saved.get(conv_id)
        choices = [(title, str(i)) for i, title in h.saved.list()]
        listing = gr.update(choices=choices, value=str(conv.id) if conv else None)
        if conv is None or not conv.answers:
            return listing, hidden, hidden
        md = gr.update(value=str(exports.write_markdown(conv.title, conv.answers)), visible=True)
        docx = gr.update(value=str(exports.write_docx(conv.title, conv.answers)), visible=True)
        return listing, md, docx

    def ask(
        question: str,
        chat: list[dict],
        turns: list,
        conv_id: int | None,
        sources: list[str],
        places: list[str],
        years: list[str],
        script: str,
    ) -> Iterator[tuple]:
        question = question or ""
        keep = (gr.skip(),) * 9
        problem = h.question_problem(question)
        if problem:
            # No bubble for an empty question; earlier citations go, since nothing on screen answers it.
            shown = chat if not question.strip() else [*chat, {"role": "user", "content": render.esc(question[:200])}]
            yield (
                "",
                [*shown, {"role": "assistant", "content": render.esc(problem)}],
                turns,
                gr.skip(),
                *empty_panels(),
                gr.skip(),
                gr.skip(),
                gr.skip(),
            )
            return
        shown = question if len(question) <= SHOWN_QUESTION_CHARS else question[:SHOWN_QUESTION_CHARS] + "…"
        chat = [*chat, {"role": "user", "content": render.esc(shown)}, {"role": "assistant", "content": "正在检索…"}]
        yield "", chat, turns, *keep
        answer, failure = None, FAILED
        try:
            for update in h.answer_stream(question, turns, scope(sources, places, years)):
                if isinstance(update, str):
                    chat[-1] = {"role": "assistant", "content": render.answer_html(update)}
                    yield "", chat, turns, *keep
                else:
                    answer = update
        except Exception as exc:
            failure = h.failure_message(exc, f"answering {question[:50]!r}")
        if answer is None:
            chat[-1] = {"role": "assistant", "content": render.esc(failure)}
            yield "", chat, turns, *keep
            return
        answer = in_citation_order(answer)
        chat[-1] = {"role": "assistant", "content": render.answer_html(answer.text, answer.note)}
        conv_id = h.saved.add_turn(conv_id, answer)
        yield "", chat, [*turns, answer], conv_id, *panels(answer, script), *conversation_outputs(conv_id)

    def restore(conv_id: str | int | None) -> tuple:
        """A saved conversation back on screen: its bubbles, follow-up history and the last answer's sources."""
        script = h.saved.settings().script
        conv = h.saved.get(int(conv_id)) if str(conv_id or "").isdigit() else None
        if conv is None:
            return [], [], None, *empty_panels(), *conversation_outputs(None)
        last = panels(conv.answers[-1], script) if conv.answers else empty_panels()
        return chat_messages(conv.answers), conv.answers, conv.id, *last, *conversation_outputs(conv.id)

    def new_chat() -> tuple:
        return [], [], None, *empty_panels(), *conversation_outputs(None)

    def delete_chat(conv_id: int | None) -> tuple:
        if conv_id is not None:
            h.saved.delete(int(conv_id))
        return new_chat()

    # Called from the cards' script as server.context(…) and server.source(…); Gradio needs plain functions.
    def context(chunk_id: int) -> str:
        return h.context(chunk_id)

    # Gradio hands a server function one argument, so the script sends one object: {chunk|locator, quote, script}.
    def source(how: dict) -> str:
        return h.source(how.get("chunk"), str(how.get("quote") or ""), str(how.get("script") or "original"))

    def source_at(how: dict) -> str:
        return h.source_at(str(how["locator"]), str(how.get("quote") or ""), str(how.get("script") or "original"))

    def refresh() -> tuple:
        """Everything derived from the store: status, build button, document list and every choice list."""
        try:
            notice, needs_build = h.index_state()
            places, years, docs = h.filter_choices()
            return (
                notice,
                gr.update(visible=needs_build),
                h.documents_html(),
                gr.update(choices=h.file_choices(), value=None),
                gr.update(choices=docs),
                gr.update(choices=places),
                gr.update(choices=years),
                gr.update(choices=h.article_choices()),
            )
        except Exception as exc:
            problem = render.notice_html(h.failure_message(exc, "reading the store"), "error")
            return problem, gr.update(visible=False), problem, *(gr.skip(),) * 5

    def key_box(saved: Settings) -> Any:
        """The API key field, always empty: a saved key is never sent back to the page, only said to exist."""
        hint = "已保存（不显示）；留空则保留，填写则替换" if saved.llm_api_key else "可选：端点要求时填写"
        return gr.update(value="", placeholder=hint)

    def load_settings() -> tuple:
        s = h.saved.settings()
        shown = (s.top_k, s.mode, s.script, s.llm_base_url, s.llm_model, key_box(s))
        return *shown, s.top_k, s.mode, s.script

    def save_settings(top_k: int, mode: str, script: str, url: str, model: str, key: str) -> tuple:
        told, s = h.save_settings(top_k, mode, script, url, model, key)
        return told, s.top_k, s.mode, s.script, key_box(s)

    # Gradio finds the progress bar through this default value.
    def upload(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008
        if not files:
            return render.notice_html("请先选择要上传的文件。", "warn")
        return h.upload(files, progress_reporter(progress))

    def build_index(progress: gr.Progress = gr.Progress()) -> None:  # noqa: B008
        try:
            h.sync_vectors(progress_reporter(progress))
        except Exception as exc:
            raise gr.Error(h.failure_message(exc, "building the index"), print_exception=False) from exc

    # The API: named after what they do, since MCP clients list them as tools by these names.
    def search(
        query: str,
        k: int = 10,
        sources: list[str] | None = None,
        places: list[str] | None = None,
        years: list[str] | None = None,
        exact: bool = False,
        mode: str = "hybrid",
    ) -> dict:
        """Find passages in the Chinese trade-union work reports (工会工作总结), best first, each with its source locator.

        Args:
            query: what to look for, in Simplified or Traditional Chinese or English, e.g. 工资集体协商
            k: how many passages to return (1-50)
            sources: only these documents (file names or parts of them)
            places: only reports issued by or naming these places, e.g. 逍林镇
            years: only reports of these years, e.g. 2010
            exact: keep only passages holding the query as an exact phrase
            mode: hybrid (default), lexical (BM25 only) or dense (embeddings only)
        """
        filters = scope(sources, places, years)
        return h.search_json(query, max(1, min(50, int(k))), filters, bool(exact), mode)

    def ask_api(
        question: str,
        sources: list[str] | None = None,
        places: list[str] | None = None,
        years: list[str] | None = None,
    ) -> dict:
        """Answer a question over the work reports with numbered citations [n], each naming document, article,
        section and paragraph; list questions (哪些乡镇…) get one evidence row per place.

        Args:
            question: the question, e.g. 哪些乡镇开展了工资集体协商？
            sources: only these documents (file names or parts of them)
            places: only reports issued by or naming these places
            years: only reports of these years
        """
        return h.ask_json(question, scope(sources, places, years))

    ask_api.__name__ = "ask"  # the MCP tool name

    notice, needs_build = h.index_state()
    places, years, docs = h.filter_choices()
    private = {"api_visibility": "undocumented"}
    with gr.Blocks(title="工会工作报告问答") as app:
        # First, so they own the names /search and /ask (the page's own events get suffixed names).
        gr.api(search, api_name="search")
        gr.api(ask_api, api_name="ask")
        # The conversation this browser is on: its id in localStorage, read through this hidden box on load.
        conv_key = gr.Textbox("", visible=False)
        with gr.Row(elem_id="ghqa-header", equal_height=True):
            gr.HTML("<h1>工会工作报告问答</h1><p>语义检索 · 带出处的回答 · 简繁通查</p>", scale=2, min_width=280)
            with gr.Column(scale=5, min_width=300):
                status = gr.HTML(notice, elem_id="ghqa-status")
                build_btn = gr.Button("建立 / 更新索引", visible=needs_build, size="sm", elem_id="ghqa-build")
        with gr.Accordion("检索范围（问答与检索原文共用；不选即全部）", open=False, elem_id="ghqa-scope"), gr.Row():
            doc_f = gr.Dropdown(docs, value=[], multiselect=True, label="文档", scale=3, elem_id="ghqa-scope-docs")
            place_f = gr.Dropdown(
                places, value=[], multiselect=True, label="地方", scale=3, elem_id="ghqa-scope-places"
            )
            year_f = gr.Dropdown(years, value=[], multiselect=True, label="年份", scale=2, elem_id="ghqa-scope-years")

        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                turns = gr.State([])
                conv_id = gr.State(None)
                with gr.Row(equal_height=False, elem_id="ghqa-chat-row"):
                    with gr.Column(scale=2, min_width=200, elem_id="ghqa-conversations"):
                        new_btn = gr.Button("新对话", size="sm", elem_id="ghqa-new")
                        conv_list = gr.Radio(
                            [(t, str(i)) for i, t in h.saved.list()],
                            label="对话记录",
                            elem_id="ghqa-conv-list",
                        )
                        md_btn = gr.DownloadButton("导出 Markdown", visible=False, size="sm", elem_id="ghqa-export-md")
                        docx_btn = gr.DownloadButton("导出 Word", visible=False, size="sm", elem_id="ghqa-export-docx")
                        del_btn = gr.Button("删除此对话", size="sm", variant="stop")
                    with gr.Column(scale=5, min_width=320):
                        chat = gr.Chatbot(
                            show_label=False,
                            height=430,
                            render_markdown=False,
                            sanitize_html=True,
                            elem_id="ghqa-chat",
                            placeholder="问一个关于工会工作报告的问题。追问会沿用上文，例如“其中哪些是2010年的？”",
                        )
                        question = gr.Textbox(
                            show_label=False,
                            placeholder="例如：哪些乡镇开展了工资集体协商？（回车提问）",
                            lines=1,
                            max_lines=4,
                            elem_id="ghqa-question",
                        )
                        ask_btn = gr.Button("提问", variant="primary", elem_id="ghqa-ask")
                    with gr.Column(scale=6, min_width=320), gr.Tabs(selected="cites", elem_id="ghqa-side") as side:
                        with gr.Tab("引用的原文", id="cites"):
                            citations = gr.HTML(
                                render.citations_html([]),
                                elem_id="ghqa-citations",
                                js_on_load=CARDS_JS,
                                server_functions=[context, source, source_at],
                            )
                        with gr.Tab("证据表", id="table", visible=False) as table_tab:
                            csv_btn = gr.DownloadButton(
                                "下载证据表 CSV", visible=False, size="sm", variant="secondary", elem_id="ghqa-csv"
                            )
                            evidence = gr.HTML("", elem_id="ghqa-evidence")

            with gr.Tab("检索原文", id="search"):
                with gr.Row(equal_height=True):
                    query = gr.Textbox(
                        show_label=False,
                        placeholder="输入要找的说法，如：职工书屋、困难职工帮扶（简繁体均可）",
                        scale=6,
                        elem_id="ghqa-query",
                    )
                    exact = gr.Checkbox(label="精确短语", value=False, scale=1, min_width=110, elem_id="ghqa-exact")
                    search_btn = gr.Button("检索", variant="primary", scale=1, min_width=90, elem_id="ghqa-search")
                results = gr.HTML(
                    render.search_html([], ""),
                    elem_id="ghqa-results",
                    js_on_load=CARDS_JS,
                    server_functions=[context, source, source_at],
                )

            with gr.Tab("文档库", id="corpus") as corpus_tab, gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=320):
                    doc_table = gr.HTML(h.documents_html(), elem_id="ghqa-documents")
                    with gr.Accordion("更正篇目信息", open=False, elem_id="ghqa-correct"):
                        article_pick = gr.Dropdown(
                            h.article_choices(), value=None, label="篇目", elem_id="ghqa-correct-article"
                        )
                        with gr.Row():
                            fix_title = gr.Textbox(label="标题", elem_id="ghqa-correct-title")
                            fix_unit = gr.Textbox(label="单位", elem_id="ghqa-correct-unit")
                            fix_parent = gr.Textbox(label="上级单位", elem_id="ghqa-correct-parent")
                            fix_year = gr.Textbox(label="年份", elem_id="ghqa-correct-year")
                        fix_btn = gr.Button("保存更正", variant="primary", size="sm", elem_id="ghqa-correct-save")
                        fix_msg = gr.HTML("", elem_id="ghqa-correct-msg")
                with gr.Column(scale=2, min_width=300):
                    files = gr.File(
                        label=f"上传报告（{' '.join(uploads.SUPPORTED_SUFFIXES)}）",
                        file_count="multiple",
                        file_types=list(uploads.SUPPORTED_SUFFIXES),
                        height=140,
                        elem_id="ghqa-upload",
                    )
                    upload_btn = gr.Button("导入上传的文件", variant="primary", elem_id="ghqa-import")
                    upload_msg = gr.HTML("", elem_id="ghqa-upload-msg")
                    remove_pick = gr.Dropdown(h.file_choices(), value=None, label="删除文档", elem_id="ghqa-remove")
                    remove_btn = gr.Button("删除所选文档", variant="stop", size="sm", elem_id="ghqa-remove-btn")
                    remove_msg = gr.HTML("", elem_id="ghqa-remove-msg")

            with gr.Tab("设置", id="settings"):
                set_k = gr.Slider(1, 50, value=10, step=1, label="检索结果数（top-k）", elem_id="ghqa-set-k")
                set_mode = gr.Radio(MODES, value="hybrid", label="检索方式", elem_id="ghqa-set-mode")
                set_script = gr.Radio(SCRIPTS, value="original", label="引文显示为", elem_id="ghqa-set-script")
                with gr.Group(elem_id="ghqa-set-llm"):
                    gr.Markdown(
                        "**LLM 改写（可选）**：OpenAI 兼容接口（Ollama、vLLM、llama.cpp 等）；留空则只用摘录式回答。"
                    )
                    with gr.Row():
                        set_url = gr.Textbox(
                            label="LLM 地址", placeholder="http://127.0.0.1:11434/v1", elem_id="ghqa-set-llm-url"
                        )
                        set_model = gr.Textbox(label="模型", placeholder=DEFAULT_MODEL, elem_id="ghqa-set-llm-model")
                        set_key = gr.Textbox(label="API 密钥", type="password", elem_id="ghqa-set-llm-key")
                set_btn = gr.Button("保存设置", variant="primary", size="sm", elem_id="ghqa-set-save")
                set_msg = gr.HTML("", elem_id="ghqa-set-msg")
        # What the other tabs read: the saved settings, loaded on every page load.
        top_k, mode, script = gr.State(10), gr.State("hybrid"), gr.State("original")

        refresh_outputs = [status, build_btn, doc_table, remove_pick, doc_f, place_f, year_f, article_pick]
        panel_outputs = [citations, evidence, csv_btn, side, table_tab]
        conv_outputs = [conv_list, md_btn, docx_btn]
        ask_inputs = [question, chat, turns, conv_id, doc_f, place_f, year_f, script]
        ask_outputs = [question, chat, turns, conv_id, *panel_outputs, *conv_outputs]
        # State lives on the server: copy the id into the hidden box, whose value the browser can store.
        remember = {"fn": lambda c: str(c or ""), "inputs": conv_id, "outputs": conv_key, **private}
        store_key = {"fn": None, "inputs": conv_key, "outputs": None, "js": REMEMBER_JS}
        for trigger in (ask_btn.click, question.submit):
            trigger(ask, ask_inputs, ask_outputs, **private).then(**remember).then(**store_key)
        restore_outputs = [chat, turns, conv_id, *panel_outputs, *conv_outputs]
        new_btn.click(new_chat, None, restore_outputs, **private).then(**remember).then(**store_key)
        del_btn.click(delete_chat, conv_id, restore_outputs, **private).then(**remember).then(**store_key)
        conv_list.input(restore, conv_list, restore_outputs, **private).then(**remember).then(**store_key)

        search_inputs = [query, exact, doc_f, place_f, year_f, top_k, mode, script]
        search_btn.click(h.search, search_inputs, results, **private)
        query.submit(h.search, search_inputs, results, **private)
        upload_btn.click(upload, files, upload_msg, **private).then(refresh, None, refresh_outputs, **private).then(
            lambda: None, None, files, **private
        )
        remove_btn.click(h.remove, remove_pick, remove_msg, **private).then(refresh, None, refresh_outputs, **private)
        corpus_tab.select(refresh, None, refresh_outputs, **private)
        build_btn.click(build_index, None, None, **private).then(refresh, None, refresh_outputs, **private)
        article_pick.input(h.article_fields, article_pick, [fix_title, fix_unit, fix_parent, fix_year], **private)
        fix_btn.click(h.correct, [article_pick, fix_title, fix_unit, fix_parent, fix_year], fix_msg, **private).then(
            refresh, None, refresh_outputs, **private
        )
        set_inputs = [set_k, set_mode, set_script, set_url, set_model, set_key]
        set_btn.click(save_settings, set_inputs, [set_msg, top_k, mode, script, set_key], **private)

        # A reload shows the store as it is now, the saved settings and the conversation the browser was on.
        app.load(refresh, None, refresh_outputs, **private)
        app.load(load_settings, None, [*set_inputs, top_k, mode, script], **private)
        app.load(restore, conv_key, restore_outputs, js=RECALL_JS, **private)

    return app


def launch(
    app: gr.Blocks,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    auth: tuple[str, str] | None = None,
    share: bool = False,
    block: bool = True,
    mcp: bool = False,
) -> None:
    """Start the server for a built app with the UI's styles; refuses exposure without a login.

    mcp=True also serves the /search and /ask endpoints as MCP tools under /gradio_api/mcp/."""
    check_exposure(host, auth, share)
    if block:
        # Gradio's own banner suggests share=True in code; say what a ghqa user can do instead.
        shown = f"[{host}]" if ":" in host else host
        print(f"ghqa web UI on http://{shown}:{port}  (Ctrl+C stops it; `ghqa serve --help` for host, login, share)")
        if mcp:
            print(f"MCP server (tools: search, ask) on http://{shown}:{port}/gradio_api/mcp/")
    app.queue(default_concurrency_limit=4).launch(
        server_name=host,
        server_port=port,
        auth=auth,
        share=share,
        css=CSS,
        max_file_size=uploads.max_file_bytes(),
        prevent_thread_lock=not block,
        show_error=False,
        quiet=True,
        footer_links=["api"],
        mcp_server=mcp,
    )


def serve(
    services: Services,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    auth: tuple[str, str] | None = None,
    share: bool = False,
    mcp: bool = False,
) -> None:
    """Serve the UI over `services` until interrupted; refuses exposure without a login before building anything."""
    check_exposure(host, auth, share)
    if mcp and importlib.util.find_spec("mcp") is None:
        raise click.ClickException("--mcp needs the mcp package: pip install 'ghqa[mcp]' / 需要先安装 mcp 包")
    launch(build_app(services), host, port, auth, share, block=True, mcp=mcp)


def _chunk_id(value: object) -> int | None:
    """A passage id as the page sends it back; None for anything else (a malformed call shows "not found")."""
    try:
        return int(str(value).strip())
    except ValueError:
        return None
