"""A small knowledge base built from the repo's fixtures with the hashing embedder (fast, offline)."""

from __future__ import annotations

import pytest

from curbside.settings import Settings
from tests.fixture_kb import build_fixture_kb
from tests.sample_tree import sample_tree

FIXTURES = sample_tree()
EVAL_DATA = FIXTURES / "evaluation" / "eval"


@pytest.fixture(scope="session")
def small_kb_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_fixture_kb(tmp_path_factory.mktemp("eval-kb"))


@pytest.fixture(scope="session")
def small_curbside(small_kb_settings: Settings):  # type: ignore[no-untyped-def]
    from curbside.pipeline import Curbside

    return Curbside.open(small_kb_settings)
