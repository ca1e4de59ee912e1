"""Retrieval quality and speed of the knowledge base itself (issue: knowledge base).

Recall@10: for LiveQA training questions whose reference answer comes from a document in the
knowledge base, is one of those documents among the top 10 passages? Measured for BM25
alone, dense alone and the fused ranking, on the same questions in the same run. Search
latency: warm p50/p95 per mode over the same query list.

Which document "is" the answer: the training files carry no answer URLs (only the test set
has ``AnswerURL``), so a document counts as the reference when one of its passages contains
at least 90 % of the content words of the reference answer's opening sentence (≥ 6 words) —
in practice the NIH page the answer was copied from. Questions with no such document are
left out and counted (``answerable``).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from curbside.evaluation.common import latency_summary
from curbside.evaluation.datasets import LiveQaItem, liveqa_paths, read_liveqa
from curbside.knowledge.embedding import Embedder
from curbside.knowledge.store import Store
from curbside.language.sentences import split_sentences
from curbside.retrieval.hybrid import HybridSearcher, SearchMode

K = 10
MIN_WORDS = 6
COVERAGE = 0.9
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class RetrievalReport:
    questions: int
    answerable: int
    recall_at_10: dict[str, float]
    latency_ms: dict[str, dict[str, float | None]]
    misses: dict[str, list[str]] = field(default_factory=dict)


def _content(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in ENGLISH_STOP_WORDS}


def reference_documents(store: Store, answers: tuple[str, ...]) -> set[str]:
    """Documents holding a reference answer's opening sentence (see module docstring)."""
    found: set[str] = set()
    for answer in answers:
        sentences = [s for s in split_sentences(answer) if len(s.split()) >= MIN_WORDS]
        if not sentences:
            continue
        words = _content(sentences[0])
        hits = store.lexical_search(sentences[0], 5)
        for record in store.passages([h.passage_id for h in hits]):
            if words and len(words & _content(record.passage.text)) >= COVERAGE * len(words):
                found.add(record.document.source_id)
    return found


def answerable(store: Store, items: list[LiveQaItem]) -> list[tuple[LiveQaItem, set[str]]]:
    """Questions whose reference answer is found in the knowledge base, with those documents."""
    pairs = []
    for item in items:
        targets = reference_documents(store, item.answers)
        if targets:
            pairs.append((item, targets))
    return pairs


def evaluate_retrieval(
    store: Store, embedder: Embedder, eval_dir: Path, limit: int | None = None, latency_queries: int = 200
) -> RetrievalReport:
    """Recall@10 per mode, then warm latency per mode; each latency query is new to the
    searcher, so hybrid and dense include embedding the query."""
    items = read_liveqa(liveqa_paths(eval_dir))
    searcher = HybridSearcher(store, embedder)
    searcher.search("warm up", limit=K)
    pairs = answerable(store, items[:limit] if limit else items)
    searcher.prime([item.question for item, _ in pairs])  # embed once; latency below is search, warm
    hits = {mode.value: 0 for mode in SearchMode}
    misses: dict[str, list[str]] = {mode.value: [] for mode in SearchMode}
    for item, targets in pairs:
        for mode in SearchMode:
            result = searcher.search(item.question, limit=K, mode=mode)
            if targets & {hit.record.document.source_id for hit in result.hits}:
                hits[mode.value] += 1
            else:
                misses[mode.value].append(item.qid)
    queries = [item.question for item in items][:latency_queries]
    latency = {}
    for mode in SearchMode:
        searcher = HybridSearcher(store, embedder)  # empty query cache
        searcher.search("warm up", limit=K, mode=mode)
        samples = []
        for query in queries:
            started = time.perf_counter()
            searcher.search(query, limit=K, mode=mode)
            samples.append((time.perf_counter() - started) * 1000)
        latency[mode.value] = latency_summary(samples)
    total = max(1, len(pairs))
    return RetrievalReport(len(items), len(pairs), {m: round(h / total, 3) for m, h in hits.items()}, latency, misses)
