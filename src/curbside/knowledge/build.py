"""Open the configured store and build or refresh the knowledge base."""

from __future__ import annotations

from curbside.backends import create_loaders, create_store
from curbside.knowledge.embedding import Embedder, create_embedder
from curbside.knowledge.ingest import IngestReport, ProgressSink, ingest
from curbside.knowledge.store import Store
from curbside.protocols import SourceLoader
from curbside.settings import Settings


def open_store(settings: Settings) -> Store:
    """The store named by ``settings.store``, chosen through the backend registry."""
    return create_store(settings)


def build_knowledge_base(
    settings: Settings,
    store: Store,
    embedder: Embedder | None = None,
    loaders: list[SourceLoader] | None = None,
    progress: ProgressSink | None = None,
    reembed: bool = False,
) -> IngestReport:
    """Ingest every registered source from the configured corpus (incremental)."""
    corpus = settings.resolved_corpus_dir()
    return ingest(
        store,
        embedder or create_embedder(settings.embedder),
        loaders if loaders is not None else create_loaders(),
        corpus,
        progress,
        reembed=reembed,
    )
