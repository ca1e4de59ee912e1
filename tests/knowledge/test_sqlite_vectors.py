"""The SQLite store's dense index beside the database: persisted, kept in step, never stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.knowledge.sqlite_store import SqliteStore
from tests.knowledge.test_store_contract import EMBEDDER, make_unit

TEXTS = {
    "a": ["Screen adults for hypertension with office blood pressure measurement."],
    "b": ["Offer statins to adults with a ten-year cardiovascular risk above ten percent."],
    "c": ["Vaccinate infants against pertussis at two, four and six months."],
}


def top_ids(store: SqliteStore, text: str, limit: int = 1) -> list[str]:
    return [hit.passage_id for hit in store.dense_search(EMBEDDER.embed([text])[0], limit)]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "kb.sqlite3"


def write(store: SqliteStore, *keys: str) -> None:
    store.write_units([make_unit(key, key, TEXTS[key]) for key in keys])


def test_index_is_saved_beside_the_database_and_reopened(path: Path) -> None:
    store = SqliteStore(path)
    write(store, "a", "b")
    store.save_vector_index()
    store.close()
    assert (path.parent / "kb.sqlite3.hnsw.bin").exists()
    assert (path.parent / "kb.sqlite3.hnsw.json").exists()
    reopened = SqliteStore(path)
    assert top_ids(reopened, TEXTS["b"][0]) == ["t:b#0"]
    assert reopened.vector_index_state == "hnsw index"
    reopened.close()


def test_writes_update_the_index_incrementally(path: Path) -> None:
    store = SqliteStore(path)
    write(store, "a")
    store.save_vector_index()
    assert top_ids(store, TEXTS["a"][0]) == ["t:a#0"]
    write(store, "c")
    assert top_ids(store, TEXTS["c"][0]) == ["t:c#0"]
    store.remove_units(["a"])
    assert "t:a#0" not in top_ids(store, TEXTS["a"][0], limit=5)
    assert store.vector_index_state == "hnsw index"
    store.close()


def test_a_stale_index_is_never_searched(path: Path) -> None:
    reader, writer = SqliteStore(path), SqliteStore(path)
    write(writer, "a")
    writer.save_vector_index()
    assert top_ids(reader, TEXTS["a"][0]) == ["t:a#0"]
    write(writer, "c")  # committed, but its index is not saved yet
    assert top_ids(reader, TEXTS["c"][0]) == ["t:c#0"]
    assert reader.vector_index_state.startswith("exact fallback")
    writer.save_vector_index()
    assert top_ids(reader, TEXTS["c"][0]) == ["t:c#0"]
    assert reader.vector_index_state == "hnsw index"
    reader.close()
    writer.close()


def test_a_missing_or_corrupt_index_falls_back_then_is_rebuilt(path: Path) -> None:
    store = SqliteStore(path)
    write(store, "a", "b", "c")
    store.save_vector_index()
    store.close()
    (path.parent / "kb.sqlite3.hnsw.bin").write_bytes(b"not an index")
    reopened = SqliteStore(path)
    assert top_ids(reopened, TEXTS["b"][0]) == ["t:b#0"]
    assert reopened.vector_index_state.startswith("exact fallback")
    reopened.save_vector_index()  # what an ingest with nothing to do runs
    reopened.close()
    rebuilt = SqliteStore(path)
    assert top_ids(rebuilt, TEXTS["c"][0]) == ["t:c#0"]
    assert rebuilt.vector_index_state == "hnsw index"
    rebuilt.close()


def test_exact_setting_keeps_an_exact_index(path: Path) -> None:
    store = SqliteStore(path, vector_index="exact")
    write(store, "a", "b")
    store.save_vector_index()
    assert (path.parent / "kb.sqlite3.exact.npz").exists()
    assert top_ids(store, TEXTS["a"][0]) == ["t:a#0"]
    store.close()


def test_unknown_vector_index_is_refused(path: Path) -> None:
    with pytest.raises(ValueError, match="unknown vector index"):
        SqliteStore(path, vector_index="annoy")
