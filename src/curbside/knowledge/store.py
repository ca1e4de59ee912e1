"""The Store protocol: persistence and search primitives every backend provides.

A store holds documents, passages with their embeddings, structured interaction
records, glossary entries and small named blobs (e.g. the trained intent model). Writes
happen one *batch of units* at a time, atomically, so an interrupted ingest resumes where
it stopped: a unit is either fully present with its content hash, or absent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from curbside.domain.documents import Document, GlossaryEntry, InteractionRecord, LoadedUnit, PassageRecord

__all__ = ["LicenceCount", "PassageRecord", "ScoredPassage", "SearchFilters", "SourceCount", "Store", "UnitWrite"]


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Restrict a search. Empty/None fields do not restrict.

    ``drug`` and ``condition`` match the document's drugs/conditions lists (lower-case,
    exact name or whole-word containment). ``licence_classes`` admits only documents of
    those licence classes (the ``open`` source-terms policy sets it).
    """

    kinds: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    year_min: int | None = None
    year_max: int | None = None
    drug: str | None = None
    condition: str | None = None
    sources: tuple[str, ...] = ()
    licence_classes: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return self == SearchFilters()


@dataclass(frozen=True, slots=True)
class ScoredPassage:
    """A passage id with a backend score (higher is better) and its rank (1-based)."""

    passage_id: str
    score: float
    rank: int


@dataclass(frozen=True, slots=True)
class UnitWrite:
    """One unit to (re)write: its key, content hash, what it loaded and passage vectors.

    ``vectors`` rows follow the order of passages across ``loaded.documents``.
    """

    key: str
    source: str
    content_hash: str
    loaded: LoadedUnit
    vectors: npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class SourceCount:
    source: str
    kind: str
    documents: int
    passages: int
    interactions: int = 0
    glossary_terms: int = 0
    organizations: tuple[str, ...] = field(default=())
    year_min: int | None = None
    year_max: int | None = None
    licence: str = ""


@dataclass(frozen=True, slots=True)
class LicenceCount:
    """Documents and passages of one source under one licence class."""

    source: str
    licence_class: str
    documents: int
    passages: int


@runtime_checkable
class Store(Protocol):
    """Contract for knowledge-base backends (SQLite, PostgreSQL).

    - ``write_units`` replaces each unit's previous content and records its hash in one
      transaction; ``unit_hashes`` returns what is recorded.
    - ``lexical_search`` ranks passages by BM25 for free text (the store builds a safe
      query: user text is never passed as raw query syntax); ``dense_search`` ranks by
      cosine to a normalised vector. Both honour ``SearchFilters`` and return at most
      ``limit`` results, best first.
    - ``passages`` returns records for ids in the order asked (unknown ids are omitted).
    """

    def unit_hashes(self, source: str | None = None) -> dict[str, str]: ...

    def write_units(self, writes: Sequence[UnitWrite]) -> None: ...

    def remove_units(self, keys: Iterable[str]) -> int: ...

    def lexical_search(self, text: str, limit: int, filters: SearchFilters = ...) -> list[ScoredPassage]: ...

    def dense_search(
        self, vector: npt.NDArray[np.float32], limit: int, filters: SearchFilters = ...
    ) -> list[ScoredPassage]: ...

    def passages(self, passage_ids: Sequence[str]) -> list[PassageRecord]: ...

    def document(self, source_id: str) -> Document | None: ...

    def documents(self, kind: str | None = None) -> list[Document]: ...

    def interactions(self, drug_names: Iterable[str]) -> list[InteractionRecord]: ...

    def interactions_in_list(self, list_name: str) -> list[InteractionRecord]:
        """Every record of one list (by its display name), e.g. to read the list's drug codes."""
        ...

    def glossary(self) -> list[GlossaryEntry]: ...

    def question_pairs(self) -> list[tuple[str, str]]:
        """Every (question, question_type) the Q&A sources carry, for training the intent model."""
        ...

    def related_questions(self, topics: Sequence[str], limit: int) -> list[tuple[str, str]]:
        """Source questions (question, source_id) from documents whose condition or title is one
        of ``topics`` (case-insensitive), at most ``limit``, most specific documents first."""
        ...

    def source_counts(self) -> list[SourceCount]: ...

    def licence_counts(self) -> list[LicenceCount]:
        """Documents and passages per (source, licence class), ordered by source then class."""
        ...

    def get_blob(self, name: str) -> bytes | None: ...

    def put_blob(self, name: str, value: bytes) -> None: ...

    def close(self) -> None: ...
