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
    from curbside.pipeline import Curbside, QuestionError
    from curbside.wiring import KnowledgeBaseMissingError

    settings: Settings = ctx.obj.with_overrides(composer=composer)
    try:
        curbside = Curbside.open(settings)
        understood = _with_patient(curbside, question, patient) if patient else None
        answer = curbside.ask(question, audience=audience, question=understood)
    except (QuestionError, KnowledgeBaseMissingError, CorpusNotFoundError, ValueError, OSError) as error:
        errors.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
        raise typer.Exit(2) from error
    if as_json:
        print(answer.article.model_dump_json(indent=2))
    else:
        render(answer.article, console)


def _with_patient(curbside: Any, question: str, path: Path) -> Any:
    """The question understood with the patient record's context (raises ValueError/OSError)."""
    from curbside.medication_check import MedicationCheck

    check = MedicationCheck(curbside)
    try:
        record = check.read_record(json.loads(path.read_text(encoding="utf-8")))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not JSON: {error}") from error
    return check.understood(curbside.understand(question), record)


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_command)
