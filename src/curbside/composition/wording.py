"""Product wording: titles that restate the question, abstention and limits notes.

No medical content lives here — only templates filled with the question's own entities
and the names of the sources found.
"""

from __future__ import annotations

from curbside.domain.evidence import Evidence
from curbside.domain.question import Intent, UnderstoodQuestion

TITLE_TEMPLATES: dict[Intent, str] = {
    Intent.TREATMENT: "Treatment of {topic}",
    Intent.NEXT_STEP: "Next steps for {topic}",
    Intent.DOSING: "Dosing of {topic}",
    Intent.INTERACTION: "Interactions: {topic}",
    Intent.ADVERSE_EFFECTS: "Adverse effects of {topic}",
    Intent.CONTRAINDICATION: "Contraindications of {topic}",
    Intent.SCREENING: "Screening for {topic}",
    Intent.DIAGNOSIS: "Diagnosis of {topic}",
    Intent.CAUSES: "Causes of {topic}",
    Intent.PROGNOSIS: "Outlook for {topic}",
    Intent.INFORMATION: "About {topic}",
}
MAX_TITLE = 140


def _join(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def topic_phrase(question: UnderstoodQuestion) -> str:
    conditions = [c.name for c in question.conditions[:2]]
    context = question.failed_medications + question.current_medications
    drugs = [d.name for d in question.drugs if d not in context][:3]
    if question.intent not in (Intent.TREATMENT, Intent.NEXT_STEP) and not drugs:
        drugs = [d.name for d in question.drugs][:3]
    if question.intent == Intent.INTERACTION and len(drugs) >= 2:
        return _join(drugs)
    if question.intent in (Intent.DOSING, Intent.ADVERSE_EFFECTS, Intent.CONTRAINDICATION) and drugs:
        return _join(drugs) + (f" for {_join(conditions)}" if conditions else "")
    return _join(conditions) or _join(drugs)


def title_for(question: UnderstoodQuestion) -> str:
    """A title restating the question; falls back to the question itself when no entity is known."""
    topic = topic_phrase(question)
    has_context = bool(question.current_medications or question.failed_medications)
    if not topic and not has_context:
        text = question.text.strip().rstrip("?")
        return (text[: MAX_TITLE - 1] + "…") if len(text) > MAX_TITLE else (text[:1].upper() + text[1:])
    if topic:
        title = TITLE_TEMPLATES[question.intent].format(topic=topic)
    else:
        title = {Intent.NEXT_STEP: "Next steps", Intent.TREATMENT: "Treatment options"}.get(
            question.intent, TITLE_TEMPLATES[question.intent].format(topic="the question")
        )
    context = []
    if question.current_medications:
        context.append("on " + _join([d.name for d in question.current_medications]))
    if question.failed_medications:
        context.append("after " + _join([d.name for d in question.failed_medications]) + " did not help")
    if question.age_group:
        context.append(
            "in " + {"older_adult": "an older adult"}.get(question.age_group.value, f"a {question.age_group.value}")
        )
    if question.pregnant:
        context.append("in pregnancy")
    if context:
        title += " — " + ", ".join(context)
    return title[:MAX_TITLE]


def describe_source(evidence: Evidence) -> str:
    document = evidence.record.document
    year = f", {document.year}" if document.year else ""
    return f"{document.title} ({document.organization}{year})"


def abstain_reason(question: UnderstoodQuestion, aside: tuple[Evidence, ...], unknown: tuple[str, ...]) -> str:
    if unknown:
        names = _join([f"“{term}”" for term in unknown])
        return (
            f"Curbside's sources do not recognise {names} as a drug or condition, so it cannot answer "
            "without guessing. Check the spelling, or use the generic name."
        )
    topic = topic_phrase(question) or "this question"
    if aside:
        return (
            f"The knowledge base holds no source that applies to {topic}: what the search found is about "
            "other conditions or populations (listed below), and Curbside does not use off-topic evidence."
        )
    return f"The knowledge base holds no source that answers this question about {topic}."


def suggestion(question: UnderstoodQuestion) -> str:
    topic = topic_phrase(question) or "the topic"
    if question.intent in (Intent.DOSING, Intent.INTERACTION, Intent.ADVERSE_EFFECTS, Intent.CONTRAINDICATION):
        return (
            f"A current FDA drug label (DailyMed) for {topic} would answer this; add it with `curbside ingest --add`."
        )
    return (
        f"A current clinical practice guideline on {topic} would answer this; add one with "
        "`curbside ingest --add FILE --org ORG --year YEAR`."
    )


def limits_note(question: UnderstoodQuestion, used: list[Evidence]) -> str | None:
    """Say plainly when the question left the condition open, and which conditions the sources cover."""
    if question.conditions or not used:
        return None
    sources = _join(list(dict.fromkeys(describe_source(e) for e in used))[:4])
    return (
        f"The question does not name a condition. The statements below come from {sources}; "
        "check that they match your patient's condition, or name it and ask again."
    )
