"""The Alembic revision chains on SQLite and PostgreSQL: new databases, databases the old hand-kept
migration lists made (tests/fixtures/legacy-schema), and several processes migrating at once."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa

from curbside.knowledge.migrations import KNOWLEDGE_REVISIONS
from curbside.review.migrations import REVIEW_REVISIONS
from curbside.schema.revisions import RevisionChain, SchemaError, current, upgrade
from tests.process_race import race

LEGACY = Path(__file__).resolve().parents[1] / "fixtures" / "legacy-schema"
CHAINS = (KNOWLEDGE_REVISIONS, REVIEW_REVISIONS)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _databases(backend: str, request: pytest.FixtureRequest, folder: Path) -> dict[str, Path | str]:
    """Where each chain's database is: two SQLite files, or one PostgreSQL database for both."""
    if backend == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return {chain.name: url for chain in CHAINS}
    return {chain.name: folder / f"{chain.name}.sqlite3" for chain in CHAINS}


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def databases(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Path | str]:
    return _databases(backend, request, tmp_path / "new")


@pytest.fixture
def legacy_databases(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Path | str]:
    """Databases as the old lists left them: knowledge at m002 and review at r003, with rows."""
    if backend == "postgres":  # a second database on the session's server, beside postgres_url's
        server = request.getfixturevalue("postgres_server")
        name = "legacy_" + uuid.uuid4().hex[:12]
        found: dict[str, Path | str] = {chain.name: server.create_database(name) for chain in CHAINS[:1]}
        found["review"] = found["knowledge"]
        request.addfinalizer(lambda: server.drop_database(name))
    else:
        found = _databases(backend, request, tmp_path / "old")
    if backend == "postgres":
        with psycopg.connect(str(found["knowledge"]), autocommit=True) as connection:
            connection.execute((LEGACY / "postgres.sql").read_text(encoding="utf-8").encode())
    else:
        for name, path in found.items():
            assert isinstance(path, Path)
            path.parent.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(path) as connection:
                connection.executescript((LEGACY / f"sqlite-{name}.sql").read_text(encoding="utf-8"))
            connection.close()
    return found


def _engine(database: Path | str) -> sa.Engine:
    if isinstance(database, Path):
        return sa.create_engine(f"sqlite:///{database}", poolclass=sa.NullPool)
    return sa.create_engine(f"postgresql+psycopg://{database.removeprefix('postgresql://')}", poolclass=sa.NullPool)


@pytest.fixture
def inspect() -> Iterator[Any]:
    engines: list[sa.Engine] = []

    def described(database: Path | str) -> dict[str, object]:
        """Every table's columns (name, type, default) and index names, as the database reports them."""
        engine = _engine(database)
        engines.append(engine)
        inspector = sa.inspect(engine)
        return {
            table: (
                [(c["name"], str(c["type"]), str(c.get("default"))) for c in inspector.get_columns(table)],
                sorted(str(index["name"]) for index in inspector.get_indexes(table)),
            )
            for table in inspector.get_table_names()
            if not table.startswith("passages_fts")  # FTS5's shadow tables
        }

    yield described
    for engine in engines:
        engine.dispose()


def test_a_new_database_gets_every_revision_once(databases: dict[str, Path | str]) -> None:
    for chain in CHAINS:
        assert current(chain, databases[chain.name]) is None
        assert upgrade(chain, databases[chain.name]) == chain.revision_ids()
        assert upgrade(chain, databases[chain.name]) == []
        assert current(chain, databases[chain.name]) == chain.head()


def test_the_chains_carry_the_old_migration_names_in_order() -> None:
    assert KNOWLEDGE_REVISIONS.revision_ids() == [
        "m001_knowledge_base",
        "m002_articles",
        "m003_use_terms",
        "m004_lexeme_stats",
    ]
    assert REVIEW_REVISIONS.revision_ids() == ["r001_articles", "r002_accounts", "r003_audit_log", "r004_rate_limits"]


# pgvector's type is unknown to SQLAlchemy's reflection (the comparison still sees its name).
@pytest.mark.filterwarnings("ignore:Did not recognize type 'vector'")
def test_an_old_database_is_stamped_then_upgraded_to_the_new_schema(
    legacy_databases: dict[str, Path | str], databases: dict[str, Path | str], inspect: Any
) -> None:
    applied = {chain.name: upgrade(chain, legacy_databases[chain.name]) for chain in CHAINS}
    assert applied == {"knowledge": ["m003_use_terms", "m004_lexeme_stats"], "review": ["r004_rate_limits"]}
    for chain in CHAINS:
        upgrade(chain, databases[chain.name])
    for chain in CHAINS:
        old, new = inspect(legacy_databases[chain.name]), inspect(databases[chain.name])
        # Old SQLite knowledge bases still hold the articles m002 put there (read once by review.legacy).
        assert set(old) - set(new) <= {"articles", "review_events"} and set(new) <= set(old)
        assert {table: old[table] for table in new} == new, chain.name
        assert "migrations" not in old


def test_rows_of_an_old_database_survive_the_upgrade(legacy_databases: dict[str, Path | str]) -> None:
    for chain in CHAINS:
        upgrade(chain, legacy_databases[chain.name])
    with _engine(legacy_databases["knowledge"]).connect() as connection:
        passage = connection.execute(sa.text("SELECT text FROM passages WHERE passage_id = 'legacy:doc-1#0'"))
        assert passage.scalar_one() == "Legacy passage about zebrafish husbandry."
        licence = connection.execute(sa.text("SELECT licence_class FROM documents WHERE source_id = 'legacy:doc-1'"))
        assert licence.scalar_one() == "no-licence-stated"
    with _engine(legacy_databases["review"]).connect() as connection:
        assert connection.execute(sa.text("SELECT email FROM accounts")).scalars().all() == ["old@example.org"]
        assert connection.execute(sa.text("SELECT action FROM audit_log")).scalars().all() == ["login"]


def test_an_old_database_the_lists_left_half_done_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY)")
        connection.executemany("INSERT INTO migrations VALUES (?)", [("m001_knowledge_base",), ("m003_use_terms",)])
    connection.close()
    with pytest.raises(SchemaError, match="not a prefix"):
        upgrade(KNOWLEDGE_REVISIONS, path)
    assert current(KNOWLEDGE_REVISIONS, path) is None  # nothing was stamped or created


def _upgrade_both(databases: dict[str, Path | str], start: Any, out: Any) -> None:
    start.wait(timeout=60)
    try:
        out.put([revision for chain in CHAINS for revision in upgrade(chain, databases[chain.name])])
    except Exception as error:  # what the test must never see (a table created twice, a lock timeout)
        out.put(repr(error))


def test_several_processes_starting_at_once_migrate_once(databases: dict[str, Path | str]) -> None:
    results = race(_upgrade_both, [(databases,)] * 4)
    assert all(isinstance(result, list) for result in results), results
    everything: list[str] = sorted(revision for result in results for revision in result)
    assert everything == sorted(revision for chain in CHAINS for revision in chain.revision_ids())
    assert [current(chain, databases[chain.name]) for chain in CHAINS] == [chain.head() for chain in CHAINS]


def test_a_chain_is_read_from_package_data_without_an_ini_file() -> None:
    chain = RevisionChain("knowledge", KNOWLEDGE_REVISIONS.script_location, "some_version_table")
    assert chain.config().config_file_name is None
    assert chain.head() == "m004_lexeme_stats"


TRIAL_REVISION = """import sqlalchemy as sa
from alembic import op

revision = {revision!r}
down_revision = {down!r}


def upgrade():
    {body}
"""


def _chain_that_fails_at_its_second_revision(folder: Path) -> RevisionChain:
    (folder / "versions").mkdir(parents=True)
    (folder / "env.py").write_text("from curbside.schema.revisions import run_revisions\n\nrun_revisions()\n")
    for revision, down, body in (
        ("t001", None, 'op.create_table("kept", sa.Column("x", sa.Integer))'),
        ("t002", "t001", 'raise RuntimeError("revision t002 fails")'),
    ):
        text = TRIAL_REVISION.format(revision=revision, down=down, body=body)
        (folder / "versions" / f"{revision}.py").write_text(text)
    return RevisionChain("trial", str(folder), "trial_schema_version")


def test_a_failing_revision_leaves_the_schema_as_it_was(databases: dict[str, Path | str], tmp_path: Path) -> None:
    chain = _chain_that_fails_at_its_second_revision(tmp_path / "trial")
    database = databases["knowledge"]
    with pytest.raises(RuntimeError, match="t002 fails"):
        upgrade(chain, database)
    assert current(chain, database) is None
    with _engine(database).connect() as connection:
        assert "kept" not in sa.inspect(connection).get_table_names()  # t001's table rolled back with it
