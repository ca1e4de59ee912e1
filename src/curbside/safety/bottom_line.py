"""The bottom line of an interaction question is the interaction verdict.

When the question asks whether drugs can be combined (intent ``interaction``) and the screen
found an interaction between the question's drugs, the bottom line becomes the most severe
finding: severity, the sources' effect/mechanism text and their management sentence — all
quoted from the alert, which quotes the sources — with the alert's citations. An earlier,
unrelated bottom line moves into an "Also found" section rather than being lost. An article
that had abstained is answered by the alert: "no passage answers the rest" must not hide a
known interaction and its management.
"""

from __future__ import annotations

from collections.abc import Sequence

from curbside.domain.article import Article, Section, Statement
from curbside.domain.question import Intent, UnderstoodQuestion
from curbside.safety import severity as sev
from curbside.safety.interactions import InteractionFinding


def verdict_text(finding: InteractionFinding) -> str:
    text = finding.alert.text
    action = finding.alert.action
    if action and action not in text:
        text += f" Management (source): {action}"
    return text


def interaction_bottom_line(
    article: Article, question: UnderstoodQuestion, findings: Sequence[InteractionFinding], update: dict[str, object]
) -> dict[str, object]:
    """Fields to update so the article leads with the interaction verdict (empty when not applicable)."""
    asked = {d.name for d in (*question.drugs, *question.current_medications, *question.failed_medications)}
    relevant = [f for f in findings if f.drug_a in asked and f.drug_b in asked]
    if not relevant or not (question.intent is Intent.INTERACTION or article.abstained):
        return {}
    top = min(relevant, key=lambda f: sev.RANK.get(f.severity, len(sev.RANK)))
    bottom = Statement(text=verdict_text(top), citations=top.alert.citations)
    out: dict[str, object] = {"bottom_line": bottom, "abstained": False, "abstain_reason": None}
    sections: tuple[Section, ...] = tuple(update.get("sections", article.sections))  # type: ignore[arg-type]
    previous = update.get("bottom_line", article.bottom_line)
    if isinstance(previous, Statement) and previous.text != bottom.text:
        sections = (*sections, Section(heading="Also found", kind="background", statements=(previous,)))
    if not any(s.kind == "safety" for s in sections):
        statements = tuple(Statement(text=verdict_text(f), citations=f.alert.citations) for f in relevant)
        sections = (Section(heading="Interaction", kind="safety", statements=statements), *sections)
    out["sections"] = sections
    return out
