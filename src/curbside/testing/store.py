"""Contract suite for knowledge-base stores, one test group per role in :mod:`curbside.protocols`."""

from __future__ import annotations

import numpy as np

from curbside.domain.documents import Document, DocumentKind, GlossaryEntry, InteractionRecord, LoadedUnit, Passage
from curbside.domain.knowledge_base import SearchFilters, UnitWrite
from curbside.knowledge.embedding import HashingEmbedder
from curbside.protocols import BlobStore, DocumentCatalogue, IngestSink, InteractionLookups, PassageSearch, Store

EMBEDDER = HashingEmbedder()


def unit(
    key: str, doc_id: str, texts: list[str], year: int = 2016, kind: DocumentKind = DocumentKind.GUIDELINE
) -> UnitWrite:
    """One unit of one document with ``texts`` as passages (contract data, not medical content)."""
    source_id = f"contract:{doc_id}"
    passages = tuple(Passage(f"{source_id}#{i}", ("Section",), text, i) for i, text in enumerate(texts))
    document = Document(
        source_id,
        "contract",
        kind,
        "Contract Org",
        f"Document {doc_id}",
        year,
        "https://example.org",
        "test",
        conditions=(f"condition {doc_id}",),
        passages=passages,
    )
    loaded = LoadedUnit(
        (document,),
        (InteractionRecord("Contract list", source_id, f"Alpha{doc_id}", "Beta", severity="high"),),
        (GlossaryEntry("Contract glossary", f"term{doc_id}", "plain word"),),
    )
    return UnitWrite(key, "contract", f"hash-{key}", loaded, EMBEDDER.embed(texts))


class StoreContract:
    """Every role of a whole store. Provide a ``store`` fixture yielding an empty store."""

    def test_it_implements_every_role(self, store: Store) -> None:
        for role in (PassageSearch, DocumentCatalogue, InteractionLookups, IngestSink, BlobStore, Store):
            assert isinstance(store, role), role.__name__

    # IngestSink
    def test_write_records_hashes_and_rewrite_replaces(self, store: Store) -> None:
        store.write_units([unit("u1", "1", ["first text about zebras"]), unit("u2", "2", ["second text"])])
        assert store.unit_hashes("contract") == {"u1": "hash-u1", "u2": "hash-u2"}
        store.write_units([unit("u1", "1", ["replaced text about okapis"])])
        assert [r.passage.text for r in store.passages(["contract:1#0"])] == ["replaced text about okapis"]
        assert store.remove_units(["u1"]) == 1
        assert store.unit_hashes() == {"u2": "hash-u2"} and store.document("contract:1") is None

    # PassageSearch
    def test_searches_rank_honour_filters_and_limits(self, store: Store) -> None:
        store.write_units([unit("u1", "1", ["zebra stripes", "okapi"], year=2010), unit("u2", "2", ["zebra herd"])])
        lexical = store.lexical_search('zebra "AND OR (', limit=5)
        assert {hit.passage_id for hit in lexical} == {"contract:1#0", "contract:2#0"}
        assert [hit.rank for hit in lexical] == list(range(1, len(lexical) + 1))
        assert [h.passage_id for h in store.lexical_search("zebra", 5, SearchFilters(year_min=2015))] == [
            "contract:2#0"
        ]
        vector = EMBEDDER.embed(["okapi"])[0]
        dense = store.dense_search(vector, limit=1)
        assert [hit.passage_id for hit in dense] == ["contract:1#1"]
        assert np.isfinite([hit.score for hit in dense]).all()

    def test_passages_come_back_in_the_order_asked_without_unknown_ids(self, store: Store) -> None:
        store.write_units([unit("u1", "1", ["a text", "b text"])])
        ids = ["contract:1#1", "nope", "contract:1#0"]
        assert [r.passage.passage_id for r in store.passages(ids)] == ["contract:1#1", "contract:1#0"]

    # DocumentCatalogue
    def test_catalogue_lists_documents_counts_and_glossary(self, store: Store) -> None:
        store.write_units([unit("u1", "1", ["a text"]), unit("u2", "2", ["b text"], kind=DocumentKind.DRUG_LABEL)])
        assert store.document("contract:1") is not None
        assert [d.source_id for d in store.documents(kind="drug_label")] == ["contract:2"]
        counts = [c for c in store.source_counts() if c.source == "contract"]
        assert sum(c.documents for c in counts) == 2 and sum(c.passages for c in counts) == 2
        assert {g.term for g in store.glossary()} == {"term1", "term2"}

    # InteractionLookups
    def test_interactions_match_either_side_case_insensitively(self, store: Store) -> None:
        store.write_units([unit("u1", "1", ["a text"])])
        assert [r.drug_a for r in store.interactions(["beta"])] == ["Alpha1"]
        assert [r.drug_b for r in store.interactions(["ALPHA1"])] == ["Beta"]
        assert len(store.interactions_in_list("Contract list")) == 1
        assert store.interactions(["gamma"]) == []

    # BlobStore
    def test_blobs_round_trip_and_overwrite(self, store: Store) -> None:
        assert store.get_blob("missing") is None
        store.put_blob("name", b"one")
        store.put_blob("name", b"two")
        assert store.get_blob("name") == b"two"
