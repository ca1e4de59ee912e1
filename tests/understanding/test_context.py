"""Patient-context rules: age, pregnancy, current vs failed medications, duration, negations."""

from __future__ import annotations

import pytest

from curbside.domain.question import AgeGroup
from curbside.understanding.context import extract_context, find_age_group, find_pregnancy
from curbside.understanding.drugs import DrugRecognizer


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("a 3-year-old with fever", AgeGroup.CHILD),
        ("72 yo man", AgeGroup.OLDER_ADULT),
        ("my 6 months old", AgeGroup.INFANT),
        ("a 2 week old", AgeGroup.INFANT),
        ("aged 15", AgeGroup.ADOLESCENT),
        ("40 year old woman", AgeGroup.ADULT),
        ("dosing in infants", AgeGroup.INFANT),
        ("a teen with acne", AgeGroup.ADOLESCENT),
        ("elderly patients", AgeGroup.OLDER_ADULT),
        ("what is asthma", None),
    ],
)
def test_age_group(text: str, group: AgeGroup | None) -> None:
    assert find_age_group(text) is group


@pytest.mark.parametrize(
    ("text", "expected"),
    [("she is pregnant", True), ("in the first trimester", True), ("not pregnant", False), ("asthma", None)],
)
def test_pregnancy(text: str, expected: bool | None) -> None:
    assert find_pregnancy(text) is expected


def test_seed_question_context(drugs: DrugRecognizer) -> None:
    text = (
        "patient on buspirone for years with increased symptoms, several SSRIs tried with no "
        "improvement: best course of action?"
    )
    context = extract_context(text, drugs.recognize_spans(text))
    assert [d.name for d in context.current_medications] == ["buspirone"]
    [failed] = context.failed_medications
    assert failed.is_class and failed.surface == "SSRIs"
    assert context.duration == "for years"
    assert "no improvement" in context.negations


def test_drug_list_before_failure_cue(drugs: DrugRecognizer) -> None:
    text = "sertraline, citalopram and fluoxetine failed; currently on venlafaxine for 3 months"
    context = extract_context(text, drugs.recognize_spans(text))
    assert [d.name for d in context.failed_medications] == ["sertraline", "citalopram", "fluoxetine"]
    assert [d.name for d in context.current_medications] == ["venlafaxine"]
    assert context.duration == "for 3 months"


def test_mentioned_drug_without_cue_is_neither(drugs: DrugRecognizer) -> None:
    text = "can I give ibuprofen to a 3-year-old?"
    context = extract_context(text, drugs.recognize_spans(text))
    assert context.current_medications == () and context.failed_medications == ()
    assert context.age_group is AgeGroup.CHILD


def test_negations_and_breastfeeding() -> None:
    context = extract_context("breastfeeding mother, denies chest pain, not on any medication")
    assert context.breastfeeding
    assert "denies chest pain" in context.negations
    assert "not on any" in context.negations


def test_a_drug_stopped_for_side_effects_is_a_failed_trial(drugs: DrugRecognizer) -> None:
    text = "on buspirone 15 mg BID, partial benefit; she previously stopped escitalopram because of sexual side effects"
    context = extract_context(text, drugs.recognize_spans(text))
    assert [d.name for d in context.failed_medications] == ["escitalopram"]
    assert [d.name for d in context.current_medications] == ["buspirone"]
    plain = "she stopped escitalopram last week"
    assert extract_context(plain, drugs.recognize_spans(plain)).failed_medications == ()
