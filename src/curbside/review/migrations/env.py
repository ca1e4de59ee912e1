"""Alembic runs this for the review revisions (started by curbside.schema.revisions, never by hand)."""

from curbside.schema.revisions import run_revisions

run_revisions()
