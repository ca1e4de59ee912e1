"""`curbside ingest` into PostgreSQL: a first build defers the indexes and ends with them built."""

from __future__ import annotations

from pathlib import Path

import psycopg

from curbside.knowledge.build import build_knowledge_base, open_store
from curbside.settings import Settings
from tests.fixture_kb import assemble_corpus


def test_first_build_ends_with_both_indexes_and_a_rerun_changes_nothing(tmp_path: Path, postgres_url: str) -> None:
    settings = Settings(corpus_dir=assemble_corpus(tmp_path / "corpus"), data_dir=tmp_path / "data",
                        embedder="hashing", database_url=postgres_url, store="postgres")  # fmt: skip
    store = open_store(settings)
    first = build_knowledge_base(settings, store)
    assert not first.failures and first.changed
    with psycopg.connect(postgres_url) as connection:
        names = {r[0] for r in connection.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'passages'")}
    assert "passages_search" in names and any(n.startswith("passages_hnsw_") for n in names)
    assert store.lexical_search("example syndrome", 3)
    again = build_knowledge_base(settings, store)
    assert not again.changed
    store.close()
