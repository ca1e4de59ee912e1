"""An article as Markdown: the same statements, citations, alerts and references as the page."""

from __future__ import annotations

from curbside.domain.article import Article, Reference, ReviewStatus, Statement

DISCLAIMER = (
    "For health professionals. Curbside quotes its sources; it does not examine patients or know their full "
    "history. Check the cited sources and use your clinical judgement. In an emergency, call your local "
    "emergency number."
)


def article_markdown(article: Article, status: ReviewStatus, url: str) -> str:
    """The whole article; ``url`` is where the live version is."""
    lines = [f"# {_text(article.title)}", "", f"Question: {_text(article.question)}", ""]
    if status is ReviewStatus.APPROVED:
        lines += ["*Approved by the medical advisory board.*", ""]
    else:
        lines += [
            "**Pending human review — exercise caution.** The medical advisory board has not yet approved it.",
            "",
        ]
    if article.alerts:
        lines += ["## Safety alerts", ""]
        lines += [f"- **{a.severity}** ({a.kind}): {_text(a.text)}{_marks(a.citations)}" for a in article.alerts]
        lines.append("")
    if article.bottom_line:
        lines += [f"**{_statement(article.bottom_line)}**", ""]
    if article.abstained and article.abstain_reason:
        lines += [_text(article.abstain_reason), ""]
    for section in article.sections:
        lines += [f"## {_text(section.heading)}", ""]
        lines += [f"- {_statement(s)}" for s in section.statements]
        lines.append("")
    lines += ["## Understood as", "", _text(article.understood.summary), ""]
    if article.references:
        lines += ["## References", ""]
        lines += [f"{ref.n}. {reference_line(ref)}" for ref in article.references]
        lines.append("")
    lines += ["---", "", f"*{DISCLAIMER}*", "", f"Live version: <{url}>", ""]
    return "\n".join(lines)


def reference_line(ref: Reference) -> str:
    parts = [_text(ref.organization), f"*{_text(ref.title)}*"]
    if ref.year:
        parts.append(str(ref.year))
    if ref.section:
        parts.append(_text(ref.section))
    if ref.grade:
        parts.append(f"grade {_text(ref.grade)}")
    link = f" <{ref.url}>" if ref.url.startswith(("http://", "https://")) else ""
    return ". ".join(p for p in parts if p) + "." + link


def _statement(statement: Statement) -> str:
    return _text(statement.text) + _marks(statement.citations)


def _marks(citations: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in citations)


def _text(text: str) -> str:
    # Source text stays text: no raw HTML and no accidental links in the exported file.
    return " ".join(text.replace("<", "&lt;").replace("[", "\\[").replace("]", "\\]").split())
