"""The SQL rate limiter beyond the contract (tests/testing): hashed keys, pruning, and one exact
count for every process on the database (a SQLite file or a PostgreSQL database)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import sqlite3
import threading
import time
from pathlib import Path

import psycopg
import pytest

from curbside.review.rate_limits import SqlRateLimiter
from curbside.review.repository import SqlArticleRepository, SqliteArticleRepository
from curbside.testing.rate_limiter import SteppedClock
from tests.process_race import race


@pytest.fixture
def repository(tmp_path: Path) -> SqliteArticleRepository:
    return SqliteArticleRepository(tmp_path / "review.sqlite3")


def test_keys_are_stored_hashed(repository: SqliteArticleRepository) -> None:
    limiter = SqlRateLimiter(repository, SteppedClock())
    assert limiter.admit("ask:192.0.2.1", 1, 60) is None
    assert limiter.admit("ask:192.0.2.2", 1, 60) is None
    keys = [row[0] for row in repository.connection().execute("SELECT key FROM rate_limit_hits")]
    assert len(keys) == 2 and not any("192.0.2" in key for key in keys)


def test_old_rows_are_removed(repository: SqliteArticleRepository) -> None:
    clock = SteppedClock()
    limiter = SqlRateLimiter(repository, clock)
    for key in ("ask:a", "ask:b", "ask:c"):
        limiter.admit(key, 5, 60)
    clock.now += 2 * 86_400
    limiter.admit("ask:d", 5, 60)
    (count,) = repository.connection().execute("SELECT COUNT(*) FROM rate_limit_hits").fetchone()
    assert count == 1


def _open(database: str) -> SqlArticleRepository:
    if database.startswith("postgresql://"):
        from curbside.review.postgres_repository import PostgresArticleRepository

        return PostgresArticleRepository(database)
    return SqliteArticleRepository(Path(database))


def _hammer(database: str, attempts: int, start: multiprocessing.synchronize.Event, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    limiter = SqlRateLimiter(_open(database))
    start.wait(timeout=30)
    admitted = 0
    errors = []
    for _ in range(attempts):
        try:
            admitted += limiter.admit("ask:shared", 25, 3600) is None
        except (sqlite3.Error, psycopg.Error) as error:  # what the test must never see ('database is locked')
            errors.append(str(error))
    out.put((admitted, errors))


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_several_processes_share_one_allowance(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Four processes ask 20 times each at once: exactly 25 are admitted in all, none errors
    (a counter in each process's memory would admit 80; why PostgreSQL's count is exact is the
    next test's subject)."""
    database = request.getfixturevalue("postgres_url") if backend == "postgres" else str(tmp_path / "review.sqlite3")
    _open(database).close()  # migrated before the race
    results = race(_hammer, [(database, 20)] * 4)
    assert [errors for _, errors in results] == [[]] * 4
    assert sum(admitted for admitted, _ in results) == 25


@pytest.mark.postgres
def test_on_postgresql_an_admission_waits_for_the_lock_on_its_key(postgres_url: str) -> None:
    """Two workers counting the same key at once under READ COMMITTED could both take the last
    slot; the limiter takes a transaction-scoped advisory lock on the key first. Held here by
    another session, the lock makes an admission wait (seen in pg_locks) until it is released."""
    from curbside.review.postgres_repository import PostgresArticleRepository
    from curbside.review.rate_limits import RATE_LIMIT_LOCK_CLASS, _hashed, lock_key

    repository = PostgresArticleRepository(postgres_url)
    limiter = SqlRateLimiter(repository)
    holder = psycopg.connect(postgres_url)
    watcher = psycopg.connect(postgres_url, autocommit=True)
    holder.execute("SELECT pg_advisory_xact_lock(%s, %s)", (RATE_LIMIT_LOCK_CLASS, lock_key(_hashed("ask:edge"))))
    result: list[float | None] = []
    asking = threading.Thread(target=lambda: result.append(limiter.admit("ask:edge", 1, 60)))
    asking.start()
    waiting = False
    for _ in range(300):  # bounded: at most ~30 s
        waiting = bool(
            watcher.execute(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = %s",
                (RATE_LIMIT_LOCK_CLASS,),
            ).fetchone()
        )
        if waiting:
            break
        time.sleep(0.1)
    holder.rollback()
    asking.join(timeout=30)
    holder.close()
    watcher.close()
    repository.close()
    assert waiting and result == [None]
