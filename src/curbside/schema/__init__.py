"""Schema migrations for every store, with Alembic: one revision chain per store, each revision
written once for SQLite and PostgreSQL (see :mod:`curbside.schema.revisions`)."""
