"""Turn suite and bench results into rich tables, Markdown tables and PNG charts.

Charts use matplotlib's Agg backend (no display); matplotlib is a dev extra, so ``write_plots``
raises a clear error when it is missing instead of failing at import time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rich.table import Table

from curbside.evaluation.common import SuiteResult, latency_summary


def _fmt(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def summary_pairs(result: SuiteResult) -> list[tuple[str, str]]:
    """(metric, formatted value) for the summary plus ask latency percentiles when measured."""
    pairs = [(k, _fmt(v)) for k, v in result.summary.items()]
    if result.latencies_ms:
        stats = latency_summary(result.latencies_ms)
        pairs += [(f"latency {k} (ms)", _fmt(stats[k])) for k in ("p50", "p95", "p99")]
    return pairs


def suite_table(result: SuiteResult) -> Table:
    limit = f", limit {result.limit}" if result.limit else ""
    table = Table(title=f"eval {result.suite}{limit}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in summary_pairs(result):
        table.add_row(name, value)
    return table


def bench_table(bench: Mapping[str, Any]) -> Table:
    table = Table(title="bench")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for name, value in bench.items():
        if name != "notes":
            table.add_row(name, _fmt(value))
    return table


def markdown_table(pairs: Iterable[tuple[str, str]], headers: tuple[str, str] = ("metric", "value")) -> str:
    lines = [f"| {headers[0]} | {headers[1]} |", "|---|---:|"]
    lines += [f"| {name} | {value} |" for name, value in pairs]
    return "\n".join(lines)


def suite_markdown(result: SuiteResult) -> str:
    limit = f"first {result.limit} items" if result.limit else "all items"
    notes = "\n".join(f"- {n}" for n in result.notes)
    return f"### {result.suite} ({limit})\n\n{markdown_table(summary_pairs(result))}\n\n{notes}\n"


def bench_markdown(bench: Mapping[str, Any]) -> str:
    pairs = [(k, _fmt(v)) for k, v in bench.items() if k != "notes"]
    notes = "\n".join(f"- {n}" for n in bench.get("notes", ()))
    return f"{markdown_table(pairs, ('measure', 'value'))}\n\n{notes}\n"


def write_plots(results: Iterable[SuiteResult], directory: Path) -> list[Path]:
    """One score-distribution PNG per suite with scores, and one latency histogram of all asks.

    Raises:
        RuntimeError: matplotlib is not installed (``pip install -e '.[dev]'``).
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise RuntimeError("--plot needs matplotlib: pip install -e '.[dev]'") from error
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    latencies: dict[str, tuple[float, ...]] = {}
    for result in results:
        if result.latencies_ms:
            latencies[result.suite] = result.latencies_ms
        series = {name: values for name, values in result.scores.items() if values}
        if not series:
            continue
        figure, axes = plt.subplots(figsize=(7, 4))
        axes.hist(list(series.values()), bins=20, range=(0, 1), label=list(series), alpha=0.8)
        axes.set(title=f"{result.suite}: score distribution", xlabel="score", ylabel="items")
        axes.legend()
        path = directory / f"{result.suite}-scores.png"
        figure.savefig(path, dpi=100, bbox_inches="tight")
        plt.close(figure)
        written.append(path)
    if latencies:
        figure, axes = plt.subplots(figsize=(7, 4))
        axes.hist([[v / 1000 for v in vs] for vs in latencies.values()], bins=20, label=list(latencies), stacked=True)
        axes.set(title="ask latency", xlabel="seconds", ylabel="questions")
        axes.legend()
        path = directory / "latency.png"
        figure.savefig(path, dpi=100, bbox_inches="tight")
        plt.close(figure)
        written.append(path)
    return written
