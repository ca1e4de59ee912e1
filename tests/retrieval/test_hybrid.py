from __future__ import annotations

from pathlib import Path

from curbside.knowledge.embedding import HashingEmbedder
from curbside.knowledge.ingest import ingest
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.knowledge.store import SearchFilters
from curbside.retrieval.hybrid import HybridSearcher, SearchMode, fuse
from tests.knowledge.fake_loader import JsonFolderLoader, write_doc


def test_fuse_rewards_agreement_between_rankers() -> None:
    fused = fuse([["a", "b", "c"], ["b", "c", "d"]])
    assert [pid for pid, _ in fused][:2] == ["b", "c"]
    assert {pid for pid, _ in fused} == {"a", "b", "c", "d"}


def test_hybrid_search_returns_records_with_both_ranks(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus / "fake", "flu", passages=[{"heading": ["Vaccines"], "text": "Influenza vaccination yearly."}])
    write_doc(
        corpus / "fake",
        "gout",
        kind="drug_label",
        passages=[{"heading": ["Uses"], "text": "Allopurinol lowers uric acid in gout."}],
    )
    store = SqliteStore(tmp_path / "kb.sqlite3")
    ingest(store, HashingEmbedder(), [JsonFolderLoader()], corpus)
    searcher = HybridSearcher(store, HashingEmbedder())

    result = searcher.search("influenza vaccination", limit=2)
    top = result.hits[0]
    assert top.record.passage.passage_id == "fake:flu#0"
    assert top.lexical_rank == 1 and top.dense_rank == 1
    assert {"bm25", "embed", "dense", "fetch"} <= set(result.timings_ms)

    lexical_only = searcher.search("allopurinol", limit=5, mode=SearchMode.LEXICAL)
    assert [h.record.document.source_id for h in lexical_only.hits] == ["fake:gout"]
    assert lexical_only.hits[0].dense_rank is None

    filtered = searcher.search("influenza vaccination", limit=5, filters=SearchFilters(kinds=("drug_label",)))
    assert {h.record.document.kind.value for h in filtered.hits} == {"drug_label"}


def test_concurrent_searches_return_what_one_by_one_returns(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for n, text in enumerate(["Influenza vaccination yearly.", "Allopurinol lowers uric acid.", "Gout flares."]):
        write_doc(corpus / "fake", f"doc{n}", passages=[{"heading": ["Section"], "text": text}])
    store = SqliteStore(tmp_path / "kb.sqlite3")
    ingest(store, HashingEmbedder(), [JsonFolderLoader()], corpus)
    searcher = HybridSearcher(store, HashingEmbedder())
    requests = [
        ("influenza vaccination", 3, SearchFilters(), SearchMode.HYBRID),
        ("gout uric acid", 3, SearchFilters(), SearchMode.LEXICAL),
        ("allopurinol", 3, SearchFilters(kinds=("guideline",)), SearchMode.DENSE),
        ("flares", 3, SearchFilters(), SearchMode.HYBRID),
    ]
    together = searcher.search_all(requests)
    one_by_one = [searcher.search(text, limit, filters, mode) for text, limit, filters, mode in requests]
    assert [r.hits for r in together] == [r.hits for r in one_by_one]
    assert any(r.hits for r in together)
