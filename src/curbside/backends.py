"""Which implementation backs each swappable family: one registry, the same way for everyone.

Families are the source loaders, the knowledge-base store, the embedder, the composer and the
article repository.
Built-ins are registered exactly as a third-party package would register its own, through the
``curbside.<family>`` entry-point groups below (``module:factory`` targets), so choosing a
backend never needs an if/elif chain and a plugin never needs to edit this package::

    # a plugin's pyproject.toml
    [project.entry-points."curbside.stores"]
    postgres = "curbside_postgres:open_store"    # open_store(settings) -> Store

Factories: stores, composers and article repositories take ``(settings)``; embedders take
``(threads)`` (compute threads, None for all); source loaders are classes taking nothing. Each
result is checked against its protocol.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from curbside.protocols import ArticleRepository, Composer, Embedder, SourceLoader, Store

if TYPE_CHECKING:
    from curbside.settings import Settings

_BUILTINS = "curbside.builtin_backends"

#: family → entry-point group.
GROUPS: dict[str, str] = {
    "source": "curbside.sources",
    "store": "curbside.stores",
    "embedder": "curbside.embedders",
    "composer": "curbside.composers",
    "article-repository": "curbside.article_repositories",
}
#: family → name → "module:factory"; built-ins, registered as a plugin would be.
BUILTIN_BACKENDS: dict[str, dict[str, str]] = {
    "source": {
        "medquad": "curbside.sources.nih_qa_xml:MedQuadLoader",
        "ngc": "curbside.sources.ngc:NgcGuidelineLoader",
        "fda-nlm": "curbside.sources.fda_labels:NlmFdaLabelLoader",
        "interaction-lists": "curbside.sources.interaction_lists:InteractionListLoader",
        "openfda": "curbside.sources.openfda:OpenFdaLabelLoader",
        "openstax": "curbside.sources.openstax_cnxml:OpenStaxBookLoader",
        "glossaries": "curbside.sources.glossaries:GlossaryLoader",
    },
    "store": {"sqlite": f"{_BUILTINS}:sqlite_store", "postgres": f"{_BUILTINS}:postgres_store"},
    "embedder": {
        "minilm": f"{_BUILTINS}:minilm_embedder",
        "onnx": f"{_BUILTINS}:onnx_embedder",
        "hashing": f"{_BUILTINS}:hashing_embedder",
    },
    "composer": {"offline": f"{_BUILTINS}:offline_composer", "llm": f"{_BUILTINS}:llm_composer"},
    "article-repository": {
        "sqlite": f"{_BUILTINS}:sqlite_article_repository",
        "postgres": f"{_BUILTINS}:postgres_article_repository",
    },
}


class UnknownBackendError(ValueError):
    """No backend of that family is registered under that name; the message lists the known ones."""


def registered_backends(family: str) -> dict[str, str]:
    """Name → target for ``family``: built-ins first, then entry points (which may not shadow them)."""
    if family not in GROUPS:
        raise UnknownBackendError(f"unknown backend family {family!r}; known: {', '.join(GROUPS)}")
    targets = dict(BUILTIN_BACKENDS[family])
    for entry in entry_points(group=GROUPS[family]):
        targets.setdefault(entry.name, entry.value)
    return targets


def backend_names(family: str) -> tuple[str, ...]:
    return tuple(registered_backends(family))


def _factory(family: str, name: str) -> Callable[..., Any]:
    targets = registered_backends(family)
    if name not in targets:
        raise UnknownBackendError(f"unknown {family} {name!r}; choose one of {', '.join(targets)}")
    module_name, _, attribute = targets[name].partition(":")
    factory: Callable[..., Any] = getattr(importlib.import_module(module_name), attribute)
    return factory


def _checked(family: str, name: str, made: Any, protocol: type) -> Any:
    """``made`` if it satisfies ``protocol`` (a plugin returning the wrong thing fails here, by name)."""
    if not isinstance(made, protocol):
        raise TypeError(f"{family} {name!r} does not implement {protocol.__name__}")
    return made


def create_store(settings: Settings) -> Store:
    """The knowledge-base store named by ``settings.store``."""
    store: Store = _checked("store", settings.store, _factory("store", settings.store)(settings), Store)
    return store


def create_embedder(name: str, threads: int | None = None) -> Embedder:
    """The embedder registered as ``name``.

    ``threads``: compute threads for models. Serving embeds one short query at a time, where
    one thread was 4.5x faster than two on a loaded 2-core machine (19 vs 86 ms); batch
    ingest leaves it unset to use every core.
    """
    embedder: Embedder = _checked("embedder", name, _factory("embedder", name)(threads), Embedder)
    return embedder


def create_composer(settings: Settings) -> Composer:
    """The composer named by ``settings.composer``."""
    composer: Composer = _checked(
        "composer", settings.composer, _factory("composer", settings.composer)(settings), Composer
    )
    return composer


def create_article_repository(settings: Settings) -> ArticleRepository:
    """The article repository named by ``settings.article_store``."""
    name = settings.article_store
    made = _factory("article-repository", name)(settings)
    repository: ArticleRepository = _checked("article-repository", name, made, ArticleRepository)
    return repository


def create_loaders(names: list[str] | None = None) -> list[SourceLoader]:
    """Instantiate the named source loaders (every registered one when ``names`` is None), in
    registration order."""
    targets = registered_backends("source")
    unknown = sorted(set(names or ()) - set(targets))
    if unknown:
        raise UnknownBackendError(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(targets)}")
    loaders: list[SourceLoader] = [
        _checked("source", name, _factory("source", name)(), SourceLoader) for name in (names or list(targets))
    ]
    return loaders
