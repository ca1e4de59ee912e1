"""Support score of one statement against one cited passage.

The score combines semantic similarity (cosine between the statement and the best-matching
window of one or two consecutive passage sentences) with lexical recall (share of the
statement's content words the passage contains). Hard checks (``checks.hard_checks``) then
cap the verdict: any failed check makes the statement unsupported whatever the score.

Embeddings go through ``VectorCache`` so a verifier can embed every text it needs in one
batched call and reuse passage windows across articles (keyed by passage id).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from curbside.language.embedded_instructions import embedded_instructions
from curbside.language.sentences import split_sentences
from curbside.protocols import Embedder, Vectors
from curbside.verification.checks import DrugNames, canonical_durations, hard_checks
from curbside.verification.claims import split_claims
from curbside.verification.polarity import is_negative
from curbside.verification.support_model import SupportModel, packaged_support_model

_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "they",
        "them",
        "their",
        "there",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "how",
        "than",
        "then",
        "so",
        "such",
        "can",
        "could",
        "may",
        "might",
        "should",
        "would",
        "will",
        "shall",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "not",
        "no",
        "also",
        "into",
        "about",
        "over",
        "under",
        "more",
        "most",
        "less",
        "least",
        "very",
        "per",
        "each",
        "other",
        "some",
        "any",
        "all",
        "both",
        "either",
        "only",
        "same",
        "own",
        "our",
        "your",
        "you",
        "we",
        "he",
        "she",
        "his",
        "her",
        "him",
        "i",
        "me",
        "my",
        "us",
        "patients",
        "patient",
        "people",
    ]
)
_WORD = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")


def content_words(text: str) -> list[str]:
    """Lower-cased content tokens, prefix-stemmed to 7 characters so inflections meet (a plural
    "s" is dropped first, so "MAOIs" meets "MAOI"); durations are counted in days first, so
    "two weeks" meets "14 days"."""
    words = _WORD.findall(canonical_durations(text).lower())
    return [_stem(w) for w in words if w not in _STOPWORDS and len(w) > 1]


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:7]


def lexical_recall(statement: str, passage_words: frozenset[str] | set[str]) -> float:
    """Share of the statement's content words found in the passage (1.0 for no content words)."""
    words = content_words(statement)
    if not words:
        return 1.0
    return sum(w in passage_words for w in words) / len(words)


def _model_threshold(kind: str) -> float:
    model = packaged_support_model()
    return model.supported_threshold if kind == "supported" else model.partial_threshold


@dataclass(frozen=True, slots=True)
class SupportSettings:
    """The learned model and where verdict bands start (probabilities of support).

    ``model`` None means the packaged model (``data/support_model.json``); thresholds default
    to the ones stored with it, chosen on the calibration split. ``semantic_weight``,
    ``semantic_floor`` and ``semantic_ceiling`` only shape the legacy ``combine`` mix kept for
    evaluation baselines. ``polarity_overlap``: share of a claim's words its best sentence must
    hold before polarity is compared (against a loose match a "not" means nothing).
    """

    model: SupportModel | None = None
    supported_threshold: float = field(default_factory=lambda: _model_threshold("supported"))
    partial_threshold: float = field(default_factory=lambda: _model_threshold("partial"))
    semantic_weight: float = 0.6
    semantic_floor: float = 0.25
    semantic_ceiling: float = 0.85
    polarity_overlap: float = 0.5
    window_sentences: int = 3


def combine(settings: SupportSettings, semantic: float, lexical: float) -> float:
    """Weighted mix of cosine (rescaled by floor/ceiling) and lexical recall, clipped to 0–1."""
    s = settings
    scaled = (semantic - s.semantic_floor) / max(1e-6, s.semantic_ceiling - s.semantic_floor)
    mixed = s.semantic_weight * min(1.0, max(0.0, scaled)) + (1 - s.semantic_weight) * lexical
    return round(min(1.0, max(0.0, mixed)), 4)


@dataclass(frozen=True, slots=True)
class SupportResult:
    """Support of one statement by one passage.

    Attributes:
        score: combined support 0–1 (before hard checks).
        semantic: best window cosine, raw.
        lexical: content-word recall of the statement in the passage.
        passed, failed: hard-check one-liners; any ``failed`` entry caps the verdict.
        best_sentence: the passage sentence the statement matches best.
        label: "supported" | "partial" | "unsupported" (hard checks applied).
        reason: one line for people; for a compound statement it names the claim that failed.
        claims: per-claim results (one for a simple statement; empty for a verbatim quote).
        features: the learned scorer's inputs for the weakest claim (for training and reports).
    """

    score: float
    semantic: float
    lexical: float
    passed: tuple[str, ...]
    failed: tuple[str, ...]
    best_sentence: str
    label: str
    reason: str
    claims: tuple[ClaimResult, ...] = ()
    features: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """Support of one claim of a statement: its text, probability, label, reason and checks."""

    text: str
    score: float
    label: str
    reason: str
    passed: tuple[str, ...]
    failed: tuple[str, ...]
    best_sentence: str
    features: tuple[tuple[str, float], ...]


class VectorCache:
    """Text → unit vector cache in front of an Embedder; misses are embedded in one batch.

    Bounded (oldest entries evicted) so a long-running service does not grow without limit.
    """

    def __init__(self, embedder: Embedder, max_entries: int = 200_000) -> None:
        self.embedder = embedder
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._max = max_entries

    def prefetch(self, texts: Iterable[str]) -> None:
        """Embed every not-yet-cached text in a single ``embed`` call."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if not missing:
            return
        for text, vector in zip(missing, self.embedder.embed(missing), strict=True):
            self._vectors[text] = vector
        while len(self._vectors) > self._max:
            self._vectors.popitem(last=False)

    def matrix(self, texts: Sequence[str]) -> Vectors:
        """Stack the vectors of ``texts`` (embedding any misses first)."""
        self.prefetch(texts)
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts]).astype(np.float32, copy=False)


@dataclass(frozen=True, slots=True)
class _PassageIndex:
    sentences: tuple[str, ...]
    windows: tuple[str, ...]
    window_sentence: tuple[int, ...]  # index of each window's first sentence
    words: frozenset[str]
    sentence_words: tuple[frozenset[str], ...]
    text: str


class SupportScorer:
    """Scores statements against passages, claim by claim; caches passage windows by id."""

    def __init__(self, cache: VectorCache, settings: SupportSettings | None = None) -> None:
        self.cache = cache
        self.settings = settings or SupportSettings()
        self.model = self.settings.model or packaged_support_model()
        self._passages: OrderedDict[str, _PassageIndex] = OrderedDict()
        self._matrices: dict[str, Vectors] = {}

    def index(self, passage_id: str, text: str) -> _PassageIndex:
        """Split a passage into sentences and windows of 1–``window_sentences`` adjacent
        sentences (cached by id): a claim may be supported across a sentence boundary."""
        cached = self._passages.get(passage_id)
        if cached is not None and cached.text == text:
            return cached
        # Sentences that address a model ("ignore previous instructions …") are never evidence:
        # a passage must not vouch for a statement by telling the checker what to accept.
        rules = embedded_instructions()
        sentences = tuple(s[:600] for s in split_sentences(" ".join(text.split())) if not rules.addresses_a_model(s))
        sentences = sentences or ("",)
        windows, starts = list(sentences), list(range(len(sentences)))
        for size in range(2, self.settings.window_sentences + 1):
            for i in range(len(sentences) - size + 1):
                windows.append(" ".join(sentences[i : i + size]))
                starts.append(i)
        built = _PassageIndex(
            sentences, tuple(windows), tuple(starts), frozenset(content_words(" ".join(sentences))),
            tuple(frozenset(content_words(s)) for s in sentences), text,
        )  # fmt: skip
        self._passages[passage_id] = built
        self._matrices.pop(passage_id, None)
        if len(self._passages) > 20_000:
            old, _ = self._passages.popitem(last=False)
            self._matrices.pop(old, None)
        return built

    def texts_to_embed(self, passage_id: str, text: str) -> tuple[str, ...]:
        """Window texts of a passage not yet turned into a matrix (for one batched prefetch)."""
        built = self.index(passage_id, text)
        return () if passage_id in self._matrices else built.windows

    @staticmethod
    def statement_texts(statement: str) -> tuple[str, ...]:
        """The texts ``score`` embeds for a statement: its claims."""
        return tuple(split_claims(statement))

    def _matrix(self, passage_id: str, built: _PassageIndex) -> Vectors:
        matrix = self._matrices.get(passage_id)
        if matrix is None:
            matrix = self.cache.matrix(built.windows)
            self._matrices[passage_id] = matrix
        return matrix

    def score(
        self, statement: str, passage_id: str, passage_text: str, drug_names: DrugNames = (), heading: str = ""
    ) -> SupportResult:
        """Support of ``statement`` by the passage; see ``SupportResult`` for the fields. ``heading``
        (document title, section) is where a drug the passage only implies is named: a label's
        dosage table says "50 mg once daily" under the drug's name."""
        built = self.index(passage_id, passage_text)
        if is_verbatim(statement, passage_text):
            return self._verbatim(statement, built, drug_names, heading)
        claims = [self._claim(c, passage_id, built, drug_names, heading) for c in split_claims(statement)]
        weakest = min(claims, key=lambda c: (_LABEL_RANK[c.label], c.score))
        label, reason = weakest.label, weakest.reason
        if len(claims) > 1 and label != "supported":
            index = claims.index(weakest) + 1
            reason = f"claim {index} of {len(claims)} ({_short(weakest.text)!r}): {reason}"
        elif len(claims) > 1:
            reason = f"all {len(claims)} claims supported; " + reason
        features = dict(weakest.features)
        return SupportResult(
            weakest.score, features["window_cosine"], features["passage_recall"],
            tuple(p for c in claims for p in c.passed), tuple(f for c in claims for f in c.failed),
            weakest.best_sentence, label, reason, tuple(claims), weakest.features,
        )  # fmt: skip

    def _claim(
        self, claim: str, passage_id: str, built: _PassageIndex, drug_names: DrugNames, heading: str = ""
    ) -> ClaimResult:
        """One claim against the passage: features, learned probability, hard checks."""
        vector = self.cache.matrix([claim])[0]
        similarities = self._matrix(passage_id, built) @ vector
        best_window = int(np.argmax(similarities))
        best_index = self._best_sentence(claim, built, similarities[: len(built.sentences)])
        best_sentence = built.sentences[best_index]
        words = content_words(claim)
        overlap = sum(w in built.sentence_words[best_index] for w in words) / max(1, len(words))
        close = overlap >= self.settings.polarity_overlap or float(similarities[best_index]) >= 0.7
        passed, failed = hard_checks(claim, " ".join(built.sentences), best_sentence, drug_names, close, heading)
        window = built.windows[best_window]
        features = {
            "window_cosine": float(similarities[best_window]),
            "sentence_cosine": float(similarities[best_index]),
            "passage_recall": lexical_recall(claim, built.words),
            "window_recall": lexical_recall(claim, frozenset(content_words(window))),
            "window_bigram_recall": bigram_recall(words, content_words(window)),
            "hard_failed": float(bool(failed)),
            "polarity_agrees": float(is_negative(claim) == is_negative(best_sentence)),
            "claim_words": float(len(words)),
        }
        score = round(self.model.probability(features), 4)
        label, reason = self._label(score, failed, best_sentence)
        return ClaimResult(claim, score, label, reason, tuple(passed), tuple(failed), best_sentence,
                           tuple(features.items()))  # fmt: skip

    def _verbatim(
        self, statement: str, built: _PassageIndex, drug_names: DrugNames, heading: str = ""
    ) -> SupportResult:
        """A quotation needs no similarity model: its words are the passage's. The hard checks
        still run, so a quote whose context flips it (e.g. a cut-off "not") is still caught."""
        first = " ".join(split_sentences(statement)[:1]).rstrip(".…")
        best_index = next((i for i, s in enumerate(built.sentences) if first and first in s), 0)
        best_sentence = built.sentences[best_index]
        # A quote has the passage's own polarity: comparing it with one sentence would misread a
        # two-sentence quote whose second sentence is negative.
        passed, failed = hard_checks(statement, " ".join(built.sentences), best_sentence, drug_names, False, heading)
        label, reason = self._label(1.0, failed, best_sentence)
        return SupportResult(1.0, 1.0, 1.0, tuple(passed), tuple(failed), best_sentence, label, reason)

    def combine(self, semantic: float, lexical: float) -> float:
        """Legacy weighted mix of rescaled cosine and lexical recall (evaluation baselines)."""
        return combine(self.settings, semantic, lexical)

    def _best_sentence(self, statement: str, built: _PassageIndex, sentence_sims: np.ndarray) -> int:
        """The single sentence that matches best, by cosine plus lexical recall.

        Polarity is judged on one sentence, not a window, so a neighbouring sentence's "not"
        cannot flip it.
        """
        words = content_words(statement)
        best_index, best_value = 0, -1.0
        for i, sentence_words in enumerate(built.sentence_words):
            overlap = sum(w in sentence_words for w in words) / len(words) if words else 0.0
            value = float(sentence_sims[i]) + 0.5 * overlap
            if value > best_value:
                best_index, best_value = i, value
        return best_index

    def _label(self, score: float, failed: list[str], best_sentence: str) -> tuple[str, str]:
        s = self.settings
        if failed:
            return "unsupported", failed[0]
        if score < s.partial_threshold:
            return "unsupported", f"low support ({score:.2f}): the cited passage does not state this"
        if score >= s.supported_threshold:
            return "supported", f"supported ({score:.2f}) by: {best_sentence[:100]}"
        return "partial", f"partly supported ({score:.2f}); closest: {best_sentence[:100]}"


_LABEL_RANK = {"unsupported": 0, "partial": 1, "supported": 2}


def bigram_recall(words: list[str], window_words: list[str]) -> float:
    """Share of the claim's adjacent content-word pairs that the window also has (word order)."""
    pairs = set(pairwise(words))
    if not pairs:
        return 1.0 if words and all(w in window_words for w in words) else 0.0
    theirs = set(pairwise(window_words))
    return len(pairs & theirs) / len(pairs)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _squash(text: str) -> str:
    return " ".join(text.split())


def is_verbatim(statement: str, passage_text: str) -> bool:
    """True when every sentence of the statement appears word for word in the passage
    (the offline composer quotes; an ellipsis marks where it trimmed a long sentence)."""
    passage = _squash(passage_text)
    parts = [_squash(p).rstrip("…").strip() for p in split_sentences(statement)]
    parts = [p for p in parts if p]
    return bool(parts) and all(p in passage for p in parts)
