"""ConditionRecognizer: vocabulary + ICD-10-CM, longest match, plurals, drug exclusion, speed."""

from __future__ import annotations

import time

import pytest

from curbside.understanding.conditions import ConditionRecognizer


def test_icd_inclusion_term_maps_lay_name(conditions: ConditionRecognizer) -> None:
    [mention] = conditions.recognize("treatment of high blood pressure")
    assert mention.origin == "icd10"
    assert mention.codes == ("I10",)
    assert "hypertension" in mention.name
    assert mention.surface == "high blood pressure"


def test_vocabulary_origin_wins_and_plural_matches(conditions: ConditionRecognizer) -> None:
    [mention] = conditions.recognize("my Migraines are worse")
    assert (mention.name, mention.origin, mention.codes) == ("migraine", "medquad-focus", ("C0149931",))
    assert mention.surface == "Migraines"


def test_longest_match_first(conditions: ConditionRecognizer) -> None:
    found = conditions.recognize("generalized anxiety disorder with type 2 diabetes mellitus and gout?")
    names = [m.name for m in found]
    # The whole phrase wins over "anxiety disorder"; four words sort before three before one.
    assert names[:2] == ["type 2 diabetes mellitus", "generalized anxiety disorder"]
    assert "anxiety disorder" not in names
    assert names[-1] == "gout"


def test_excluded_spans_are_skipped(conditions: ConditionRecognizer) -> None:
    text = "migraine"
    assert conditions.recognize(text, exclude=[(0, len(text))]) == []


def test_no_condition_invented(conditions: ConditionRecognizer) -> None:
    text = "patient on buspirone for years with increased symptoms, several SSRIs tried"
    assert conditions.recognize(text) == []


def test_from_corpus_documents_uses_focus_and_conditions() -> None:
    from curbside.domain.documents import Document, DocumentKind

    docs = [
        Document(
            "medquad:1",
            "medquad",
            DocumentKind.PATIENT_INFORMATION,
            "NIH",
            "Zellweger",
            None,
            "u",
            "l",
            metadata={"focus": "Zellweger spectrum", "cuis": ["C1"]},
        ),
        Document(
            "ngc:1",
            "ngc",
            DocumentKind.GUIDELINE,
            "VA",
            "PTSD",
            2017,
            "u",
            "l",
            conditions=("posttraumatic stress disorder",),
        ),
    ]
    recognizer = ConditionRecognizer.from_corpus_documents(docs, include_icd10=False)
    found = {m.name: m for m in recognizer.recognize("Zellweger spectrum and posttraumatic stress disorder")}
    assert found["zellweger spectrum"].codes == ("C1",)
    assert found["posttraumatic stress disorder"].origin == "guideline"


@pytest.mark.timing  # a wall-clock assertion: not in the fast tier (make test-fast)
def test_matching_is_fast(conditions: ConditionRecognizer) -> None:
    question = "What is the best treatment for high blood pressure in a 72 yo with type 2 diabetes mellitus? " * 3
    started = time.perf_counter()
    for _ in range(50):
        conditions.recognize(question)
    assert (time.perf_counter() - started) / 50 < 0.005
