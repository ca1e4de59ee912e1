"""The Store contract, run on every backend: SQLite, and PostgreSQL on the session's loopback server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from curbside.domain.documents import (
    Document,
    DocumentKind,
    GlossaryEntry,
    InteractionRecord,
    LoadedUnit,
    Passage,
)
from curbside.knowledge.embedding import HashingEmbedder
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.knowledge.store import SearchFilters, Store, UnitWrite

EMBEDDER = HashingEmbedder()


def make_unit(key: str, doc_id: str, texts: list[str], **doc: object) -> UnitWrite:
    source_id = f"t:{doc_id}"
    passages = tuple(
        Passage(f"{source_id}#{i}", ("Major Recommendations", "Grade B"), t, i) for i, t in enumerate(texts)
    )
    fields: dict[str, object] = {
        "kind": DocumentKind.GUIDELINE,
        "organization": "USPSTF",
        "title": f"Guideline {doc_id}",
        "year": 2016,
        "url": "https://example.org",
        "licence": "public domain",
    }
    fields.update(doc)
    document = Document(source_id=source_id, source="t", passages=passages, **fields)  # type: ignore[arg-type]
    loaded = LoadedUnit(
        (document,),
        (InteractionRecord("Test list", source_id, "Phenelzine", "Sertraline", severity="contraindicated"),),
        (GlossaryEntry("Test glossary", "hypertension", "high blood pressure"),),
    )
    return UnitWrite(key, "t", f"hash-{key}", loaded, EMBEDDER.embed(texts))


def sqlite_store(tmp_path: Path) -> Store:
    return SqliteStore(tmp_path / "kb.sqlite3")


def sqlite_exact_store(tmp_path: Path) -> Store:
    return SqliteStore(tmp_path / "kb.sqlite3", vector_index="exact")


BACKENDS = {"sqlite": sqlite_store, "sqlite-exact": sqlite_exact_store}


@pytest.fixture(params=[*sorted(BACKENDS), pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "postgres":
        from curbside.knowledge.postgres_store import PostgresStore

        instance: Store = PostgresStore(request.getfixturevalue("postgres_url"))
    else:
        instance = BACKENDS[request.param](tmp_path)
    yield instance
    instance.close()


def test_write_then_read_roundtrip(store: Store) -> None:
    store.write_units(
        [
            make_unit(
                "u1",
                "a",
                ["Screen adults aged 50 to 75 years for colorectal cancer."],
                conditions=("colorectal cancer",),
                metadata={"grade_scheme": "USPSTF"},
            )
        ]
    )
    assert store.unit_hashes() == {"u1": "hash-u1"}
    document = store.document("t:a")
    assert document is not None
    assert document.conditions == ("colorectal cancer",)
    assert document.metadata == {"grade_scheme": "USPSTF"}
    assert document.passages[0].section == "Major Recommendations › Grade B"
    [record] = store.passages(["t:a#0"])
    assert record.document.title == "Guideline a"
    assert record.passage.text.startswith("Screen adults")


def test_rewriting_a_unit_replaces_its_content(store: Store) -> None:
    store.write_units([make_unit("u1", "a", ["old text about asthma"])])
    store.write_units([make_unit("u1", "b", ["new text about gout"])])
    assert store.document("t:a") is None
    assert store.lexical_search("asthma", 5) == []
    assert [h.passage_id for h in store.lexical_search("gout", 5)] == ["t:b#0"]
    assert len(store.interactions(["phenelzine"])) == 1


def test_remove_units_deletes_everything_of_the_unit(store: Store) -> None:
    store.write_units([make_unit("u1", "a", ["asthma inhaler technique"]), make_unit("u2", "b", ["gout flare"])])
    assert store.remove_units(["u1"]) == 1
    assert store.lexical_search("asthma", 5) == []
    assert store.dense_search(EMBEDDER.embed(["asthma inhaler technique"])[0], 5)[0].passage_id == "t:b#0"
    assert store.unit_hashes() == {"u2": "hash-u2"}


def test_lexical_search_ranks_and_ignores_query_syntax(store: Store) -> None:
    store.write_units(
        [
            make_unit(
                "u1", "a", ["Low-dose aspirin for preventing cardiovascular disease.", "Unrelated text on sleep."]
            ),
            make_unit("u2", "b", ["Aspirin can cause bleeding in the stomach."]),
        ]
    )
    hits = store.lexical_search('aspirin AND "cardiovascular OR NEAR( prevention *', 10)
    assert hits[0].passage_id == "t:a#0"
    assert {h.passage_id for h in hits} == {"t:a#0", "t:b#0"}
    assert [h.rank for h in hits] == [1, 2]
    assert store.lexical_search("the of and", 10) == []
    assert store.lexical_search("", 10) == []


def test_filters_apply_to_both_searches(store: Store) -> None:
    store.write_units(
        [
            make_unit(
                "u1",
                "a",
                ["statin therapy for adults"],
                kind=DocumentKind.GUIDELINE,
                year=2016,
                conditions=("cardiovascular disease",),
            ),
            make_unit(
                "u2",
                "b",
                ["statin therapy muscle pain"],
                kind=DocumentKind.DRUG_LABEL,
                year=2010,
                organization="FDA",
                drugs=("atorvastatin",),
            ),
        ]
    )
    vector = EMBEDDER.embed(["statin therapy"])[0]
    for filters, expected in [
        (SearchFilters(kinds=("drug_label",)), {"t:b#0"}),
        (SearchFilters(year_min=2015), {"t:a#0"}),
        (SearchFilters(organizations=("FDA",)), {"t:b#0"}),
        (SearchFilters(drug="atorvastatin"), {"t:b#0"}),
        (SearchFilters(condition="cardiovascular disease"), {"t:a#0"}),
        (SearchFilters(condition="disease"), {"t:a#0"}),
        (SearchFilters(condition="asthma"), set()),
    ]:
        assert {h.passage_id for h in store.lexical_search("statin therapy", 10, filters)} == expected, filters
        assert {h.passage_id for h in store.dense_search(vector, 10, filters)} == expected, filters


def test_dense_search_orders_by_cosine(store: Store) -> None:
    store.write_units([make_unit("u1", "a", ["influenza vaccination in older adults", "hip fracture surgery"])])
    hits = store.dense_search(EMBEDDER.embed(["influenza vaccination for older adults"])[0], 2)
    assert [h.passage_id for h in hits] == ["t:a#0", "t:a#1"]
    assert hits[0].score > hits[1].score
    assert store.dense_search(np.zeros(7, dtype=np.float32), 2) == []


def test_interactions_match_either_side_case_insensitively(store: Store) -> None:
    store.write_units([make_unit("u1", "a", ["x"])])
    assert [r.drug_b for r in store.interactions(["SERTRALINE"])] == ["Sertraline"]
    assert store.interactions(["ibuprofen"]) == []
    assert store.interactions([]) == []


def test_glossary_blobs_and_counts(store: Store) -> None:
    store.write_units([make_unit("u1", "a", ["one", "two"]), make_unit("u2", "b", ["three"])])
    assert store.glossary()[0].plain == "high blood pressure"
    assert store.get_blob("missing") is None
    store.put_blob("model", b"\x00\x01")
    store.put_blob("model", b"\x02")
    assert store.get_blob("model") == b"\x02"
    [documents] = [c for c in store.source_counts() if c.kind == "guideline"]
    assert (documents.documents, documents.passages) == (2, 3)
    assert {c.kind for c in store.source_counts()} >= {"interactions", "glossary"}
