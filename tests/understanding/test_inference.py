"""Condition inference reads what the medicines are used for from sentences it is given."""

from __future__ import annotations

from collections.abc import Sequence

from curbside.domain.question import DrugMention, Intent, UnderstoodQuestion
from curbside.understanding.conditions import ConditionRecognizer
from curbside.understanding.inference import ConditionInference

# Sentences a knowledge base might hold (written for this test, not copied from a source).
SENTENCES = {
    "zorbaline": [
        "Zorbaline is indicated for the management of anxiety disorders.",
        "Zorbaline may be used for patients with generalized anxiety disorder.",
        "Zorbaline has been tried in tardive dyskinesia without clear benefit.",
    ],
    "quellic inhibitors": [
        "Quellic inhibitors are first-line treatment of major depressive disorder.",
        "Quellic inhibitors are used to treat generalized anxiety disorder and panic disorder.",
        "Quellic inhibitors are used for the treatment of major depressive disorder in adults.",
    ],
}


def lookup(terms: Sequence[str]) -> list[str]:
    return [s for term in terms for s in SENTENCES.get(term, [])]


RECOGNIZER = ConditionRecognizer(
    [
        ("anxiety disorder", (), "medquad-focus"),
        ("generalized anxiety disorder", (), "medquad-focus"),
        ("panic disorder", (), "medquad-focus"),
        ("major depressive disorder", (), "medquad-focus"),
        ("tardive dyskinesia", (), "medquad-focus"),
    ],
    include_icd10=False,
)


def question(*failed: DrugMention, intent: Intent = Intent.NEXT_STEP) -> UnderstoodQuestion:
    return UnderstoodQuestion(text="what now?", intent=intent, drugs=failed, failed_medications=failed)


ZORBALINE = DrugMention("zorbaline", "zorbaline")
QUELLIC = DrugMention("quellic inhibitors", "quellic inhibitors", is_class=True)


def test_the_condition_shared_by_every_medicine_is_inferred_not_the_commonest() -> None:
    resolved = ConditionInference(RECOGNIZER, lookup).resolve(question(ZORBALINE, QUELLIC))
    (condition,) = resolved.conditions
    # Depression is the class's commonest indication, but only anxiety is shared by both drugs.
    assert "anxiety" in condition.name
    assert condition.origin == "inferred"
    assert set(condition.inferred_from) == {"zorbaline", "quellic inhibitors"}
    assert "inferred" in resolved.summary()


def test_a_named_condition_or_a_dosing_question_is_left_alone() -> None:
    inference = ConditionInference(RECOGNIZER, lookup)
    dosing = question(ZORBALINE, intent=Intent.DOSING)
    assert inference.resolve(dosing) is dosing
    no_drugs = UnderstoodQuestion(text="what now?", intent=Intent.NEXT_STEP)
    assert inference.resolve(no_drugs) is no_drugs


def test_nothing_is_inferred_when_the_sources_say_nothing() -> None:
    unknown = DrugMention("nothingol", "nothingol")
    asked = question(unknown)
    assert ConditionInference(RECOGNIZER, lookup).resolve(asked) is asked


def test_non_response_makes_the_drug_failed_and_the_question_a_next_step() -> None:
    ssri = DrugMention("ssri", "SSRI", is_class=True)
    asked = UnderstoodQuestion(
        text="A patient with major depression has not responded to an adequate trial of an SSRI. What are the options?",
        intent=Intent.DIAGNOSIS,
        drugs=(ssri,),
    )
    resolved = ConditionInference(RECOGNIZER, lookup).resolve(asked)
    assert resolved.intent == Intent.NEXT_STEP
    assert resolved.failed_medications == (ssri,)
