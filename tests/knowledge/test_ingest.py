from __future__ import annotations

from pathlib import Path

import pytest

from curbside.knowledge.embedding import HashingEmbedder
from curbside.knowledge.ingest import ingest
from curbside.knowledge.sqlite_store import SqliteStore
from tests.knowledge.fake_loader import JsonFolderLoader, write_doc


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    return SqliteStore(tmp_path / "data" / "kb.sqlite3")


def test_ingest_is_incremental_and_prunes_removed_units(tmp_path: Path, store: SqliteStore) -> None:
    corpus = tmp_path / "corpus"
    for name in ("a", "b", "c"):
        write_doc(corpus / "fake", name)
    loader = JsonFolderLoader()
    first = ingest(store, HashingEmbedder(), [loader], corpus)
    assert (first.sources["fake"].loaded, first.sources["fake"].passages, first.embedded) == (3, 3, 3)

    second = ingest(store, HashingEmbedder(), [loader], corpus)
    assert (second.sources["fake"].unchanged, second.sources["fake"].loaded, second.changed) == (3, 0, False)

    write_doc(corpus / "fake", "b", passages=[{"heading": ["S"], "text": "Changed text."}])
    (corpus / "fake" / "c.json").unlink()
    third = ingest(store, HashingEmbedder(), [loader], corpus)
    assert (third.sources["fake"].loaded, third.sources["fake"].removed) == (1, 1)
    assert loader.loaded_keys[-1] == "fake/b.json"
    assert store.document("fake:c") is None
    assert [h.passage_id for h in store.lexical_search("changed", 5)] == ["fake:b#0"]


def test_malformed_unit_is_reported_and_skipped(tmp_path: Path, store: SqliteStore) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus / "fake", "good")
    (corpus / "fake" / "broken.json").write_text("{not json")
    report = ingest(store, HashingEmbedder(), [JsonFolderLoader()], corpus)
    assert report.sources["fake"].loaded == 1
    [(key, reason)] = report.failures
    assert key == "fake/broken.json" and "broken.json" in reason
    assert store.document("fake:good") is not None


def test_interrupted_ingest_resumes_after_last_committed_batch(tmp_path: Path, store: SqliteStore) -> None:
    corpus = tmp_path / "corpus"
    for i in range(5):
        write_doc(corpus / "fake", f"d{i}")

    class CrashingEmbedder(HashingEmbedder):
        calls = 0

        def embed(self, texts):  # type: ignore[no-untyped-def]
            CrashingEmbedder.calls += 1
            if CrashingEmbedder.calls == 2:
                raise KeyboardInterrupt  # a crash mid-run, after the first batch committed
            return super().embed(texts)

    import curbside.knowledge.ingest as ingest_module

    original = ingest_module.BATCH_PASSAGES
    ingest_module.BATCH_PASSAGES = 2
    try:
        with pytest.raises(KeyboardInterrupt):
            ingest(store, CrashingEmbedder(), [JsonFolderLoader()], corpus)
        assert len(store.unit_hashes()) == 2
        loader = JsonFolderLoader()
        report = ingest(store, HashingEmbedder(), [loader], corpus)
    finally:
        ingest_module.BATCH_PASSAGES = original
    assert (report.sources["fake"].unchanged, report.sources["fake"].loaded) == (2, 3)
    assert len(store.unit_hashes()) == 5


def test_changing_the_embedder_re_embeds_everything(tmp_path: Path, store: SqliteStore) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus / "fake", "a")
    ingest(store, HashingEmbedder(), [JsonFolderLoader()], corpus)

    class OtherEmbedder(HashingEmbedder):
        name = "other"

    report = ingest(store, OtherEmbedder(), [JsonFolderLoader()], corpus)
    assert report.sources["fake"].loaded == 1


def test_missing_source_folder_discovers_nothing_and_prunes_nothing(tmp_path: Path, store: SqliteStore) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus / "fake", "a")
    ingest(store, HashingEmbedder(), [JsonFolderLoader()], corpus)
    report = ingest(store, HashingEmbedder(), [JsonFolderLoader()], tmp_path / "elsewhere")
    assert report.sources["fake"].discovered == 0
    assert store.document("fake:a") is not None


class CountingEmbedder(HashingEmbedder):
    """The hashing embedder, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.texts += list(texts)
        return super().embed(texts)


def test_identical_passages_are_embedded_once_and_all_searchable(tmp_path: Path, store: SqliteStore) -> None:
    corpus = tmp_path / "corpus"
    same = [{"heading": ["Boilerplate"], "text": "Keep out of the reach of children."}]
    for name in ("a", "b"):
        write_doc(corpus / "fake", name, passages=same)
    embedder = CountingEmbedder()
    report = ingest(store, embedder, [JsonFolderLoader()], corpus)
    assert report.embedded == 1 and len(embedder.texts) == 1
    vector = HashingEmbedder().embed(["Boilerplate: Keep out of the reach of children."])[0]
    hits = store.dense_search(vector, 5)
    assert {hit.passage_id for hit in hits} == {"fake:a#0", "fake:b#0"}
    assert hits[0].score == pytest.approx(hits[1].score)
