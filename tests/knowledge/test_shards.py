"""``--shard i/n``: every unit in exactly one shard; a shard prunes only its own units."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.knowledge.embedding import HashingEmbedder
from curbside.knowledge.ingest import ingest
from curbside.knowledge.shards import Shard
from curbside.knowledge.sqlite_store import SqliteStore
from tests.knowledge.fake_loader import JsonFolderLoader, write_doc


def test_every_key_belongs_to_exactly_one_shard() -> None:
    keys = [f"source/unit-{i}" for i in range(500)]
    shards = [Shard(i, 4) for i in range(1, 5)]
    owners = [[s.index for s in shards if s.owns(key)] for key in keys]
    assert all(len(found) == 1 for found in owners)
    assert {found[0] for found in owners} == {1, 2, 3, 4}  # every shard gets work
    assert all(Shard().owns(key) for key in keys)


@pytest.mark.parametrize("spec", ["0/4", "5/4", "1/0", "a/b", "2", "1/2000"])
def test_malformed_shards_are_refused_with_the_form_named(spec: str) -> None:
    with pytest.raises(ValueError, match="--shard must be i/n"):
        Shard.parse(spec)


def test_shards_together_ingest_each_unit_once_and_prune_only_their_own(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "kb.sqlite3")
    for i in range(12):
        write_doc(tmp_path / "fake", f"doc{i}")
    loader = JsonFolderLoader()
    for index in (1, 2, 3):
        ingest(store, HashingEmbedder(), [loader], tmp_path, shard=Shard(index, 3))
    assert len(store.unit_hashes()) == 12 and len(loader.loaded_keys) == 12  # each unit loaded once
    # Shard 1 ingesting again removes nothing of shards 2 and 3.
    report = ingest(store, HashingEmbedder(), [loader], tmp_path, shard=Shard(1, 3))
    assert sum(s.removed for s in report.sources.values()) == 0 and len(store.unit_hashes()) == 12
    store.close()
