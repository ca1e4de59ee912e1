"""The PostgreSQL lexical search drops words common to a large share of passages, never all words."""

from __future__ import annotations

from curbside.knowledge import postgres_terms
from curbside.knowledge.postgres_store import PostgresStore
from tests.knowledge.test_store_contract import make_unit


def test_common_words_are_dropped_and_rare_ones_still_find_their_passage(postgres_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = PostgresStore(postgres_url)
    texts = [f"patients with condition number {i} need care" for i in range(30)] + ["zebra stripes in patients"]
    store.write_units([make_unit("u1", "a", texts)])
    connection = store._connections.get()
    assert postgres_terms.rare_terms(connection, ["patients", "zebra"]) == ["patients", "zebra"]  # nothing counted
    store.save_vector_index()  # counts the words, as ingest does after each source
    monkeypatch.setattr(postgres_terms, "COMMON_FLOOR", 5)
    assert postgres_terms.rare_terms(connection, ["patients", "zebra", "unseen"]) == ["zebra", "unseen"]
    assert postgres_terms.rare_terms(connection, ["patients"]) == ["patients"]  # the rarest few always stay
    assert [h.passage_id for h in store.lexical_search("patients zebra", 3)][:1] == ["t:a#30"]
    store.close()
