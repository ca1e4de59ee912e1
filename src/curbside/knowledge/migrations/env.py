"""Alembic runs this for the knowledge revisions (started by curbside.schema.revisions, never by hand)."""

from curbside.schema.revisions import run_revisions

run_revisions()
