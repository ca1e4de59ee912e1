"""Copying a SQLite knowledge base into PostgreSQL gives the same content, vectors and answers."""

from __future__ import annotations

from pathlib import Path

from curbside.knowledge.postgres_store import PostgresStore
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.knowledge.transfer import copy_knowledge_base
from tests.knowledge.test_store_contract import EMBEDDER, make_unit


def test_copy_keeps_units_vectors_and_blobs_and_resumes(tmp_path: Path, postgres_url: str) -> None:
    source = SqliteStore(tmp_path / "kb.sqlite3")
    source.write_units(
        [
            make_unit("u1", "a", ["influenza vaccination in older adults", "hip fracture surgery"]),
            make_unit("u2", "b", ["gout flare treatment with colchicine"], conditions=("gout",)),
        ]
    )
    source.put_blob("embedder", b"hashing")
    source.close()
    target = PostgresStore(postgres_url)
    assert copy_knowledge_base(tmp_path / "kb.sqlite3", target, batch_units=1) == 2  # two batches: a bulk load
    reopened = PostgresStore(postgres_url)  # reads the indexes the database has: rebuilt after the load
    assert reopened.vector_index_state == f"pgvector hnsw ({EMBEDDER.dim} dims)"
    reopened.close()
    assert target.unit_hashes() == {"u1": "hash-u1", "u2": "hash-u2"}
    assert target.get_blob("embedder") == b"hashing"
    document = target.document("t:b")
    assert document is not None and document.conditions == ("gout",)
    hits = target.dense_search(EMBEDDER.embed(["hip fracture surgery"])[0], 1)
    assert [h.passage_id for h in hits] == ["t:a#1"] and hits[0].score > 0.99  # the stored vector itself
    assert [h.passage_id for h in target.lexical_search("colchicine gout", 5)] == ["t:b#0"]
    assert copy_knowledge_base(tmp_path / "kb.sqlite3", target) == 0  # nothing left to copy
    target.close()
