"""The Gradio web UI: cited answers in a chat, precedent wording search, and the document library."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import click
from ghqa.ui import render, uploads
from ghqa.ui.assets import CARDS_JS, CSS

if TYPE_CHECKING:
    import gradio as gr

    from ghqa.services import Services

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_QUESTION_CHARS = 1000
MAX_QUERY_CHARS = 500
SHOWN_QUESTION_CHARS = 200


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


class Handlers:
    """What the page's events do, as plain methods over the services (one lock: they share a SQLite connection)."""

    def __init__(self, services: Services):
        self.services = services
        self.lock = threading.RLock()

    # --- status ---------------------------------------------------------------

    def index_state(self) -> tuple[str, bool]:
        """A one-line index status for the page, and whether the vectors need building."""
        with self.lock:
            try:
                st = self.services.index_status()
            except Exception as exc:  # a model that will not load, or an index built by another embedder
                log.exception("index status failed")
                return render.notice_html(f"索引不可用：{exc}", "error"), True
            docs = self.services.store.stats()["documents"]
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

    def sync_vectors(self, report: Callable[[float, str], None]) -> None:
        """Embed what is new, reporting progress as a fraction."""
        total = {"n": 0, "done": 0}

        def start(n: int) -> None:
            total["n"] = n
            report(0.0, f"向量化 0/{n} 段")

        def advance(n: int) -> None:
            total["done"] += n
            report(total["done"] / max(1, total["n"]), f"向量化 {total['done']}/{total['n']} 段")

        with self.lock:
            self.services.sync_vectors(progress=advance, on_start=start)

    # --- chat -----------------------------------------------------------------

    @staticmethod
    def question_problem(question: str) -> str | None:
        """Why a question cannot be asked as typed, or None."""
        if not question.strip():
            return "请输入一个问题，例如：哪些乡镇开展了工资集体协商？"
        if len(question) > MAX_QUESTION_CHARS:
            return (
                f"问题太长（{len(question)} 字）。请缩短到 {MAX_QUESTION_CHARS} 字以内；"
                "要查找一段原文的出处，请用“检索原文”的精确短语模式。"
            )
        return None

    def answer_stream(self, question: str, history: list[Any]) -> Iterator[str | Any]:
        """Partial answer texts as they grow, then the final Answer."""
        stream = self.services.stream_ask(question, history=history)
        # Only retrieval (the first step) needs the store; a lock held across yields could be released elsewhere.
        with self.lock:
            first = next(stream)
        yield first
        yield from stream

    # --- citations and search -------------------------------------------------

    def context(self, chunk_id: int) -> str:
        """Neighbouring paragraphs (two either side) of a passage."""
        with self.lock:
            row = self.services.store.chunks([int(chunk_id)]).get(int(chunk_id))
            if row is None:
                return render.context_html([], 0, 0)
            first, last = row["first_paragraph"], row["last_paragraph"]
            rows = self.services.store.paragraphs(row["article_id"], max(1, first - 2), last + 2)
        return render.context_html(rows, first, last)

    def search(self, query: str, exact: bool, place: str | None, year: str | None, doc: str | None, top_k: int) -> str:
        query = (query or "")[:MAX_QUERY_CHARS]
        if not query.strip():
            return render.search_html([], query)
        from ghqa.index.passages import SearchFilters

        filters = SearchFilters(
            sources=[doc] if doc else [], places=[place] if place else [], years=[year] if year else []
        )
        with self.lock:
            hits = self.services.search(query, k=int(top_k), filters=filters, exact=bool(exact)).hits
        return render.search_html(hits, query, exact=bool(exact))

    def filter_choices(self) -> tuple[list[str], list[str], list[str]]:
        """Places, years and documents present in the index, for the search filters."""
        import json

        places: set[str] = set()
        years: set[str] = set()
        with self.lock:
            for a in self.services.store.articles():
                if a["unit"]:
                    places.add(a["unit"])
                places.update(json.loads(a["places"] or "[]"))
                if a["year"]:
                    years.add(a["year"])
            docs = sorted({PurePath(f["path"]).name for f in self.services.store.files() if f["status"] == "stored"})
        return sorted(places), sorted(years, reverse=True), docs

    # --- corpus ---------------------------------------------------------------

    def documents_html(self) -> str:
        with self.lock:
            files = self.services.store.files()
            docs = {d["id"]: d for d in self.services.store.documents()}
        rows = []
        for f in files:
            doc = docs.get(f["document_id"])
            rows.append(
                (
                    PurePath(f["path"]).name,
                    f["title"] or "",
                    f["n_articles"] or 0,
                    doc["n_chunks"] if doc else 0,
                    f"{doc['n_chars']:,}" if doc else 0,
                    "已导入" if f["status"] == "stored" else f"失败：{f['error']}",
                )
            )
        return render.table_html(
            ["文件", "标题", "篇数", "段落块", "字数", "状态"], rows, "文档库是空的。请在右边上传报告。"
        )

    def file_choices(self) -> list[str]:
        with self.lock:
            return [f["path"] for f in self.services.store.files()]

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

            with self.lock:
                result = self.services.ingest([s.path for s in saved], progress=tick)
            failed = {p for p, _ in result.failed}
            problems += [f"{PurePath(p).name}：{reason}" for p, reason in result.failed]
            self.sync_vectors(lambda frac, desc: report(0.3 + 0.7 * frac, desc))
            ok = [
                s.path.name + ("（已替换同名文件）" if s.replaced else "") for s in saved if str(s.path) not in failed
            ]
        else:
            ok = []
        lines = ([f"已导入：{'、'.join(ok)}"] if ok else []) + problems
        return render.notice_html("；".join(lines), "error" if problems else "info")

    def remove(self, path: str | None) -> str:
        if not path:
            return render.notice_html("请先选择要删除的文档。", "warn")
        with self.lock:
            removed = self.services.remove(path)
        if removed:
            return render.notice_html(f"已删除：{PurePath(path).name}", "info")
        return render.notice_html(f"文档库里没有 {PurePath(path).name}", "warn")


def write_csv(answer: Any) -> str:
    """The answer's evidence table as a CSV file (UTF-8 with BOM so Excel reads the Chinese)."""
    path = Path(tempfile.mkdtemp(prefix="ghqa-")) / "evidence.csv"
    path.write_text(answer.to_csv(), encoding="utf-8-sig")
    return str(path)


def evidence_html(answer: Any) -> str:
    """The evidence table of a list answer: place, status, evidence, source."""
    from ghqa.qa.answer import STATUS_LABELS

    rows = [
        (r.place, STATUS_LABELS.get(r.status, r.status), r.evidence, f"[{r.citation}] {r.locator}")
        for r in answer.evidence
    ]
    return render.table_html(["地方", "状态", "依据", "出处"], rows, "")


def build_app(services: Services) -> gr.Blocks:
    """The Blocks app over open services; start it with launch() so the styles come along."""
    import gradio as gr

    h = Handlers(services)

    def progress_reporter(progress: gr.Progress) -> Callable[[float, str], None]:
        return lambda frac, desc: progress(frac, desc=desc)

    def panels(answer: Any, question: str) -> tuple:
        """Citations, evidence table, CSV button, selected side tab and the table tab's visibility."""
        if not answer.found and answer.nearest:
            cites = render.nearest_html(answer.nearest, question)
        else:
            cites = render.citations_html(answer.citations, answer.text, question)
        if answer.evidence:
            csv_file = gr.update(value=write_csv(answer), visible=True)
            return cites, evidence_html(answer), csv_file, gr.update(selected="table"), gr.update(visible=True)
        hidden = gr.update(value=None, visible=False)
        return cites, "", hidden, gr.update(selected="cites"), gr.update(visible=False)

    def ask(question: str, chat: list[dict], turns: list[dict]) -> Iterator[tuple]:
        question = question or ""
        shown = question if len(question) <= SHOWN_QUESTION_CHARS else question[:SHOWN_QUESTION_CHARS] + "…"
        chat = [*chat, {"role": "user", "content": render.esc(shown)}]
        keep = (gr.skip(),) * 5
        problem = h.question_problem(question)
        if problem:
            chat.append({"role": "assistant", "content": render.esc(problem)})
            yield "", chat, turns, *keep
            return
        chat.append({"role": "assistant", "content": "正在检索…"})
        yield "", chat, turns, *keep
        answer = None
        try:
            for update in h.answer_stream(question, [t["answer"] for t in turns]):
                if isinstance(update, str):
                    chat[-1] = {"role": "assistant", "content": render.answer_html(update)}
                    yield "", chat, turns, *keep
                else:
                    answer = update
        except Exception:
            log.exception("answering %r failed", question)
        if answer is None:
            chat[-1] = {"role": "assistant", "content": "出错了，未能回答这个问题；详情见服务器日志。"}
            yield "", chat, turns, *keep
            return
        chat[-1] = {"role": "assistant", "content": render.answer_html(answer.text, answer.note)}
        turns = [*turns, {"question": question, "answer": answer}]
        yield "", chat, turns, *panels(answer, question)

    # Called from the cards' script as server.context(chunk_id); Gradio needs a plain function of that name.
    def context(chunk_id: int) -> str:
        return h.context(chunk_id)

    def new_chat() -> tuple:
        hidden = gr.update(value=None, visible=False)
        return [], [], render.citations_html([]), "", hidden, gr.update(selected="cites"), gr.update(visible=False)

    def refresh() -> tuple:
        notice, needs_build = h.index_state()
        places, years, docs = h.filter_choices()
        return (
            notice,
            gr.update(visible=needs_build),
            h.documents_html(),
            gr.update(choices=h.file_choices(), value=None),
            gr.update(choices=places),
            gr.update(choices=years),
            gr.update(choices=docs),
        )

    # Gradio finds the progress bar through this default value.
    def upload(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008
        if not files:
            return render.notice_html("请先选择要上传的文件。", "warn")
        return h.upload(files, progress_reporter(progress))

    def build_index(progress: gr.Progress = gr.Progress()) -> None:  # noqa: B008
        h.sync_vectors(progress_reporter(progress))

    notice, needs_build = h.index_state()
    places, years, docs = h.filter_choices()
    with gr.Blocks(title="工会工作报告问答") as app:
        with gr.Row(elem_id="ghqa-header", equal_height=True):
            gr.HTML("<h1>工会工作报告问答</h1><p>语义检索 · 带出处的回答 · 简繁通查</p>", scale=2, min_width=300)
            with gr.Column(scale=5, min_width=420):
                status = gr.HTML(notice, elem_id="ghqa-status")
                build_btn = gr.Button("建立 / 更新索引", visible=needs_build, size="sm", elem_id="ghqa-build")

        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                turns = gr.State([])
                with gr.Row(equal_height=False):
                    with gr.Column(scale=5, min_width=420):
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
                        with gr.Row():
                            ask_btn = gr.Button("提问", variant="primary", elem_id="ghqa-ask", scale=3)
                            new_btn = gr.Button("新对话", scale=1)
                    with gr.Column(scale=6, min_width=480), gr.Tabs(selected="cites", elem_id="ghqa-side") as side:
                        with gr.Tab("引用的原文", id="cites"):
                            citations = gr.HTML(
                                render.citations_html([]),
                                elem_id="ghqa-citations",
                                js_on_load=CARDS_JS,
                                server_functions=[context],
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
                with gr.Row():
                    place_f = gr.Dropdown(places, value=None, label="地方", scale=3, allow_custom_value=True)
                    year_f = gr.Dropdown(years, value=None, label="年份", scale=2)
                    doc_f = gr.Dropdown(docs, value=None, label="文档", scale=3)
                    top_k = gr.Slider(5, 50, value=10, step=5, label="结果数", scale=2)
                results = gr.HTML(
                    render.search_html([], ""),
                    elem_id="ghqa-results",
                    js_on_load=CARDS_JS,
                    server_functions=[context],
                )

            with gr.Tab("文档库", id="corpus") as corpus_tab, gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    doc_table = gr.HTML(h.documents_html(), elem_id="ghqa-documents")
                with gr.Column(scale=2, min_width=380):
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
                    remove_btn = gr.Button("删除所选文档", variant="stop", size="sm")
                    remove_msg = gr.HTML("")

        refresh_outputs = [status, build_btn, doc_table, remove_pick, place_f, year_f, doc_f]
        ask_outputs = [question, chat, turns, citations, evidence, csv_btn, side, table_tab]
        ask_btn.click(ask, [question, chat, turns], ask_outputs)
        question.submit(ask, [question, chat, turns], ask_outputs)
        new_btn.click(new_chat, None, [chat, turns, citations, evidence, csv_btn, side, table_tab])
        search_inputs = [query, exact, place_f, year_f, doc_f, top_k]
        search_btn.click(h.search, search_inputs, results)
        query.submit(h.search, search_inputs, results)
        upload_btn.click(upload, files, upload_msg).then(refresh, None, refresh_outputs).then(lambda: None, None, files)
        remove_btn.click(h.remove, remove_pick, remove_msg).then(refresh, None, refresh_outputs)
        corpus_tab.select(refresh, None, refresh_outputs)
        build_btn.click(build_index, None, None).then(refresh, None, refresh_outputs)
    return app


def launch(
    app: gr.Blocks,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    auth: tuple[str, str] | None = None,
    share: bool = False,
    block: bool = True,
) -> None:
    """Start the server for a built app with the UI's styles; refuses exposure without a login."""
    check_exposure(host, auth, share)
    if block:
        # Gradio's own banner suggests share=True in code; say what a ghqa user can do instead.
        shown = f"[{host}]" if ":" in host else host
        print(f"ghqa web UI on http://{shown}:{port}  (Ctrl+C stops it; `ghqa serve --help` for host, login, share)")
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
        footer_links=[],
    )


def serve(
    services: Services,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    auth: tuple[str, str] | None = None,
    share: bool = False,
) -> None:
    """Serve the UI over `services` until interrupted; refuses exposure without a login before building anything."""
    check_exposure(host, auth, share)
    launch(build_app(services), host, port, auth, share, block=True)
