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
