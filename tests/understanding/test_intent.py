"""Intent: learned model on a small fixture, cues for drug intents, save/load."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.domain.question import Intent
from curbside.understanding.intent import IntentClassifier, cue_intent, to_intent, train_intent_classifier


def test_model_learns_medquad_style_types(small_intent: IntentClassifier) -> None:
    assert small_intent.predict("What are the treatments for eczema ?").intent is Intent.TREATMENT
    assert small_intent.predict("What causes eczema ?").intent is Intent.CAUSES
    assert small_intent.predict("What are the symptoms of eczema ?").intent is Intent.DIAGNOSIS


@pytest.mark.parametrize(
    ("text", "n_drugs", "intent"),
    [
        ("what is the maximum dose of ibuprofen", 1, Intent.DOSING),
        ("can I take tramadol with sertraline", 2, Intent.INTERACTION),
        ("is it safe to take aspirin during pregnancy", 1, Intent.CONTRAINDICATION),
        ("what are the side effects of metformin", 1, Intent.ADVERSE_EFFECTS),
        ("does lisinopril cause a cough", 1, Intent.ADVERSE_EFFECTS),
        ("should a 50 year old be screened for colon cancer", 0, Intent.SCREENING),
        ("How many people are affected by gout ?", 0, None),
        ("What causes gout ?", 0, None),
        # A case that states a dose and asks what to do is a management question…
        ("72M on quorvanide 40 mg twice a day, still having attacks. What now?", 1, Intent.TREATMENT),
        ("new confusion after a fall last week, next steps?", 0, Intent.TREATMENT),
        # …unless it asks about the dose, or about combining two drugs.
        ("on quorvanide 40 mg, what dose next?", 1, Intent.DOSING),
        ("on warfarin, wants ibuprofen. what now?", 2, Intent.INTERACTION),
    ],
)
def test_cues(text: str, n_drugs: int, intent: Intent | None) -> None:
    assert cue_intent(text, n_drugs) is intent


def test_failed_medications_with_treatment_ask_is_next_step(small_intent: IntentClassifier) -> None:
    prediction = small_intent.predict("several SSRIs tried: best course of action?", 1, True)
    assert prediction.intent is Intent.NEXT_STEP
    assert small_intent.predict("How to treat anemia ?", 0, True).intent is Intent.NEXT_STEP


def test_save_and_load_round_trip(small_intent: IntentClassifier, tmp_path: Path) -> None:
    path = tmp_path / "intent.joblib"
    small_intent.save(path)
    loaded = IntentClassifier.load(path)
    question = "What is the outlook for eczema ?"
    assert loaded.predict_model(question) == small_intent.predict_model(question)


def test_training_needs_two_intents() -> None:
    with pytest.raises(ValueError):
        train_intent_classifier([("What is gout?", "information"), ("x", "no such type")])


def test_label_mappings() -> None:
    assert to_intent("exams and tests") is Intent.DIAGNOSIS
    assert to_intent("next_step") is Intent.NEXT_STEP
    assert to_intent("storage") is None
