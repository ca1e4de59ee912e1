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


@pytest.fixture(scope="session")
def full_kb_settings(real_corpus: Path):  # type: ignore[no-untyped-def]
    """Settings for a knowledge base built from the whole real corpus with the real embedder.

    Built once into ``.cache/test-kb`` (incremental, so later runs only check hashes).
    """
    from curbside.knowledge.build import build_knowledge_base, open_store
    from curbside.settings import Settings

    settings = Settings(corpus_dir=real_corpus, data_dir=REPO / ".cache" / "test-kb")
    store = open_store(settings)
    report = build_knowledge_base(settings, store)
    assert not [f for f in report.failures if not f[0].startswith("medquad/")], report.failures
    store.close()
    return settings


@pytest.fixture(scope="session")
def curbside_app(full_kb_settings):  # type: ignore[no-untyped-def]
    """The real pipeline over the full knowledge base (opened once per test session)."""
    from curbside.pipeline import Curbside

    return Curbside.open(full_kb_settings)
