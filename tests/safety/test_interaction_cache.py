"""The interaction-record cache is shared by the web app's request threads."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from curbside.domain.documents import InteractionRecord
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.safety import interactions
from curbside.safety.interactions import InteractionChecker
from tests.safety.helpers import FakeResolver

DRUGS = ("phenelzine", "sertraline", "tramadol", "dextromethorphan", "nardil", "zoloft")
ROUNDS = 200


def _pairs(records: list[InteractionRecord]) -> list[tuple[str, str, str]]:
    return sorted((r.list_name, r.drug_a, r.drug_b) for r in records)


def test_concurrent_lookups_with_constant_eviction_agree_with_serial_ones(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cache of one entry evicts on every miss: the worst case for a check-then-move race.
    monkeypatch.setattr(interactions, "RECORD_CACHE_SIZE", 1)
    checker = InteractionChecker(store, FakeResolver())
    entities = [checker.entity(name) for name in DRUGS]
    expected = {e.name: _pairs(InteractionChecker(store, FakeResolver())._fetch([e])) for e in entities}
    assert any(expected.values()), "the fixture store must hold records for these drugs"

    def lookup(round_number: int) -> tuple[str, list[tuple[str, str, str]]]:
        entity = entities[round_number % len(entities)]
        return entity.name, _pairs(checker._fetch([entity]))

    # Switch threads as often as the interpreter allows, so interleavings actually happen.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lookup, range(ROUNDS)))
    finally:
        sys.setswitchinterval(interval)
    assert all(found == expected[name] for name, found in results)
    assert len(checker._records) <= 1
