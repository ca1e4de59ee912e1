"""The append-only audit log: updates and deletes are refused by a trigger on either database.

Revision ID: r003_audit_log
"""

from __future__ import annotations

from alembic import op

from curbside.schema.portable import on_postgres, row_id, text

revision = "r003_audit_log"
down_revision = "r002_accounts"

REFUSAL = "the audit log is append-only"


def upgrade() -> None:
    op.create_table(
        "audit_log",
        row_id(),
        *(text(name) for name in ("at", "actor", "role", "action")),
        text("slug", nullable=True),
        text("detail", server_default="{}"),
    )
    if on_postgres():
        # Raised as an integrity violation (SQLSTATE 23000), as SQLite's RAISE(ABORT) is.
        op.execute(
            "CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION"
            f" '{REFUSAL}' USING ERRCODE = 'integrity_constraint_violation'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log"
            " FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log"
            " FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()"
        )
        return
    for event, name in (("UPDATE", "audit_log_no_update"), ("DELETE", "audit_log_no_delete")):
        op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON audit_log BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")


def downgrade() -> None:
    op.drop_table("audit_log")
    if on_postgres():
        op.execute("DROP FUNCTION audit_log_refuse_change()")
