"""Traditional → Simplified conversion uses the official OpenCC binding, with the output of the pure-Python
reimplementation it replaced."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import unicodedata
from pathlib import Path

import pytest
from ghqa.ingest.clean import _t2s, to_simplified

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def test_converts_with_the_official_binding() -> None:
    converter = _t2s().__self__
    assert any(cls.__module__.endswith("opencc_clib") for cls in type(converter).__mro__)
    assert to_simplified("鄉鎮工會開展工資集體協商") == "乡镇工会开展工资集体协商"
    assert to_simplified("") == ""


def _reimplemented_t2s():
    """The reimplementation's converter, loaded from its own file: both distributions install the import name
    `opencc`, and the official one's __init__ is the one that answers `import opencc`."""
    try:
        files = importlib.metadata.files("opencc-python-reimplemented") or []
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("opencc-python-reimplemented is not installed (it is in the dev extra)")
    source = next(f for f in files if f.as_posix() == "opencc/opencc.py")
    spec = importlib.util.spec_from_file_location("opencc_reimplemented", source.locate())
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.OpenCC("t2s").convert


def test_same_output_as_the_reimplementation_on_the_corpus() -> None:
    reference = _reimplemented_t2s()
    paragraphs = [
        line for path in sorted(CORPUS.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()
    ]
    paragraphs = [p for p in paragraphs if p.strip()]
    assert len(paragraphs) > 400
    # normalize_for_index converts NFKC text, so that form is compared too.
    for paragraph in paragraphs + [unicodedata.normalize("NFKC", p) for p in paragraphs]:
        assert to_simplified(paragraph) == reference(paragraph)
