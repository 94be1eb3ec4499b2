"""Whether the corpus answers a question: a logistic model over the query's retrieval signals.

The coefficients are fitted by bench/abstention.py on answerable and unanswerable questions of several corpora
(README, "Abstention") and stored in qa/abstention.toml; nothing here is set by hand.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ghqa.index.passages import QuerySignals, Ranking

MODEL_PATH = Path(__file__).with_name("abstention.toml")
FEATURES = ("dense_top", "dense_gap", "coverage_top", "sentence_top")


@dataclass(frozen=True)
class AbstentionModel:
    intercept: float
    weights: dict[str, float]
    threshold: float  # answer when the probability is at least this

    def probability(self, signals: QuerySignals) -> float:
        """The probability that the corpus holds the answer, by the fitted model."""
        z = self.intercept + sum(w * getattr(signals, name) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))


@cache
def abstention_model(path: Path = MODEL_PATH) -> AbstentionModel:
    with path.open("rb") as f:
        data = tomllib.load(f)
    weights = {name: float(data["weights"][name]) for name in FEATURES}
    return AbstentionModel(float(data["intercept"]), weights, float(data["threshold"]))


def corpus_answers(ranking: Ranking) -> bool:
    """Whether the best passages are likely to answer the query (False also when nothing was found); the ranking
    must come from a search with sentence_signal=True."""
    if not ranking.passages:
        return False
    if ranking.signals.sentence_top is None:
        raise ValueError("the abstention model weighs sentence_top: search with sentence_signal=True")
    model = abstention_model()
    return model.probability(ranking.signals) >= model.threshold
