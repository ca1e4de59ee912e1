"""Follow-up questions inherit the thread's patient context unless they change it."""

from __future__ import annotations

from dataclasses import replace

from curbside.domain.question import UnderstoodQuestion


def in_thread_context(follow_up: UnderstoodQuestion, previous: UnderstoodQuestion) -> UnderstoodQuestion:
    """Fill what the follow-up leaves unsaid from the earlier question in the same thread.

    Conditions, medications, age group, pregnancy and duration carry over when the follow-up
    names none of its own; anything the follow-up states wins. Intent is always the follow-up's.
    """
    carried_drugs = follow_up.drugs
    if not follow_up.drugs:
        carried_drugs = previous.drugs
    return replace(
        follow_up,
        conditions=follow_up.conditions or previous.conditions,
        drugs=carried_drugs,
        current_medications=follow_up.current_medications or previous.current_medications,
        failed_medications=follow_up.failed_medications or previous.failed_medications,
        age_group=follow_up.age_group or previous.age_group,
        pregnant=follow_up.pregnant if follow_up.pregnant is not None else previous.pregnant,
        duration=follow_up.duration or previous.duration,
    )
