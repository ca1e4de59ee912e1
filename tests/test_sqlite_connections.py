"""Every SQLite connection that writes runs in WAL mode with a busy timeout, so readers never
fail while a writer works and a second writer waits instead of raising 'database is locked'."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from curbside.knowledge.sqlite_store import SqliteStore
from curbside.review.repository import SqliteArticleRepository
from curbside.sqlite_connections import ThreadConnections
from curbside.web.cds_hooks.storage import CdsLedger

SRC = Path(__file__).resolve().parents[1] / "src" / "curbside"
BUSY_TIMEOUT_MS = 30_000


def _store(path: Path) -> sqlite3.Connection:
    return SqliteStore(path)._connection()


def _repository(path: Path) -> sqlite3.Connection:
    return SqliteArticleRepository(path).connection()


def _ledger(path: Path) -> sqlite3.Connection:
    return CdsLedger(path)._db()


WRITERS: dict[str, Callable[[Path], sqlite3.Connection]] = {
    "knowledge base": _store,
    "review database": _repository,
    "CDS Hooks ledger": _ledger,
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_each_writer_uses_wal_and_a_busy_timeout(tmp_path: Path, writer: str) -> None:
    connection = WRITERS[writer](tmp_path / "db.sqlite3")
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_every_thread_gets_a_configured_connection(tmp_path: Path) -> None:
    connections = ThreadConnections(tmp_path / "db.sqlite3")
    seen: list[tuple[str, int]] = []

    def probe() -> None:
        connection = connections.get()
        seen.append(
            (
                connection.execute("PRAGMA journal_mode").fetchone()[0],
                connection.execute("PRAGMA busy_timeout").fetchone()[0],
            )
        )

    threads = [threading.Thread(target=probe) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert seen == [("wal", BUSY_TIMEOUT_MS)] * 3


def test_no_module_opens_a_writing_connection_any_other_way() -> None:
    """Only sqlite_connections opens connections that write; others open read-only (mode=ro)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "sqlite_connections.py" and path.parent == SRC:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"sqlite3\.connect\(", line) and "mode=ro" not in line:
                offenders.append(f"{path.relative_to(SRC)}: {line.strip()}")
    # The bench copies a knowledge base into a scratch file it alone uses.
    assert [o for o in offenders if not o.startswith("evaluation/bench.py")] == []


def test_a_reader_is_never_blocked_by_an_open_write_transaction(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    writer, reader = ThreadConnections(path), ThreadConnections(path)
    writer.get().execute("CREATE TABLE t (x INTEGER)")
    writer.get().commit()
    writer.get().execute("BEGIN IMMEDIATE")
    writer.get().execute("INSERT INTO t VALUES (1)")
    # WAL: the reader sees the last committed state at once instead of waiting or failing.
    assert reader.get().execute("SELECT COUNT(*) FROM t").fetchone()[0] == 0
    writer.get().commit()
    assert reader.get().execute("SELECT COUNT(*) FROM t").fetchone()[0] == 1
