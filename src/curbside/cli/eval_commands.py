"""`curbside eval SUITE` and `curbside bench`: measure answers on the dev sets and speed.

Register with ``eval_commands.register(app)`` in ``cli/main.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from curbside.settings import CorpusNotFoundError, Settings

if TYPE_CHECKING:
    from curbside.pipeline import Curbside

console = Console()
errors = Console(stderr=True)
SUITE_HELP = "liveqa, kqa, medicationqa, healthver or probes (or all)."


def _open(settings: Settings) -> Curbside:
    """The pipeline, or exit 2 with the reason (empty knowledge base, no corpus …)."""
    from curbside.pipeline import Curbside
    from curbside.wiring import KnowledgeBaseMissingError

    try:
        return Curbside.open(settings)
    except (KnowledgeBaseMissingError, CorpusNotFoundError, ValueError) as error:
        errors.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error


def eval_command(
    ctx: typer.Context,
    suite: Annotated[str, typer.Argument(help=SUITE_HELP)],
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N items.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result (rows too) as JSON.")] = False,
    plot: Annotated[Path | None, typer.Option("--plot", help="Write PNG charts into this folder.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Result file (default var/eval/<suite>.json).")] = None,
    data: Annotated[Path | None, typer.Option("--data", help="Dev-set folder (default ../shared/eval).")] = None,
    probes: Annotated[Path | None, typer.Option("--probes", help="Probe JSONL file (default: shipped).")] = None,
) -> None:
    """Run an evaluation suite over the dev sets; prints a table and writes JSON."""
    from curbside.evaluation import SUITES, run_suite
    from curbside.evaluation.common import EvalDataNotFoundError, write_json
    from curbside.evaluation.datasets import DatasetFormatError
    from curbside.evaluation.probe_suite import ProbeFileError
    from curbside.evaluation.report import suite_table, write_plots

    settings: Settings = ctx.obj
    names = list(SUITES) if suite == "all" else [suite]
    if any(n not in SUITES for n in names):
        errors.print(f"[red]error:[/red] unknown suite {suite!r}; choose {SUITE_HELP}")
        raise typer.Exit(2)
    if out is not None and len(names) > 1:
        errors.print("[red]error:[/red] --out names one file; use it with a single suite")
        raise typer.Exit(2)
    curbside = _open(settings)
    results = []
    for name in names:
        try:
            result = run_suite(name, curbside, data, limit, probes)
        except (EvalDataNotFoundError, DatasetFormatError, ProbeFileError) as error:
            errors.print(f"[red]error:[/red] {error}", markup=False)
            raise typer.Exit(2) from error
        results.append(result)
        path = write_json(result.to_json(), out or settings.data_dir / "eval" / f"{name}.json")
        if as_json:
            console.print_json(json.dumps(result.to_json(), default=str))
        else:
            console.print(suite_table(result))
            errors.print(f"[dim]wrote {path}[/dim]")
    if plot is not None:
        for path in write_plots(results, plot):
            errors.print(f"[dim]wrote {path}[/dim]")


def bench_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the measurements as JSON.")] = False,
    questions: Annotated[int, typer.Option("--questions", min=1, max=200, help="First N LiveQA questions.")] = 10,
    clients: Annotated[str, typer.Option("--clients", help="Concurrent client counts, comma-separated.")] = "1,4,8",
    seconds: Annotated[float, typer.Option("--seconds", min=1, max=600, help="Time bound per load phase.")] = 20.0,
    max_requests: Annotated[int, typer.Option("--max-requests", min=1, help="Request bound per phase.")] = 40,
    ingest_files: Annotated[int, typer.Option("--ingest-files", min=1, help="NGC files to re-ingest.")] = 10,
    data: Annotated[Path | None, typer.Option("--data", help="Dev-set folder (default ../shared/eval).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Result file (default var/eval/bench.json).")] = None,
) -> None:
    """Latency (ask vs a bare BM25 floor), loopback throughput, cold start, memory, ingest speed."""
    from curbside.evaluation.bench import BenchConfig, run_bench
    from curbside.evaluation.common import EvalDataNotFoundError, locate_eval_data, write_json
    from curbside.evaluation.datasets import liveqa_paths, read_liveqa
    from curbside.evaluation.report import bench_table

    settings: Settings = ctx.obj
    try:
        counts = tuple(int(c) for c in clients.split(",") if c.strip())
        if not counts or min(counts) < 1 or max(counts) > 64:
            raise ValueError
    except ValueError as error:
        errors.print("[red]error:[/red] --clients takes counts 1–64, e.g. 1,4,8")
        raise typer.Exit(2) from error
    try:
        items = read_liveqa(liveqa_paths(locate_eval_data(data)))
    except EvalDataNotFoundError as error:
        errors.print(f"[red]error:[/red] {error}", markup=False)
        raise typer.Exit(2) from error
    config = BenchConfig(questions=questions, clients=counts, seconds=seconds, max_requests=max_requests,
                         ingest_files=ingest_files)  # fmt: skip
    try:
        result = run_bench(_open(settings), settings, [i.question for i in items], config).to_json()
    except (RuntimeError, CorpusNotFoundError) as error:
        errors.print(f"[red]error:[/red] {error}", markup=False)
        raise typer.Exit(1) from error
    path = write_json(result, out or settings.data_dir / "eval" / "bench.json")
    if as_json:
        console.print_json(json.dumps(result, default=str))
    else:
        console.print(bench_table(result))
        errors.print(f"[dim]wrote {path}[/dim]")


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)
    app.command("bench")(bench_command)
