"""Values that cross the knowledge-base seam: search filters and scores, unit writes, counts."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from curbside.domain.documents import LoadedUnit

__all__ = ["ScoredPassage", "SearchFilters", "SourceCount", "UnitWrite"]


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
