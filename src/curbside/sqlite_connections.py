"""One SQLite connection per thread for a database file (the store and the article repository).

sqlite3 connections must not be shared between threads that use them at once; the web
server answers from a thread pool, so each thread opens its own, in WAL mode (readers do
not block the writer) with foreign keys enforced.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path


class ThreadConnections:
    """Lazily opened per-thread connections to ``path`` (its folder is created).

    ``relaxed_sync`` sets ``synchronous=NORMAL``: in WAL mode the file cannot be corrupted,
    but the last transactions may be lost on power failure — right for the rebuildable
    knowledge base, not for review decisions.
    """

    def __init__(self, path: Path, *, relaxed_sync: bool = False) -> None:
        self.path = path
        self._relaxed_sync = relaxed_sync
        self._local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)

    def get(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
            if self._relaxed_sync:
                connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None


def apply_migrations(connection: sqlite3.Connection, migrations: Sequence[tuple[str, str]]) -> list[str]:
    """Apply the named SQL migrations not yet recorded in the ``migrations`` table, in order,
    each in its own transaction; return the names applied (one mechanism for every database)."""
    connection.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT DEFAULT (datetime('now')))"
    )
    done = {row[0] for row in connection.execute("SELECT name FROM migrations")}
    applied = []
    for name, sql in migrations:
        if name in done:
            continue
        with connection:
            connection.executescript("BEGIN;" + sql + f"; INSERT INTO migrations(name) VALUES ('{name}'); COMMIT;")
        applied.append(name)
    return applied
