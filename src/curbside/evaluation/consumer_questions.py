"""LiveQA-Med 2017 training questions: do we cite the reference source and say similar things?

Per question (consumer subject + message, or the NIST paraphrase when present):

* ``top_url_match`` — the first reference's URL equals a reference URL after
  ``normalise_url`` (scheme, ``www.``, trailing slash ignored); ``any_url_match`` — any cited
  URL does. Both are ``None`` for questions without reference URLs: the training XML has no
  ``AnswerURL`` element, so only URLs written inside reference answers count (few questions).
* ``source_match`` — because URLs are rare, a text proxy: some cited passage contains at least
  ``SOURCE_MATCH_RECALL`` of a reference answer's content words (the verifier's
  ``lexical_recall``). Train-1 answers are MedQuAD passages, so citing that passage scores ~1.
* ``similarity`` — cosine of sentence-centroid embeddings (``text_similarity``) of the
  article text and the closest reference answer; ``None`` when we abstained.
* ``abstained`` and ``latency_ms``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from curbside.domain.article import Article
from curbside.evaluation.common import (
    SuiteResult,
    article_text,
    mean,
    normalise_url,
    share,
    text_similarity,
    timed_ask,
)
from curbside.evaluation.datasets import LiveQaItem, liveqa_paths, read_liveqa
from curbside.verification.support import content_words, lexical_recall

if TYPE_CHECKING:
    from curbside.pipeline import Curbside

SOURCE_MATCH_RECALL = 0.6


@dataclass(frozen=True, slots=True)
class LiveQaRow:
    qid: str
    question: str
    abstained: bool
    reference_urls: int
    top_url_match: bool | None
    any_url_match: bool | None
    source_match: bool | None
    similarity: float | None
    latency_ms: float
    cited_urls: tuple[str, ...]
    error: str | None = None


def url_matches(cited: Sequence[str], reference: Sequence[str]) -> tuple[bool | None, bool | None]:
    """(top cited URL matches, any cited URL matches); (None, None) without reference URLs."""
    wanted = {normalise_url(u) for u in reference if normalise_url(u)}
    if not wanted:
        return None, None
    normalised = [normalise_url(u) for u in cited]
    return (bool(normalised) and normalised[0] in wanted), any(u in wanted for u in normalised)


def source_match(article: Article, answers: Sequence[str]) -> bool | None:
    """True when some cited quote holds ≥ SOURCE_MATCH_RECALL of some reference answer's words."""
    if not answers:
        return None
    quotes = [frozenset(content_words(r.quote)) for r in article.references]
    return any(lexical_recall(answer, words) >= SOURCE_MATCH_RECALL for answer in answers for words in quotes)


def score_item(curbside: Curbside, item: LiveQaItem) -> LiveQaRow:
    """Ask one LiveQA question and score the article against its references."""
    timed = timed_ask(curbside, item.question)
    article = timed.article
    if article is None:
        return LiveQaRow(item.qid, item.question, True, len(item.urls), None, None, None, None,
                         round(timed.latency_ms, 1), (), timed.error)  # fmt: skip
    cited = tuple(dict.fromkeys(r.url for r in article.references if r.url))
    top, anywhere = url_matches(cited, item.urls)
    text = article_text(article)
    similarities = [s for a in item.answers if (s := text_similarity(curbside.embedder, text, a)) is not None]
    return LiveQaRow(
        qid=item.qid,
        question=item.question[:200],
        abstained=article.abstained,
        reference_urls=len(item.urls),
        top_url_match=top,
        any_url_match=anywhere,
        source_match=None if article.abstained else source_match(article, item.answers),
        similarity=max(similarities) if similarities else None,
        latency_ms=round(timed.latency_ms, 1),
        cited_urls=cited,
    )


def run_liveqa(curbside: Curbside, data: Path, limit: int | None = None) -> SuiteResult:
    """Ask the first ``limit`` LiveQA training questions (Train-1 then Train-2, file order)."""
    items = read_liveqa(liveqa_paths(data))
    chosen = items[:limit] if limit else items
    rows = tuple(score_item(curbside, item) for item in chosen)
    answered = [r for r in rows if not r.abstained]
    summary = {
        "n": len(rows),
        "with_reference_urls": sum(r.reference_urls > 0 for r in rows),
        "top_url_match": share([r.top_url_match for r in rows]),
        "any_url_match": share([r.any_url_match for r in rows]),
        "source_match": share([r.source_match for r in rows]),
        "similarity_mean": mean([r.similarity for r in rows]),
        "abstention_rate": share([r.abstained for r in rows]),
        "answered": len(answered),
        "errors": sum(r.error is not None for r in rows),
    }
    return SuiteResult(
        suite="liveqa",
        rows=rows,
        summary=summary,
        scores={"similarity": tuple(r.similarity for r in rows if r.similarity is not None)},
        latencies_ms=tuple(r.latency_ms for r in rows),
        notes=(
            f"{len(items)} questions available; URL metrics only over questions whose reference answers "
            "contain a URL (the training XML has no AnswerURL).",
            f"source_match: a cited passage holds >= {SOURCE_MATCH_RECALL:.0%} of a reference answer's content words.",
            "similarity: cosine of sentence-centroid MiniLM embeddings, article text vs closest reference answer.",
        ),
        limit=limit,
    )
