"""Request rate limits shared by every app worker: one row per admitted request.

The key is hashed (it holds a client address); rows older than the window are deleted as
requests arrive. PostgreSQL gets an explicit id (SQLite has its implicit rowid).

Revision ID: r004_rate_limits
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from curbside.schema.portable import SECONDS, create_indexes, on_postgres, row_id, text

revision = "r004_rate_limits"
down_revision = "r003_audit_log"


def upgrade() -> None:
    identity = [row_id()] if on_postgres() else []
    op.create_table("rate_limit_hits", *identity, text("key"), sa.Column("at", SECONDS, nullable=False))
    create_indexes("rate_limit_hits", {"rate_limit_hits_key": ["key", "at"], "rate_limit_hits_at": ["at"]})


def downgrade() -> None:
    op.drop_table("rate_limit_hits")
