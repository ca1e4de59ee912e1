"""`curbside audit`: check an answer written elsewhere against the sources it cites."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from curbside.cli.article_view import VERDICT_STYLE
from curbside.settings import Settings
from curbside.verification.answer_formats import answer_markdown, detect_kind, html_to_markdown
from curbside.verification.audit_report import audit_html, audit_json

console = Console()
errors = Console(stderr=True)
_SOURCE_FILE = re.compile(r"^(\d+)\.(txt|md|markdown|html?)$", re.I)
_TITLE = re.compile(r"^\s*#\s+(.+)$", re.M)


def read_sources(directory: Path) -> dict[int, tuple[str, str]]:
    """``{n: (title, text)}`` from ``1.txt``, ``2.md`` …; the first non-empty line is the title."""
    sources: dict[int, tuple[str, str]] = {}
    for path in sorted(directory.iterdir()):
        match = _SOURCE_FILE.match(path.name)
        if not match:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if match.group(2).lower().startswith("htm"):
            text = html_to_markdown(text)
        lines = text.strip().splitlines()
        if lines:
            sources[int(match.group(1))] = (lines[0].lstrip("# ").strip(), "\n".join(lines[1:]).strip())
    return sources


def audit_command(
    ctx: typer.Context,
    answer: Annotated[
        Path, typer.Argument(help="The answer (Markdown, plain text or HTML) with citations like [1], ¹, (1), [1,2].")
    ],
    sources: Annotated[Path, typer.Option("--sources", help="Folder with one file per citation: 1.txt, 2.md, …")],
    question: Annotated[
        str | None, typer.Option("--question", help="The question (default: the answer's title).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print statements as JSON.")] = False,
    answer_format: Annotated[
        str, typer.Option("--format", help="Answer format: auto (by suffix/content), markdown, text or html.")
    ] = "auto",
    json_out: Annotated[Path | None, typer.Option("--json-out", help="Also write the JSON report to FILE.")] = None,
    html_out: Annotated[Path | None, typer.Option("--html-out", help="Also write an HTML report to FILE.")] = None,
) -> None:
    """Statement-by-statement report: support and applicability of each cited statement."""
    from curbside.knowledge.embedding import create_embedder
    from curbside.verification.verifier import Verifier
    from curbside.wiring import audit_understanding, verifier_settings

    settings: Settings = ctx.obj
    if not answer.is_file() or not sources.is_dir():
        errors.print(f"error: {answer if not answer.is_file() else sources} not found")
        raise typer.Exit(2)
    if answer_format not in ("auto", "markdown", "text", "html"):
        errors.print(f"error: --format must be auto, markdown, text or html, not {answer_format!r}")
        raise typer.Exit(2)
    raw = answer.read_text(encoding="utf-8", errors="replace")
    kind = detect_kind(raw, answer.suffix) if answer_format == "auto" else answer_format
    markdown = answer_markdown(raw, kind)
    cited = read_sources(sources)
    title = _TITLE.search(markdown)
    asked = question or (title.group(1).strip() if title else "")
    understanding = audit_understanding(settings)
    understood = understanding.understand(asked or "question")
    answer_drugs = understanding.drugs.lexicon([markdown, *(f"{t}\n{x}" for t, x in cited.values())])
    verifier = Verifier(create_embedder(settings.embedder), verifier_settings(settings))
    report = verifier.audit(markdown, cited, understood, answer_drugs)
    data = audit_json(report, asked, understood.summary())
    if json_out is not None:
        json_out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    if html_out is not None:
        html_out.write_text(audit_html(report, asked, understood.summary()), encoding="utf-8")
    if as_json:
        print(json.dumps(data, indent=2))
        return
    console.print(Text(f"Audit of {answer.name} — question: {asked}", style="bold"))
    console.print(Text("Understood as: " + understood.summary(), style="dim"))
    table = Table(show_lines=True)
    for column in ("#", "statement", "cites", "verdict", "support", "reason"):  # bottom line marked "★"
        table.add_column(column)
    for i, row in enumerate(report.results, 1):
        _mark, style = VERDICT_STYLE[row.verdict]
        claims = "".join(f"\n  · {t} — {label}: {why}" for t, label, why in row.claims)
        table.add_row(
            f"{i}★" if row.bottom_line else str(i),
            Text(row.text + claims),
            ",".join(map(str, row.citations)) or "—",
            Text(row.verdict.value, style=style),
            f"{row.support:.2f}",
            Text(row.reason),
        )
    console.print(table)
    gate = "passed" if report.summary.gate_passed else "NOT passed"
    console.print(f"{report.summary.supported}/{report.summary.total} supported; publish gate {gate} (★ = bottom line)")
    for problem in report.summary.problems:
        console.print(Text(f"  • {problem}", style="red"))


def register(app: typer.Typer) -> None:
    app.command("audit")(audit_command)
