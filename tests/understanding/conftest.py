"""Session-wide recognisers: building them takes a few seconds, so tests share one of each."""

from __future__ import annotations

import pytest

from curbside.understanding.conditions import ConditionRecognizer
from curbside.understanding.drugs import DrugRecognizer, default_drug_recognizer
from curbside.understanding.intent import IntentClassifier, train_intent_classifier

#: A small hand-labelled training set in MedQuAD's style (qtype labels), for fast intent tests.
SMALL_TRAINING_SET: tuple[tuple[str, str], ...] = (
    ("What is (are) asthma ?", "information"),
    ("What is (are) gout ?", "information"),
    ("Do you have information about eczema", "information"),
    ("What is psoriasis?", "information"),
    ("What are the symptoms of asthma ?", "symptoms"),
    ("What are the signs and symptoms of gout ?", "symptoms"),
    ("What are the symptoms of anemia ?", "symptoms"),
    ("What are the treatments for asthma ?", "treatment"),
    ("What are the treatments for gout ?", "treatment"),
    ("How to treat anemia ?", "treatment"),
    ("What causes asthma ?", "causes"),
    ("What causes gout ?", "causes"),
    ("What causes anemia ?", "causes"),
    ("What is the outlook for asthma ?", "outlook"),
    ("What is the outlook for gout ?", "outlook"),
    ("How to diagnose anemia ?", "exams and tests"),
    ("How to diagnose gout ?", "exams and tests"),
    ("How to prevent asthma ?", "prevention"),
    ("How to prevent gout ?", "prevention"),
)


@pytest.fixture(scope="session")
def drugs() -> DrugRecognizer:
    return default_drug_recognizer()


@pytest.fixture(scope="session")
def conditions() -> ConditionRecognizer:
    vocabulary = [
        ("Generalized Anxiety Disorder", ("C0270549",), "medquad-focus"),
        ("Migraine", ("C0149931",), "medquad-focus"),
        ("Major depressive disorder", (), "guideline"),
    ]
    return ConditionRecognizer(vocabulary)


@pytest.fixture(scope="session")
def small_intent() -> IntentClassifier:
    return train_intent_classifier(SMALL_TRAINING_SET)
