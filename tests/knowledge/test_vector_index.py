"""The VectorIndex contract, run on every registered implementation (exact and hnsw)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from curbside.knowledge.vector_index import VECTOR_INDEXES, VectorIndex, create_vector_index, load_vector_index

DIM = 32


def unit_rows(count: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(count, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture(params=sorted(VECTOR_INDEXES))
def index(request: pytest.FixtureRequest) -> VectorIndex:
    return create_vector_index(request.param, DIM)


def test_satisfies_protocol_and_starts_empty(index: VectorIndex) -> None:
    assert isinstance(index, VectorIndex)
    assert len(index) == 0
    labels, scores = index.search(unit_rows(1, 0)[0], 5)
    assert len(labels) == 0 and len(scores) == 0


def test_finds_each_row_as_its_own_nearest_neighbour(index: VectorIndex) -> None:
    rows = unit_rows(300, 1)
    labels = np.arange(1000, 1300)
    index.add(labels, rows)
    assert len(index) == 300
    for i in (0, 17, 299):
        found, scores = index.search(rows[i], 3)
        assert found[0] == labels[i]
        assert scores[0] == pytest.approx(1.0, abs=1e-4)
        assert list(scores) == sorted(scores, reverse=True)


def test_limit_and_allowed_restrict_results_exactly(index: VectorIndex) -> None:
    rows = unit_rows(400, 2)
    index.add(np.arange(400), rows)
    allowed = np.array([5, 50, 123, 321, 399])
    query = unit_rows(1, 3)[0]
    found, scores = index.search(query, 3, allowed)
    expected = allowed[np.argsort(-(rows[allowed] @ query))][:3]
    assert list(found) == list(expected)
    assert np.allclose(scores, np.sort(rows[allowed] @ query)[::-1][:3], atol=1e-4)
    assert len(index.search(query, 0)[0]) == 0


def test_remove_and_re_add_replace_rows(index: VectorIndex) -> None:
    rows = unit_rows(50, 4)
    index.add(np.arange(50), rows)
    index.remove([3, 4, 999])  # 999 is unknown: ignored
    assert len(index) == 48
    found, _ = index.search(rows[3], 50)
    assert 3 not in found and 4 not in found
    index.add(np.array([3]), rows[10:11])  # label 3 comes back with another vector
    found, scores = index.search(rows[10], 2)
    assert set(found) == {3, 10} and scores[1] == pytest.approx(1.0, abs=1e-4)


def test_removing_most_rows_keeps_answers_right(index: VectorIndex) -> None:
    rows = unit_rows(200, 5)
    index.add(np.arange(200), rows)
    index.remove(range(150))
    assert len(index) == 50
    found, _ = index.search(rows[160], 5)
    assert found[0] == 160 and all(label >= 150 for label in found)


def test_save_and_load_round_trip(index: VectorIndex, tmp_path: Path) -> None:
    rows = unit_rows(120, 6)
    index.add(np.arange(120), rows)
    index.remove([7])
    index.save(tmp_path / "kb.index")
    loaded = load_vector_index(index.name, tmp_path / "kb.index", DIM)
    assert len(loaded) == len(index) == 119
    query = unit_rows(1, 7)[0]
    assert list(loaded.search(query, 10)[0]) == list(index.search(query, 10)[0])


def test_load_refuses_missing_or_mismatched_files(index: VectorIndex, tmp_path: Path) -> None:
    with pytest.raises((OSError, ValueError, RuntimeError)):
        load_vector_index(index.name, tmp_path / "absent", DIM)
    index.add(np.arange(3), unit_rows(3, 8))
    index.save(tmp_path / "kb.index")
    with pytest.raises(ValueError):
        load_vector_index(index.name, tmp_path / "kb.index", DIM + 1)


def test_unknown_index_name_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="choose one of exact, hnsw"):
        create_vector_index("faiss", DIM)


def test_hnsw_recall_against_exact_on_clustered_data() -> None:
    # Clustered like real passage embeddings (topics), not uniform noise.
    rng = np.random.default_rng(9)
    centres = unit_rows(40, 10)
    rows = centres[rng.integers(0, 40, 4000)] + 0.35 * rng.normal(size=(4000, DIM)).astype(np.float32)
    rows = (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)
    exact, approximate = create_vector_index("exact", DIM), create_vector_index("hnsw", DIM)
    for built in (exact, approximate):
        built.add(np.arange(4000), rows)
    queries = unit_rows(50, 11)
    hits = sum(len(set(exact.search(q, 10)[0]) & set(approximate.search(q, 10)[0])) for q in queries)
    assert hits / (10 * len(queries)) >= 0.98
