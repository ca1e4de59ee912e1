"""Contract suite for article repositories (:class:`curbside.protocols.ArticleRepository`)."""

from __future__ import annotations

import pytest

from curbside.domain.article import Article, ReviewStatus, UnderstoodView
from curbside.domain.question import Intent, UnderstoodQuestion
from curbside.domain.stored_articles import Relation, StatusConflictError
from curbside.protocols import ArticleRepository

QUESTION = "contract question about a named patient"


def article(question: str = QUESTION) -> Article:
    view = UnderstoodView(summary="contract", intent=Intent.INFORMATION.value, intent_confidence=1.0)
    return Article(question=question, title="Contract", understood=view)


def understood(text: str = QUESTION) -> UnderstoodQuestion:
    return UnderstoodQuestion(text=text, intent=Intent.INFORMATION)


class ArticleRepositoryContract:
    """Provide a ``repository`` fixture yielding an empty repository."""

    def test_it_satisfies_the_protocol(self, repository: ArticleRepository) -> None:
        assert isinstance(repository, ArticleRepository)

    def test_create_get_and_unknown_slug(self, repository: ArticleRepository) -> None:
        stored = repository.create(article(), understood())
        assert repository.get(stored.slug) == stored
        assert stored.review_status is ReviewStatus.SUBMITTED and stored.thread_id == stored.slug
        assert "patient" not in stored.slug.lower() and repository.get("unknown") is None

    def test_threads_keep_order_and_relations(self, repository: ArticleRepository) -> None:
        root = repository.create(article(), understood())
        follow = repository.create(article("next"), understood("next"), root.thread_id, root.slug, Relation.FOLLOWUP)
        assert [a.slug for a in repository.thread(root.thread_id)] == [root.slug, follow.slug]
        assert repository.find_root(QUESTION, root.article.audience.value) is not None

    def test_status_change_is_compare_and_set_and_recorded(self, repository: ArticleRepository) -> None:
        stored = repository.create(article(), understood())
        repository.change_status(stored.slug, ReviewStatus.SUBMITTED, ReviewStatus.UNDER_REVIEW, "Dr A", "")
        with pytest.raises(StatusConflictError):
            repository.change_status(stored.slug, ReviewStatus.SUBMITTED, ReviewStatus.UNDER_REVIEW, "Dr B", "")
        assert [e.reviewer for e in repository.events(stored.slug)] == ["Dr A"]
        assert [a.slug for a in repository.by_status(ReviewStatus.UNDER_REVIEW)] == [stored.slug]
