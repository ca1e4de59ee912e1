"""Every backend family is chosen through one registry, built-ins registered like plugins."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside import backends
from curbside.backends import (
    BUILTIN_BACKENDS,
    UnknownBackendError,
    create_article_repository,
    create_composer,
    create_embedder,
    create_store,
    registered_backends,
)
from curbside.protocols import ArticleRepository, Composer, Embedder, Store
from curbside.settings import Settings


def test_every_builtin_target_resolves_to_a_factory() -> None:
    for family, targets in BUILTIN_BACKENDS.items():
        assert registered_backends(family).items() >= targets.items()
        for name in targets:
            assert callable(backends._factory(family, name)), (family, name)


def test_each_family_builds_a_backend_satisfying_its_protocol(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, embedder="hashing")
    store = create_store(settings)
    repository = create_article_repository(settings)
    try:
        assert isinstance(store, Store)
        assert isinstance(repository, ArticleRepository)
        assert isinstance(create_embedder("hashing"), Embedder)
        assert isinstance(create_composer(settings), Composer)
    finally:
        repository.close()
        store.close()


def test_llm_composer_needs_its_endpoint() -> None:
    with pytest.raises(ValueError, match="CURBSIDE_LLM_BASE_URL"):
        create_composer(Settings(composer="llm"))


def test_unknown_names_list_the_registered_ones() -> None:
    with pytest.raises(UnknownBackendError, match="minilm, onnx, hashing"):
        create_embedder("word2vec")
    with pytest.raises(UnknownBackendError, match="known: source, store"):
        registered_backends("vector-db")


def test_a_plugin_registered_like_the_builtins_is_chosen_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Entry points come from installed metadata; registering the same kind of target in the
    # built-in table exercises the identical lookup path.
    plugin = {**BUILTIN_BACKENDS["embedder"], "tiny": "curbside.builtin_backends:hashing_embedder"}
    monkeypatch.setitem(BUILTIN_BACKENDS, "embedder", plugin)
    assert create_embedder("tiny").name == "hashing-v1"
    assert Settings(embedder="tiny").embedder == "tiny"


def test_a_plugin_returning_the_wrong_thing_fails_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = {**BUILTIN_BACKENDS["embedder"], "broken": "builtins:str"}  # str(threads) is no embedder
    monkeypatch.setitem(BUILTIN_BACKENDS, "embedder", plugin)
    with pytest.raises(TypeError, match="embedder 'broken' does not implement Embedder"):
        create_embedder("broken")
