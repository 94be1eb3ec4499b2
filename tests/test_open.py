"""Only ingest and serve make a store: opening a data folder never leaves one behind by accident."""

from __future__ import annotations

import pytest
from ghqa.core.errors import EmptyStoreError, StoreError

import ghqa


def test_open_makes_no_store_unless_asked(tmp_path):
    with pytest.raises(EmptyStoreError, match="ghqa ingest"):
        ghqa.open(tmp_path / "typo")
    assert not (tmp_path / "typo").exists()
    ghqa.open(tmp_path / "home", create=True).close()
    assert (tmp_path / "home" / "ghqa.db").exists()
    ghqa.open(tmp_path / "home").close()


def test_a_data_folder_that_cannot_be_made_is_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot write to .*GHQA_HOME"):
        ghqa.open(blocker / "home", create=True)
