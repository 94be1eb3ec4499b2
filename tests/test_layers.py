"""Dependencies point down the data flow: core ← ingest ← index ← qa ← services ← cli, ui, langchain."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Each layer and the ghqa modules it may import (its own included).
ALLOWED = {
    "core": {"core"},
    "ingest": {"core", "ingest"},
    "index": {"core", "ingest", "index"},
    "qa": {"core", "ingest", "index", "qa"},
    "ui": {"core", "ingest", "index", "qa", "ui", "services"},
}


def ghqa_imports(path: Path) -> set[str]:
    """The second component of every `ghqa.X` a module imports (ghqa.index.store → index)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "ghqa" and len(parts) > 1:
                found.add(parts[1])
            elif parts[0] in ALLOWED:
                found.add(f"top-level {parts[0]}")  # only `ghqa.X` exists once installed
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_layers_below_it(layer):
    wrong = {}
    for path in sorted((ROOT / layer).glob("*.py")):
        bad = ghqa_imports(path) - ALLOWED[layer]
        if bad:
            wrong[path.name] = sorted(bad)
    assert not wrong, f"{layer}/ imports upward or outside ghqa: {wrong}"


# The CLI, the web UI and the LangChain adapters call the services and only format (README, "Architecture"): they
# never read the store's rows or call index functions on it themselves, so all of them show the same thing.
ADAPTERS = sorted([*(ROOT / "ui").glob("*.py"), ROOT / "ghqa" / "cli.py", ROOT / "ghqa" / "langchain.py"])
# The ghqa.index modules an adapter may import, and why. Value types only: the scope filters it builds, the
# passages it formats and the locator separator it splits. The LangChain embeddings adapter wraps an Embedder
# itself (that is its use case). Store, build, check, backup, vectors and locks are reached through Services.
INDEX_MODULES_ALLOWED = {"passages"}
INDEX_MODULES_ALLOWED_IN = {"langchain.py": {"embedders"}}


def index_modules(tree: ast.AST) -> set[str]:
    """The ghqa.index modules a module imports (`from ghqa.index import store` counts as store)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[:2] == ["ghqa", "index"] and len(parts) == 3:
                found.add(parts[2])
    return found


def store_reads(tree: ast.AST) -> list[int]:
    """Lines that reach for a `.store` attribute (services.store, self.services.store …)."""
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "store"]


@pytest.mark.parametrize("path", ADAPTERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_adapters_read_the_store_only_through_the_services(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not store_reads(tree), (
        f"{path.name} reads services.store at lines {store_reads(tree)}: add a Services method"
    )
    allowed = INDEX_MODULES_ALLOWED | INDEX_MODULES_ALLOWED_IN.get(path.name, set())
    wrong = index_modules(tree) - allowed
    assert not wrong, f"{path.name} imports ghqa.index.{sorted(wrong)}: go through ghqa.services instead"


def test_the_store_checks_catch_what_they_guard():
    """The two checks above see a store read and a store import, so a clean run means something."""
    tree = ast.parse(
        "from ghqa.index.store import Store\nfrom ghqa.index import check\nimport ghqa.index.passages\n"
        "def f(services):\n    return services.store.articles()\n"
    )
    assert store_reads(tree) == [5]
    assert index_modules(tree) == {"store", "check", "passages"}
