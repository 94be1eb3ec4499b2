"""Metadata corrections: stored apart from extracted values, kept across re-ingest, used by reads and filters."""

from __future__ import annotations

import pytest

from ghqa.services import open_services

REPORT = "测试镇工会2010年工作总结\n一、建会情况\n今年测试镇工会新建工会组织五家，发展会员二百人，开展工资集体协商。"


@pytest.fixture
def ingested(tmp_path):
    """The one-report store, the report's path and its article row."""
    source = tmp_path / "in" / "report.txt"
    source.parent.mkdir()
    source.write_text(REPORT, encoding="utf-8")
    services = open_services(tmp_path / "home", create=True)
    services.ingest([source])
    [article] = services.store.articles()
    yield services, source, article
    services.close()


def test_correction_is_used_by_filters_and_survives_reingest(ingested):
    services, source, article = ingested
    services.correct_article(article["id"], title=article["title"], unit="青蛙湾镇", unit_parent="", year="2011")

    [fixed] = services.store.articles()
    assert (fixed["unit"], fixed["year"], fixed["unit_parent"]) == ("青蛙湾镇", "2011", None)
    assert fixed["extracted_unit"] == article["unit"] and fixed["title"] == article["title"]
    assert services.store.chunk_ids_where(place="青蛙湾镇") and not services.store.chunk_ids_where(year="2010")
    assert "青蛙湾镇" in services.store.place_names()
    [chunk] = services.store.chunks(services.store.chunk_ids()).values()
    assert chunk["unit"] == "青蛙湾镇"

    services.remove(str(source))
    services.ingest([source])
    [again] = services.store.articles()
    assert again["unit"] == "青蛙湾镇" and again["extracted_unit"] == article["unit"]


def test_read_only_store_without_corrections_table_still_reads(tmp_path):
    from ghqa.index.store import Store

    home = tmp_path / "home"
    source = tmp_path / "report.txt"
    source.write_text(REPORT, encoding="utf-8")
    services = open_services(home, create=True)
    services.ingest([source])
    services.store.db.execute("DROP VIEW articles_in_use")
    services.store.db.execute("DROP TABLE corrections")
    services.close()
    store = Store(home / "ghqa.db", read_only=True)
    assert len(store.articles()) == 1 and store.chunk_ids_where(year="2010")
    store.close()


def _context_hits(services, word: str) -> int:
    expression = f'context : "{word}"'
    return services.store.db.execute(
        "SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (expression,)
    ).fetchone()[0]


def test_a_corrected_unit_is_what_the_lexical_index_weighs_now_and_after_reingest(ingested):
    services, source, article = ingested
    assert _context_hits(services, "青蛙") == 0
    services.correct_article(article["id"], title=article["title"], unit="青蛙湾镇", unit_parent="", year="")
    assert _context_hits(services, "青蛙") > 0
    services.remove(str(source))
    services.ingest([source])
    assert _context_hits(services, "青蛙") > 0
