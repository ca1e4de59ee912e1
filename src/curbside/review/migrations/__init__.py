"""The review database's schema: Alembic revisions in ``versions/``, each run on SQLite and PostgreSQL.

Revision ids are the names the old hand-kept lists recorded (``r001_articles`` …), so a database
made before Alembic is stamped where it stood (:func:`curbside.schema.revisions.adopt_legacy`).
Never edit a shipped revision; add a new one whose ``down_revision`` is the current head.
"""

from __future__ import annotations

from curbside.schema.revisions import RevisionChain

REVIEW_REVISIONS = RevisionChain(
    name="review",
    script_location="curbside.review:migrations",
    version_table="review_schema_version",
)
