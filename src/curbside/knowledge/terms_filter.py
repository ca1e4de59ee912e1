"""Ingest-side use of the source-terms policy: a loader wrapper that drops what it excludes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from curbside.domain.documents import LoadedUnit
from curbside.domain.sources import SourceUnit
from curbside.domain.terms import SourceTermsPolicy
from curbside.protocols import SourceLoader


class TermsFilteredLoader:
    """Wraps a loader so documents the policy excludes (and interaction records stated by
    them) are never ingested. ``terms_variant`` enters the unit hash, so switching the policy
    re-ingests every unit once instead of keeping what the other policy wrote."""

    def __init__(self, inner: SourceLoader, policy: SourceTermsPolicy) -> None:
        self.inner = inner
        self.policy = policy
        self.name = inner.name
        self.terms_variant = policy.value
        self.format_version = getattr(inner, "format_version", "")

    def discover(self, corpus_dir: Path) -> Iterable[SourceUnit]:
        return self.inner.discover(corpus_dir)

    def load(self, unit: SourceUnit) -> LoadedUnit:
        loaded = self.inner.load(unit)
        kept = tuple(d for d in loaded.documents if self.policy.permits(d.terms))
        dropped = {d.source_id for d in loaded.documents} - {d.source_id for d in kept}
        if not dropped:
            return loaded
        interactions = tuple(r for r in loaded.interactions if r.source_id not in dropped)
        return replace(loaded, documents=kept, interactions=interactions)


def apply_terms_policy(loaders: Iterable[SourceLoader], policy: SourceTermsPolicy) -> list[SourceLoader]:
    """The loaders as the policy allows them to ingest (unchanged under ``all``)."""
    if policy is SourceTermsPolicy.ALL:
        return list(loaders)
    return [TermsFilteredLoader(loader, policy) for loader in loaders]
