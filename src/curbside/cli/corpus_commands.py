"""`curbside corpus download`: fetch public sources for users with internet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

corpus_app = typer.Typer(help="Get the knowledge sources.", no_args_is_help=True)
console = Console()


@corpus_app.command("download")
def download_command(
    dest: Annotated[Path, typer.Option("--dest", help="Corpus directory to fill.")] = Path("corpora"),
    what: Annotated[list[str] | None, typer.Option("--what", help="medquad and/or openfda (default both).")] = None,
    openfda_partitions: Annotated[
        int | None, typer.Option("--openfda-partitions", help="Only the first N openFDA label partitions.")
    ] = None,
) -> None:
    """Download MedQuAD (GitHub archive) and openFDA drug labels (bulk JSON) into DEST."""
    # Imported here: httpx costs ~0.2 CPU-s, which every other command would pay at start.
    import httpx

    from curbside.sources.download import download_medquad, download_openfda_labels

    chosen = what or ["medquad", "openfda"]
    unknown = set(chosen) - {"medquad", "openfda"}
    if unknown:
        raise typer.BadParameter(f"unknown source(s): {', '.join(sorted(unknown))}")
    with httpx.Client(timeout=httpx.Timeout(60.0)) as client:
        for name in chosen:
            try:
                if name == "medquad":
                    result = download_medquad(client, dest)
                else:
                    result = download_openfda_labels(client, dest, max_partitions=openfda_partitions)
            except (httpx.HTTPError, ValueError, KeyError) as error:
                console.print(f"[red]{name}: download failed:[/red] {error}")
                raise typer.Exit(1) from error
            console.print(f"{result.name}: {result.files} files in {result.destination}")
    console.print(
        "Guideline summaries, FDA/NLM labels and interaction lists have no official bulk download;"
        " see the README for where they come from."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(corpus_app, name="corpus")
