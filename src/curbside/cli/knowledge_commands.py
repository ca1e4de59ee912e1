"""Knowledge-base commands: ingest, search, stats, corpus download."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from curbside.domain.documents import DocumentKind
from curbside.domain.terms import LicenceClass
from curbside.knowledge.build import build_knowledge_base, open_store
from curbside.knowledge.embedding import create_embedder
from curbside.knowledge.ingest import IngestReport, ingest
from curbside.knowledge.shards import Shard
from curbside.knowledge.store import SearchFilters
from curbside.rereview import send_back_for_review
from curbside.retrieval.hybrid import HybridSearcher, SearchMode
from curbside.settings import CorpusNotFoundError, Settings
from curbside.sources.licence_terms import load_rules

console = Console()
errors = Console(stderr=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    errors.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)


def _print_report(report: IngestReport) -> None:
    table = Table(title=f"Ingest report ({report.seconds:.1f} s, {report.embedded} passages embedded)")
    for column in (
        "source",
        "units",
        "unchanged",
        "loaded",
        "documents",
        "passages",
        "interactions",
        "removed",
        "skipped",
    ):
        table.add_column(column, justify="left" if column == "source" else "right")
    for name, r in report.sources.items():
        table.add_row(
            name,
            *map(
                str,
                (
                    r.discovered,
                    r.unchanged,
                    r.loaded,
                    r.documents,
                    r.passages,
                    r.interactions + r.glossary_terms,
                    r.removed,
                    len(r.failures),
                ),
            ),
        )
    console.print(table)
    for key, reason in report.failures:
        console.print(f"[yellow]skipped[/yellow] {key}: {reason}")


def ingest_command(
    ctx: typer.Context,
    source: Annotated[list[str] | None, typer.Option("--source", help="Only these sources (repeatable).")] = None,
    add: Annotated[Path | None, typer.Option("--add", help="Add your own guideline (Markdown, text or PDF).")] = None,
    org: Annotated[str | None, typer.Option("--org", help="Organisation that issued the added guideline.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Release year of the added guideline.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title of the added guideline.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where readers can see the added guideline.")] = None,
    licence: Annotated[
        str | None, typer.Option("--licence", help="The added guideline's licence or copyright statement.")
    ] = None,
    licence_class: Annotated[
        LicenceClass, typer.Option("--licence-class", help="Its licence class (e.g. public-domain, cc-by).")
    ] = LicenceClass.USER_SUPPLIED,
    no_generative_ai: Annotated[
        bool, typer.Option("--no-generative-ai", help="Its terms forbid giving it to a language model.")
    ] = False,
    non_commercial: Annotated[
        bool, typer.Option("--non-commercial", help="Its terms allow non-commercial use only.")
    ] = False,
    no_derivatives: Annotated[
        bool, typer.Option("--no-derivatives", help="Its terms allow verbatim use only.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    reembed: Annotated[
        bool, typer.Option("--reembed", help="Re-embed every source with the configured embedder, changed or not.")
    ] = False,
    shard: Annotated[
        str,
        typer.Option(
            "--shard",
            help="Ingest only shard i of n (e.g. 2/4): n workers started with 1/n … n/n split every source's"
            " units without duplicates (concurrently on PostgreSQL; one after another on SQLite).",
        ),
    ] = "1/1",
) -> None:
    """Build or refresh the knowledge base (incremental: unchanged sources are skipped)."""
    from curbside.wiring import EmbedderMismatchError, check_embedder

    settings: Settings = ctx.obj
    store = open_store(settings)
    embedder = create_embedder(settings.embedder)
    try:
        chosen_shard = Shard.parse(shard)
        if chosen_shard.count > 1 and add is not None:
            raise ValueError("--shard splits the corpus sources: use it without --add")
        if reembed and (source or add is not None):
            raise ValueError("--reembed re-embeds every source: use it without --source and --add")
        if source or add is not None:
            # Part of a base re-embedded would mix two models' vectors under one name.
            try:
                check_embedder(store, embedder, settings.embedder)
            except EmbedderMismatchError as error:
                raise ValueError(
                    f"{error} (--source and --add only add to a base embedded by the same model)"
                ) from None
        if add is not None:
            terms = load_rules().terms_for(
                licence_class,
                licence or "",
                no_generative_ai=no_generative_ai,
                non_commercial=non_commercial,
                no_derivatives=no_derivatives,
            )
            report = _add_user_document(settings, store, embedder, add, org, (year, title, url), (licence, terms))
        else:
            from curbside.cli.progress import RichProgress
            from curbside.sources.registry import create_loaders

            loaders = create_loaders(source)
            with RichProgress(errors) as progress:
                report = build_knowledge_base(
                    settings,
                    store,
                    embedder,
                    loaders,
                    None if as_json else progress,
                    reembed=reembed,
                    shard=chosen_shard,
                )
        # Reviewed articles citing text that this run changed go back to the advisory board.
        rereview = send_back_for_review(settings, store) if report.changed else []
    except (CorpusNotFoundError, ValueError) as error:
        raise _fail(str(error)) from error
    finally:
        store.close()
    if as_json:
        console.print_json(
            json.dumps(
                {
                    "seconds": report.seconds,
                    "embedded": report.embedded,
                    "sources": {k: asdict(v) for k, v in report.sources.items()},
                    "sent_back_for_review": rereview,
                }
            )
        )
    else:
        _print_report(report)
        if rereview:
            console.print(f"{len(rereview)} approved article(s) cite changed sources: back in the review queue.")


def _add_user_document(settings, store, embedder, path, org, described, licensed):  # type: ignore[no-untyped-def]
    from curbside.knowledge.terms_filter import apply_terms_policy
    from curbside.sources.user_documents import UserGuidelineLoader

    (year, title, url), (licence, terms) = described, licensed
    if not path.is_file():
        raise ValueError(f"{path} is not a readable file")
    if not org:
        raise ValueError("--org is required with --add (who issued the guideline?)")
    if not settings.source_terms.permits(terms):
        raise ValueError(
            f"licence class {terms.licence_class.value} is excluded by"
            f" CURBSIDE_SOURCE_TERMS={settings.source_terms.value}"
        )
    loader = UserGuidelineLoader(path, organization=org, year=year, title=title, url=url, licence=licence, terms=terms)
    report = ingest(store, embedder, apply_terms_policy([loader], settings.source_terms), path.parent, prune=False)
    if report.failures:
        raise ValueError("; ".join(reason for _, reason in report.failures))
    return report


def search_command(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What to search for.")],
    kind: Annotated[list[DocumentKind] | None, typer.Option("--kind", help="Only this kind (repeatable).")] = None,
    org: Annotated[list[str] | None, typer.Option("--org", help="Only organisations containing this.")] = None,
    year_min: Annotated[int | None, typer.Option("--year-min")] = None,
    year_max: Annotated[int | None, typer.Option("--year-max")] = None,
    drug: Annotated[str | None, typer.Option("--drug", help="Only documents about this drug.")] = None,
    condition: Annotated[str | None, typer.Option("--condition", help="Only documents about this condition.")] = None,
    mode: Annotated[SearchMode, typer.Option("--mode", help="hybrid, bm25 or dense.")] = SearchMode.HYBRID,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
) -> None:
    """Ranked passages with provenance."""
    settings: Settings = ctx.obj
    if not text.strip():
        raise _fail("the search text is empty")
    filters = SearchFilters(
        kinds=tuple(k.value for k in kind or ()),
        organizations=tuple(org or ()),
        year_min=year_min,
        year_max=year_max,
        drug=drug,
        condition=condition,
    )
    from curbside.wiring import EmbedderMismatchError, check_embedder

    store = open_store(settings)
    embedder = create_embedder(settings.embedder)
    if mode is not SearchMode.LEXICAL:
        try:
            check_embedder(store, embedder, settings.embedder)
        except EmbedderMismatchError as error:
            store.close()
            raise _fail(str(error)) from error
    started = time.perf_counter()
    result = HybridSearcher(store, embedder).search(text, limit, filters, mode)
    elapsed = (time.perf_counter() - started) * 1000
    rows = [
        {
            "rank": rank,
            "score": round(hit.score, 5),
            "bm25_rank": hit.lexical_rank,
            "dense_rank": hit.dense_rank,
            "passage_id": hit.record.passage.passage_id,
            "source_id": hit.record.document.source_id,
            "kind": hit.record.document.kind.value,
            "organization": hit.record.document.organization,
            "title": hit.record.document.title,
            "year": hit.record.document.year,
            "url": hit.record.document.url,
            "section": hit.record.passage.section,
            "grade": hit.record.passage.grade,
            "text": hit.record.passage.text,
        }
        for rank, hit in enumerate(result.hits, 1)
    ]
    store.close()
    if as_json:
        console.print_json(json.dumps({"query": text, "took_ms": round(elapsed, 2), "results": rows}))
        return
    if not rows:
        console.print("No passages matched.")
    for row in rows:
        year = f", {row['year']}" if row["year"] else ""
        console.print(
            f"[bold]{row['rank']}.[/bold] {row['title']} — {row['organization']}{year} [dim]({row['kind']})[/dim]"
        )
        console.print(f"   [cyan]{row['section']}[/cyan]  {row['url']}")
        text_preview = str(row["text"])
        console.print("   " + (text_preview[:300] + "…" if len(text_preview) > 300 else text_preview), markup=False)
    console.print(f"[dim]{len(rows)} results in {elapsed:.1f} ms[/dim]")


def stats_command(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False
) -> None:
    """Documents and passages per source and per licence class."""
    store = open_store(ctx.obj)
    counts = store.source_counts()
    licences = store.licence_counts()
    store.close()
    if as_json:
        console.print_json(json.dumps([asdict(c) for c in counts] + [asdict(c) for c in licences]))
        return
    table = Table(title="Knowledge base")
    for column in ("source", "kind", "documents", "passages", "records", "years", "organisations"):
        table.add_column(column)
    for c in counts:
        years = f"{c.year_min}–{c.year_max}" if c.year_min else ""
        records = c.interactions or c.glossary_terms
        table.add_row(
            c.source,
            c.kind,
            str(c.documents or ""),
            str(c.passages or ""),
            str(records or ""),
            years,
            ", ".join(c.organizations[:3]),
        )
    console.print(table)
    by_licence = Table(title="By licence class")
    for column in ("source", "licence class", "documents", "passages"):
        by_licence.add_column(column)
    for licence in licences:
        by_licence.add_row(licence.source, licence.licence_class, str(licence.documents), str(licence.passages))
    console.print(by_licence)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("search")(search_command)
    app.command("stats")(stats_command)
