"""`curbside` console script: global options, then one sub-command per job."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from curbside.cli import (
    answer_commands,
    audit_commands,
    corpus_commands,
    database_commands,
    eval_commands,
    knowledge_commands,
    review_commands,
    serve_commands,
)
from curbside.settings import Settings

app = typer.Typer(
    name="curbside",
    help="Cited, verified answers to clinical questions from public medical sources.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def configure(
    ctx: typer.Context,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus", help="Corpus directory (default: $CURBSIDE_CORPUS_DIR, ./corpora, ../shared/corpora)."
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Where the knowledge base lives (default: $CURBSIDE_DATA_DIR or ./var)."),
    ] = None,
    embedder: Annotated[
        str | None, typer.Option("--embedder", help="Embedding model: minilm (default) or hashing (tests).")
    ] = None,
) -> None:
    """Global options; every setting also has a CURBSIDE_* environment variable."""
    try:
        settings = Settings.from_env()
    except ValueError as error:  # a malformed CURBSIDE_* value: say which, never a traceback
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    ctx.obj = settings.with_overrides(corpus_dir=corpus, data_dir=data_dir, embedder=embedder)


knowledge_commands.register(app)
serve_commands.register(app)
corpus_commands.register(app)
answer_commands.register(app)
audit_commands.register(app)
eval_commands.register(app)
review_commands.register(app)
database_commands.register(app)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
