"""The services' typed reads of the store: what the CLI and the web UI show comes from these (tests/test_layers.py
keeps them from reading the store themselves). Nothing here embeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ghqa.index.passages import Passage
from ghqa.ingest.model import Paragraph

from ghqa.services import ArticleInfo, LibraryFile, Services, StoreStats, open_services

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEED_003 = "003_25279264fab4da48.txt"


@pytest.fixture(scope="module")
def services(tmp_path_factory) -> Services:
    inputs = tmp_path_factory.mktemp("in")
    (inputs / SEED_003).write_bytes((CORPUS / SEED_003).read_bytes())
    (inputs / "empty.txt").write_bytes(b"")
    services = open_services(tmp_path_factory.mktemp("home"), create=True)
    services.ingest([inputs])
    yield services
    services.close()


def test_stats_and_library(services):
    stats = services.stats()
    assert isinstance(stats, StoreStats)
    assert list(stats.to_json()) == ["files", "failed_files", "documents", "articles", "paragraphs", "chunks"]
    assert (stats.files, stats.failed_files, stats.documents, stats.articles) == (1, 1, 1, 15)
    report, empty = services.library()  # by path
    assert all(isinstance(f, LibraryFile) for f in (empty, report))
    assert (empty.name, empty.stored, empty.error, empty.document_id, empty.n_chars) == (
        "empty.txt",
        False,
        "empty file",
        None,
        None,
    )
    assert report.stored and report.name == SEED_003 and report.n_articles == 15
    assert report.n_chunks == stats.chunks and report.n_chars > 10_000 and isinstance(report.warnings, list)
    services.require_reports()  # it holds reports: no EmptyStoreError


def test_articles_by_id_or_file_and_number(services):
    articles = services.articles()
    assert [a.number for a in articles] == list(range(1, 16)) and all(isinstance(a, ArticleInfo) for a in articles)
    seventh = services.article(f"{SEED_003}#7")
    assert seventh == services.article(seventh.id) == services.article(str(seventh.id)) == articles[6]
    assert (seventh.unit, seventh.unit_parent, seventh.unit_former) == ("逍林镇", "慈溪市", None)
    assert "逍林镇" in seventh.places and seventh.n_paragraphs > 0 and seventh.n_chunks > 0
    assert services.article(f"{SEED_003}#42") is None and services.article(999_999) is None


def test_a_former_division_as_unit_carries_its_editions(services):
    chujiang = services.article(f"{SEED_003}#13")
    assert (chujiang.unit, chujiang.unit_parent, chujiang.unit_former) == ("出江镇", "大邑县", "2016–2019")
    record = chujiang.to_json()
    assert list(record) == [
        "source",
        "number",
        "title",
        "unit",
        "unit_parent",
        "unit_former",
        "level",
        "places",
        "year",
        "period",
    ]
    assert record["unit_former"] == "2016–2019" and json.dumps(record, ensure_ascii=False)
    # A correction to a current town's name drops it; the services compute it from the unit in use.
    services.correct_article(chujiang.id, title=chujiang.title, unit="逍林镇", unit_parent="慈溪市", year="")
    try:
        assert services.article(chujiang.id).unit_former is None
    finally:
        services.correct_article(chujiang.id, title=chujiang.title, unit="出江镇", unit_parent="大邑县", year="20xx")
    assert services.article(chujiang.id).unit_former == "2016–2019"


def test_source_context_around_a_chunk_or_a_hit(services):
    chunk_id = services.store.chunk_ids()[5]
    around = services.source_context(chunk_id)
    assert around is not None and all(isinstance(p, Paragraph) for p in around.paragraphs)
    numbers = [p.number for p in around.paragraphs]
    assert numbers == list(range(max(1, around.first - 2), numbers[-1] + 1))
    assert numbers[-1] <= around.last + 2 and around.first <= around.last
    whole = services.source_context(chunk_id, around=None)
    assert [p.number for p in whole.paragraphs] == list(range(1, whole.article.n_paragraphs + 1))
    assert whole.article == around.article and (whole.first, whole.last) == (around.first, around.last)
    hit = Passage(
        chunk_id=chunk_id,
        text="",
        source="",
        article_number=around.article.number,
        article_title="",
        section_path=[],
        first_paragraph=around.first,
        last_paragraph=around.last,
        char_start=0,
        char_end=0,
        score=0.0,
        article_id=around.article.id,
    )
    own = services.source_context(hit, around=0)
    assert [p.number for p in own.paragraphs] == list(range(around.first, around.last + 1))
    assert own.paragraphs == services.paragraphs(around.article.id, around.first, around.last)
    assert all(isinstance(p.section_path, list) for p in own.paragraphs)
    assert services.source_context(999_999) is None


def test_filter_choices(services):
    choices = services.filter_choices()
    assert choices.sources == [SEED_003]  # stored files only
    assert {"逍林镇", "出江镇", "马过河镇"} <= set(choices.places) and choices.places == sorted(choices.places)
    assert choices.years == sorted(choices.years, reverse=True) and "20xx" in choices.years
