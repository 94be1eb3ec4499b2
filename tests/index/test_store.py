"""The SQLite store: documents saved and removed whole, the lexical index in step, safe MATCH expressions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from ghqa.index.lexical import holds_phrase, index_tokens, match_expression, segment
from ghqa.index.search import SearchEngine
from ghqa.index.store import Store
from ghqa.ingest.clean import normalize_for_index
from ghqa.ingest.document import content_hash, read_document

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def seed_path(prefix: str) -> Path:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return path


def assert_consistent(store: Store) -> None:
    db = store.db
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # every document, and so every article and chunk, is held by a file
    assert (
        db.execute(
            "SELECT COUNT(*) FROM articles WHERE document_id NOT IN "
            "(SELECT document_id FROM files WHERE document_id IS NOT NULL)"
        ).fetchone()[0]
        == 0
    )
    assert (
        db.execute("SELECT COUNT(*) FROM chunks WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0] == 0
    )
    chunk_ids = [r[0] for r in db.execute("SELECT id FROM chunks ORDER BY id")]
    fts_ids = [r[0] for r in db.execute("SELECT rowid FROM chunks_fts ORDER BY rowid")]
    assert chunk_ids == fts_ids


def fts_hits(store: Store, text: str) -> list[int]:
    """Chunk ids whose lexical index holds every token of text."""
    tokens = list(dict.fromkeys(segment(normalize_for_index(text))))
    expression = " AND ".join('"' + t.replace('"', '""') + '"' for t in tokens)
    return [r[0] for r in store.db.execute("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ?", (expression,))]


def chunk_texts(store: Store) -> str:
    return "\n".join(r[0] for r in store.db.execute("SELECT text FROM chunks"))


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.db") as opened:
        yield opened


def save(store: Store, path: Path, key: str | None = None):
    doc = read_document(path)
    if key is not None:
        doc.path = key
    store.save_document(key or str(path), path.stat().st_mtime, path.stat().st_size, doc)
    return doc


def test_saved_document_has_all_its_rows(store):
    doc = save(store, seed_path("003"))
    stats = store.stats()
    assert stats == {
        "files": 1,
        "failed_files": 0,
        "documents": 1,
        "articles": 15,
        "paragraphs": sum(len(a.paragraphs) for a in doc.articles),
        "chunks": len(doc.chunks),
    }
    assert_consistent(store)
    state = store.file_state(str(seed_path("003")))
    assert state.status == "stored" and state.error is None
    assert state.content_hash == content_hash(seed_path("003").read_bytes())


def test_articles_are_found_by_file_name_and_number(store):
    save(store, seed_path("003"))
    row = store.find_article("003_25279264fab4da48.txt#7")
    assert row["unit"] == "逍林镇" and row["number"] == 7
    assert store.find_article(str(row["id"]))["id"] == row["id"]
    assert store.find_article("003_25279264fab4da48.txt#99") is None
    assert store.find_article("nothing.txt#1") is None
    paragraphs = store.paragraphs(row["id"])
    assert [p.number for p in paragraphs] == list(range(1, row["n_paragraphs"] + 1))


def test_a_file_name_with_like_wildcards_matches_only_itself(store, tmp_path):
    odd = tmp_path / "a_%b.txt"
    odd.write_bytes(seed_path("002").read_bytes())
    other = tmp_path / "axxb.txt"
    other.write_bytes(seed_path("004").read_bytes())
    save(store, odd)
    save(store, other)
    assert store.find_article("a_%b.txt#1")["unit"] == "巴州区"


def test_remove_path_deletes_rows_and_lexical_index(store):
    save(store, seed_path("002"))
    doc4 = save(store, seed_path("004"))
    assert fts_hits(store, "巴州区工会志")
    version = store.data_version()
    assert store.remove_path(str(seed_path("002")))
    assert store.data_version() > version
    assert fts_hits(store, "巴州区工会志") == []
    assert "巴州区" not in chunk_texts(store)
    assert store.stats()["documents"] == 1 and store.stats()["chunks"] == len(doc4.chunks)
    assert store.file_state(str(seed_path("002"))) is None
    assert_consistent(store)
    assert not store.remove_path(str(seed_path("002")))  # already gone


def test_same_content_under_two_names_is_stored_once(store):
    path = seed_path("002")
    save(store, path)
    store.link_file("/elsewhere/copy.txt", content_hash(path.read_bytes()), 1.0, path.stat().st_size)
    assert store.stats()["documents"] == 1
    assert store.stats()["files"] == 2
    assert sorted(store.documents()[0]["paths"].split("\n")) == sorted([str(path), "/elsewhere/copy.txt"])
    assert store.remove_path(str(path))
    assert store.stats()["documents"] == 1 and store.stats()["chunks"] > 0
    assert fts_hits(store, "巴州区工会志")
    assert store.find_article("copy.txt#1")["unit"] == "巴州区"
    assert_consistent(store)
    assert store.remove_path("/elsewhere/copy.txt")
    assert store.stats()["documents"] == 0 and store.stats()["chunks"] == 0
    assert store.db.execute("SELECT COUNT(*) FROM chunks_fts").fetchone()[0] == 0


def test_saving_a_path_again_replaces_its_rows(store, tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(seed_path("002").read_bytes())
    save(store, path)
    path.write_bytes(seed_path("004").read_bytes())
    doc = save(store, path)
    assert store.stats()["documents"] == 1 and store.stats()["chunks"] == len(doc.chunks)
    assert fts_hits(store, "巴州区工会志") == []
    assert fts_hits(store, "劳动最光荣")
    assert_consistent(store)


def test_failure_of_a_stored_path_keeps_its_rows(store):
    path = seed_path("002")
    save(store, path)
    store.record_failure(str(path), 2.0, 10, "not a text file (binary content)")
    state = store.file_state(str(path))
    assert state.status == "failed" and state.error == "not a text file (binary content)"
    assert fts_hits(store, "巴州区工会志")
    assert store.stats()["failed_files"] == 1
    assert_consistent(store)


def test_failure_of_a_new_path_stores_no_document(store):
    store.record_failure("/x/bad.txt", None, None, "empty file")
    assert store.file_state("/x/bad.txt").error == "empty file"
    assert store.stats()["documents"] == 0 and store.stats()["failed_files"] == 1
    assert store.remove_path("/x/bad.txt")


def test_a_failed_save_leaves_the_store_as_it_was(store, monkeypatch):
    path = seed_path("002")
    save(store, path)
    before = store.stats()
    doc = read_document(seed_path("004"))
    doc.chunks[-1].article_number = 99  # no such article: the save fails half-way through
    with pytest.raises(KeyError):
        store.save_document(str(path), 3.0, 3, doc)
    assert store.stats() == before
    assert fts_hits(store, "巴州区工会志")
    assert_consistent(store)


def test_store_reopens_with_its_rows(tmp_path):
    with Store(tmp_path / "s.db") as first:
        save(first, seed_path("004"))
        stats = first.stats()
    with Store(tmp_path / "s.db") as second:
        assert second.stats() == stats
        assert_consistent(second)


# --- lexical index and MATCH expressions --------------------------------------------------------------------------


NASTY_QUERIES = [
    '"工会',
    '工会"',
    '"劳动竞赛" "职工"',
    "工会*",
    "*",
    "NEAR(工会 职工)",
    "工会 NEAR 职工",
    "工会 AND 职工",
    "工会 OR",
    "AND",
    "NOT 工会",
    "-工会",
    "工会 -职工",
    "巴州区-总工会",
    "(工会",
    "col:工会",
    "tokens:工会 context:区",
    "^工会",
    "工会 + 职工",
    "'; DROP TABLE chunks; --",
    "{tokens} : 工会",
    "",
    "   ",
    "。，！？",
]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    with Store(tmp_path_factory.mktemp("lexical") / "s.db") as opened:
        save(opened, seed_path("002"))
        yield opened


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_match_expression_is_always_valid_fts(small_store, query):
    store = small_store
    expression = match_expression([normalize_for_index(query)])
    if expression is None:
        assert not segment(normalize_for_index(query))
        return
    rows = store.db.execute("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ?", (expression,)).fetchall()
    assert isinstance(rows, list)
    assert store.stats()["chunks"] > 0  # nothing was dropped


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_lexical_search_never_raises(small_store, query):
    engine = SearchEngine(small_store, embedder=None, home=small_store.path.parent)
    hits = engine.lexical(normalize_for_index(query))
    if query in {'"工会', '工会"', "工会*", "-工会", "(工会", "^工会", "工会 -职工", "工会 + 职工"}:
        assert hits  # the words around the syntax are still searched for


def test_raw_user_text_would_be_fts_syntax():
    """Guard: the queries above are not harmless on their own."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    with pytest.raises(sqlite3.OperationalError):
        db.execute("SELECT * FROM t WHERE t MATCH ?", ('"工会',)).fetchall()


def test_lexical_search_finds_words_and_names(store):
    save(store, seed_path("002"))
    save(store, seed_path("003"))
    engine = SearchEngine(store, embedder=None, home=store.path.parent)
    hits = engine.lexical(normalize_for_index("逍林鎮"))  # Traditional query, any script in the store
    assert hits
    top = store.chunks([hits[0][0]])[hits[0][0]]
    assert top["article_number"] == 7 and "逍林" in normalize_for_index(top["text"])


def test_index_tokens_hold_words_and_bigrams():
    tokens = index_tokens(normalize_for_index("馬過河鎮總工會")).split()
    assert "马过" in tokens and "河镇" in tokens
    assert "工会" in tokens


def test_a_store_from_another_schema_is_refused_with_a_clear_message(tmp_path):
    from ghqa.core.errors import StoreError

    path = tmp_path / "s.db"
    with Store(path) as store:
        store.set_meta("schema_version", "0")
    with pytest.raises(StoreError, match="another version of ghqa"):
        Store(path)


def test_store_of_the_previous_schema_is_migrated_and_keeps_its_embedding_cache(tmp_path):
    store = Store(tmp_path / "ghqa.db")
    store.cache_vectors("model", [("hash", b"\x00\x01")])
    store.db.execute("DROP VIEW IF EXISTS articles_in_use")  # views of schema 2 name the column
    store.db.execute("ALTER TABLE articles DROP COLUMN unit_parent")
    store.set_meta("schema_version", "1")
    store.close()

    store = Store(tmp_path / "ghqa.db")
    assert store.get_meta("schema_version") == "2"
    assert "unit_parent" in {row[1] for row in store.db.execute("PRAGMA table_info(articles)")}
    assert store.cached_vectors("model", ["hash"]) == {"hash": b"\x00\x01"}


def _brute_force_containing(store: Store, phrase: str) -> list[int]:
    needle = phrase.replace(" ", "")
    rows = store.db.execute("SELECT id, norm FROM chunks ORDER BY id")
    return [i for i, norm in rows if holds_phrase(norm, needle)]


@pytest.mark.parametrize(
    "phrase", ["工资集体协商", "集体协商", "工会", "会", "2010", "10年", "安康杯竞赛", "职工 书屋", "马拉松", "x镇"]
)
def test_phrase_lookup_through_the_lexical_index_finds_what_a_full_scan_finds(store, tmp_path, phrase):
    path = tmp_path / "spaced.txt"
    # Scraped text spaces out CJK now and then: a phrase across such a gap is still in the chunk.
    path.write_text(
        "某镇工会2010年工作总结\n一、职工 书屋\n开展工资 集体协商，新建职工书屋3家；参加安康杯竞赛。\n", "utf-8"
    )
    save(store, path)
    save(store, seed_path("002"))
    assert store.chunk_ids_containing(normalize_for_index(phrase)) == _brute_force_containing(
        store, normalize_for_index(phrase)
    )


def _found(store: Store, tmp_path, report: str, phrase: str) -> list[str]:
    """The texts of the chunks the store finds a phrase in, once the report is stored."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "report.txt"
    if not path.exists():
        path.write_text(report, "utf-8")
        save(store, path)
    texts = dict(store.db.execute("SELECT id, norm FROM chunks"))
    return [texts[i] for i in store.chunk_ids_containing(phrase)]


def test_a_phrase_is_found_across_the_quotation_marks_the_text_puts_around_a_name(store, tmp_path):
    report = "某省2026年政府工作报告\n一、改革\n深化“放管服”改革。\n\n二、生态\n推进「三北」工程建设。\n"
    assert all("放管服" in t for t in _found(store, tmp_path, report, "放管服改革"))
    assert all("三北" in t for t in _found(store, tmp_path, report, "三北工程"))
    assert _found(store, tmp_path, report, "放管服改革") and _found(store, tmp_path, report, "三北工程")
    assert _found(store, tmp_path, report, "“”") == []
    # A word jieba keeps whole, with the marks inside it in the text (菜篮子工程 in “菜篮子”工程).
    assert _found(store, tmp_path / "more", "某省报告\n一、民生\n实施“菜篮子”工程。\n", "菜篮子工程")


def test_a_phrase_in_letters_or_digits_is_found_only_as_a_whole_token(store, tmp_path):
    report = "某市2025年工作总结\n一、科技\n推进6G试验。\n\n二、产业\n引进16G内存项目，建设 5G 基站。\n"
    assert [t for t in _found(store, tmp_path, report, "6g") if "16g" in t and "推进6g" not in t] == []
    # The 16G section is a chunk of its own, so the line above can fail.
    assert any("16g" in t and "推进6g" not in t for (t,) in store.db.execute("SELECT norm FROM chunks"))
    assert all("5g 基站" in t for t in _found(store, tmp_path, report, "5g基站"))
    assert _found(store, tmp_path, report, "6g") and _found(store, tmp_path, report, "5g基站")
    assert store.chunk_ids_containing("6g", limit=0) == []


@pytest.mark.parametrize(
    "norm, phrase, held",
    [
        ("推进6g试验", "6g", True),
        ("16g内存", "6g", False),
        ("openai公司", "ai", False),
        ("ai 大模型", "ai大模型", True),
        ("2010年", "10年", False),
        ("建设4a级景区", "4a级景区", True),
        ("工资 集体协商", "工资集体协商", True),
        ("工资集体协商", "集体合同", False),
        # Quotation and title marks around a name the text goes on after, in the text or in the phrase typed.
        ("编制“十四五”规划", "十四五规划", True),
        ("推进「三北」工程", "三北工程", True),
        ("编制十四五规划", "“十四五”规划", True),
        ("加强《民法典》宣传", "民法典宣传", True),
        ("建设“4a”级景区", "4a级景区", True),
        # A decimal is one token: 5亿元 is not in 2.5亿元.
        ("增长2.5亿元", "5亿元", False),
        ("增长5亿元", "5亿元", True),
        # A phrase all in letters keeps its own marks; one of marks only holds nothing.
        ("visit xi'an now", "xi'an", True),
        ("推进“ai”应用", '"ai"', True),
        ("2024.3完成验收", "2024", True),
        ("推进〝三北〞工程", "三北工程", True),
        ("编制“十四五”规划", "“”", False),
    ],
)
def test_holds_phrase(norm, phrase, held):
    assert holds_phrase(norm, phrase) is held


def test_phrase_spans_are_every_place_a_text_holds_a_phrase():
    from ghqa.index.lexical import phrase_spans

    assert phrase_spans("修高速公路，建“高速”公路", "高速公路") == [(1, 5), (8, 13)]
    assert phrase_spans("增长2.5亿元和5亿元", "5亿元") == [(8, 11)]
    assert phrase_spans("修公路", "“”") == []


def test_a_query_s_chosen_tokens_never_run_into_each_other():
    expression = match_expression(["超新星", "爆炸"])
    assert '"超新星"' in expression and '"爆炸"' in expression
    assert '"星爆"' not in expression  # a bigram across two tokens would match text the query never named
