"""Advisory-board accounts, their sessions and failed logins (the login rate limit).

Revision ID: r002_accounts
"""

from __future__ import annotations

from alembic import op

from curbside.schema.portable import ROW_ID, create_indexes, integer, references, row_id, text

revision = "r002_accounts"
down_revision = "r001_articles"


def upgrade() -> None:
    op.create_table(
        "accounts",
        row_id(),
        text("email", unique=True),
        *(text(name) for name in ("name", "role", "password_hash")),
        integer("active", default=1),
        text("created_at"),
    )
    # Session ids are stored hashed: a copy of the database does not let anyone log in.
    op.create_table(
        "sessions",
        text("token_hash", primary_key=True),
        references("accounts.id", "account_id", type_=ROW_ID),
        *(text(name) for name in ("csrf_token", "created_at", "expires_at")),
    )
    op.create_table("login_failures", row_id(), text("key"), text("at"))
    create_indexes("login_failures", {"login_failures_key": ["key", "at"]})


def downgrade() -> None:
    for table in ("login_failures", "sessions", "accounts"):
        op.drop_table(table)
