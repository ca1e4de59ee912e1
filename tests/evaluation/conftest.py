"""A small knowledge base built from the repo's fixtures with the hashing embedder (fast, offline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EVAL_DATA = FIXTURES / "evaluation" / "eval"

# Corpus folder name the loaders expect → fixture folder holding that source.
CORPUS_LAYOUT = {
    "medquad": FIXTURES / "medquad",
    "guidelines-ngc": FIXTURES / "guidelines-ngc",
    "fda-labels-nlm": FIXTURES / "fda-nlm" / "fda-labels-nlm",
    "interactions": FIXTURES / "interaction-lists" / "interactions",
    "glossaries": FIXTURES / "glossaries" / "glossaries",
}


@pytest.fixture(scope="session")
def small_kb_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from curbside.knowledge.build import build_knowledge_base, open_store

    root = tmp_path_factory.mktemp("eval-kb")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, source in CORPUS_LAYOUT.items():
        (corpus / name).symlink_to(source, target_is_directory=True)
    settings = Settings(corpus_dir=corpus, data_dir=root / "data", embedder="hashing")
    store = open_store(settings)
    try:
        report = build_knowledge_base(settings, store)
    finally:
        store.close()
    assert not report.failures, report.failures
    return settings


@pytest.fixture(scope="session")
def small_curbside(small_kb_settings: Settings):  # type: ignore[no-untyped-def]
    from curbside.pipeline import Curbside

    return Curbside.open(small_kb_settings)
