"""`curbside ask`: one question in, one article out (rich text or JSON)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from curbside.cli.article_view import render
from curbside.domain.article import Audience
from curbside.settings import CorpusNotFoundError, Settings

console = Console()
errors = Console(stderr=True)


def ask_command(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="The clinical question.")],
    audience: Annotated[
        Audience, typer.Option("--audience", help="Who the answer is worded for.")
    ] = Audience.CLINICIAN,
    composer: Annotated[str | None, typer.Option("--composer", help="offline (default) or llm.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the article as JSON (schema: docs/article-schema.json).")
    ] = False,
) -> None:
    """Answer a question with a cited, verified article."""
    from curbside.pipeline import Curbside, QuestionError
    from curbside.wiring import KnowledgeBaseMissingError

    settings: Settings = ctx.obj.with_overrides(composer=composer)
    try:
        curbside = Curbside.open(settings)
        answer = curbside.ask(question, audience=audience)
    except (QuestionError, KnowledgeBaseMissingError, CorpusNotFoundError, ValueError) as error:
        errors.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
        raise typer.Exit(2) from error
    if as_json:
        print(answer.article.model_dump_json(indent=2))
    else:
        render(answer.article, console)


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_command)
