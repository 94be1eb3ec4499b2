"""Traditional → Simplified conversion uses the official OpenCC binding."""

from __future__ import annotations

from ghqa.ingest.clean import _t2s, to_simplified


def test_converts_with_the_official_binding() -> None:
    converter = _t2s().__self__
    assert any(cls.__module__.endswith("opencc_clib") for cls in type(converter).__mro__)
    assert to_simplified("鄉鎮工會開展工資集體協商") == "乡镇工会开展工资集体协商"
    assert to_simplified("") == ""
