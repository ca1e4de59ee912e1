"""hnsw-specific behaviour beyond the shared VectorIndex contract: the wide-filter graph walk."""

from __future__ import annotations

import numpy as np
import pytest

from curbside.knowledge import hnsw_index
from curbside.knowledge.hnsw_index import HnswVectorIndex
from curbside.knowledge.vector_index import ExactVectorIndex

DIM = 16


def test_wide_filters_walk_the_graph_and_return_only_allowed_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hnsw_index, "EXACT_BELOW", 10)  # force the filtered graph walk
    rng = np.random.default_rng(3)
    rows = rng.normal(size=(2000, DIM)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    approximate, exact = HnswVectorIndex(DIM), ExactVectorIndex(DIM)
    for index in (approximate, exact):
        index.add(np.arange(2000), rows)
    allowed = np.arange(0, 2000, 3)
    hits = 0
    for query in rows[:20] * 0.9 + 0.1:
        found, scores = approximate.search(query, 10, allowed)
        assert set(found.tolist()) <= set(allowed.tolist())
        assert list(scores) == sorted(scores, reverse=True)
        hits += len(set(found.tolist()) & set(exact.search(query, 10, allowed)[0].tolist()))
    assert hits / 200 >= 0.95
