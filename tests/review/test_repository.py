"""One contract suite for every ArticleRepository backend (SQLite, PostgreSQL and in-memory)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from curbside.domain.article import Audience, ReviewStatus
from curbside.review.memory import InMemoryArticleRepository
from curbside.review.migrations import REVIEW_REVISIONS
from curbside.review.repository import ArticleRepository, Relation, SqliteArticleRepository, StatusConflictError
from tests.review.samples import QUESTION, article


@pytest.fixture(params=["sqlite", "memory", pytest.param("postgres", marks=pytest.mark.postgres)])
def repository(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ArticleRepository]:
    repo: ArticleRepository
    if request.param == "postgres":
        from curbside.review.postgres_repository import PostgresArticleRepository

        repo = PostgresArticleRepository(request.getfixturevalue("postgres_url"))
    elif request.param == "sqlite":
        repo = SqliteArticleRepository(tmp_path / "curbside.sqlite3")
    else:
        repo = InMemoryArticleRepository()
    assert isinstance(repo, ArticleRepository)
    yield repo
    repo.close()


def test_create_and_get_round_trip(repository: ArticleRepository) -> None:
    stored = repository.create(article(), QUESTION)
    again = repository.get(stored.slug)
    assert again is not None
    assert again.article == stored.article and again.understood == QUESTION
    assert again.review_status == ReviewStatus.SUBMITTED and again.article.review.status == ReviewStatus.SUBMITTED
    assert again.thread_id == stored.slug and again.relation == Relation.ROOT
    assert repository.get("missing") is None


def test_slugs_are_random_tokens_not_question_text(repository: ArticleRepository) -> None:
    slugs = {repository.create(article(), QUESTION).slug for _ in range(20)}
    assert len(slugs) == 20
    for slug in slugs:
        assert re.fullmatch(r"[A-Za-z0-9_-]{12}", slug)
        assert "buspirone" not in slug.lower()


def test_threads_keep_order_and_relations(repository: ArticleRepository) -> None:
    root = repository.create(article(), QUESTION)
    follow = repository.create(
        article(), QUESTION, thread_id=root.thread_id, parent_slug=root.slug, relation=Relation.FOLLOWUP
    )
    fixed = repository.create(
        article(), QUESTION, thread_id=root.thread_id, parent_slug=root.slug, relation=Relation.REVISION
    )
    assert [a.slug for a in repository.thread(root.thread_id)] == [root.slug, follow.slug, fixed.slug]
    assert repository.find_root(QUESTION.text.upper() + "  ", Audience.CLINICIAN.value) is not None
    assert repository.find_root(QUESTION.text, Audience.PATIENT.value) is None


def test_status_changes_are_recorded_and_compare_and_set(repository: ArticleRepository) -> None:
    stored = repository.create(article(), QUESTION)
    repository.change_status(stored.slug, ReviewStatus.SUBMITTED, ReviewStatus.UNDER_REVIEW, "Dr A", "")
    with pytest.raises(StatusConflictError):
        repository.change_status(stored.slug, ReviewStatus.SUBMITTED, ReviewStatus.UNDER_REVIEW, "Dr B", "")
    events = repository.events(stored.slug)
    assert [(e.from_status, e.to_status, e.reviewer) for e in events] == [
        (ReviewStatus.SUBMITTED, ReviewStatus.UNDER_REVIEW, "Dr A")
    ]
    current = repository.get(stored.slug)
    assert current is not None and current.article.review.status == ReviewStatus.UNDER_REVIEW
    assert [a.slug for a in repository.by_status(ReviewStatus.UNDER_REVIEW)] == [stored.slug]
    assert repository.by_status(ReviewStatus.APPROVED) == []


def test_sqlite_schema_comes_from_the_review_revisions(tmp_path: Path) -> None:
    SqliteArticleRepository(tmp_path / "review.sqlite3").close()
    connection = sqlite3.connect(tmp_path / "review.sqlite3")
    (version,) = connection.execute("SELECT version_num FROM review_schema_version").fetchone()
    assert version == REVIEW_REVISIONS.head() == "r004_rate_limits"
    columns = {row[1] for row in connection.execute("PRAGMA table_info(articles)")}
    assert {
        "slug",
        "question",
        "thread_id",
        "parent_slug",
        "article_json",
        "understood_json",
        "created_at",
        "updated_at",
        "review_status",
    } <= columns
    connection.close()


def test_review_database_lives_outside_the_knowledge_base_folder(tmp_path: Path) -> None:
    from curbside.settings import Settings

    default = Settings(data_dir=Path("var"))
    assert default.review_database_path == Path("var-review/review.sqlite3")
    assert Path("var") not in default.review_database_path.parents
    env = Settings.from_env({"CURBSIDE_REVIEW_DB": str(tmp_path / "r.sqlite3"), "CURBSIDE_SECURE_COOKIES": "off"})
    assert env.review_database_path == tmp_path / "r.sqlite3" and env.secure_cookies is False
    assert Settings.from_env({}).secure_cookies is True
