"""Open the configured store and build or refresh the knowledge base."""

from __future__ import annotations

from curbside.knowledge.embedding import Embedder, create_embedder
from curbside.knowledge.ingest import IngestReport, ProgressSink, ingest
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.knowledge.store import Store
from curbside.settings import Settings
from curbside.sources.base import SourceLoader
from curbside.sources.registry import create_loaders


def open_store(settings: Settings) -> Store:
    """The store named by settings (only "sqlite" so far)."""
    if settings.store == "sqlite":
        return SqliteStore(settings.database_path, settings.vector_index)
    raise ValueError(f"unknown store {settings.store!r}; this version ships the 'sqlite' store")


def build_knowledge_base(
    settings: Settings,
    store: Store,
    embedder: Embedder | None = None,
    loaders: list[SourceLoader] | None = None,
    progress: ProgressSink | None = None,
) -> IngestReport:
    """Ingest every registered source from the configured corpus (incremental)."""
    corpus = settings.resolved_corpus_dir()
    return ingest(
        store,
        embedder or create_embedder(settings.embedder),
        loaders if loaders is not None else create_loaders(),
        corpus,
        progress,
    )
