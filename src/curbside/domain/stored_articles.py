"""Stored articles as they cross the article-repository seam: thread position, review events."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from curbside.domain.article import Article, ReviewStatus
from curbside.domain.question import UnderstoodQuestion

__all__ = ["Relation", "ReviewEvent", "StatusConflictError", "StoredArticle"]


class Relation(StrEnum):
    """How an article joins its thread."""

    ROOT = "root"
    FOLLOWUP = "followup"
    REVISION = "revision"  # re-asked after the reader corrected "Understood as"


class StatusConflictError(RuntimeError):
    """The article's status changed since the caller read it (two reviewers at once)."""


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """One persisted article with its thread position and review status.

    ``article.review`` mirrors ``review_status``/``updated_at`` (the columns are the truth).
    """

    slug: str
    question: str
    thread_id: str
    parent_slug: str | None
    relation: Relation
    article: Article
    understood: UnderstoodQuestion
    created_at: str
    updated_at: str
    review_status: ReviewStatus


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    """One recorded status change."""

    slug: str
    from_status: ReviewStatus
    to_status: ReviewStatus
    reviewer: str
    note: str
    at: str
