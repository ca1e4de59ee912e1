"""PostgreSQL connections for the stores (the knowledge base and the review database).

One psycopg connection per thread (the web server answers from a thread pool; a psycopg
connection serves one query at a time), in autocommit mode so a read never leaves a
transaction idle; writes open an explicit transaction with ``with connection:``.

The review code was written against the sqlite3 API (``?`` placeholders, rows read by name or
position, ``with connection:`` as the transaction). :class:`PortableConnection` speaks that
subset over psycopg, so the one body of review SQL runs on both databases; SQL that differs
between the two lives in each database's migrations, never in the callers.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any

import psycopg
from psycopg.rows import RowMaker

# A "?" placeholder outside quotes (the review SQL has no "?" or "%" inside string literals).
_PLACEHOLDER = re.compile(r"\?")


class PortableRow(tuple[Any, ...]):
    """A row readable by column name and by position, like ``sqlite3.Row``."""

    _index: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def portable_rows(cursor: psycopg.Cursor[Any]) -> RowMaker[PortableRow]:
    names = [column.name for column in cursor.description or ()]
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        index.setdefault(name, position)  # like sqlite3.Row: the first column of a name wins

    def make(values: Sequence[Any]) -> PortableRow:
        row = PortableRow(values)
        row._index = index
        return row

    return make


class PortableCursor:
    """The result of one statement: ``fetchone``, ``fetchall``, iteration and ``rowcount``."""

    def __init__(self, cursor: psycopg.Cursor[PortableRow]) -> None:
        self._cursor = cursor
        self.rowcount = cursor.rowcount

    def fetchone(self) -> PortableRow | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[PortableRow]:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[PortableRow]:
        return iter(self.fetchall())


class PortableConnection:
    """The sqlite3.Connection subset the review stores use, over one psycopg connection.

    ``with connection:`` is one transaction (committed on success, rolled back on error);
    unique-key violations surface as ``sqlite3.IntegrityError`` so callers catch one error.
    ``dialect`` lets the few statements that must differ (row locks) choose their form.
    """

    dialect = "postgresql"

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw
        self._transactions: list[AbstractContextManager[Any]] = []

    @property
    def in_transaction(self) -> bool:
        return bool(self._transactions)

    def execute(self, statement: str, params: Sequence[Any] = ()) -> PortableCursor:
        cursor = self.raw.cursor(row_factory=portable_rows)
        try:
            cursor.execute(_PLACEHOLDER.sub("%s", statement), tuple(params))
        except psycopg.errors.IntegrityError as error:
            raise sqlite3.IntegrityError(str(error)) from error
        return PortableCursor(cursor)

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        with self.raw.cursor() as cursor:
            try:
                cursor.executemany(_PLACEHOLDER.sub("%s", statement), [tuple(r) for r in rows])
            except psycopg.errors.IntegrityError as error:
                raise sqlite3.IntegrityError(str(error)) from error

    def __enter__(self) -> PortableConnection:
        transaction = self.raw.transaction()
        transaction.__enter__()
        self._transactions.append(transaction)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None, /
    ) -> None:
        self._transactions.pop().__exit__(kind, error, trace)

    def close(self) -> None:
        self.raw.close()


def connect(url: str) -> psycopg.Connection[Any]:
    """A new autocommit connection to ``url`` (a postgresql:// URL)."""
    return psycopg.connect(url, autocommit=True, connect_timeout=10)


class PostgresThreadConnections:
    """Lazily opened per-thread connections to one database URL."""

    def __init__(self, url: str, session_settings: Sequence[str] = ()) -> None:
        self.url = url
        self._session_settings = tuple(session_settings)
        self._local = threading.local()
        self._all: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()

    def get(self) -> psycopg.Connection[Any]:
        connection: psycopg.Connection[Any] | None = getattr(self._local, "connection", None)
        if connection is None or connection.closed:
            connection = connect(self.url)
            for statement in self._session_settings:
                connection.execute(statement)
            self._local.connection = connection
            with self._lock:
                self._all.append(connection)
        return connection

    def close(self) -> None:
        """Close every thread's connection (the store is being closed)."""
        with self._lock:
            for connection in self._all:
                connection.close()
            self._all.clear()
        self._local = threading.local()
