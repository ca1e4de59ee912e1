"""Open the review database the settings name: PostgreSQL when ``CURBSIDE_ARTICLE_STORE`` is
``postgres`` (the default once ``CURBSIDE_DATABASE_URL`` is set), else the SQLite file."""

from __future__ import annotations

from curbside.review.repository import SqlArticleRepository, SqliteArticleRepository
from curbside.settings import Settings


def open_review_database(settings: Settings) -> SqlArticleRepository:
    """The review database (articles, board, accounts, audit log) for ``settings``."""
    if settings.article_store == "postgres" and settings.database_url:
        from curbside.review.postgres_repository import PostgresArticleRepository

        return PostgresArticleRepository(settings.database_url)
    return SqliteArticleRepository(settings.review_database_path)


def review_database_exists(settings: Settings) -> bool:
    """False only for a SQLite review database not yet created (nothing to re-review)."""
    return settings.article_store == "postgres" or settings.review_database_path.exists()
