"""A small knowledge base built from the repository's test fixtures (hashing embedder), shared by
the web and evaluation tests."""

from __future__ import annotations

from pathlib import Path

from curbside.knowledge.build import build_knowledge_base, open_store
from curbside.settings import Settings
from tests.sample_tree import sample_tree

FIXTURES = sample_tree()
# Loader folder name → fixture folder (the fixtures nest each source one level deeper).
CORPUS_LAYOUT = {
    "medquad": FIXTURES / "medquad",
    "guidelines-ngc": FIXTURES / "guidelines-ngc",
    "fda-labels-nlm": FIXTURES / "fda-nlm" / "fda-labels-nlm",
    "interactions": FIXTURES / "interaction-lists" / "interactions",
    "glossaries": FIXTURES / "glossaries" / "glossaries",
    "openfda": FIXTURES / "openfda" / "openfda",
}


def assemble_corpus(target: Path) -> Path:
    """A corpus directory laid out as the loaders expect, by symlinks to the fixtures."""
    target.mkdir(parents=True, exist_ok=True)
    for name, source in CORPUS_LAYOUT.items():
        (target / name).symlink_to(source, target_is_directory=True)
    return target


def build_fixture_kb(root: Path) -> Settings:
    settings = Settings(
        corpus_dir=assemble_corpus(root / "corpus"),
        data_dir=root / "data",
        embedder="hashing",
        review_db=root / "review" / "review.sqlite3",
        secure_cookies=False,
    )
    store = open_store(settings)
    report = build_knowledge_base(settings, store)
    assert not report.failures, report.failures
    store.close()
    return settings
