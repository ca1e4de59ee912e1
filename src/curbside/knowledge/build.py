"""Open the configured store and build or refresh the knowledge base."""

from __future__ import annotations

from contextlib import nullcontext

from curbside.backends import create_loaders, create_store
from curbside.domain.terms import SourceTermsPolicy
from curbside.knowledge.embedding import Embedder, create_embedder
from curbside.knowledge.ingest import IngestReport, ProgressSink, ingest
from curbside.knowledge.shards import Shard
from curbside.knowledge.store import Store
from curbside.knowledge.terms_filter import apply_terms_policy
from curbside.knowledge.terms_store import TermsFilteredStore
from curbside.protocols import SourceLoader
from curbside.settings import Settings


def open_store(settings: Settings) -> Store:
    """The store named by ``settings.store`` (chosen through the backend registry), serving
    only what ``settings.source_terms`` permits."""
    store = create_store(settings)
    if settings.source_terms is SourceTermsPolicy.ALL:
        return store
    return TermsFilteredStore(store, settings.source_terms)


def build_knowledge_base(
    settings: Settings,
    store: Store,
    embedder: Embedder | None = None,
    loaders: list[SourceLoader] | None = None,
    progress: ProgressSink | None = None,
    reembed: bool = False,
    shard: Shard = Shard(),
) -> IngestReport:
    """Ingest every registered source from the configured corpus (incremental), keeping only
    documents ``settings.source_terms`` permits."""
    corpus = settings.resolved_corpus_dir()
    # A first build into a backend that can defer its indexes (PostgreSQL) builds them once at
    # the end; a later, incremental one keeps them (it touches few rows, and serving goes on).
    bulk_load = getattr(store, "bulk_load", None)
    with bulk_load() if bulk_load is not None and not store.unit_hashes() else nullcontext():
        return ingest(
            store,
            embedder or create_embedder(settings.embedder),
            apply_terms_policy(loaders if loaders is not None else create_loaders(), settings.source_terms),
            corpus,
            progress,
            reembed=reembed,
            shard=shard,
        )
