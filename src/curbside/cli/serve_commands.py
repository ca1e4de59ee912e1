"""`curbside serve`: run the web app with uvicorn (one process, or N worker processes)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from curbside.settings import Settings

# A worker opening the pipeline took 260 s on a loaded 2-core machine; uvicorn's default 5 s
# health check would kill it while it is still loading.
WORKER_HEALTHCHECK_S = 300


def worker_environment(settings: Settings) -> dict[str, str]:
    """The ``CURBSIDE_*`` variables that carry the global command-line options to worker
    processes (each builds its own Settings from the environment, see ``create_app_from_env``)."""
    carried = {"DATA_DIR": str(settings.data_dir), "EMBEDDER": settings.embedder}
    if settings.corpus_dir is not None:
        carried["CORPUS_DIR"] = str(settings.corpus_dir)
    return {f"CURBSIDE_{name}": value for name, value in carried.items()}


def serve_command(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option("--host", help="Interface to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (default 8000).")] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Worker processes (uvicorn). More than one needs nothing shared in memory: sessions, login"
            " limits and the review queue live in the review database (PostgreSQL for several hosts).",
        ),
    ] = 1,
) -> None:
    """Serve the web app (the knowledge base must exist: run `curbside ingest` first)."""
    import uvicorn

    from curbside.web.app import create_app
    from curbside.wiring import KnowledgeBaseMissingError

    settings: Settings = ctx.obj.with_overrides(host=host, port=port)
    # Access logs carry URLs, and article URLs and query strings can carry question words:
    # they stay off unless the operator opted into logging questions.
    common = {"host": settings.host, "port": settings.port, "log_level": "info", "access_log": settings.log_questions}
    if workers > 1:
        os.environ.update(worker_environment(settings))
        uvicorn.run(
            "curbside.web.app:create_app_from_env",
            factory=True,
            workers=workers,
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
            **common,  # type: ignore[arg-type]
        )
        return
    try:
        app = create_app(settings)
    except KnowledgeBaseMissingError as error:  # also the embedder-mismatch refusal
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    uvicorn.run(app, **common)  # type: ignore[arg-type]


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
