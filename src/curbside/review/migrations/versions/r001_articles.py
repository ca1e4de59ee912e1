"""Articles, their versions and sources, review events, comments and the review queue.

Times are ISO-8601 text and flags integers on both databases, so one body of review SQL reads
both the same way. PostgreSQL gets SQLite's implicit ``rowid`` as an explicit column: the
tie-break for articles made in the same second.

Revision ID: r001_articles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from curbside.schema.portable import BigSerial, create_indexes, integer, on_postgres, references, row_id, text

revision = "r001_articles"
down_revision = None


def upgrade() -> None:
    rowid = [sa.Column("rowid", BigSerial(), unique=True)] if on_postgres() else []
    op.create_table(
        "articles",
        *rowid,
        text("slug", primary_key=True),
        *(text(name) for name in ("question", "question_hash", "thread_id")),
        references("articles.slug", "parent_slug", ondelete=None, nullable=True),
        text("relation", server_default="root"),
        *(text(name) for name in ("audience", "article_json", "understood_json", "created_at", "updated_at")),
        text("review_status", server_default="submitted"),
        # Optimistic concurrency: every board change bumps it; writers name the one they read.
        integer("revision", default=1),
        integer("version", default=1),
        integer("approved_version", nullable=True),
        *(text(name, nullable=True) for name in ("assignee", "reviewed_by", "reviewed_at")),
        integer("source_updated", default=0),
    )
    create_indexes(
        "articles",
        {
            "articles_thread": ["thread_id", "created_at"],
            "articles_status": ["review_status", "updated_at"],
            "articles_question_hash": ["question_hash"],
        },
    )
    op.create_table(
        "article_versions",
        references("articles.slug", "slug", primary_key=True),
        integer("version", primary_key=True),
        *(text(name) for name in ("article_json", "author", "reason", "at")),
    )
    op.create_table(
        "article_sources", references("articles.slug", "slug", primary_key=True), text("source_id", primary_key=True)
    )
    create_indexes("article_sources", {"article_sources_source": ["source_id"]})
    op.create_table(
        "review_events",
        row_id(),
        references("articles.slug", "slug"),
        *(text(name) for name in ("from_status", "to_status", "reviewer")),
        text("note", server_default=""),
        text("at"),
    )
    create_indexes("review_events", {"review_events_slug": ["slug", "id"]})
    op.create_table(
        "comments",
        row_id(),
        references("articles.slug", "slug"),
        *(text(name) for name in ("statement", "kind", "author", "text")),
        integer("version"),
        text("at"),
    )
    create_indexes("comments", {"comments_slug": ["slug", "id"]})
    # One entry per distinct question: repeated asks raise its count instead of adding rows.
    op.create_table(
        "queue_entries",
        text("question_hash", primary_key=True),
        references("articles.slug", "slug"),
        integer("ask_count", default=1),
        text("first_asked"),
        text("last_asked"),
        integer("risk", default=0),
        text("risk_reasons", server_default="[]"),
        text("dismissed_at", nullable=True),
        text("dismissed_by", nullable=True),
    )
    create_indexes("queue_entries", {"queue_entries_slug": ["slug"]})


def downgrade() -> None:
    for table in ("queue_entries", "comments", "review_events", "article_sources", "article_versions", "articles"):
        op.drop_table(table)
