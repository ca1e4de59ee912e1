"""The fitted intent model in a form that predicts with numpy alone.

Importing scikit-learn (and the scipy it pulls in) costs ~1.5 CPU-seconds, more than the rest
of a fresh ``curbside ask``; it is only needed to *fit* the model. After fitting, the TF-IDF
vocabularies, idf weights and logistic-regression coefficients are copied out of the
scikit-learn pipeline into :class:`LinearTfidfModel`, which reproduces its ``predict_proba``
(same analyzers, sublinear tf, l2 norm per block, softmax), so serving never imports it.
``tests/understanding/test_intent_model.py`` checks the two agree on every probability.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

# scikit-learn's defaults for the two analyzers the intent pipeline uses.
_WORD_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WHITE_SPACES = re.compile(r"\s\s+")


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's ``analyzer="word"`` (lowercase, default token pattern, no stop words)."""
    tokens = _WORD_TOKEN.findall(text.lower())
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's ``analyzer="char_wb"``: n-grams inside space-padded words."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams.extend(padded[offset : offset + n] for offset in range(max(1, len(padded) - n + 1)))
            if len(padded) <= n:  # a word shorter than n counts once, as in scikit-learn
                break
    return grams


@dataclass(frozen=True, slots=True)
class TfidfBlock:
    """One fitted TF-IDF vectorizer: analyzer, n-gram range, vocabulary → column, idf."""

    analyzer: str
    ngram_range: tuple[int, int]
    vocabulary: dict[str, int]
    idf: npt.NDArray[np.float64]
    sublinear_tf: bool

    def transform(self, text: str) -> npt.NDArray[np.float64]:
        low, high = self.ngram_range
        grams = word_ngrams(text, low, high) if self.analyzer == "word" else char_wb_ngrams(text, low, high)
        row = np.zeros(len(self.idf))
        for gram, count in Counter(g for g in grams if g in self.vocabulary).items():
            row[self.vocabulary[gram]] = (1.0 + math.log(count)) if self.sublinear_tf else count
        row *= self.idf
        norm = math.sqrt(float(row @ row))
        return row / norm if norm > 0 else row


@dataclass(frozen=True, slots=True)
class LinearTfidfModel:
    """TF-IDF blocks (concatenated) → logistic regression, predicting without scikit-learn."""

    blocks: tuple[TfidfBlock, ...]
    coef: npt.NDArray[np.float64]
    intercept: npt.NDArray[np.float64]
    classes: tuple[str, ...]

    def predict_proba(self, text: str) -> npt.NDArray[np.float64]:
        """Class probabilities for ``text``, in the order of :attr:`classes`."""
        features = np.concatenate([block.transform(text) for block in self.blocks])
        decision = self.coef @ features + self.intercept
        if len(self.classes) <= 2:  # binary: one logistic score for the second class
            positive = 1.0 / (1.0 + math.exp(-float(decision[0])))
            return np.array([1.0 - positive, positive])
        decision = np.exp(decision - decision.max())
        return np.asarray(decision / decision.sum())

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> LinearTfidfModel:
        """Copy a fitted ``Pipeline([("features", FeatureUnion([...TfidfVectorizer])), ("model",
        LogisticRegression)])`` out of scikit-learn. Raises ValueError for any other shape."""
        features, model = pipeline.named_steps["features"], pipeline.named_steps["model"]
        blocks = tuple(_block(vectorizer) for _, vectorizer in features.transformer_list)
        return cls(
            blocks=blocks,
            coef=np.asarray(model.coef_, dtype=np.float64),
            intercept=np.asarray(model.intercept_, dtype=np.float64),
            classes=tuple(str(c) for c in model.classes_),
        )


def _block(vectorizer: Any) -> TfidfBlock:
    supported = (
        vectorizer.analyzer in ("word", "char_wb")
        and vectorizer.lowercase
        and vectorizer.norm == "l2"
        and vectorizer.use_idf
        and vectorizer.stop_words is None
        and vectorizer.strip_accents is None
        and vectorizer.preprocessor is None
        and vectorizer.tokenizer is None
        and (vectorizer.analyzer != "word" or vectorizer.token_pattern == _WORD_TOKEN.pattern)
    )
    if not supported:
        raise ValueError("the intent model's vectorizer uses options LinearTfidfModel does not reproduce")
    return TfidfBlock(
        analyzer=vectorizer.analyzer,
        ngram_range=tuple(vectorizer.ngram_range),
        vocabulary={str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        sublinear_tf=bool(vectorizer.sublinear_tf),
    )


def probabilities_for(model: LinearTfidfModel, texts: Sequence[str]) -> npt.NDArray[np.float64]:
    """``predict_proba`` for several texts (rows in input order)."""
    return np.vstack([model.predict_proba(text) for text in texts]) if texts else np.zeros((0, len(model.classes)))
