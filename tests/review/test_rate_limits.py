"""The SQLite rate limiter beyond the contract (tests/testing): hashed keys, pruning, and one
count for every process on the file."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import sqlite3
from pathlib import Path

import pytest

from curbside.review.rate_limits import SqlRateLimiter
from curbside.review.repository import SqliteArticleRepository
from curbside.testing.rate_limiter import SteppedClock


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


def _hammer(path: str, attempts: int, start: multiprocessing.synchronize.Event, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    limiter = SqlRateLimiter(SqliteArticleRepository(Path(path)))
    start.wait(timeout=30)
    admitted = 0
    errors = []
    for _ in range(attempts):
        try:
            admitted += limiter.admit("ask:shared", 25, 3600) is None
        except sqlite3.Error as error:  # what the test must never see ('database is locked')
            errors.append(str(error))
    out.put((admitted, errors))


def test_several_processes_share_one_allowance(tmp_path: Path) -> None:
    """Four processes ask 20 times each at once: exactly 25 are admitted in all, none errors
    (a counter in each process's memory would admit 80)."""
    path = tmp_path / "review.sqlite3"
    SqliteArticleRepository(path).close()  # migrated before the race
    context = multiprocessing.get_context("spawn")
    start, out = context.Event(), context.Queue()
    workers = [context.Process(target=_hammer, args=(str(path), 20, start, out)) for _ in range(4)]
    for worker in workers:
        worker.start()
    start.set()
    results = [out.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert [errors for _, errors in results] == [[]] * 4
    assert sum(admitted for admitted, _ in results) == 25
