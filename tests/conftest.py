"""Shared fixtures: corpus location, the real embedder (loaded once), temporary stores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def corpus_dir() -> Path | None:
    configured = os.environ.get("CURBSIDE_CORPUS_DIR")
    candidate = Path(configured) if configured else REPO.parent / "shared" / "corpora"
    return candidate if candidate.is_dir() else None


@pytest.fixture(scope="session")
def real_corpus() -> Path:
    found = corpus_dir()
    if found is None:
        pytest.skip("real corpus not available (set CURBSIDE_CORPUS_DIR)")
    return found


@pytest.fixture(scope="session")
def minilm():  # type: ignore[no-untyped-def]
    from curbside.knowledge.embedding import MiniLmEmbedder

    embedder = MiniLmEmbedder()
    embedder.embed(["warm up"])
    return embedder
