"""In-memory ArticleRepository: deterministic, dependency-free (tests, demos, a second backend
that keeps the protocol honest)."""

from __future__ import annotations

import threading
from dataclasses import replace

from curbside.domain.article import Article, ReviewStatus
from curbside.domain.question import UnderstoodQuestion
from curbside.review.repository import (
    Relation,
    ReviewEvent,
    StatusConflictError,
    StoredArticle,
    new_slug,
    now,
    question_hash,
)


class InMemoryArticleRepository:
    """ArticleRepository kept in a dict; same contract as SqliteArticleRepository."""

    def __init__(self) -> None:
        self._articles: dict[str, StoredArticle] = {}
        self._events: list[ReviewEvent] = []
        self._lock = threading.Lock()

    def create(
        self,
        article: Article,
        understood: UnderstoodQuestion,
        thread_id: str | None = None,
        parent_slug: str | None = None,
        relation: Relation = Relation.ROOT,
    ) -> StoredArticle:
        slug, stamp = new_slug(), now()
        stored = StoredArticle(
            slug,
            article.question,
            thread_id or slug,
            parent_slug,
            relation,
            article,
            understood,
            stamp,
            stamp,
            ReviewStatus.SUBMITTED,
        )
        with self._lock:
            self._articles[slug] = stored
        return self._reviewed(stored)

    def get(self, slug: str) -> StoredArticle | None:
        stored = self._articles.get(slug)
        return None if stored is None else self._reviewed(stored)

    def thread(self, thread_id: str) -> list[StoredArticle]:
        return [self._reviewed(a) for a in self._articles.values() if a.thread_id == thread_id]

    def find_root(self, question: str, audience: str) -> StoredArticle | None:
        key = question_hash(question, audience)
        matches = [
            a
            for a in self._articles.values()
            if a.relation == Relation.ROOT and question_hash(a.question, a.article.audience.value) == key
        ]
        approved = [a for a in matches if a.review_status == ReviewStatus.APPROVED]
        chosen = (approved or matches)[-1:]
        return self._reviewed(chosen[0]) if chosen else None

    def by_status(self, status: ReviewStatus | None = None, limit: int = 100) -> list[StoredArticle]:
        chosen = [a for a in reversed(self._articles.values()) if status is None or a.review_status == status]
        return [self._reviewed(a) for a in sorted(chosen, key=lambda a: a.updated_at, reverse=True)[:limit]]

    def change_status(
        self, slug: str, expected: ReviewStatus, to: ReviewStatus, reviewer: str, note: str
    ) -> ReviewEvent:
        with self._lock:
            stored = self._articles.get(slug)
            if stored is None or stored.review_status != expected:
                raise StatusConflictError(f"article {slug} is no longer {expected.value.replace('_', ' ')}")
            event = ReviewEvent(slug, expected, to, reviewer, note, now())
            self._articles[slug] = replace(stored, review_status=to, updated_at=event.at)
            self._events.append(event)
        return event

    def events(self, slug: str) -> list[ReviewEvent]:
        return [e for e in self._events if e.slug == slug]

    def close(self) -> None:
        """Nothing to release."""

    @staticmethod
    def _reviewed(stored: StoredArticle) -> StoredArticle:
        review = stored.article.review.model_copy(
            update={"status": stored.review_status, "updated_at": stored.updated_at}
        )
        return replace(stored, article=stored.article.model_copy(update={"review": review}))
