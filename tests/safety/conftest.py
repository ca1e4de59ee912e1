from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from curbside.knowledge.sqlite_store import SqliteStore
from curbside.safety.screen import SafetyScreen
from tests.safety.helpers import FakeResolver, fixture_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    kb = fixture_store(tmp_path)
    yield kb
    kb.close()


@pytest.fixture
def screen(store: SqliteStore) -> SafetyScreen:
    return SafetyScreen(store, FakeResolver())
