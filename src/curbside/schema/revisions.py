"""Run a store's Alembic revisions against its database, programmatically and from package data.

Each store has its own revision chain (a ``migrations`` folder inside its package, no
``alembic.ini``) and its own version table: the knowledge base and the review database are two
SQLite files, and on PostgreSQL they share one database, where two version tables sit side by
side. Every revision is written once and runs on both databases.

:func:`upgrade` takes the database's write lock first (``BEGIN IMMEDIATE`` on SQLite, a
transaction-scoped advisory lock on PostgreSQL), so several workers starting at once migrate it
exactly once; the upgrade is one transaction (both databases have transactional DDL), so a
failed revision leaves the schema as it was. A database made before Alembic (its applied names
in a ``migrations`` table, the revision ids of the chain) is stamped at the last name it
applied, then upgraded: nothing is rebuilt and no row is touched.

Example::

    from curbside.knowledge.migrations import KNOWLEDGE_REVISIONS
    upgrade(KNOWLEDGE_REVISIONS, Path("var/curbside.sqlite3"))   # -> revisions applied
    current(KNOWLEDGE_REVISIONS, "postgresql://…")               # -> "m004_lexeme_stats"
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext, MigrationInfo
from alembic.script import ScriptDirectory

from curbside.sqlite_connections import connect_autocommit

# Where the hand-kept migration lists recorded what they applied (one table for every chain).
LEGACY_TABLE = "migrations"
# Advisory lock id serialising migrations on one PostgreSQL database (the id the old lists used).
MIGRATION_LOCK = 4242001

# A SQLite file path, or a postgresql:// URL.
Database = Path | str


@dataclass(frozen=True)
class RevisionChain:
    """One store's revisions.

    Attributes:
        name: the store, as the CLI names it ("knowledge", "review").
        script_location: the folder holding ``env.py`` and ``versions/``, as ``package:folder``.
        version_table: the table recording the revision the database stands at.
    """

    name: str
    script_location: str
    version_table: str

    def config(self, **attributes: Any) -> Config:
        """An Alembic configuration in memory (no ini file), carrying ``attributes`` to env.py."""
        config = Config()
        config.set_main_option("script_location", self.script_location)
        config.attributes.update(attributes, version_table=self.version_table)
        return config

    def revision_ids(self) -> list[str]:
        """Every revision id, oldest first."""
        script = ScriptDirectory.from_config(self.config())
        return [revision.revision for revision in reversed(list(script.walk_revisions()))]

    def head(self) -> str:
        return self.revision_ids()[-1]


class SchemaError(RuntimeError):
    """The database's schema cannot be brought to the chain's head; the message says why."""


def upgrade(chain: RevisionChain, database: Database) -> list[str]:
    """Bring ``database`` to the head of ``chain``; return the revision ids applied, in order."""
    applied: list[str] = []
    with _connected(database, writing=True) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        adopt_legacy(chain, connection)
        command.upgrade(chain.config(connection=connection, applied=applied), "head")
    return applied


def current(chain: RevisionChain, database: Database) -> str | None:
    """The revision ``database`` stands at (None: not made by this chain yet)."""
    with _connected(database) as connection:
        migration = MigrationContext.configure(connection, opts={"version_table": chain.version_table})
        return migration.get_current_revision()


def adopt_legacy(chain: RevisionChain, connection: sa.Connection) -> str | None:
    """Stamp a database made by the old migration lists at the last revision it applied and
    remove that chain's names from ``migrations`` (the table goes when it is empty); return the
    revision stamped, or None when there was nothing to adopt."""
    tables = set(sa.inspect(connection).get_table_names())
    if chain.version_table in tables or LEGACY_TABLE not in tables:
        return None
    recorded = {row[0] for row in connection.execute(sa.text(f"SELECT name FROM {LEGACY_TABLE}"))}
    chain_ids = chain.revision_ids()
    done = [revision for revision in chain_ids if revision in recorded]
    if not done:
        return None
    # The old lists applied in order, so what was applied is a prefix of the chain.
    if done != chain_ids[: len(done)]:
        raise SchemaError(f"the {chain.name} database applied {done}, not a prefix of {chain_ids}: migrate by hand")
    command.stamp(chain.config(connection=connection), done[-1])
    delete = sa.text(f"DELETE FROM {LEGACY_TABLE} WHERE name = :name")
    connection.execute(delete, [{"name": name} for name in done])
    if connection.execute(sa.text(f"SELECT COUNT(*) FROM {LEGACY_TABLE}")).scalar_one() == 0:
        connection.execute(sa.text(f"DROP TABLE {LEGACY_TABLE}"))
    return done[-1]


def run_revisions() -> None:
    """The body of every chain's ``env.py``: run the requested command on the connection
    :func:`upgrade` opened (inside its transaction and lock)."""
    if not hasattr(context, "config"):
        return  # imported outside an Alembic run (a test imports every module): nothing to run
    config = context.config
    if context.is_offline_mode():
        raise SchemaError("Curbside's revisions run against a database (offline SQL scripts are not supported)")
    applied: list[str] | None = config.attributes.get("applied")

    def record(ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any], run_args: Mapping[str, Any]) -> None:
        if applied is not None and step.is_upgrade and step.up_revision_id is not None:
            applied.append(step.up_revision_id)

    context.configure(
        connection=config.attributes["connection"],
        version_table=config.attributes["version_table"],
        on_version_apply=record,
    )
    with context.begin_transaction():
        context.run_migrations()


@contextmanager
def _connected(database: Database, writing: bool = False) -> Iterator[sa.Connection]:
    engine = _engine(database)
    try:
        with engine.connect() as connection:
            connection.info["writing"] = writing
            yield connection
    finally:
        engine.dispose()


def _engine(database: Database) -> sa.Engine:
    if isinstance(database, Path):
        return _sqlite_engine(database)
    import psycopg

    def connect() -> Any:
        return psycopg.connect(database, connect_timeout=10)

    return sa.create_engine("postgresql+psycopg://", creator=connect, poolclass=sa.NullPool)


def _sqlite_engine(path: Path) -> sa.Engine:
    engine = sa.create_engine("sqlite://", creator=lambda: connect_autocommit(path), poolclass=sa.NullPool)

    # IMMEDIATE for an upgrade: the write lock is taken before the version is read, so a second
    # process starting at once waits and then finds the schema already at head.
    @sa.event.listens_for(engine, "begin")
    def begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.info.get("writing") else "BEGIN")

    return engine
