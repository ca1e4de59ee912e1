"""The review database on PostgreSQL: articles, versions, accounts, sessions, queue, audit log.

The same SQL as the SQLite repository (:class:`SqlArticleRepository`), run through
:class:`curbside.postgres_connections.PortableConnection`. Sessions, login rate limits and
the queue are rows in the database, so every app worker sees the same ones; concurrent board
actions are serialised per article by ``SELECT … FOR UPDATE`` (see ``ReviewBoard``).
"""

from __future__ import annotations

import threading

from curbside.postgres_connections import PortableConnection, PostgresThreadConnections
from curbside.review.connection import ReviewConnection
from curbside.review.migrations import REVIEW_REVISIONS
from curbside.review.repository import SqlArticleRepository
from curbside.schema.revisions import upgrade


class PostgresArticleRepository(SqlArticleRepository):
    """PostgreSQL ArticleRepository (thread-safe: one connection per thread).

    Example::

        repo = PostgresArticleRepository("postgresql://curbside@db.internal/curbside")
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._connections = PostgresThreadConnections(url)
        self._portable = threading.local()
        # Serialises this process's writers as on SQLite; other workers are kept out by row locks.
        self.write_lock = threading.Lock()
        upgrade(REVIEW_REVISIONS, url)

    def connection(self) -> ReviewConnection:
        raw = self._connections.get()
        portable: PortableConnection | None = getattr(self._portable, "connection", None)
        if portable is None or portable.raw is not raw:
            portable = PortableConnection(raw)
            self._portable.connection = portable
        return portable

    def close(self) -> None:
        self._connections.close()
