"""Misspelt words read as known words: the corrector alone, then inside understanding."""

from __future__ import annotations

import pytest

from curbside.domain.question import SpellingCorrection
from curbside.review.questions_json import understood_from_json, understood_to_json
from curbside.understanding.conditions import ConditionRecognizer
from curbside.understanding.drugs import DrugRecognizer
from curbside.understanding.intent import IntentClassifier
from curbside.understanding.spelling import SpellingCorrector, Suggestion
from curbside.understanding.understand import QuestionUnderstanding, apply_corrections

ENGLISH = ["wondering", "swelling", "profession", "progression", "expect"]


@pytest.fixture(scope="module")
def corrector() -> SpellingCorrector:
    return SpellingCorrector(["pneumonia", "rabies", "raynaud's", "clonic", "chronic", "lisinopril"], ENGLISH)


def test_medical_words_win_and_transpositions_count_once(corrector: SpellingCorrector) -> None:
    assert corrector.suggest("pnuemonia") == Suggestion("pneumonia", medical=True)
    assert corrector.suggest("rabbies") == Suggestion("rabies", medical=True)
    assert corrector.suggest("linisopril") == Suggestion("lisinopril", medical=True)  # two edits, long word


def test_lower_case_typos_read_as_english_by_frequency(corrector: SpellingCorrector) -> None:
    assert corrector.suggest("woundering") == Suggestion("wondering", medical=False)
    assert corrector.suggest("progession") == Suggestion("profession", medical=False)  # listed first = more frequent


def test_names_are_only_read_as_drug_or_condition_words(corrector: SpellingCorrector) -> None:
    assert corrector.suggest("Woundering", names_only=True) is None
    assert corrector.suggest("Rabbies", names_only=True) == Suggestion("rabies", medical=True)


def test_ambiguous_short_and_distant_words_are_left_alone(corrector: SpellingCorrector) -> None:
    assert corrector.suggest("cronic") is None  # chronic and clonic are both one edit away
    assert corrector.suggest("rabis") == Suggestion("rabies", medical=True)
    assert corrector.suggest("rabi") is None  # shorter than five letters
    assert corrector.suggest("pnmonia") is None  # two edits in a seven-letter word
    assert corrector.suggest("zorblaxin") is None


def test_possessive_eponyms_are_known(corrector: SpellingCorrector) -> None:
    assert corrector.is_medical("Raynauds") and corrector.is_medical("Raynaud’s") and corrector.is_medical("raynaud")
    assert not corrector.is_medical("zorblaxin")


def test_corrections_replace_whole_words_only() -> None:
    corrections = (SpellingCorrection("rabbies", "rabies"),)
    assert apply_corrections("rabbies? not xrabbies", corrections) == "rabies? not xrabbies"


@pytest.fixture(scope="module")
def understanding(
    drugs: DrugRecognizer, conditions: ConditionRecognizer, small_intent: IntentClassifier
) -> QuestionUnderstanding:
    spelling = SpellingCorrector.from_vocabularies([drugs.vocabulary(), conditions.vocabulary()])
    return QuestionUnderstanding(drugs, conditions, small_intent, spelling)


def test_misspelt_drug_and_condition_are_recognised_and_reported(understanding: QuestionUnderstanding) -> None:
    parsed = understanding.understand("Can lisinoprill help my migrane?")
    assert [d.name for d in parsed.drugs] == ["lisinopril"]
    assert [c.name for c in parsed.conditions] == ["migraine"]
    assert parsed.corrections == (
        SpellingCorrection("lisinoprill", "lisinopril"),
        SpellingCorrection("migrane", "migraine"),
    )
    assert parsed.text == "Can lisinoprill help my migrane?"  # what the reader typed is kept
    assert parsed.search_text == "Can lisinopril help my migraine?"
    assert parsed.unknown_terms == ()
    assert "read “lisinoprill” as “lisinopril”" in parsed.summary()
    assert understood_from_json(understood_to_json(parsed)) == parsed


def test_english_typos_are_not_names_and_not_rewritten(understanding: QuestionUnderstanding) -> None:
    parsed = understanding.understand("I was woundering whether migraine runs in families")
    assert parsed.unknown_terms == () and parsed.corrections == ()


def test_invented_names_stay_unknown(understanding: QuestionUnderstanding) -> None:
    assert understanding.understand("What is the dose of Zorblaxin for adults?").unknown_terms == ("Zorblaxin",)
    parsed = understanding.understand("What causes Kreuzfeld-Marlow syndrome?")
    assert parsed.unknown_terms == ("Kreuzfeld-Marlow",) and parsed.corrections == ()


def test_joined_web_words_are_judged_by_their_parts(understanding: QuestionUnderstanding) -> None:
    assert understanding.understand("Found on ClinicalTrials about migraine").unknown_terms == ()
