"""Browser-test harness: the app on a free 127.0.0.1 port against a temp GHQA_HOME, driven by Debian's chromium.

Missing chromium, CJK fonts or playwright make browser tests FAIL, naming what to install: CI must not pass by skipping.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "install the Debian packages `chromium` and `fonts-noto-cjk` (apt-get install -y chromium fonts-noto-cjk) "
    "and the Python package `playwright` (.venv/bin/pip install playwright; never `playwright install`)"
)
VIEWPORT = {"width": 1280, "height": 800}
# Gradio pages keep a connection open, so tests wait for elements, never for network idle.
LOAD_TIMEOUT_MS = 60_000


def _require_browser_stack() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail(f"playwright is not installed: {INSTALL_HINT}", pytrace=False)
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: {INSTALL_HINT}", pytrace=False)
    fonts = (
        subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
        if shutil.which("fc-list")
        else ""
    )
    if not fonts.strip():
        pytest.fail(f"no Chinese font for chromium (screenshots would show boxes): {INSTALL_HINT}", pytrace=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    _require_browser_stack()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def ghqa_home(indexed_corpus: Path, tmp_path_factory) -> Iterator[Path]:
    """A private copy of the session's indexed corpus/, since these tests upload and remove documents."""
    home = tmp_path_factory.mktemp("ui_home") / "home"
    shutil.copytree(indexed_corpus, home)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GHQA_HOME", str(home))
        yield home


@pytest.fixture(scope="module")
def services(ghqa_home: Path):
    from ghqa.services import open_services

    svc = open_services(ghqa_home)
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def app_url(services) -> Iterator[str]:
    from ghqa.ui.web import build_app, launch

    app = build_app(services)
    port = free_port()
    launch(app, host="127.0.0.1", port=port, block=False)
    yield f"http://127.0.0.1:{port}/"
    app.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.ghqa_failed = report.failed
    return report


@pytest.fixture
def page(browser, app_url: str, request):
    """A fresh 1280×800 page on the app; `page.dialogs` collects any alert() that fires."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url.rstrip("/"))
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.set_default_timeout(LOAD_TIMEOUT_MS)
    page.goto(app_url)
    page.get_by_role("tab", name="问答").wait_for()
    yield page
    if getattr(request.node, "ghqa_failed", False):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"FAILED_{request.node.name}.png"))
    context.close()


@pytest.fixture
def screenshot():
    """Save a 1280×800 screenshot of a page as artifacts/screenshots/NAME.png."""

    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return take
