"""Audit reports as JSON and as a standalone HTML page.

``audit_json`` is the machine-readable report (question, understanding, gate, every statement
with its verdict, support, reason, whether it is the bottom line, and per-claim results for
compound statements). ``audit_html`` renders the same rows as one self-contained page (no
scripts, no external assets), every value HTML-escaped.
"""

from __future__ import annotations

from html import escape

from curbside.verification.verifier import AuditReport

_COLOURS = {"supported": "#1b7f3b", "partial": "#a36b00", "unsupported": "#b3261e", "misapplied": "#7b1fa2"}


def audit_json(report: AuditReport, question: str, understood: str) -> dict[str, object]:
    """The report as a JSON-ready dict."""
    return {
        "question": question,
        "understood": understood,
        "supported": report.summary.supported,
        "total": report.summary.total,
        "gate_passed": report.summary.gate_passed,
        "problems": list(report.summary.problems),
        "statements": report.as_dicts(),
    }


def _row(index: int, row: dict[str, object]) -> str:
    verdict = str(row["verdict"])
    claims = row.get("claims") or []
    detail = "".join(
        f"<li>{escape(str(c['text']))} — <em>{escape(str(c['label']))}</em>: {escape(str(c['reason']))}</li>"
        for c in claims  # type: ignore[attr-defined]
    )
    cites = ", ".join(str(c) for c in row["citations"]) or "—"  # type: ignore[attr-defined]
    where = "<strong>bottom line</strong><br>" if row.get("bottom_line") else ""
    return (
        f"<tr><td>{index}</td><td>{where}{escape(str(row['text']))}"
        + (f"<ul class=claims>{detail}</ul>" if detail else "")
        + f"</td><td>{escape(cites)}</td>"
        f'<td style="color:{_COLOURS.get(verdict, "#000")}"><strong>{escape(verdict)}</strong></td>'
        f"<td>{float(row['support']):.2f}</td><td>{escape(str(row['reason']))}</td></tr>"  # type: ignore[arg-type]
    )


def audit_html(report: AuditReport, question: str, understood: str) -> str:
    """A standalone HTML page with the gate and one row per statement."""
    data = audit_json(report, question, understood)
    rows = "\n".join(_row(i, r) for i, r in enumerate(report.as_dicts(), 1))
    problems = "".join(f"<li>{escape(p)}</li>" for p in report.summary.problems)
    gate = "passed" if report.summary.gate_passed else "not passed"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Curbside audit: {escape(question)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}
table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:.4rem;vertical-align:top}}
th{{background:#f3f3f3}} .claims{{margin:.3rem 0 0 1rem}}</style>
</head><body>
<h1>Audit: {escape(question)}</h1>
<p>Understood as: {escape(understood)}</p>
<p><strong>{data["supported"]}/{data["total"]} statements supported; publish gate {gate}.</strong></p>
<ul>{problems}</ul>
<table><thead><tr><th>#</th><th>statement</th><th>cites</th><th>verdict</th><th>support</th><th>reason</th></tr></thead>
<tbody>
{rows}
</tbody></table>
</body></html>
"""
