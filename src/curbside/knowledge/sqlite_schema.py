"""Ordered, named migrations for the SQLite knowledge base.

Each migration runs once, in order, recorded in ``migrations``. Never edit a shipped
migration; append a new one.
"""

from __future__ import annotations

import sqlite3

from curbside.sqlite_connections import apply_migrations

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "m001_knowledge_base",
        """
        CREATE TABLE units (
            key TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        CREATE TABLE documents (
            source_id TEXT PRIMARY KEY,
            unit_key TEXT NOT NULL REFERENCES units(key) ON DELETE CASCADE,
            source TEXT NOT NULL,
            kind TEXT NOT NULL,
            organization TEXT NOT NULL,
            title TEXT NOT NULL,
            year INTEGER,
            url TEXT NOT NULL,
            licence TEXT NOT NULL,
            drugs TEXT NOT NULL,
            conditions TEXT NOT NULL,
            population TEXT,
            metadata TEXT NOT NULL
        );
        CREATE INDEX documents_unit ON documents(unit_key);
        CREATE INDEX documents_kind ON documents(kind);
        CREATE TABLE document_terms (
            source_id TEXT NOT NULL REFERENCES documents(source_id) ON DELETE CASCADE,
            facet TEXT NOT NULL,
            term TEXT NOT NULL
        );
        CREATE INDEX document_terms_lookup ON document_terms(facet, term);
        CREATE INDEX document_terms_doc ON document_terms(source_id);
        CREATE TABLE passages (
            rowid INTEGER PRIMARY KEY,
            passage_id TEXT NOT NULL UNIQUE,
            source_id TEXT NOT NULL REFERENCES documents(source_id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            heading_path TEXT NOT NULL,
            text TEXT NOT NULL,
            grade TEXT,
            grade_meaning TEXT,
            question TEXT,
            question_type TEXT,
            section_number TEXT,
            embedding BLOB
        );
        CREATE INDEX passages_source ON passages(source_id);
        -- The FTS table keeps its own copy of the text (no external content) so deleting a
        -- unit is a plain DELETE by rowid, which keeps crash-resume logic simple.
        CREATE VIRTUAL TABLE passages_fts USING fts5(
            text, heading, title, tokenize = 'porter unicode61 remove_diacritics 2'
        );
        CREATE TABLE interactions (
            id INTEGER PRIMARY KEY,
            unit_key TEXT NOT NULL REFERENCES units(key) ON DELETE CASCADE,
            list_name TEXT NOT NULL,
            source_id TEXT NOT NULL,
            drug_a TEXT NOT NULL,
            drug_b TEXT NOT NULL,
            drug_a_norm TEXT NOT NULL,
            drug_b_norm TEXT NOT NULL,
            severity TEXT,
            description TEXT,
            interaction_type TEXT,
            sentence TEXT,
            drug_a_ids TEXT NOT NULL,
            drug_b_ids TEXT NOT NULL
        );
        CREATE INDEX interactions_a ON interactions(drug_a_norm);
        CREATE INDEX interactions_b ON interactions(drug_b_norm);
        CREATE TABLE glossary (
            id INTEGER PRIMARY KEY,
            unit_key TEXT NOT NULL REFERENCES units(key) ON DELETE CASCADE,
            glossary TEXT NOT NULL,
            term TEXT NOT NULL,
            plain TEXT NOT NULL
        );
        CREATE TABLE blobs (
            name TEXT PRIMARY KEY,
            value BLOB NOT NULL,
            updated_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        """,
    ),
    (
        "m002_articles",
        """
        CREATE TABLE articles (
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
            review_status TEXT NOT NULL DEFAULT 'submitted'
        );
        CREATE INDEX articles_thread ON articles(thread_id, created_at);
        CREATE INDEX articles_status ON articles(review_status, updated_at);
        CREATE INDEX articles_question_hash ON articles(question_hash);
        CREATE TABLE review_events (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL REFERENCES articles(slug) ON DELETE CASCADE,
            from_status TEXT NOT NULL,
            to_status TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL
        );
        CREATE INDEX review_events_slug ON review_events(slug, id);
        """,
    ),
    (
        # Documents carry their licence class and use terms; rows written before this
        # migration read as "no licence stated" (not open) until their unit is re-ingested.
        "m003_use_terms",
        """
        ALTER TABLE documents ADD COLUMN licence_class TEXT NOT NULL DEFAULT 'no-licence-stated';
        ALTER TABLE documents ADD COLUMN use_terms TEXT NOT NULL DEFAULT '{}';
        CREATE INDEX documents_licence_class ON documents(licence_class);
        ALTER TABLE passages ADD COLUMN note_kind TEXT;
        """,
    ),
    # PostgreSQL's m004 counts words for its lexical search; FTS5 needs nothing. Recorded so
    # both databases carry the same migration names.
    ("m004_lexeme_stats", "SELECT 1"),
)


def migrate(connection: sqlite3.Connection) -> list[str]:
    """Apply pending migrations; return the names applied."""
    return apply_migrations(connection, MIGRATIONS)
