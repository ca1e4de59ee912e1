"""Column types and helpers that let one Alembic revision create the same table on SQLite and on
PostgreSQL. Revisions ask :func:`on_postgres` only where the databases really differ (lexical and
vector indexes, triggers); everything else is one ``op.create_table``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.types import UserDefinedType


def on_postgres() -> bool:
    """True when the revision runs against PostgreSQL (else SQLite)."""
    return bool(op.get_context().dialect.name == "postgresql")


class Vector(UserDefinedType[Any]):
    """pgvector's ``vector`` (width left open: the embedder is a setting)."""

    cache_ok = True

    def get_col_spec(self, **_: Any) -> str:
        return "vector"


class BigSerial(UserDefinedType[Any]):
    """PostgreSQL's ``BIGSERIAL`` for a column that is not the primary key (SQLAlchemy only makes
    serial primary keys)."""

    cache_ok = True

    def get_col_spec(self, **_: Any) -> str:
        return "BIGSERIAL"


# A row id: SQLite's rowid alias (only the exact type INTEGER is one), BIGSERIAL on PostgreSQL.
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# Wall-clock seconds: REAL on SQLite, DOUBLE PRECISION on PostgreSQL.
SECONDS: sa.types.TypeEngine[float] = sa.REAL().with_variant(sa.Double(), "postgresql")


def row_id(name: str = "id") -> sa.Column[Any]:
    """An integer primary key the database numbers itself."""
    return sa.Column(name, ROW_ID, primary_key=True)


def now_column(name: str) -> sa.Column[Any]:
    """A NOT NULL time stamped at insert: ISO text on SQLite, ``timestamptz`` on PostgreSQL."""
    if on_postgres():
        return sa.Column(name, sa.TIMESTAMP(timezone=True), nullable=False, server_default=sa.text("now()"))
    return sa.Column(name, sa.Text, nullable=False, server_default=sa.text("(datetime('now'))"))


def text(name: str, **options: Any) -> sa.Column[Any]:
    """A TEXT column, NOT NULL unless ``nullable=True`` (most columns here are required)."""
    options.setdefault("nullable", False)
    return sa.Column(name, sa.Text, **options)


def integer(name: str, default: int | None = None, **options: Any) -> sa.Column[Any]:
    """An INTEGER column, NOT NULL unless ``nullable=True``; ``default`` as a server default."""
    options.setdefault("nullable", False)
    if default is not None:
        options["server_default"] = sa.text(str(default))
    return sa.Column(name, sa.Integer, **options)


def references(
    target: str, name: str, *, type_: Any = sa.Text, ondelete: str | None = "CASCADE", **options: Any
) -> sa.Column[Any]:
    """A column referring to ``target`` (``table.column``), by default deleted with the row it
    refers to; NOT NULL unless ``nullable=True``."""
    options.setdefault("nullable", False)
    return sa.Column(name, type_, sa.ForeignKey(target, ondelete=ondelete), **options)


def create_indexes(table: str, indexes: dict[str, list[str]]) -> None:
    """Plain B-tree indexes on ``table``: name → columns."""
    for name, columns in indexes.items():
        op.create_index(name, table, columns)
