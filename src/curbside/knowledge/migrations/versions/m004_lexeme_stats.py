"""Passages per stemmed word on PostgreSQL, for dropping common words from lexical queries
(:mod:`curbside.knowledge.postgres_terms`); SQLite's FTS5 needs no such table.

Revision ID: m004_lexeme_stats
"""

from __future__ import annotations

from alembic import op

from curbside.schema.portable import integer, on_postgres, text

revision = "m004_lexeme_stats"
down_revision = "m003_use_terms"


def upgrade() -> None:
    if on_postgres():
        op.create_table("lexeme_stats", text("word", primary_key=True), integer("ndoc"))


def downgrade() -> None:
    if on_postgres():
        op.drop_table("lexeme_stats")
