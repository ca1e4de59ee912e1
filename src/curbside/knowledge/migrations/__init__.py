"""The knowledge base's schema: Alembic revisions in ``versions/``, each run on SQLite and PostgreSQL.

Revision ids are the names the old hand-kept lists recorded (``m001_knowledge_base`` …), so a
base made before Alembic is stamped where it stood (:func:`curbside.schema.revisions.adopt_legacy`).
Never edit a shipped revision; add a new one whose ``down_revision`` is the current head.
"""

from __future__ import annotations

from curbside.schema.revisions import RevisionChain

KNOWLEDGE_REVISIONS = RevisionChain(
    name="knowledge",
    script_location="curbside.knowledge:migrations",
    version_table="knowledge_schema_version",
)
