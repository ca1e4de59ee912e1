"""`curbside ask`: one question in, one article out (rich text or JSON)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

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
    patient: Annotated[
        Path | None,
        typer.Option("--patient", help="A FHIR R4 Bundle (JSON file) that fills the patient context."),
    ] = None,
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
        record = _read_bundle(patient) if patient else None
        presented = desk.present(desk.ask(question, audience, patient=record))
    except ComposerUnavailableError as error:
        errors.print(
            f"[red]error:[/red] the language model is unavailable: {error}. "
            "Retry, use --composer offline, or set CURBSIDE_LLM_FALLBACK=offline.",
            markup=True,
            highlight=False,
        )
        raise typer.Exit(3) from error
    except (QuestionError, KnowledgeBaseMissingError, CorpusNotFoundError, ValueError, OSError) as error:
        errors.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
        raise typer.Exit(2) from error
    if as_json:
        print(presented.article.model_dump_json(indent=2))
    else:
        render(presented.article, console)
        # Audience first: the grade loads textstat's pronunciation dictionary (seconds of a cold
        # start), and only the patient view shows it.
        if audience is Audience.PATIENT and presented.fk_grade is not None:
            console.print(f"Reading level: grade {presented.fk_grade} (Flesch–Kincaid)", highlight=False)


def _read_bundle(path: Path) -> Any:
    """The FHIR R4 Bundle in ``path`` (raises ValueError/OSError with the file named)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not JSON: {error}") from error


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_command)
