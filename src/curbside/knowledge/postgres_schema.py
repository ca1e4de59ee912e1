"""Ordered, named migrations for the PostgreSQL knowledge base: the same names as the SQLite
ones in :mod:`curbside.knowledge.sqlite_schema`, written in PostgreSQL's SQL.

Differences that are the point of PostgreSQL: the lexical index is a stored, weighted
``tsvector`` (title A, heading B, text D) with a GIN index instead of an FTS5 table, and
embeddings are pgvector ``vector`` values searched through an HNSW index (made per embedding
width by the store when the first vectors of that width arrive: an HNSW index needs a fixed
width, and the embedder is a setting). Never edit a shipped migration; append a new one.
"""

from __future__ import annotations

from typing import Any

import psycopg

from curbside.postgres_connections import apply_migrations

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "m001_knowledge_base",
        """
        CREATE EXTENSION IF NOT EXISTS vector;
        CREATE TABLE units (
            key TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            ingested_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE INDEX units_source ON units(source);
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
            id BIGSERIAL PRIMARY KEY,
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
            embedding vector,
            search_heading TEXT NOT NULL DEFAULT '',
            search_title TEXT NOT NULL DEFAULT '',
            -- Weights mirror the SQLite bm25 column weights: title above heading above text.
            search tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', search_title), 'A')
                || setweight(to_tsvector('english', search_heading), 'B')
                || setweight(to_tsvector('english', text), 'D')
            ) STORED
        );
        CREATE INDEX passages_source ON passages(source_id);
        CREATE INDEX passages_search ON passages USING gin(search);
        CREATE TABLE interactions (
            id BIGSERIAL PRIMARY KEY,
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
        CREATE INDEX interactions_unit ON interactions(unit_key);
        CREATE TABLE glossary (
            id BIGSERIAL PRIMARY KEY,
            unit_key TEXT NOT NULL REFERENCES units(key) ON DELETE CASCADE,
            glossary TEXT NOT NULL,
            term TEXT NOT NULL,
            plain TEXT NOT NULL
        );
        CREATE INDEX glossary_unit ON glossary(unit_key);
        CREATE TABLE blobs (
            name TEXT PRIMARY KEY,
            value BYTEA NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        """,
    ),
    # SQLite's m002 made an articles table in the knowledge base; articles have since moved to
    # the review database (r001_articles), which on PostgreSQL shares this database. Recorded so
    # the two lists keep the same names and order.
    ("m002_articles", "SELECT 1"),
    (
        "m003_use_terms",
        """
        ALTER TABLE documents ADD COLUMN licence_class TEXT NOT NULL DEFAULT 'no-licence-stated';
        ALTER TABLE documents ADD COLUMN use_terms TEXT NOT NULL DEFAULT '{}';
        CREATE INDEX documents_licence_class ON documents(licence_class);
        ALTER TABLE passages ADD COLUMN note_kind TEXT;
        """,
    ),
    (
        # Passages per stemmed word, for dropping common words from lexical queries
        # (curbside.knowledge.postgres_terms); FTS5 needs no such table on SQLite.
        "m004_lexeme_stats",
        "CREATE TABLE lexeme_stats (word TEXT PRIMARY KEY, ndoc INTEGER NOT NULL)",
    ),
)


def migrate(connection: psycopg.Connection[Any]) -> list[str]:
    """Apply pending migrations; return the names applied."""
    return apply_migrations(connection, MIGRATIONS)
