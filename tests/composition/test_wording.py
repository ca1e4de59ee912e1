"""Titles, verdicts and the evidence-gap sentence (product wording around quoted evidence)."""

from __future__ import annotations

from curbside.composition import wording
from curbside.domain.documents import Document, DocumentKind, Passage, PassageRecord
from curbside.domain.evidence import Applicability, Evidence
from curbside.domain.question import AgeGroup, ConditionMention, DrugMention, Intent, UnderstoodQuestion

ANXIETY = ConditionMention("anxiety", "anxiety", "inferred", inferred_from=("buspirone",))
BUSPIRONE = DrugMention("buspirone", "buspirone")
SSRIS = DrugMention("serotonin uptake inhibitors", "SSRIs", is_class=True)


def test_title_names_condition_and_situation_and_is_never_cut_mid_word() -> None:
    asked = UnderstoodQuestion(
        "q", Intent.NEXT_STEP, drugs=(BUSPIRONE, SSRIS), failed_medications=(BUSPIRONE, SSRIS), conditions=(ANXIETY,)
    )
    assert wording.title_for(asked) == "Anxiety: next steps after buspirone and SSRIs did not help"
    long = UnderstoodQuestion("word " * 60, Intent.INFORMATION)
    title = wording.title_for(long)
    assert len(title) <= wording.MAX_TITLE and title.endswith("word…")
    adult = UnderstoodQuestion("q", Intent.SCREENING, conditions=(ANXIETY,), age_group=AgeGroup.ADULT)
    assert "in an adult" in wording.title_for(adult)


def passage(grade: str | None) -> Passage:
    return Passage("p#0", ("Major Recommendations",), "text", 0, grade=grade)


def test_verdict_comes_only_from_the_source_grade_and_direction() -> None:
    assert wording.verdict("The USPSTF recommends screening adults aged 50 to 75.", passage("A")) == (
        "Recommended (grade A)"
    )
    assert wording.verdict("The USPSTF recommends against screening.", passage("D")) == "Recommended against (grade D)"
    assert wording.verdict("The current evidence is insufficient to assess.", passage("I")) == (
        "Evidence insufficient (grade I)"
    )
    assert wording.verdict("The USPSTF recommends screening.", passage(None)) is None


def test_gap_sentence_names_closest_evidence_and_how_it_differs() -> None:
    document = Document(
        "ngc:9",
        "ngc",
        DocumentKind.GUIDELINE,
        "NICE",
        "Social anxiety disorder",
        2013,
        "u",
        "",
        conditions=("social anxiety disorder",),
    )
    evidence = Evidence(PassageRecord(document, passage("B")), 1.0, Applicability(True, "ok"), 1.0, 1.0, True)
    asked = UnderstoodQuestion("q", Intent.NEXT_STEP, failed_medications=(BUSPIRONE,), conditions=(ANXIETY,))
    note = wording.gap_note(asked, evidence, on_condition=True, exact=True, answers=True)
    assert note is not None
    assert "Social anxiety disorder (NICE, 2013)" in note
    assert "about social anxiety disorder, not anxiety in general" in note
    assert "anxiety itself was inferred from buspirone, not stated" in note
    stated = UnderstoodQuestion("q", Intent.NEXT_STEP, conditions=(ConditionMention("anxiety", "anxiety", "icd10"),))
    assert wording.gap_note(stated, evidence, on_condition=True, exact=True, answers=True) is None
    assert "not anxiety in general" in (wording.gap_note(stated, evidence, True, False, True) or "")
