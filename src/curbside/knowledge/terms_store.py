"""Serving-side use of the source-terms policy: a store that never returns excluded documents.

Ingest already drops documents the policy excludes, but a knowledge base built under a
wider policy (or before documents carried terms) may still hold them; wrapping the store
makes every read path — searches, passage and document look-ups, interaction records,
related questions — honour the policy regardless of what the file holds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt

from curbside.domain.documents import Document, InteractionRecord, PassageRecord
from curbside.domain.terms import SourceTermsPolicy
from curbside.knowledge.store import LicenceCount, ScoredPassage, SearchFilters, Store, UnitWrite


class TermsFilteredStore:
    """A Store whose reads admit only documents ``policy`` permits; writes pass through.

    Example::

        store = TermsFilteredStore(SqliteStore(path), SourceTermsPolicy.OPEN)
        store.lexical_search("acetaminophen dose", 10)  # public-domain / CC BY passages only
    """

    def __init__(self, inner: Store, policy: SourceTermsPolicy) -> None:
        self.inner = inner
        self.policy = policy
        self._permitted: frozenset[str] | None = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        # Backend extras (index maintenance, paths) are not reads of documents: delegate them.
        return getattr(self.inner, name)

    def _filters(self, filters: SearchFilters) -> SearchFilters:
        return replace(filters, licence_classes=self.policy.allowed_classes())

    def _permitted_ids(self) -> frozenset[str]:
        with self._lock:
            if self._permitted is None:
                self._permitted = frozenset(d.source_id for d in self.inner.documents() if self.policy.permits(d.terms))
            return self._permitted

    # -- writes (and what they invalidate) ------------------------------------------------

    def write_units(self, writes: Sequence[UnitWrite]) -> None:
        self.inner.write_units(writes)
        self._permitted = None

    def remove_units(self, keys: Iterable[str]) -> int:
        removed = self.inner.remove_units(keys)
        self._permitted = None
        return removed

    def unit_hashes(self, source: str | None = None) -> dict[str, str]:
        return self.inner.unit_hashes(source)

    # -- reads -----------------------------------------------------------------------------

    def lexical_search(self, text: str, limit: int, filters: SearchFilters = SearchFilters()) -> list[ScoredPassage]:
        return self.inner.lexical_search(text, limit, self._filters(filters))

    def dense_search(
        self, vector: npt.NDArray[np.float32], limit: int, filters: SearchFilters = SearchFilters()
    ) -> list[ScoredPassage]:
        return self.inner.dense_search(vector, limit, self._filters(filters))

    def passages(self, passage_ids: Sequence[str]) -> list[PassageRecord]:
        return [r for r in self.inner.passages(passage_ids) if self.policy.permits(r.document.terms)]

    def document(self, source_id: str) -> Document | None:
        document = self.inner.document(source_id)
        return document if document is not None and self.policy.permits(document.terms) else None

    def documents(self, kind: str | None = None) -> list[Document]:
        return [d for d in self.inner.documents(kind) if self.policy.permits(d.terms)]

    def interactions(self, drug_names: Iterable[str]) -> list[InteractionRecord]:
        permitted = self._permitted_ids()
        return [r for r in self.inner.interactions(drug_names) if r.source_id in permitted]

    def interactions_in_list(self, list_name: str) -> list[InteractionRecord]:
        permitted = self._permitted_ids()
        return [r for r in self.inner.interactions_in_list(list_name) if r.source_id in permitted]

    def related_questions(self, topics: Sequence[str], limit: int) -> list[tuple[str, str]]:
        permitted = self._permitted_ids()
        # Ask for more than needed: some of the inner store's answers may be filtered out.
        pairs = self.inner.related_questions(topics, limit * 3)
        return [pair for pair in pairs if pair[1] in permitted][:limit]

    def licence_counts(self) -> list[LicenceCount]:
        """Only the licence classes served (what the file holds beyond them is not on offer)."""
        return [c for c in self.inner.licence_counts() if self.policy.permits_class(c.licence_class)]
