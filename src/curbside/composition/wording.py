"""Product wording: titles that restate the question, abstention and limits notes.

No medical content lives here — only templates filled with the question's own entities
and the names of the sources found.
"""

from __future__ import annotations

import re

from curbside.composition import populations
from curbside.composition.selection import stems
from curbside.domain.documents import Passage
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


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shorten(text: str, limit: int = MAX_TITLE) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters (never mid-word)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:—–-")
    return cut + "…"


def situation_phrase(question: UnderstoodQuestion) -> str:
    """The patient's situation in the question's own terms: "after buspirone and SSRIs did not help"."""
    context = []
    if question.failed_medications:
        context.append("after " + _join([d.surface or d.name for d in question.failed_medications]) + " did not help")
    current = [d for d in question.current_medications if d not in question.failed_medications]
    if current:
        context.append("on " + _join([d.surface or d.name for d in current]))
    if question.age_group:
        context.append(
            "in "
            + {"older_adult": "an older adult", "adult": "an adult", "infant": "an infant"}.get(
                question.age_group.value, f"a {question.age_group.value}"
            )
        )
    if question.pregnant:
        context.append("in pregnancy")
    return ", ".join(context)


def title_for(question: UnderstoodQuestion) -> str:
    """A title naming the condition and the situation ("Anxiety: next steps after buspirone and
    SSRIs did not help"); the question itself when no entity is known. Never cut mid-word."""
    topic = topic_phrase(question)
    situation = situation_phrase(question)
    if not topic and not situation:
        return _capitalised(_shorten(question.text.strip().rstrip("?")))
    if question.intent in (Intent.NEXT_STEP, Intent.TREATMENT) and question.conditions and situation:
        step = "next steps" if question.intent == Intent.NEXT_STEP else "treatment"
        return _shorten(f"{_capitalised(topic)}: {step} {situation}")
    if topic:
        title = TITLE_TEMPLATES[question.intent].format(topic=topic)
    else:
        title = {Intent.NEXT_STEP: "Next steps", Intent.TREATMENT: "Treatment options"}.get(
            question.intent, TITLE_TEMPLATES[question.intent].format(topic="the question")
        )
    return _shorten(title + (" — " + situation if situation else ""))


_AGAINST = re.compile(r"\b(?:recommends? against|should not|do not|not recommended|don't)\b", re.I)
_INSUFFICIENT = re.compile(r"\b(?:insufficient|inconclusive|cannot (?:be )?(?:determine|assess))\b", re.I)
_FOR = re.compile(r"\b(?:recommends?|should|offer|suggests?|consider|is indicated|are indicated)\b", re.I)


def verdict(statement: str, passage: Passage) -> str | None:
    """A one-phrase verdict from the source's own grade and the statement's direction, or None
    when the source grades nothing (no verdict the source does not give)."""
    grade = (passage.grade or "").strip()
    if not grade:
        return None
    label = f"grade {grade}" if len(grade) <= 3 else grade
    if _INSUFFICIENT.search(statement):
        return f"Evidence insufficient ({label})"
    if _AGAINST.search(statement):
        return f"Recommended against ({label})"
    if _FOR.search(statement):
        return f"Recommended ({label})"
    return None


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


def drug_row_gap(question: UnderstoodQuestion, row: Evidence) -> str | None:
    """A textbook's entry for the drug (its dosing or prototype row) answers for the drug in
    general: say so when the question names a condition the entry does not."""
    if not question.conditions:
        return None
    condition = question.conditions[0]
    if stems(condition.name) <= stems(row.record.passage.text):
        return None
    document = row.record.document
    year = f", {document.year}" if document.year else ""
    return (
        f"The closest evidence is the drug's general entry in {_short_title(document.title)} "
        f"({document.organization}{year}); it does not name {condition.name}."
    )


def no_pair_note(question: UnderstoodQuestion) -> str:
    """Why an interaction question gets no bottom line: no source names the drugs together."""
    names = list(dict.fromkeys(d.surface or d.name for d in (*question.current_medications, *question.drugs)))
    return (
        f"No interaction list, drug label or guideline passage in the knowledge base names {_join(names)} "
        "together, so Curbside cannot say whether they interact. That no source lists the combination is "
        "not evidence that it is safe: check a current drug label or ask a pharmacist."
    )


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


def gap_note(
    question: UnderstoodQuestion, closest: Evidence, on_condition: bool, exact: bool, answers: bool
) -> str | None:
    """One sentence when no source addresses the exact situation, naming the closest evidence
    used and how it differs (condition, population, situation); None when the evidence is about
    the situation asked.

    ``on_condition``: the closest source is about the question's condition at all; ``exact``:
    it names the condition as asked (not a broader or narrower one); ``answers``: its statement
    speaks to the situation (e.g. non-response, for a "what next" question).
    """
    if not question.conditions:
        return None
    condition = question.conditions[0]
    inferred = bool(condition.inferred_from)
    if on_condition and exact and answers and not inferred:
        return None
    document = closest.record.document
    about = _join(list(document.conditions[:1])) or _short_title(document.title)
    differences = []
    if not on_condition:
        differences.append(f"is about {about}, not {condition.name}")
    elif stems(about) - stems(condition.name):
        differences.append(f"is about {about}, not {condition.name} in general")
    elif not exact:
        differences.append(f"is about {about} rather than {condition.name} as asked")
    if populations.population_fit(closest.record, "", question) < 0:
        differences.append(f"is written for another age group than {_patient(question)}")
    if not answers:
        differences.append("does not speak to this situation")
    if not differences:
        differences.append(f"is about {about}")
    context = question.failed_medications + question.current_medications
    named = [d.surface or d.name for d in context if d.name in condition.inferred_from] or list(condition.inferred_from)
    inference = f"; {condition.name} itself was inferred from {_join(named)}, not stated" if inferred else ""
    situation = situation_phrase(question)
    asked = condition.name + (f" {situation}" if situation else "")
    year = f", {document.year}" if document.year else ""
    return (
        f"No source in the knowledge base directly addresses {asked}; the closest evidence is "
        f"{_short_title(document.title)} ({document.organization}{year}), which {_join(differences)}{inference}."
    )


def _short_title(title: str) -> str:
    """A guideline title without its subtitle ("Social anxiety disorder: recognition, …")."""
    return title.split(":")[0].strip().rstrip(".") or title


def _patient(question: UnderstoodQuestion) -> str:
    group = populations.patient_group(question).value
    return {"older_adult": "an older adult", "adult": "an adult", "infant": "an infant"}.get(group, f"a {group}")
