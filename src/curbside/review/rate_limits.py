"""Request rate limits kept in the review database, so every app worker counts the same requests.

A sliding-window log: one row per admitted request. Counting and recording are a single
``INSERT … SELECT`` statement, which SQLite runs under its write lock, so two processes can
never both take the last slot in a window (process-local counters would give each worker its
own allowance). PostgreSQL's READ COMMITTED would let two workers count the same rows and both
insert, so there the transaction first takes an advisory lock on the key: admissions for one
key are serialised (other keys are not held up), and the limit is exact on both databases.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from curbside.review.accounts import ReviewDatabase

# Advisory locks are (class, key) pairs; this class is the rate limiter's (migrations and index
# builds use single-number locks, a separate space).
RATE_LIMIT_LOCK_CLASS = 4242003
# Rows older than this are removed whatever their key, so clients that never return do not
# accumulate (the settings allow windows up to one day).
LONGEST_WINDOW_S = 86_400.0


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def lock_key(hashed: str) -> int:
    """A signed 32-bit advisory lock key from a hashed bucket key (two buckets sharing one only
    wait for each other)."""
    return int(hashed[:8], 16) - 2**31


class SqlRateLimiter:
    """:class:`curbside.protocols.RateLimiter` over the review database (SQLite or PostgreSQL:
    the same SQL through the review connection).

    Example::

        limiter = SqlRateLimiter(SqliteArticleRepository(settings.review_database_path))
        wait = limiter.admit("ask:127.0.0.1", limit=30, window_s=60)   # None: admitted
    """

    def __init__(self, database: ReviewDatabase, clock: Callable[[], float] = time.time) -> None:
        self._db = database
        # Wall-clock seconds (not monotonic): several processes compare the same stamps.
        self._clock = clock

    def admit(self, key: str, limit: int, window_s: float) -> float | None:
        if limit <= 0 or window_s <= 0:
            raise ValueError(f"A rate limit needs a positive limit and window, not {limit} per {window_s} s.")
        now, hashed = self._clock(), _hashed(key)
        since = now - window_s
        connection = self._db.connection()
        with self._db.write_lock, connection:
            if getattr(connection, "dialect", "sqlite") == "postgresql":
                connection.execute("SELECT pg_advisory_xact_lock(?, ?)", (RATE_LIMIT_LOCK_CLASS, lock_key(hashed)))
            admitted = connection.execute(
                "INSERT INTO rate_limit_hits(key, at) SELECT ?, ?"
                " WHERE (SELECT COUNT(*) FROM rate_limit_hits WHERE key = ? AND at > ?) < ?",
                (hashed, now, hashed, since, limit),
            ).rowcount
            if admitted:
                connection.execute("DELETE FROM rate_limit_hits WHERE key = ? AND at <= ?", (hashed, since))
                connection.execute("DELETE FROM rate_limit_hits WHERE at <= ?", (now - LONGEST_WINDOW_S,))
                return None
            (oldest,) = connection.execute(
                "SELECT MIN(at) FROM rate_limit_hits WHERE key = ? AND at > ?", (hashed, since)
            ).fetchone()
        # At least a millisecond: a refusal always names a wait, even at the window's very edge.
        return max(float(oldest) + window_s - now, 0.001)
