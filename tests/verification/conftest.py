"""Shared fixtures for the verification tests: embedders, small documents, questions."""

from __future__ import annotations

import pytest

from curbside.knowledge.embedding import HashingEmbedder, MiniLmEmbedder
from curbside.verification import Verifier


@pytest.fixture(scope="session")
def minilm() -> MiniLmEmbedder:
    """The real model, loaded once for the whole session."""
    embedder = MiniLmEmbedder()
    embedder.embed(["warm up"])
    return embedder


@pytest.fixture(scope="session")
def verifier(minilm: MiniLmEmbedder) -> Verifier:
    return Verifier(minilm)


@pytest.fixture()
def hashing_verifier() -> Verifier:
    return Verifier(HashingEmbedder())
