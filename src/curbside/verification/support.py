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
from dataclasses import dataclass

import numpy as np

from curbside.language.sentences import split_sentences
from curbside.protocols import Embedder, Vectors
from curbside.verification.checks import DrugNames, hard_checks

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
# Sentences that address a reader-model rather than state a fact ("ignore previous
# instructions …") are never evidence: a passage must not be able to vouch for a statement
# by telling the checker what to accept.
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget)\b.{0,40}\b(?:previous|prior|above|earlier|all)\b.{0,20}"
    r"\b(?:instructions?|prompts?|rules?|context)\b|\b(?:system prompt|you are (?:now )?an? (?:ai|assistant)|"
    r"as an ai)\b",
    re.IGNORECASE,
)


def content_words(text: str) -> list[str]:
    """Lower-cased content tokens, prefix-stemmed to 7 characters so inflections meet."""
    return [w[:7] for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 1]


def lexical_recall(statement: str, passage_words: frozenset[str] | set[str]) -> float:
    """Share of the statement's content words found in the passage (1.0 for no content words)."""
    words = content_words(statement)
    if not words:
        return 1.0
    return sum(w in passage_words for w in words) / len(words)


@dataclass(frozen=True, slots=True)
class SupportSettings:
    """How semantic and lexical evidence combine, and where verdict bands start.

    ``semantic_floor``/``semantic_ceiling`` rescale cosine to 0–1 (MiniLM cosines of unrelated
    sentences sit near 0.1–0.3, paraphrases above 0.8). Thresholds come from
    ``calibration.py`` on the HealthVer calibration half.
    """

    semantic_weight: float = 0.6
    semantic_floor: float = 0.25
    semantic_ceiling: float = 0.85
    supported_threshold: float = 0.62
    partial_threshold: float = 0.45
    polarity_overlap: float = 0.5


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
        reason: one line for people.
    """

    score: float
    semantic: float
    lexical: float
    passed: tuple[str, ...]
    failed: tuple[str, ...]
    best_sentence: str
    label: str
    reason: str


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
    """Scores statements against passages; caches each passage's windows by passage id."""

    def __init__(self, cache: VectorCache, settings: SupportSettings | None = None) -> None:
        self.cache = cache
        self.settings = settings or SupportSettings()
        self._passages: OrderedDict[str, _PassageIndex] = OrderedDict()
        self._matrices: dict[str, Vectors] = {}

    def index(self, passage_id: str, text: str) -> _PassageIndex:
        """Split a passage into sentences and 1–2 sentence windows (cached by id)."""
        cached = self._passages.get(passage_id)
        if cached is not None and cached.text == text:
            return cached
        sentences = tuple(s[:600] for s in split_sentences(" ".join(text.split())) if not _INJECTION.search(s)) or ("",)
        windows = list(sentences)
        starts = list(range(len(sentences)))
        for i in range(len(sentences) - 1):
            windows.append(sentences[i] + " " + sentences[i + 1])
            starts.append(i)
        clean = " ".join(sentences)
        built = _PassageIndex(
            sentences,
            tuple(windows),
            tuple(starts),
            frozenset(content_words(clean)),
            tuple(frozenset(content_words(s)) for s in sentences),
            text,
        )
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

    def _matrix(self, passage_id: str, built: _PassageIndex) -> Vectors:
        matrix = self._matrices.get(passage_id)
        if matrix is None:
            matrix = self.cache.matrix(built.windows)
            self._matrices[passage_id] = matrix
        return matrix

    def score(self, statement: str, passage_id: str, passage_text: str, drug_names: DrugNames = ()) -> SupportResult:
        """Support of ``statement`` by the passage; see ``SupportResult`` for the fields."""
        built = self.index(passage_id, passage_text)
        if is_verbatim(statement, passage_text):
            return self._verbatim(statement, built, drug_names)
        vector = self.cache.matrix([statement])[0]
        similarities = self._matrix(passage_id, built) @ vector
        best = int(np.argmax(similarities))
        semantic = float(similarities[best])
        lexical = lexical_recall(statement, built.words)
        best_index = self._best_sentence(statement, built, similarities[: len(built.sentences)])
        best_sentence = built.sentences[best_index]
        words = content_words(statement)
        overlap = sum(w in built.sentence_words[best_index] for w in words) / max(1, len(words))
        close = overlap >= self.settings.polarity_overlap or float(similarities[best_index]) >= 0.7
        passed, failed = hard_checks(statement, " ".join(built.sentences), best_sentence, drug_names, close)
        score = self.combine(semantic, lexical)
        label, reason = self._label(score, failed, best_sentence)
        return SupportResult(score, semantic, lexical, tuple(passed), tuple(failed), best_sentence, label, reason)

    def _verbatim(self, statement: str, built: _PassageIndex, drug_names: DrugNames) -> SupportResult:
        """A quotation needs no similarity model: its words are the passage's. The hard checks
        still run, so a quote whose context flips it (e.g. a cut-off "not") is still caught."""
        first = " ".join(split_sentences(statement)[:1]).rstrip(".…")
        best_index = next((i for i, s in enumerate(built.sentences) if first and first in s), 0)
        best_sentence = built.sentences[best_index]
        # A quote has the passage's own polarity: comparing it with one sentence would misread a
        # two-sentence quote whose second sentence is negative.
        passed, failed = hard_checks(statement, " ".join(built.sentences), best_sentence, drug_names, False)
        label, reason = self._label(1.0, failed, best_sentence)
        return SupportResult(1.0, 1.0, 1.0, tuple(passed), tuple(failed), best_sentence, label, reason)

    def combine(self, semantic: float, lexical: float) -> float:
        """Weighted mix of rescaled cosine and lexical recall, in 0–1."""
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
        if score < s.partial_threshold:
            return "unsupported", f"low support ({score:.2f}): the cited passage does not state this"
        if failed:
            return "unsupported", failed[0]
        if score >= s.supported_threshold:
            return "supported", f"supported ({score:.2f}) by: {best_sentence[:100]}"
        return "partial", f"partly supported ({score:.2f}); closest: {best_sentence[:100]}"


def _squash(text: str) -> str:
    return " ".join(text.split())


def is_verbatim(statement: str, passage_text: str) -> bool:
    """True when every sentence of the statement appears word for word in the passage
    (the offline composer quotes; an ellipsis marks where it trimmed a long sentence)."""
    passage = _squash(passage_text)
    parts = [_squash(p).rstrip("…").strip() for p in split_sentences(statement)]
    parts = [p for p in parts if p]
    return bool(parts) and all(p in passage for p in parts)
