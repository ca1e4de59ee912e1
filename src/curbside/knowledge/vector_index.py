"""Vector indexes for dense search behind one small protocol, chosen by name from a registry.

Labels are integers (the SQLite store uses passage rowids); vectors are L2-normalised float32
rows, so the score is a cosine. Two implementations ship:

* ``ExactVectorIndex`` — a numpy matrix searched by brute force: always exact, the reference
  the approximate index is measured against, and the fallback when that one is missing or stale.
* ``HnswVectorIndex`` (``curbside.knowledge.hnsw_index``) — an hnswlib graph: approximate,
  ~10x faster on the full corpus, updated in place when passages are added or removed.

Both are kept as files beside the database (``save``/``load``); the store decides whether the
files on disk match its contents (see ``SqliteStore``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Labels = npt.NDArray[np.int64]
Matrix = npt.NDArray[np.float32]


@runtime_checkable
class VectorIndex(Protocol):
    """Contract for dense indexes (run on every implementation by tests/knowledge/test_vector_index.py).

    - ``add(labels, vectors)`` inserts rows; a label already present gets the new vector.
    - ``remove(labels)`` drops rows; unknown labels are ignored. ``len(index)`` counts live rows.
    - ``search(vector, limit, allowed)`` returns (labels, scores), best first, at most ``limit``,
      scores = cosine; with ``allowed`` only those labels may be returned, and the result is
      exact whenever ``allowed`` is small (filtered queries must not lose recall).
    - ``save(path)`` writes files whose names start with ``path``; ``load`` of the same class
      restores an index that answers identically.
    - ``name`` is the registry key; ``exact`` says whether unfiltered results are exact.

    Example::

        index = create_vector_index("hnsw", dim=384)
        index.add(np.array([7, 9]), vectors)
        labels, scores = index.search(query_vector, limit=10)
    """

    name: str
    dim: int
    exact: bool

    def __len__(self) -> int: ...

    def add(self, labels: Labels, vectors: Matrix) -> None: ...

    def remove(self, labels: Iterable[int]) -> None: ...

    def search(self, vector: Matrix, limit: int, allowed: Labels | None = None) -> tuple[Labels, Matrix]: ...

    def save(self, path: Path) -> None: ...


def top_k(labels: Labels, scores: Matrix, limit: int) -> tuple[Labels, Matrix]:
    """The ``limit`` best (label, score) pairs, best first; ties broken by label for determinism."""
    top = min(limit, len(labels))
    if top <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    best = np.argpartition(-scores, top - 1)[:top] if top < len(labels) else np.arange(len(labels))
    best = best[np.lexsort((labels[best], -scores[best]))]
    return labels[best], scores[best].astype(np.float32)


class ExactVectorIndex:
    """Brute-force cosine over an in-memory matrix (rows kept sorted by label)."""

    name = "exact"
    exact = True

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._labels: Labels = np.zeros(0, np.int64)
        self._matrix: Matrix = np.zeros((0, dim), np.float32)

    def __len__(self) -> int:
        return len(self._labels)

    def add(self, labels: Labels, vectors: Matrix) -> None:
        labels = np.asarray(labels, dtype=np.int64)
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(labels), self.dim)
        # The last occurrence of a label wins, as if rows were added one by one.
        labels, last = np.unique(labels[::-1], return_index=True)
        vectors = vectors[::-1][last]
        keep = ~np.isin(self._labels, labels)
        merged_labels = np.concatenate([self._labels[keep], labels])
        merged = np.vstack([self._matrix[keep], vectors])
        order = np.argsort(merged_labels, kind="stable")
        self._labels, self._matrix = merged_labels[order], np.ascontiguousarray(merged[order])

    def remove(self, labels: Iterable[int]) -> None:
        gone = np.fromiter(labels, dtype=np.int64)
        keep = ~np.isin(self._labels, gone)
        self._labels, self._matrix = self._labels[keep], self._matrix[keep]

    def vectors(self, labels: Labels) -> tuple[Labels, Matrix]:
        """The stored rows for the labels that are present (in label order)."""
        rows = np.flatnonzero(np.isin(self._labels, labels))
        return self._labels[rows], self._matrix[rows]

    def search(self, vector: Matrix, limit: int, allowed: Labels | None = None) -> tuple[Labels, Matrix]:
        labels, matrix = (self._labels, self._matrix) if allowed is None else self.vectors(allowed)
        if limit <= 0 or len(labels) == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        return top_k(labels, matrix @ np.asarray(vector, np.float32).reshape(-1), limit)

    def save(self, path: Path) -> None:
        temporary = path.with_name(path.name + ".tmp.npz")
        np.savez(temporary, labels=self._labels, matrix=self._matrix)
        os.replace(temporary, path.with_name(path.name + ".npz"))

    @classmethod
    def load(cls, path: Path, dim: int) -> ExactVectorIndex:
        """Raises ``OSError``/``ValueError`` when the files are missing or do not fit ``dim``."""
        with np.load(path.with_name(path.name + ".npz")) as data:
            labels, matrix = data["labels"].astype(np.int64), data["matrix"].astype(np.float32)
        if matrix.ndim != 2 or matrix.shape != (len(labels), dim):
            raise ValueError(f"exact index at {path} has shape {matrix.shape}, expected (n, {dim})")
        index = cls(dim)
        index._labels, index._matrix = labels, matrix
        return index


def _create_hnsw(dim: int) -> VectorIndex:
    # Optional dependency, imported only when chosen.
    from curbside.knowledge.hnsw_index import HnswVectorIndex

    return HnswVectorIndex(dim)


def _load_hnsw(path: Path, dim: int) -> VectorIndex:
    from curbside.knowledge.hnsw_index import HnswVectorIndex

    return HnswVectorIndex.load(path, dim)


# name -> (create(dim), load(path, dim)); a third-party index registers the same way.
VECTOR_INDEXES: dict[str, tuple[Callable[[int], VectorIndex], Callable[[Path, int], VectorIndex]]] = {
    "exact": (ExactVectorIndex, ExactVectorIndex.load),
    "hnsw": (_create_hnsw, _load_hnsw),
}


def _known(name: str) -> None:
    if name not in VECTOR_INDEXES:
        raise ValueError(f"unknown vector index {name!r}; choose one of {', '.join(sorted(VECTOR_INDEXES))}")


def create_vector_index(name: str, dim: int) -> VectorIndex:
    """An empty index of the registered kind ``name`` ("exact" or "hnsw")."""
    _known(name)
    return VECTOR_INDEXES[name][0](dim)


def load_vector_index(name: str, path: Path, dim: int) -> VectorIndex:
    """The index saved at ``path``. Raises ``OSError``/``ValueError``/``RuntimeError`` if unreadable."""
    _known(name)
    return VECTOR_INDEXES[name][1](path, dim)


def read_manifest(path: Path) -> dict[str, object] | None:
    """The JSON manifest saved beside an index (what it reflects), or None if missing/corrupt."""
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def write_manifest(path: Path, manifest: dict[str, object]) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(manifest, sort_keys=True))
    os.replace(temporary, path)
