"""`curbside serve`: run the web app with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from curbside.settings import Settings


def serve_command(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option("--host", help="Interface to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (default 8000).")] = None,
) -> None:
    """Serve the web app (the knowledge base must exist: run `curbside ingest` first)."""
    import uvicorn

    from curbside.web.app import create_app
    from curbside.wiring import KnowledgeBaseMissingError

    settings: Settings = ctx.obj.with_overrides(host=host, port=port)
    try:
        app = create_app(settings)
    except KnowledgeBaseMissingError as error:  # also the embedder-mismatch refusal
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    # Access logs carry URLs, and article URLs and query strings can carry question words:
    # they stay off unless the operator opted into logging questions.
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=settings.log_questions,
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
