"""`curbside user add` (advisory-board accounts), `curbside audit-log` (the review audit trail) and
`curbside purge` (old articles and threads)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from curbside.review.accounts import AccountBook, AccountError, Role
from curbside.review.board import ReviewBoard
from curbside.review.database import open_review_database
from curbside.review.purge import purge_older_than
from curbside.settings import Settings

console = Console()
errors = Console(stderr=True)
user_app = typer.Typer(help="Advisory-board accounts (stored in the review database).", no_args_is_help=True)


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The account's e-mail (its login name).")],
    role: Annotated[Role, typer.Option("--role", help="reviewer, editor (assigns, publishes) or admin (accounts).")],
    name: Annotated[str, typer.Option("--name", help="Name shown as “Reviewed by …” (default: from the e-mail).")] = "",
) -> None:
    """Create an account; the password is prompted for (twice, hidden) and stored argon2-hashed."""
    settings: Settings = ctx.obj
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    repository = open_review_database(settings)
    try:
        account = AccountBook(repository).add(email, name, role, password)
        ReviewBoard(repository).record(
            "curbside user add", "cli", "account_created", {"email": account.email, "role": role.value}
        )
    except AccountError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    finally:
        repository.close()
    console.print(f"Created {account.role.value} {account.email} ({account.name}).")


def audit_log_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the log as JSON lines.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write the log as JSON lines to FILE.")] = None,
) -> None:
    """The review audit log, oldest first (append-only: every login, decision, edit and comment)."""
    settings: Settings = ctx.obj
    repository = open_review_database(settings)
    try:
        entries = ReviewBoard(repository).audit_log()
    finally:
        repository.close()
    lines = [json.dumps(asdict(e), ensure_ascii=False, sort_keys=True) for e in entries]
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        console.print(f"Wrote {len(lines)} audit entries to {out}.")
        return
    if as_json:
        for line in lines:
            typer.echo(line)
        return
    table = Table(title=f"Audit log ({len(entries)} entries)")
    for column in ("#", "at", "actor", "role", "action", "article", "detail"):
        table.add_column(column)
    for e in entries:
        detail = json.dumps(e.detail, ensure_ascii=False)
        table.add_row(str(e.id), e.at, e.actor, e.role, e.action, e.slug or "", detail[:80])
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.command("audit-log")(audit_log_command)
    app.command("purge")(purge_command)


def purge_command(
    ctx: typer.Context,
    older_than_days: Annotated[
        int, typer.Option("--older-than-days", min=0, help="Delete threads with no activity for more than N days.")
    ],
) -> None:
    """Delete old articles and threads (their questions may hold patient details); the audit log keeps
    its entries, which hold no question text, plus one for the purge."""
    settings: Settings = ctx.obj
    repository = open_review_database(settings)
    try:
        result = purge_older_than(repository, older_than_days)
    finally:
        repository.close()
    console.print(f"Purged {result.articles} articles in {result.threads} threads last active before {result.cutoff}.")
