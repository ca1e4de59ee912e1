"""Render an Article for the terminal with rich (everything printed as text, never markup)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from curbside.domain.article import Article, Statement, Verdict

VERDICT_STYLE = {
    Verdict.SUPPORTED: ("✓", "green"),
    Verdict.PARTIAL: ("~", "yellow"),
    Verdict.UNSUPPORTED: ("✗ unsupported", "red"),
    Verdict.MISAPPLIED: ("✗ misapplied", "red"),
    Verdict.UNCHECKED: ("", "dim"),
}


def statement_text(statement: Statement, bold: bool = False) -> Text:
    text = Text(statement.text, style="bold" if bold else "")
    if statement.citations:
        text.append(" [" + ", ".join(map(str, statement.citations)) + "]", style="cyan")
    mark, style = VERDICT_STYLE[statement.verdict]
    if mark:
        text.append(f" {mark}", style=style)
    if statement.verdict in (Verdict.UNSUPPORTED, Verdict.MISAPPLIED, Verdict.PARTIAL) and statement.reason:
        text.append(f" ({statement.reason})", style=style)
    return text


def render(article: Article, console: Console) -> None:
    console.print(Text(article.title, style="bold underline"))
    status = article.review.status.value.replace("_", " ")
    console.print(
        Text(f"Review status: {status} — pending human review, exercise caution", style="yellow")
        if status != "approved"
        else Text("Review status: approved", style="green")
    )
    console.print(Text("Understood as: " + article.understood.summary, style="dim"))
    for alert in article.alerts:
        style = (
            "bold white on red"
            if alert.kind == "emergency"
            else "red"
            if alert.severity in ("contraindicated", "major")
            else "yellow"
        )
        body = Text(alert.text)
        if alert.action:
            body.append("\n" + alert.action)
        if alert.citations:
            body.append(" [" + ", ".join(map(str, alert.citations)) + "]", style="cyan")
        console.print(Panel(body, title=f"{alert.kind}: {alert.severity}", style=style))
    if article.abstained:
        console.print(Panel(Text(article.abstain_reason or ""), title="Not answered from the sources"))
        if article.not_applicable:
            console.print(Text("Found but not applicable:", style="bold"))
            for line in article.not_applicable:
                console.print(Text(f"  • {line}"))
    else:
        if article.evidence_gap:
            console.print(Panel(Text(article.evidence_gap), title="Evidence gap", style="yellow"))
        if article.abstain_reason:
            console.print(Panel(Text(article.abstain_reason), title="Limits of this answer", style="yellow"))
        if article.bottom_line:
            title = f"Bottom line — {article.verdict}" if article.verdict else "Bottom line"
            console.print(Panel(statement_text(article.bottom_line, bold=True), title=title))
        for section in article.sections:
            console.print(Text(section.heading, style="bold"))
            for statement in section.statements:
                console.print(Text("  • ") + statement_text(statement))
    if article.support.total:
        gate = {True: "passed", False: "NOT passed", None: "not run"}[article.support.gate_passed]
        console.print(
            Text(
                f"Verified: {article.support.supported}/{article.support.total} statements supported; "
                f"publish gate {gate}",
                style="dim",
            )
        )
    if article.references:
        console.print(Text("References", style="bold"))
        for ref in article.references:
            year = f", {ref.year}" if ref.year else ""
            grade = (
                f" — grade {ref.grade}" + (f": {ref.grade_meaning}" if ref.grade_meaning else "") if ref.grade else ""
            )
            terms = f" ({', '.join(ref.use_terms)})" if ref.use_terms else ""
            licence = Text(f"    Licence: {ref.licence}{terms}", style="dim") if ref.licence else Text("")
            console.print(
                Group(
                    Text(
                        f"[{ref.n}] {ref.organization}. {ref.title}{year}. {ref.section}. {ref.url} ({ref.kind}){grade}"
                    ),
                    licence,
                )
            )
    if article.related_questions:
        console.print(Text("Related questions", style="bold"))
        for related in article.related_questions:
            console.print(Text(f"  • {related.question}"))
    timing = article.timings_ms.get("total")
    if timing is not None:
        console.print(Text(f"{timing:.0f} ms", style="dim"))
