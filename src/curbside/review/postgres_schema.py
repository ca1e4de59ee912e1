"""The review database's migrations in PostgreSQL's SQL: the same names, tables and columns as
:mod:`curbside.review.schema` (times stay ISO-8601 text, flags stay integers, so the one body of
review SQL reads both the same way). Differences: ``BIGSERIAL`` ids, an explicit ``rowid`` on
articles, and the append-only audit log enforced by a PL/pgSQL trigger. Never edit a shipped
migration; append a new one to both lists.
"""

from __future__ import annotations

from typing import Any

import psycopg

from curbside.postgres_connections import apply_migrations

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "r001_articles",
        """
        CREATE TABLE articles (
            -- SQLite's implicit rowid, made explicit: the tie-break for articles made in one second.
            rowid BIGSERIAL UNIQUE,
            slug TEXT PRIMARY KEY,
            question TEXT NOT NULL,
            question_hash TEXT NOT NULL,
            thread_id TEXT NOT NULL,
            parent_slug TEXT REFERENCES articles(slug),
            relation TEXT NOT NULL DEFAULT 'root',
            audience TEXT NOT NULL,
            article_json TEXT NOT NULL,
            understood_json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            review_status TEXT NOT NULL DEFAULT 'submitted',
            -- Optimistic concurrency: every board change bumps it; writers name the one they read.
            revision INTEGER NOT NULL DEFAULT 1,
            version INTEGER NOT NULL DEFAULT 1,
            approved_version INTEGER,
            assignee TEXT,
            reviewed_by TEXT,
            reviewed_at TEXT,
            source_updated INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX articles_thread ON articles(thread_id, created_at);
        CREATE INDEX articles_status ON articles(review_status, updated_at);
        CREATE INDEX articles_question_hash ON articles(question_hash);
        CREATE TABLE article_versions (
            slug TEXT NOT NULL REFERENCES articles(slug) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            article_json TEXT NOT NULL,
            author TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (slug, version)
        );
        CREATE TABLE article_sources (
            slug TEXT NOT NULL REFERENCES articles(slug) ON DELETE CASCADE,
            source_id TEXT NOT NULL,
            PRIMARY KEY (slug, source_id)
        );
        CREATE INDEX article_sources_source ON article_sources(source_id);
        CREATE TABLE review_events (
            id BIGSERIAL PRIMARY KEY,
            slug TEXT NOT NULL REFERENCES articles(slug) ON DELETE CASCADE,
            from_status TEXT NOT NULL,
            to_status TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL
        );
        CREATE INDEX review_events_slug ON review_events(slug, id);
        CREATE TABLE comments (
            id BIGSERIAL PRIMARY KEY,
            slug TEXT NOT NULL REFERENCES articles(slug) ON DELETE CASCADE,
            statement TEXT NOT NULL,
            kind TEXT NOT NULL,
            author TEXT NOT NULL,
            text TEXT NOT NULL,
            version INTEGER NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX comments_slug ON comments(slug, id);
        -- One entry per distinct question: repeated asks raise its count instead of adding rows.
        CREATE TABLE queue_entries (
            question_hash TEXT PRIMARY KEY,
            slug TEXT NOT NULL REFERENCES articles(slug) ON DELETE CASCADE,
            ask_count INTEGER NOT NULL DEFAULT 1,
            first_asked TEXT NOT NULL,
            last_asked TEXT NOT NULL,
            risk INTEGER NOT NULL DEFAULT 0,
            risk_reasons TEXT NOT NULL DEFAULT '[]',
            dismissed_at TEXT,
            dismissed_by TEXT
        );
        CREATE INDEX queue_entries_slug ON queue_entries(slug);
        """,
    ),
    (
        "r002_accounts",
        """
        CREATE TABLE accounts (
            id BIGSERIAL PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        -- Session ids are stored hashed: a copy of the database does not let anyone log in.
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            csrf_token TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE TABLE login_failures (
            id BIGSERIAL PRIMARY KEY,
            key TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX login_failures_key ON login_failures(key, at);
        """,
    ),
    (
        "r003_audit_log",
        """
        CREATE TABLE audit_log (
            id BIGSERIAL PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            role TEXT NOT NULL,
            action TEXT NOT NULL,
            slug TEXT,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        -- Raised as an integrity violation (SQLSTATE 23000), as SQLite's RAISE(ABORT) is.
        CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'integrity_constraint_violation'; END
        $$;
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
        """,
    ),
    (
        "r004_rate_limits",
        """
        CREATE TABLE rate_limit_hits (
            id BIGSERIAL PRIMARY KEY,
            key TEXT NOT NULL,
            at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX rate_limit_hits_key ON rate_limit_hits(key, at);
        CREATE INDEX rate_limit_hits_at ON rate_limit_hits(at);
        """,
    ),
)


def migrate(connection: psycopg.Connection[Any]) -> list[str]:
    """Apply pending review-database migrations; return the names applied."""
    return apply_migrations(connection, MIGRATIONS)
