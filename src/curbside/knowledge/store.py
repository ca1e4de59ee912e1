"""The Store protocol: persistence and search primitives every backend provides.

A store holds documents, passages with their embeddings, structured interaction
records, glossary entries and small named blobs (e.g. the trained intent model). Writes
happen one *batch of units* at a time, atomically, so an interrupted ingest resumes where
it stopped: a unit is either fully present with its content hash, or absent.

The protocols now live in the neutral :mod:`curbside.protocols` (split into the roles callers
use) and the values in :mod:`curbside.domain.knowledge_base`; this module re-exports both so
existing imports keep working.
"""

from __future__ import annotations

from curbside.domain.documents import PassageRecord
from curbside.domain.knowledge_base import LicenceCount, ScoredPassage, SearchFilters, SourceCount, UnitWrite
from curbside.protocols import (
    BlobStore,
    DocumentCatalogue,
    IngestSink,
    InteractionLookups,
    PassageSearch,
    Store,
)

__all__ = [
    "BlobStore",
    "DocumentCatalogue",
    "IngestSink",
    "InteractionLookups",
    "LicenceCount",
    "PassageRecord",
    "PassageSearch",
    "ScoredPassage",
    "SearchFilters",
    "SourceCount",
    "Store",
    "UnitWrite",
]
