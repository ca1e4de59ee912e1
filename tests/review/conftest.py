"""The review database fixture: one account per role, over a temporary SQLite file and over a fresh
database on the session's PostgreSQL server (every test using it runs on both)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from curbside.review.accounts import AccountBook, Role
from curbside.review.repository import SqlArticleRepository, SqliteArticleRepository
from curbside.review.workflow import ReviewDesk
from tests.review.board_fixtures import PASSWORD, TEST_HASHER, Board, keyword_reverify


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def board(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Board]:
    repository: SqlArticleRepository
    if request.param == "postgres":
        from curbside.review.postgres_repository import PostgresArticleRepository

        repository = PostgresArticleRepository(request.getfixturevalue("postgres_url"))
    else:
        repository = SqliteArticleRepository(tmp_path / "review.sqlite3")
    book = AccountBook(repository, TEST_HASHER)
    accounts = [
        book.add(f"{name}@example.org", name.title(), role, PASSWORD)
        for name, role in (("rev", Role.REVIEWER), ("rev2", Role.REVIEWER), ("ed", Role.EDITOR), ("adm", Role.ADMIN))
    ]
    yield Board(repository, ReviewDesk(repository, book, keyword_reverify), *accounts)
    repository.close()
