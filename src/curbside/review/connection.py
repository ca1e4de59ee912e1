"""What the review stores need of a database connection: the sqlite3 subset they use.

``sqlite3.Connection`` has it; :class:`curbside.postgres_connections.PortableConnection` gives
it over psycopg. Rows are read by column name or position (``sqlite3.Row`` and ``PortableRow``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any, Protocol


class ReviewCursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class ReviewConnection(Protocol):
    """``execute`` with ``?`` placeholders; ``with connection:`` is one transaction."""

    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> ReviewCursor: ...

    def executemany(self, sql: str, parameters: Sequence[Sequence[Any]], /) -> object: ...

    def __enter__(self) -> Any: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None, /
    ) -> object: ...


def row_lock(connection: ReviewConnection) -> str:
    """The clause that write-locks the rows a SELECT reads: ``FOR UPDATE`` on PostgreSQL; SQLite
    locks the whole file instead (``BEGIN IMMEDIATE``) and has no such clause."""
    return " FOR UPDATE" if getattr(connection, "dialect", "sqlite") == "postgresql" else ""
