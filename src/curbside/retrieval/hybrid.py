"""Hybrid passage search: BM25 and dense rankings fused by reciprocal rank.

Reciprocal-rank fusion (Cormack et al., 2009) needs no score calibration between the
two rankers, which matters here because BM25 scores and cosines live on different scales.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from curbside.domain.documents import PassageRecord
from curbside.domain.knowledge_base import SearchFilters
from curbside.protocols import Embedder, PassageSearch

RRF_K = 60
CANDIDATES = 50
# Searches of one question run side by side on this many threads: SQLite (FTS5 BM25), hnswlib
# and onnxruntime release the GIL, so on 2 cores the BM25 queries (~40 ms each on the full
# corpus) overlap instead of queueing. Results are identical and kept in request order.
SEARCH_THREADS = 2


class SearchMode(StrEnum):
    HYBRID = "hybrid"
    LEXICAL = "bm25"
    DENSE = "dense"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A ranked passage with the evidence of why it ranked (ranks are 1-based, None = absent)."""

    record: PassageRecord
    score: float
    lexical_rank: int | None
    dense_rank: int | None


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: tuple[SearchHit, ...]
    timings_ms: dict[str, float] = field(default_factory=dict)


def fuse(rankings: list[list[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion of ranked id lists, best first (ties keep first-seen order)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, passage_id in enumerate(ranking, 1):
            scores[passage_id] = scores.get(passage_id, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: -item[1])


class HybridSearcher:
    """Searches a Store with BM25, dense vectors, or both fused.

    Example::

        searcher = HybridSearcher(store, embedder)
        result = searcher.search("screening for colorectal cancer", limit=10)
    """

    def __init__(self, store: PassageSearch, embedder: Embedder, cache_size: int = 2048) -> None:
        self._store = store
        self._embedder = embedder
        self._cache: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def search_all(self, requests: Sequence[tuple[str, int, SearchFilters, SearchMode]]) -> list[SearchResult]:
        """``search(text, limit, filters, mode)`` for every request, concurrently; results in
        request order (so callers see exactly what running them one by one returns)."""
        if len(requests) < 2:
            return [self.search(text, limit, filters, mode) for text, limit, filters, mode in requests]
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(SEARCH_THREADS, thread_name_prefix="curbside-search")
            pool = self._pool
        futures = [pool.submit(self.search, text, limit, filters, mode) for text, limit, filters, mode in requests]
        return [future.result() for future in futures]

    def passages(self, passage_ids: list[str]) -> list[PassageRecord]:
        """Records for ids, in the order asked (unknown ids omitted)."""
        return self._store.passages(passage_ids)

    def prime(self, texts: list[str]) -> None:
        """Embed the uncached texts in one batch (one model call instead of one per query)."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if not missing:
            return
        vectors = self._embedder.embed(missing)
        with self._lock:
            for text, vector in zip(missing, vectors, strict=True):
                self._cache[text] = vector
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def query_vector(self, text: str) -> npt.NDArray[np.float32]:
        """The query's embedding, cached: one ask runs several searches with the same text."""
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        vector = self._embedder.embed([text])[0]
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector

    def search(
        self,
        text: str,
        limit: int = 10,
        filters: SearchFilters = SearchFilters(),
        mode: SearchMode = SearchMode.HYBRID,
        candidates: int = CANDIDATES,
    ) -> SearchResult:
        timings: dict[str, float] = {}
        depth = max(limit, candidates)
        lexical: list[str] = []
        dense: list[str] = []
        if mode in (SearchMode.HYBRID, SearchMode.LEXICAL):
            started = time.perf_counter()
            lexical = [hit.passage_id for hit in self._store.lexical_search(text, depth, filters)]
            timings["bm25"] = (time.perf_counter() - started) * 1000
        if mode in (SearchMode.HYBRID, SearchMode.DENSE):
            started = time.perf_counter()
            vector = self.query_vector(text)
            timings["embed"] = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            dense = [hit.passage_id for hit in self._store.dense_search(vector, depth, filters)]
            timings["dense"] = (time.perf_counter() - started) * 1000
        fused = fuse([ranking for ranking in (lexical, dense) if ranking])[:limit]
        started = time.perf_counter()
        records = {r.passage.passage_id: r for r in self._store.passages([pid for pid, _ in fused])}
        timings["fetch"] = (time.perf_counter() - started) * 1000
        lexical_rank = {pid: rank for rank, pid in enumerate(lexical, 1)}
        dense_rank = {pid: rank for rank, pid in enumerate(dense, 1)}
        hits = tuple(
            SearchHit(records[pid], score, lexical_rank.get(pid), dense_rank.get(pid))
            for pid, score in fused
            if pid in records
        )
        return SearchResult(hits, timings)
