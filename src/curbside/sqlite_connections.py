"""One SQLite connection per thread for a database file (the store and the article repository).

sqlite3 connections must not be shared between threads that use them at once; the web
server answers from a thread pool, so each thread opens its own, in WAL mode (readers do
not block the writer) with foreign keys enforced.
"""

from __future__ import annotations

import sqlite3
import threading
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


def connect_autocommit(path: Path) -> sqlite3.Connection:
    """A WAL-mode connection to ``path`` with the driver's implicit transactions off, for callers
    that begin their own (schema migrations: ``BEGIN IMMEDIATE`` keeps their DDL in one transaction)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    return connection
