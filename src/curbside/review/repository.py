"""Article persistence: the ArticleRepository protocol and its SQLite implementation.

Articles live in the review database (``Settings.review_database_path``), never in the
rebuildable knowledge base, so rebuilding or cleaning the knowledge base keeps every review.
Slugs are random tokens, never derived from the question: questions can hold patient
details, and URLs end up in browser history, proxies and logs.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from curbside.domain.article import Article, ReviewStatus
from curbside.domain.question import UnderstoodQuestion
from curbside.domain.stored_articles import Relation, ReviewEvent, StatusConflictError, StoredArticle
from curbside.protocols import ArticleRepository
from curbside.review.connection import ReviewConnection
from curbside.review.migrations import REVIEW_REVISIONS
from curbside.review.questions_json import understood_from_json, understood_to_json
from curbside.review.queue import enqueue
from curbside.schema.revisions import upgrade
from curbside.sqlite_connections import ThreadConnections

__all__ = [
    "ArticleRepository",
    "Relation",
    "ReviewEvent",
    "SqlArticleRepository",
    "SqliteArticleRepository",
    "StatusConflictError",
    "StoredArticle",
]

SLUG_BYTES = 9  # 12 URL-safe characters, 72 random bits: unguessable, short enough to read out


def new_slug() -> str:
    return secrets.token_urlsafe(SLUG_BYTES)


def question_hash(question: str, audience: str) -> str:
    """Lookup key for "this exact question was already asked" (reuse instead of re-creating)."""
    normalised = " ".join(question.lower().split())
    return hashlib.sha256(f"{audience}\n{normalised}".encode()).hexdigest()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SqlArticleRepository:
    """ArticleRepository over a SQL review database; subclasses open the connections.

    Also records each article's first version, the sources it cites (for re-review) and its
    review-queue entry; :class:`curbside.review.board.ReviewBoard` works on the same database.
    The SQL here is the subset SQLite and PostgreSQL share (``ON CONFLICT``, ``RETURNING``).
    """

    write_lock: threading.Lock

    def connection(self) -> ReviewConnection:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

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
            slug=slug,
            question=article.question,
            thread_id=thread_id or slug,
            parent_slug=parent_slug,
            relation=relation,
            article=article,
            understood=understood,
            created_at=stamp,
            updated_at=stamp,
            review_status=ReviewStatus.SUBMITTED,
        )
        key = question_hash(article.question, article.audience.value)
        connection = self.connection()
        with self.write_lock, connection:
            connection.execute(
                "INSERT INTO articles(slug, question, question_hash, thread_id, parent_slug, relation, audience,"
                " article_json, understood_json, created_at, updated_at, review_status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    slug,
                    article.question,
                    key,
                    stored.thread_id,
                    parent_slug,
                    relation.value,
                    article.audience.value,
                    article.model_dump_json(),
                    understood_to_json(understood),
                    stamp,
                    stamp,
                    ReviewStatus.SUBMITTED.value,
                ),
            )
            connection.execute(
                "INSERT INTO article_versions(slug, version, article_json, author, reason, at)"
                " VALUES (?, 1, ?, ?, ?, ?)",
                (slug, article.model_dump_json(), COMPOSER_AUTHOR, "composed and verified", stamp),
            )
            connection.executemany(
                "INSERT INTO article_sources(slug, source_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(slug, ref.source_id) for ref in article.references],
            )
            if relation == Relation.ROOT:
                enqueue(connection, key, slug, article, stamp)
        return _with_review(stored, version=1)

    def get(self, slug: str) -> StoredArticle | None:
        row = self.connection().execute(f"{SELECT_ARTICLE} WHERE a.slug = ?", (slug,)).fetchone()
        return None if row is None else _from_row(row)

    def thread(self, thread_id: str) -> list[StoredArticle]:
        rows = self.connection().execute(
            f"{SELECT_ARTICLE} WHERE a.thread_id = ? ORDER BY a.created_at, a.rowid", (thread_id,)
        )
        return [_from_row(row) for row in rows]

    def find_root(self, question: str, audience: str) -> StoredArticle | None:
        row = (
            self.connection()
            .execute(
                f"{SELECT_ARTICLE} WHERE a.question_hash = ? AND a.relation = 'root'"
                " ORDER BY a.review_status = 'approved' DESC, a.created_at DESC, a.rowid DESC LIMIT 1",
                (question_hash(question, audience),),
            )
            .fetchone()
        )
        return None if row is None else _from_row(row)

    def by_status(self, status: ReviewStatus | None = None, limit: int = 100) -> list[StoredArticle]:
        where, params = ("WHERE a.review_status = ?", [status.value]) if status else ("", [])
        rows = self.connection().execute(
            f"{SELECT_ARTICLE} {where} ORDER BY a.updated_at DESC, a.rowid DESC LIMIT ?", [*params, limit]
        )
        return [_from_row(row) for row in rows]

    def change_status(
        self, slug: str, expected: ReviewStatus, to: ReviewStatus, reviewer: str, note: str
    ) -> ReviewEvent:
        event = ReviewEvent(slug, expected, to, reviewer, note, now())
        connection = self.connection()
        with self.write_lock, connection:
            # Compare-and-set on the status column: a concurrent reviewer's change wins cleanly.
            cursor = connection.execute(
                "UPDATE articles SET review_status = ?, updated_at = ?, revision = revision + 1"
                " WHERE slug = ? AND review_status = ?",
                (to.value, event.at, slug, expected.value),
            )
            if cursor.rowcount != 1:
                raise StatusConflictError(f"article {slug} is no longer {expected.value.replace('_', ' ')}")
            connection.execute(
                "INSERT INTO review_events(slug, from_status, to_status, reviewer, note, at) VALUES (?, ?, ?, ?, ?, ?)",
                (slug, expected.value, to.value, reviewer, note, event.at),
            )
        return event

    def events(self, slug: str) -> list[ReviewEvent]:
        rows = self.connection().execute("SELECT * FROM review_events WHERE slug = ? ORDER BY id", (slug,))
        return [
            ReviewEvent(
                row["slug"],
                ReviewStatus(row["from_status"]),
                ReviewStatus(row["to_status"]),
                row["reviewer"],
                row["note"],
                row["at"],
            )
            for row in rows
        ]


class SqliteArticleRepository(SqlArticleRepository):
    """SQLite ArticleRepository (thread-safe: one connection per thread, writes serialised)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connections = ThreadConnections(path)
        self.write_lock = threading.Lock()
        self._connections.get()  # WAL on before the schema is written
        upgrade(REVIEW_REVISIONS, path)

    def connection(self) -> ReviewConnection:
        return self._connections.get()

    def close(self) -> None:
        self._connections.close()


COMPOSER_AUTHOR = "Curbside (composed)"
# Approved articles are read from the version the board approved, not the working copy.
SELECT_ARTICLE = (
    "SELECT a.*, COALESCE(v.article_json, a.article_json) AS shown_json FROM articles a"
    " LEFT JOIN article_versions v ON v.slug = a.slug AND v.version = a.approved_version"
    " AND a.review_status = 'approved'"
)


def _with_review(stored: StoredArticle, **extra: object) -> StoredArticle:
    fields = {"status": stored.review_status, "updated_at": stored.updated_at, **extra}
    review = stored.article.review.model_copy(update=fields)
    return replace(stored, article=stored.article.model_copy(update={"review": review}))


def _from_row(row: Any) -> StoredArticle:
    status = ReviewStatus(row["review_status"])
    approved = status == ReviewStatus.APPROVED
    return _with_review(
        StoredArticle(
            slug=row["slug"],
            question=row["question"],
            thread_id=row["thread_id"],
            parent_slug=row["parent_slug"],
            relation=Relation(row["relation"]),
            article=Article.model_validate_json(row["shown_json"]),
            understood=understood_from_json(row["understood_json"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            review_status=status,
        ),
        reviewed_by=row["reviewed_by"] if approved else None,
        reviewed_at=row["reviewed_at"] if approved else None,
        version=row["approved_version"] if approved else row["version"],
        source_updated=bool(row["source_updated"]),
    )
