"""`curbside db upgrade` / `curbside db current`: the schema revision of each store's database.

The app and every command migrate at start anyway; these are for an operator who wants to
migrate before rolling out new workers, or to see where a database stands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from curbside.knowledge.migrations import KNOWLEDGE_REVISIONS
from curbside.review.migrations import REVIEW_REVISIONS
from curbside.schema.revisions import Database, RevisionChain, SchemaError, current, upgrade
from curbside.settings import Settings

db_app = typer.Typer(help="Schema migrations (Alembic) of the knowledge base and the review database.")
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


def store_databases(settings: Settings) -> list[tuple[RevisionChain, Database]]:
    """Each store's chain with the database the settings point it at (stores without a schema,
    such as in-memory test backends, are left out)."""
    found: list[tuple[RevisionChain, Database]] = []
    for chain, backend, path in (
        (KNOWLEDGE_REVISIONS, settings.store, settings.database_path),
        (REVIEW_REVISIONS, settings.article_store, settings.review_database_path),
    ):
        if backend == "postgres" and settings.database_url:
            found.append((chain, settings.database_url))
        elif backend == "sqlite":
            found.append((chain, path))
    return found


def _where(database: Database) -> str:
    # A URL may carry a password: show only where it points.
    return str(database) if isinstance(database, Path) else "postgresql://…@" + database.rsplit("@", 1)[-1]


@db_app.command("upgrade")
def upgrade_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Bring every store's database to the newest revision (what the app does at start)."""
    report = []
    for chain, database in store_databases(ctx.obj):
        try:
            applied = upgrade(chain, database)
        except SchemaError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from error
        report.append({"store": chain.name, "database": _where(database), "applied": applied, "now": chain.head()})
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    for row in report:
        done = ", ".join(row["applied"]) or "nothing to apply"
        typer.echo(f"{row['store']}: {done} (now at {row['now']}) — {row['database']}")


@db_app.command("current")
def current_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Show the revision each store's database stands at and the newest one this code knows."""
    report = [
        {"store": chain.name, "database": _where(database), "current": current(chain, database), "head": chain.head()}
        for chain, database in store_databases(ctx.obj)
        if isinstance(database, str) or database.exists()
    ]
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    for row in report:
        state = "up to date" if row["current"] == row["head"] else f"behind: newest is {row['head']}"
        at = row["current"] or "no revision yet (`db upgrade` adopts a database made before Alembic)"
        typer.echo(f"{row['store']}: {at} ({state}) — {row['database']}")
