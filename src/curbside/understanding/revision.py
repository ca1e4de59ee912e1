"""Reader corrections to "Understood as": replace what was recognised, then re-ask.

Names the reader types go through the same recognisers as questions, so "Zoloft" becomes
sertraline. A name nothing recognises is kept exactly as typed (conditions get origin
"reader"): the reader knows the patient, and retrieval simply finds nothing for a wrong name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from curbside.domain.question import ConditionMention, DrugMention, UnderstoodQuestion
from curbside.understanding.conditions import ConditionRecognizer
from curbside.understanding.drugs import DrugRecognizer

MAX_NAMES = 12
MAX_NAME_CHARS = 80
READER_ORIGIN = "reader"


def clean_names(names: Sequence[str] | None) -> list[str] | None:
    """Trimmed, de-duplicated, non-empty names (at most MAX_NAMES); None stays None."""
    if names is None:
        return None
    seen: dict[str, str] = {}
    for name in names:
        cleaned = " ".join(name.split())[:MAX_NAME_CHARS]
        if cleaned:
            seen.setdefault(cleaned.lower(), cleaned)
    return list(seen.values())[:MAX_NAMES]


def resolve_drug(name: str, drugs: DrugRecognizer) -> DrugMention:
    """The recognised drug or class for ``name``; unknown names are kept as typed."""
    canonical = drugs.canonical(name)
    if canonical is None:
        return DrugMention(name=name, surface=name)
    for mention in drugs.recognize(name):
        if mention.name == canonical:
            return replace(mention, surface=name)
    return DrugMention(name=canonical, surface=name)


def resolve_condition(name: str, conditions: ConditionRecognizer) -> ConditionMention:
    """The recognised condition for ``name`` if it covers the whole name; else kept as typed."""
    for mention in conditions.recognize(name):
        if mention.surface.lower() == name.lower():
            return replace(mention, surface=name)
    return ConditionMention(name=name.lower(), surface=name, origin=READER_ORIGIN)


def _unique(mentions: Sequence[DrugMention]) -> tuple[DrugMention, ...]:
    """First mention of each drug name, in order."""
    first: dict[str, DrugMention] = {}
    for mention in mentions:
        first.setdefault(mention.name, mention)
    return tuple(first.values())


def revise(
    question: UnderstoodQuestion,
    conditions: Sequence[str] | None,
    drugs: Sequence[str] | None,
    current: Sequence[str] | None,
    failed: Sequence[str] | None,
    drug_recognizer: DrugRecognizer,
    condition_recognizer: ConditionRecognizer,
) -> UnderstoodQuestion:
    """``question`` with the reader's lists in place of what was recognised.

    Args:
        conditions, drugs, current, failed: the reader's lists; None leaves a field as it
            was, an empty list clears it. ``drugs`` are the drugs that are neither current
            nor failed; the result's ``drugs`` is all three, de-duplicated.
    Returns:
        A new UnderstoodQuestion; terms the reader named are no longer "unknown".
    """
    conditions, drugs, current, failed = (clean_names(x) for x in (conditions, drugs, current, failed))
    own = set(question.current_medications + question.failed_medications)
    current_m = (
        question.current_medications if current is None else tuple(resolve_drug(n, drug_recognizer) for n in current)
    )
    failed_m = (
        question.failed_medications if failed is None else tuple(resolve_drug(n, drug_recognizer) for n in failed)
    )
    others = (
        tuple(d for d in question.drugs if d not in own)
        if drugs is None
        else tuple(resolve_drug(n, drug_recognizer) for n in drugs)
    )
    condition_m = (
        question.conditions
        if conditions is None
        else tuple(resolve_condition(n, condition_recognizer) for n in conditions)
    )
    typed = {n.lower() for names in (conditions, drugs, current, failed) for n in names or ()}
    return replace(
        question,
        conditions=condition_m,
        drugs=_unique([*others, *current_m, *failed_m]),
        current_medications=current_m,
        failed_medications=failed_m,
        unknown_terms=tuple(t for t in question.unknown_terms if t.lower() not in typed),
    )
