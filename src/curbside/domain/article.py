"""The answer article: one versioned schema for the CLI's --json, the web API and storage.

Pydantic models (frozen) so the schema can be published (JSON Schema / OpenAPI) and
validated at the boundary. Bump ``SCHEMA_VERSION`` on any incompatible change.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from curbside.domain.documents import Document, Passage

SCHEMA_VERSION = "1.0"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Verdict(StrEnum):
    """The verifier's judgement of one statement against the passages it cites."""

    SUPPORTED = "supported"
    PARTIAL = "partial"
    UNSUPPORTED = "unsupported"
    MISAPPLIED = "misapplied"
    UNCHECKED = "unchecked"


class Audience(StrEnum):
    CLINICIAN = "clinician"
    PHARMACIST = "pharmacist"
    NURSE = "nurse"
    STUDENT = "student"
    PATIENT = "patient"


class ReviewStatus(StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"


class Statement(Frozen):
    text: str = Field(description="Statement text, taken (trimmed) from the cited passage.")
    citations: tuple[int, ...] = Field(description="Reference numbers (1-based) this statement cites.")
    verdict: Verdict = Field(default=Verdict.UNCHECKED, description="Verifier verdict.")
    support: float | None = Field(default=None, description="Verifier support score 0–1.")
    reason: str | None = Field(default=None, description="One-line reason for the verdict.")
    original_text: str | None = Field(
        default=None, description="For reworded (audience) versions: the source-faithful text."
    )


class Section(Frozen):
    heading: str
    kind: str = Field(description="Section role: options, dosing, safety, avoid, monitoring, …")
    statements: tuple[Statement, ...] = ()


class Reference(Frozen):
    n: int = Field(description="Citation number as shown in the text.")
    source_id: str
    passage_id: str
    organization: str
    title: str
    year: int | None
    url: str
    section: str
    kind: str
    quote: str = Field(description="The passage text the citation points to.")
    grade: str | None = None
    grade_meaning: str | None = None
    licence: str = Field(default="", description="The source's licence or copyright statement, as it words it.")
    licence_class: str | None = Field(
        default=None, description="public-domain | cc-by | no-restrictions | developer-copyright | …"
    )
    use_terms: tuple[str, ...] = Field(
        default=(), description='Restrictions that apply: "attribution", "non-commercial", "no derivatives", …'
    )

    @classmethod
    def to_passage(
        cls,
        n: int,
        document: Document,
        passage: Passage | None,
        *,
        passage_id: str | None = None,
        section: str | None = None,
        quote: str | None = None,
    ) -> Reference:
        """Reference number ``n`` pointing at ``passage`` of ``document`` (or at a sentence of it)."""
        if passage is not None:
            passage_id = passage_id or passage.passage_id
            section = section if section is not None else passage.section
            quote = quote if quote is not None else passage.text
        if passage_id is None or section is None or quote is None:
            raise ValueError("a reference without a passage needs its passage id, section and quote")
        return cls(
            n=n,
            source_id=document.source_id,
            passage_id=passage_id,
            organization=document.organization,
            title=document.title,
            year=document.year,
            url=document.url,
            section=section,
            kind=document.kind.value,
            quote=quote,
            grade=passage.grade if passage else None,
            grade_meaning=passage.grade_meaning if passage else None,
            licence=document.licence,
            licence_class=document.terms.licence_class.value,
            use_terms=document.terms.flags(),
        )


class Alert(Frozen):
    kind: str = Field(description="interaction | dose | population | emergency | conflict")
    severity: str = Field(description="contraindicated | major | moderate | minor | emergency | info")
    text: str
    citations: tuple[int, ...] = ()
    action: str | None = Field(default=None, description="What to do, from the source.")


class SpellingView(Frozen):
    original: str
    corrected: str


class UnderstoodView(Frozen):
    summary: str
    intent: str
    intent_confidence: float
    conditions: tuple[str, ...] = ()
    drugs: tuple[str, ...] = ()
    current_medications: tuple[str, ...] = ()
    failed_medications: tuple[str, ...] = ()
    age_group: str | None = None
    pregnant: bool | None = None
    duration: str | None = None
    negations: tuple[str, ...] = ()
    unknown_terms: tuple[str, ...] = ()
    corrections: tuple[SpellingView, ...] = Field(
        default=(), description="Misspelt words read as known drug or condition words."
    )


class SupportSummary(Frozen):
    supported: int = 0
    total: int = 0
    gate_passed: bool | None = Field(default=None, description="Publish gate result; None until verified.")
    problems: tuple[str, ...] = ()


class RelatedQuestion(Frozen):
    question: str
    url: str


class Review(Frozen):
    status: ReviewStatus = ReviewStatus.SUBMITTED
    updated_at: str | None = None
    reviewed_by: str | None = Field(default=None, description="Who approved the article (approved only).")
    reviewed_at: str | None = Field(default=None, description="When it was approved (approved only).")
    version: int | None = Field(default=None, description="The stored version readers are shown.")
    source_updated: bool = Field(default=False, description="A cited source changed since approval: re-review.")


class Article(Frozen):
    schema_version: str = SCHEMA_VERSION
    question: str
    title: str
    audience: Audience = Audience.CLINICIAN
    understood: UnderstoodView
    evidence_gap: str | None = Field(
        default=None,
        description="One sentence opening the article when no source addresses the exact situation: "
        "names the closest evidence used and how it differs (condition, population, year).",
    )
    verdict: str | None = Field(
        default=None,
        description="One-phrase verdict led with, derived only from the bottom line source's own grade and "
        "direction ('Recommended (grade A)', 'Recommended against (grade D)', 'Evidence insufficient (grade I)').",
    )
    bottom_line: Statement | None = None
    sections: tuple[Section, ...] = ()
    references: tuple[Reference, ...] = ()
    alerts: tuple[Alert, ...] = ()
    abstained: bool = False
    abstain_reason: str | None = None
    searched: tuple[str, ...] = Field(default=(), description="What was searched (for abstentions).")
    not_applicable: tuple[str, ...] = Field(
        default=(), description="Sources found but set aside, each with the reason."
    )
    support: SupportSummary = SupportSummary()
    related_questions: tuple[RelatedQuestion, ...] = ()
    review: Review = Review()
    timings_ms: dict[str, float] = Field(default_factory=dict)
    composer: str = "offline"
