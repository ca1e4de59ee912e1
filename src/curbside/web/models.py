"""JSON request and response models of the web API (the article schema itself is domain's)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from curbside.domain.article import Article, Audience, ReviewStatus
from curbside.pipeline import MAX_QUESTION_CHARS

# Generous bound on raw input: the pipeline gives the precise message for anything over
# MAX_QUESTION_CHARS, this only stops megabytes from reaching it.
MAX_RAW_QUESTION = MAX_QUESTION_CHARS * 4
# Form fields state that bound in the schema but check it in the handler, which re-renders the
# form with the reader's text and a message (a validation error would only give a bare 422 page).
RAW_QUESTION_LIMIT = {"maxLength": MAX_RAW_QUESTION}


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=MAX_RAW_QUESTION, description="The clinical question.")
    audience: Audience = Field(default=Audience.CLINICIAN, description="Who the article is written for.")
    thread: str | None = Field(
        default=None, max_length=64, description="Slug of an article whose thread this question continues."
    )
    patient: dict[str, Any] | None = Field(
        default=None,
        description="A FHIR R4 Bundle (Patient, MedicationStatement/MedicationRequest, Condition, "
        "AllergyIntolerance, pregnancy-status Observation) that fills the question's patient context.",
    )


class FollowupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=MAX_RAW_QUESTION, description="The follow-up question.")
    audience: Audience | None = Field(default=None, description="Defaults to the thread's audience.")


class Readability(BaseModel):
    model_config = ConfigDict(frozen=True)

    fk_grade: float | None = Field(description="Flesch–Kincaid grade level of the text the reader sees first.")


class ArticleLink(BaseModel):
    model_config = ConfigDict(frozen=True)

    slug: str
    url: str
    question: str
    relation: str
    review_status: ReviewStatus


class ReviewEventOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    from_status: ReviewStatus
    to_status: ReviewStatus
    reviewer: str
    note: str
    at: str


class ArticleResponse(Article):
    """The article (schema ``Article``) plus where it lives, its thread and readability."""

    slug: str
    url: str
    thread_id: str
    parent_slug: str | None = None
    relation: str = "root"
    readability: Readability
    thread: tuple[ArticleLink, ...] = Field(default=(), description="Other articles in the same thread, oldest first.")
    review_events: tuple[ReviewEventOut, ...] = ()


class SearchHitOut(BaseModel):
    passage_id: str
    source_id: str
    title: str
    organization: str
    kind: str
    year: int | None
    url: str
    section: str
    text: str
    score: float


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHitOut]
