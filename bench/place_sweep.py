"""Place recognition: sweep the four jieba-frequency guards of ingest/places.py, one at a time around its default.

    .venv/bin/python bench/place_sweep.py                 # the table, about a minute
    .venv/bin/python bench/place_sweep.py --samples 8     # more appearing / disappearing places per value

The guards (dictionary frequencies above which a string reads as a common word, not a name):
_CROSSING_WORD_FREQ (a word across a name's left edge), _COMMON_TAIL_FREQ (小城镇), _COMMON_STEM_FREQ (中心镇) and
_SHORT_TOWN_WORD_FREQ (a county's township short form that is an everyday word: 草场). Each is set to ×0.25 … ×4
its default and to "off" (infinity: the guard never fires) while the others keep theirs; nothing needs a store,
everything is parsed and answered in-process, so the measures below are proxies of the full pipeline:

- unit: issuing-unit accuracy (and unit-parent accuracy) of describe_article against tests/ingest/data/
  gold_metadata.jsonl (every article of corpus/ and ../shared/corpus-extra/);
- places: the distinct places describe_article finds over every paragraph of those articles, gazetteer divisions
  of the total, and a sample of the mentions that appear (+) or disappear (-) against the default, with context;
- county: artifacts/county/township_lists.jsonl (13 county reports, not redistributed; skipped when absent);
- province, city, dev: the list questions of ../shared/eval/province_lists_dev.jsonl, city_lists_dev.jsonl and
  dev.jsonl over corpus/ + corpus-extra.

For the list sets, each question's key phrases come from qa.topic_keys.list_terms measured on the chunks of its
corpus; every chunk holding one is evidence (the lexical gather of a list answer, without dense neighbours); each
of its quotable sentences that holds a phrase is grouped by qa.lists._groups (the places of the level asked that
the clauses qa.lists._clauses_about picks name within the report's unit, else the issuing unit), and the groups are scored as evidence rows by
../shared/eval/run_eval.py's score_ask: entity recall / precision.

Rule: keep a guard's default unless another value raises the worst of the measures (unit and parent accuracy,
every set's recall and precision, the county set's strict precision) without lowering any of them. Such a value is
printed as a candidate, taken only once the mentions it adds and removes (printed below the table) read as right:
the list sets score only the places in their evidence sentences, so a guard's false places elsewhere (a town's
short form that is also a nickname of its city) are seen only there.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GHQA_SHARED", ROOT.parent / "shared"))
EVAL = SHARED / "eval"
GOLD_METADATA = ROOT / "tests" / "ingest" / "data" / "gold_metadata.jsonl"
COUNTY = ROOT / "artifacts" / "county"
GUARDS = ["_CROSSING_WORD_FREQ", "_COMMON_TAIL_FREQ", "_COMMON_STEM_FREQ", "_SHORT_TOWN_WORD_FREQ"]
FACTORS = [0.25, 0.5, 1, 2, 4, math.inf]  # inf: the guard is off


@dataclass
class Corpus:
    name: str
    articles: list[tuple[str, object]]  # (file relative to its root, Article)
    chunks: list[tuple[object, object]]  # (Article, Chunk)


def load_corpus(name: str, files: list[tuple[str, Path]]) -> Corpus:
    from ghqa.ingest.chunks import build_chunks
    from ghqa.ingest.loaders import load_source
    from ghqa.ingest.metadata import describe_article
    from ghqa.ingest.structure import build_articles

    articles, chunks = [], []
    for rel, path in files:
        _, parsed = build_articles(load_source(path), path.stem)
        for article in parsed:
            describe_article(article)
            articles.append((rel, article))
            chunks += [(article, c) for c in build_chunks(article)]
    return Corpus(name, articles, chunks)


class ChunkFrequency:
    """What list_terms asks of a retriever, answered from a corpus's chunks."""

    def __init__(self, corpus: Corpus):
        self.norms = [c.norm for _, c in corpus.chunks]

    def passage_count(self) -> int:
        return len(self.norms)

    def document_frequency(self, phrase: str) -> int:
        from ghqa.ingest.clean import normalize_for_index

        phrase = normalize_for_index(phrase)
        return sum(phrase in n for n in self.norms) if phrase else 0

    def gather(self, phrases: list[str], filters: object = None, limit: int | None = 400) -> list[SimpleNamespace]:
        """The chunks holding a phrase, as passages with their text (what spelling_variants reads)."""
        from ghqa.ingest.clean import normalize_for_index

        wanted = [normalize_for_index(p) for p in phrases]
        return [SimpleNamespace(text=n) for n in self.norms if any(p and p in n for p in wanted)][:limit]


def list_set(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [g for g in rows if g.get("kind") == "list"]


def prepare_questions(gold: list[dict], corpus: Corpus) -> list[tuple[dict, object, list[str], list[str]]]:
    """Each question with its analysis, key phrases and fallback topic words (as _evidence_rows has them)."""
    from ghqa.qa.questions import analyze_question
    from ghqa.qa.topic_keys import TOPIC_COMMON_SHARE, list_terms
    from ghqa.qa.word_classes import is_topic_word, tagged_words

    freq = ChunkFrequency(corpus)
    total = max(1, freq.passage_count())
    out = []
    for g in gold:
        analysis = analyze_question(g["q"])
        terms = list_terms(freq, analysis)
        words = [
            w
            for w, flag in dict.fromkeys(tagged_words(analysis.topic))
            if len(w) >= 2
            and is_topic_word(flag, every_word=False)
            and 0 < freq.document_frequency(w) <= TOPIC_COMMON_SHARE * total
        ]
        out.append((g, analysis, terms, words))
    return out


def quotable(article, chunk) -> list[str]:
    """A chunk's sentences as quotable_sentences gives them (no heading alone, no mojibake)."""
    from ghqa.ingest.chunks import split_sentences
    from ghqa.qa.evidence import _SENTENCE_END, without_mojibake

    sentences = []
    for offset, line in enumerate(chunk.text.split("\n")):
        number = chunk.first_paragraph + offset
        if number > len(article.paragraphs):
            continue
        paragraph = article.paragraphs[number - 1]
        if paragraph.heading_level is not None and not _SENTENCE_END.search(line):
            continue
        for a, b in split_sentences(line):
            sentence = without_mojibake(line[a:b].strip())
            if sentence:
                sentences.append(sentence)
    return sentences


def score_list_set(questions, corpus: Corpus) -> tuple[float | None, float | None, float | None]:
    """Entity recall / precision of the groups the evidence sentences yield, with run_eval's scorer, and the strict
    precision of the township rows (artifacts/county/strict_precision.py: a row ending 镇/乡/街道 that names no gold
    town is wrong, whether or not the gold lists it among the non-entities)."""
    from ghqa.ingest.clean import normalize_for_index
    from ghqa.qa.lists import _clauses_about, _groups, _unit_codes
    from normalize import normalize
    from run_eval import score_ask, summarize

    rows = []
    towns = right = 0
    for g, analysis, terms, words in questions:
        groups: dict[str, str] = {}
        for article, chunk in corpus.chunks:
            if not terms or not any(t in chunk.norm for t in terms):
                continue
            p = SimpleNamespace(
                unit=article.unit,
                unit_parent=article.unit_parent,
                level=article.level,
                year=article.year,
                article_title=article.title,
                source=chunk.text[:20],
            )
            for sentence in quotable(article, chunk):
                norm = normalize_for_index(sentence)
                hits = [t for t in terms if t in norm] or [w for w in words if w in norm]
                if not hits:
                    continue
                clauses = _clauses_about(sentence, hits, _unit_codes(p))
                for group, _ in _groups(p, clauses, analysis):
                    groups.setdefault(group, sentence)
        for group in groups:
            if group.endswith(("镇", "乡", "街道")):
                towns += 1
                right += any(normalize(group).startswith(normalize(a)) for alts in g["entities"] for a in alts)
        rows.append(
            {
                "answer": "、".join(groups),
                "found": bool(groups),
                "citations": [{"text": s} for s in groups.values()],
                "evidence": [{"place": g} for g in groups],
            }
        )
    summary = summarize(score_ask([q[0] for q in questions], rows), ["ent_recall", "ent_precision"])
    return summary["ent_recall"], summary["ent_precision"], right / towns if towns else None


def describe(corpora: list[Corpus]) -> dict[tuple, str]:
    """Re-run describe_article on every article; return each place mention found (key → context)."""
    import ghqa.ingest.metadata as metadata
    from ghqa.ingest.places import find_places

    mentions: dict[tuple, str] = {}
    current = [""]

    def recording(text, near=()):
        found = find_places(text, near)
        for place in found:
            start = place.start
            context = text[max(0, start - 6) : start + len(place.mention) + 6].replace("\n", " ")
            mentions[(current[0], text, start, place.name, place.anonymised)] = f"{place.name} ← …{context}…"
        return found

    metadata.find_places = recording
    try:
        for corpus in corpora:
            current[0] = corpus.name
            for _, article in corpus.articles:
                metadata.describe_article(article)
    finally:
        metadata.find_places = find_places
    return mentions


def unit_scores(corpus: Corpus, gold: list[dict]) -> tuple[float, float]:
    by_key = {(rel, a.number): a for rel, a in corpus.articles}
    units = parents = 0
    for g in gold:
        article = by_key.get((g["file"], g["article"]))
        units += article is not None and article.unit == g["unit"]
        parents += article is not None and article.unit_parent == g.get("unit_parent")
    return units / len(gold), parents / len(gold)


def sample(sign: str, keys: list[tuple], mentions: dict[tuple, str], limit: int) -> list[str]:
    """One mention (with context) of each of the first `limit` places, with how often the place changed."""
    by_place: dict[str, list[tuple]] = {}
    for key in keys:
        by_place.setdefault(key[3], []).append(key)
    return [
        f"   {sign} [{found[0][0]}] {mentions[found[0]]}" + (f" (×{len(found)})" if len(found) > 1 else "")
        for found in list(by_place.values())[:limit]
    ]


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=4, help="appearing / disappearing mentions shown per value")
    args = parser.parse_args()
    sys.path.insert(0, str(EVAL))
    import ghqa.ingest.places as places

    started = time.time()
    gold = [json.loads(line) for line in GOLD_METADATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    files = [(g["file"], ROOT / g["file"] if g["file"].startswith("corpus/") else SHARED / g["file"]) for g in gold]
    main_corpus = load_corpus("corpus + corpus-extra", list(dict.fromkeys(files)))
    corpora = [main_corpus]
    sets: dict[str, tuple[list, Corpus]] = {}
    county_gold = list_set(COUNTY / "township_lists.jsonl")
    county_files = sorted((COUNTY / "corpus").glob("*.txt")) if (COUNTY / "corpus").is_dir() else []
    if county_gold and county_files:
        county = load_corpus("county", [(p.name, p) for p in county_files])
        corpora.append(county)
        sets["county"] = (prepare_questions(county_gold, county), county)
    else:
        print("artifacts/county/ is absent (not redistributed): the county township set is skipped\n")
    for label, name in [
        ("province", "province_lists_dev.jsonl"),
        ("city", "city_lists_dev.jsonl"),
        ("dev", "dev.jsonl"),
    ]:
        questions = list_set(EVAL / name)
        if questions:
            sets[label] = (prepare_questions(questions, main_corpus), main_corpus)
    sizes = ", ".join(f"{k} {len(v[0])}" for k, v in sets.items())
    print(f"gold metadata: {len(gold)} articles; list questions: {sizes}; loaded in {time.time() - started:.0f} s\n")

    defaults = {name: getattr(places, name) for name in GUARDS}

    def measure() -> dict:
        mentions = describe(corpora)
        unit, parent = unit_scores(main_corpus, gold)
        scores = {label: score_list_set(qs, corpus) for label, (qs, corpus) in sets.items()}
        return {"unit": unit, "parent": parent, "scores": scores, "mentions": mentions}

    baseline = measure()
    header = ["guard", "value", "unit / parent", "places (divisions)"] + [f"{k} R / P" for k in sets]
    header += ["county strict P"] if "county" in sets else []
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    samples: list[str] = []
    choices: list[str] = []
    for name in GUARDS:
        default = defaults[name]
        results = []
        for factor in FACTORS:
            value = math.inf if factor == math.inf else round(default * factor)
            setattr(places, name, value)
            try:
                result = baseline if factor == 1 else measure()
            finally:
                setattr(places, name, default)
            names = {(k[3], k[4]) for k in result["mentions"] if k[0] == main_corpus.name}
            divisions = sum(1 for _, anonymised in names if not anonymised)
            cells = [f"{fmt(r)} / {fmt(p)}" for r, p, _ in result["scores"].values()]
            cells += [fmt(result["scores"]["county"][2])] if "county" in sets else []
            shown = "off" if value == math.inf else str(value)
            mark = " (default)" if factor == 1 else ""
            row = [name, shown + mark, f"{result['unit']:.3f} / {result['parent']:.3f}", f"{len(names)} ({divisions})"]
            print("| " + " | ".join(row + cells) + " |", flush=True)
            results.append((value, result))
            if factor != 1:
                added = sorted(set(result["mentions"]) - set(baseline["mentions"]))
                removed = sorted(set(baseline["mentions"]) - set(result["mentions"]))
                samples.append(f"{name} = {shown}: +{len(added)} / -{len(removed)} mentions")
                samples += sample("+", added, result["mentions"], args.samples)
                samples += sample("-", removed, baseline["mentions"], args.samples)
        choices.append(f"{name}: {choose(default, results)}")
    print("\nmentions that appear (+) or disappear (-) against the defaults:")
    print("\n".join(samples))
    print("\nrule: keep the default unless another value raises the worst measure without lowering any;")
    print("a candidate is taken only once the mentions it adds and removes (above) read as right")
    print("\n".join(choices))
    print(f"\n{time.time() - started:.0f} s")


def measures(result: dict) -> list[float]:
    values = [result["unit"], result["parent"]]
    for scores in result["scores"].values():
        values += [v for v in scores if v is not None]
    return values


def choose(default: float, results: list[tuple[float, dict]]) -> str:
    base = measures(next(r for v, r in results if v == default))
    better = [
        (min(m), v)
        for v, r in results
        if (m := measures(r)) and min(m) > min(base) and all(a >= b for a, b in zip(m, base, strict=True))
    ]
    if not better:
        return f"keep {default}"
    worst, value = max(better)
    shown = "off" if value == math.inf else value
    return f"keep {default}; candidate {shown} (worst measure {min(base):.3f} → {worst:.3f}): read its mentions above"


if __name__ == "__main__":
    main()
