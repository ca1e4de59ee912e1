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
    from curbside.desk import AnswerDesk
    from curbside.pipeline import Curbside, QuestionError
    from curbside.protocols import ComposerUnavailableError
    from curbside.review.memory import InMemoryArticleRepository
    from curbside.wiring import KnowledgeBaseMissingError

    settings: Settings = ctx.obj.with_overrides(composer=composer)
    try:
        # The same desk the web app uses (rewording for the audience included); a terminal
        # answer is not kept, so its repository lives only for this command.
        desk = AnswerDesk.over(Curbside.open(settings), InMemoryArticleRepository())
        presented = desk.present(desk.ask(question, audience))
    except ComposerUnavailableError as error:
        errors.print(
            f"[red]error:[/red] the language model is unavailable: {error}. "
            "Retry, use --composer offline, or set CURBSIDE_LLM_FALLBACK=offline.",
            markup=True,
            highlight=False,
        )
        raise typer.Exit(3) from error
    except (QuestionError, KnowledgeBaseMissingError, CorpusNotFoundError, ValueError) as error:
        errors.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
        raise typer.Exit(2) from error
    if as_json:
        print(presented.article.model_dump_json(indent=2))
    else:
        render(presented.article, console)
        if presented.fk_grade is not None and audience is Audience.PATIENT:
            console.print(f"Reading level: grade {presented.fk_grade} (Flesch–Kincaid)", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_command)
