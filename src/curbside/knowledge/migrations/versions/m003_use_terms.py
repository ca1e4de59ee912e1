"""Documents carry their licence class and use terms; passages may be a note of a kind.

Rows written before this revision read as "no licence stated" (not open) until their unit is
re-ingested.

Revision ID: m003_use_terms
"""

from __future__ import annotations

from alembic import op

from curbside.schema.portable import text

revision = "m003_use_terms"
down_revision = "m002_articles"


def upgrade() -> None:
    op.add_column("documents", text("licence_class", server_default="no-licence-stated"))
    op.add_column("documents", text("use_terms", server_default="{}"))
    op.create_index("documents_licence_class", "documents", ["licence_class"])
    op.add_column("passages", text("note_kind", nullable=True))


def downgrade() -> None:
    op.drop_index("documents_licence_class", "documents")
    with op.batch_alter_table("passages") as passages:
        passages.drop_column("note_kind")
    with op.batch_alter_table("documents") as documents:
        documents.drop_column("use_terms")
        documents.drop_column("licence_class")
