"""Evidence as retrieval hands it to composition: passages with why they rank where they do."""

from __future__ import annotations

from dataclasses import dataclass, field

from curbside.domain.documents import PassageRecord


@dataclass(frozen=True, slots=True)
class Applicability:
    """Whether a source applies to the question: True/False, or None when nothing constrains it."""

    applies: bool | None
    reason: str
    matched: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    """A candidate passage: relevance (0–1, fused rank), applicability, authority, final score."""

    record: PassageRecord
    relevance: float
    applicability: Applicability
    authority: float
    score: float
    recommendation: bool = False


@dataclass(frozen=True, slots=True)
class EvidenceSet:
    """Ranked applicable evidence, plus what was found but set aside (with reasons)."""

    queries: tuple[str, ...]
    applicable: tuple[Evidence, ...]
    set_aside: tuple[Evidence, ...]
    timings_ms: dict[str, float] = field(default_factory=dict)
