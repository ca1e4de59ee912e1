"""Open the configured store and build or refresh the knowledge base."""

from __future__ import annotations

from curbside.domain.terms import SourceTermsPolicy
from curbside.knowledge.embedding import Embedder, create_embedder
from curbside.knowledge.ingest import IngestReport, ProgressSink, ingest
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.knowledge.store import Store
from curbside.knowledge.terms_store import TermsFilteredStore
from curbside.settings import Settings
from curbside.sources.base import SourceLoader
from curbside.sources.registry import create_loaders
from curbside.sources.terms_filter import apply_terms_policy


def open_store(settings: Settings) -> Store:
    """The store named by settings (only "sqlite" so far), serving only what
    ``settings.source_terms`` permits."""
    if settings.store == "sqlite":
        store: Store = SqliteStore(settings.database_path)
        if settings.source_terms is SourceTermsPolicy.ALL:
            return store
        return TermsFilteredStore(store, settings.source_terms)
    raise ValueError(f"unknown store {settings.store!r}; this version ships the 'sqlite' store")


def build_knowledge_base(
    settings: Settings,
    store: Store,
    embedder: Embedder | None = None,
    loaders: list[SourceLoader] | None = None,
    progress: ProgressSink | None = None,
) -> IngestReport:
    """Ingest every registered source from the configured corpus (incremental), keeping only
    documents ``settings.source_terms`` permits."""
    corpus = settings.resolved_corpus_dir()
    return ingest(
        store,
        embedder or create_embedder(settings.embedder),
        apply_terms_policy(loaders if loaders is not None else create_loaders(), settings.source_terms),
        corpus,
        progress,
    )
