"""End-to-end understanding: the seed question, fabricated names, HTML, huge input."""

from __future__ import annotations

import time

import pytest

from curbside.domain.question import Intent
from curbside.understanding.conditions import ConditionRecognizer
from curbside.understanding.drugs import DrugRecognizer
from curbside.understanding.intent import IntentClassifier
from curbside.understanding.understand import MAX_ANALYSIS_CHARS, QuestionUnderstanding, analysis_text

SEED = (
    "patient on buspirone for years with increased symptoms, several SSRIs tried with no "
    "improvement: best course of action?"
)


@pytest.fixture(scope="module")
def understanding(
    drugs: DrugRecognizer, conditions: ConditionRecognizer, small_intent: IntentClassifier
) -> QuestionUnderstanding:
    return QuestionUnderstanding(drugs, conditions, small_intent)


def test_seed_question(understanding: QuestionUnderstanding) -> None:
    parsed = understanding.understand(SEED)
    assert [d.name for d in parsed.current_medications] == ["buspirone"]
    [failed] = parsed.failed_medications
    assert failed.is_class and failed.name == "selective serotonin reuptake inhibitors"
    assert parsed.duration == "for years"
    assert "no improvement" in parsed.negations
    assert parsed.intent is Intent.NEXT_STEP
    assert parsed.conditions == ()  # "anxiety" is not in the question
    assert parsed.unknown_terms == ()


def test_fabricated_names_are_unknown(understanding: QuestionUnderstanding) -> None:
    parsed = understanding.understand("What is the dose of Zorblaxin for Kreuzfeld-Marlow syndrome?")
    assert set(parsed.unknown_terms) == {"Zorblaxin", "Kreuzfeld-Marlow"}
    assert parsed.intent is Intent.DOSING


def test_ordinary_words_numbers_units_abbreviations_not_unknown(understanding: QuestionUnderstanding) -> None:
    parsed = understanding.understand(
        "How do I treat high blood pressure in a 72 yo with COPD taking 20 mg lisinopril daily?"
    )
    assert parsed.unknown_terms == ()
    assert parsed.conditions[0].codes == ("I10",)
    assert [d.name for d in parsed.drugs] == ["lisinopril"]


def test_html_and_unicode_are_normalised(understanding: QuestionUnderstanding) -> None:
    parsed = understanding.understand("<p>Can I take <b>Zoloft</b>&nbsp;with\u00a0tramadol?</p>")
    assert {d.name for d in parsed.drugs} == {"sertraline", "tramadol"}
    assert parsed.intent is Intent.INTERACTION
    assert "\u00a0" not in analysis_text("a\u00a0b")


@pytest.mark.timing  # a wall-clock assertion: not in the fast tier (make test-fast)
def test_huge_question_is_capped_and_fast(understanding: QuestionUnderstanding) -> None:
    huge = ("<div>aspirin and warfarin " + "x" * 50 + "</div> ") * 1500  # ~100 kB
    understanding.understand(huge)
    started = time.perf_counter()
    parsed = understanding.understand(huge)
    assert time.perf_counter() - started < 0.05
    assert len(analysis_text(huge)) <= MAX_ANALYSIS_CHARS
    assert {d.name for d in parsed.drugs} == {"aspirin", "warfarin"}


def test_empty_question(understanding: QuestionUnderstanding) -> None:
    parsed = understanding.understand("   ")
    assert parsed.text == "" and parsed.drugs == () and parsed.unknown_terms == ()
