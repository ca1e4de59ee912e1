"""The knowledge base: units, documents and their terms, passages, interaction lists, glossaries, blobs.

Where the databases differ (the point of PostgreSQL): the lexical index is an FTS5 table on
SQLite and a stored, weighted ``tsvector`` with a GIN index on PostgreSQL; embeddings are BLOBs
searched by index files beside the SQLite file, and pgvector ``vector`` values on PostgreSQL
(their HNSW index is made per embedding width by the store when the first vectors arrive: an
HNSW index needs a fixed width, and the embedder is a setting).

Revision ID: m001_knowledge_base
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from curbside.schema.portable import Vector, create_indexes, integer, now_column, on_postgres, references, row_id, text

revision = "m001_knowledge_base"
down_revision = None

# Weights mirror the SQLite bm25 column weights: title above heading above text.
WEIGHTED_SEARCH = (
    "setweight(to_tsvector('english', search_title), 'A')"
    " || setweight(to_tsvector('english', search_heading), 'B')"
    " || setweight(to_tsvector('english', text), 'D')"
)


def upgrade() -> None:
    postgres = on_postgres()
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.create_table("units", text("key", primary_key=True), text("source"), text("content_hash"),
                    now_column("ingested_at"))  # fmt: skip
    op.create_table(
        "documents",
        text("source_id", primary_key=True),
        references("units.key", "unit_key"),
        *(text(name) for name in ("source", "kind", "organization", "title")),
        integer("year", nullable=True),
        *(text(name) for name in ("url", "licence", "drugs", "conditions")),
        text("population", nullable=True),
        text("metadata"),
    )
    create_indexes("documents", {"documents_unit": ["unit_key"], "documents_kind": ["kind"]})
    op.create_table("document_terms", references("documents.source_id", "source_id"), text("facet"), text("term"))
    create_indexes("document_terms", {"document_terms_lookup": ["facet", "term"], "document_terms_doc": ["source_id"]})
    _passages(postgres)
    op.create_table(
        "interactions",
        row_id(),
        references("units.key", "unit_key"),
        *(text(name) for name in ("list_name", "source_id", "drug_a", "drug_b", "drug_a_norm", "drug_b_norm")),
        *(text(name, nullable=True) for name in ("severity", "description", "interaction_type", "sentence")),
        text("drug_a_ids"),
        text("drug_b_ids"),
    )
    create_indexes("interactions", {"interactions_a": ["drug_a_norm"], "interactions_b": ["drug_b_norm"]})
    op.create_table("glossary", row_id(), references("units.key", "unit_key"), text("glossary"), text("term"),
                    text("plain"))  # fmt: skip
    op.create_table("blobs", text("name", primary_key=True), sa.Column("value", sa.LargeBinary, nullable=False),
                    now_column("updated_at"))  # fmt: skip
    if postgres:
        # Ingest deletes by unit; SQLite's small files never needed these.
        create_indexes("units", {"units_source": ["source"]})
        create_indexes("interactions", {"interactions_unit": ["unit_key"]})
        create_indexes("glossary", {"glossary_unit": ["unit_key"]})


def _passages(postgres: bool) -> None:
    searchable = (
        [
            text("search_heading", server_default=""),
            text("search_title", server_default=""),
            sa.Column("search", postgresql.TSVECTOR, sa.Computed(WEIGHTED_SEARCH, persisted=True)),
        ]
        if postgres
        else []
    )
    op.create_table(
        "passages",
        row_id("id" if postgres else "rowid"),
        text("passage_id", unique=True),
        references("documents.source_id", "source_id"),
        integer("ordinal"),
        text("heading_path"),
        text("text"),
        *(text(name, nullable=True) for name in ("grade", "grade_meaning", "question", "question_type")),
        text("section_number", nullable=True),
        sa.Column("embedding", Vector() if postgres else sa.LargeBinary, nullable=True),
        *searchable,
    )
    create_indexes("passages", {"passages_source": ["source_id"]})
    if postgres:
        op.create_index("passages_search", "passages", ["search"], postgresql_using="gin")
    else:
        # The FTS table keeps its own copy of the text (no external content) so deleting a unit
        # is a plain DELETE by rowid, which keeps crash-resume logic simple.
        op.execute(
            "CREATE VIRTUAL TABLE passages_fts USING fts5("
            "text, heading, title, tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    for table in ("blobs", "glossary", "interactions", "passages_fts", "passages", "document_terms", "documents"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
    op.drop_table("units")
