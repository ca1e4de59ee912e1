"""The session's PostgreSQL server: real, with pgvector, on loopback, never running as root."""

from __future__ import annotations

import psycopg

from curbside.testing.postgres_server import LocalPostgresServer


def test_the_server_has_pgvector_and_listens_on_loopback_only(postgres_server: LocalPostgresServer) -> None:
    with psycopg.connect(postgres_server.url()) as connection:
        version = connection.execute("SHOW server_version_num").fetchone()
        listen = connection.execute("SHOW listen_addresses").fetchone()
        available = connection.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").fetchone()
    assert version is not None and int(version[0]) >= 160000
    assert listen == ("127.0.0.1",) and available == (1,)


def test_the_server_process_is_not_root(postgres_server: LocalPostgresServer) -> None:
    pid = int((postgres_server.data_dir / "postmaster.pid").read_text().split()[0])
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        uid = next(line.split()[1] for line in status if line.startswith("Uid:"))
    assert uid != "0"


def test_each_test_database_is_fresh_and_dropped_after(postgres_server: LocalPostgresServer) -> None:
    url = postgres_server.create_database("fresh_check")
    with psycopg.connect(url) as connection:
        assert connection.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)
    postgres_server.drop_database("fresh_check")
    with psycopg.connect(postgres_server.url()) as connection:
        assert connection.execute("SELECT 1 FROM pg_database WHERE datname = 'fresh_check'").fetchone() is None
