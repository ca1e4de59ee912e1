"""Reading a FHIR R4 patient record into a question's patient context."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from curbside.domain.question import AgeGroup, Intent, UnderstoodQuestion
from curbside.understanding.drugs import DrugRecognizer
from curbside.understanding.fhir_context import (
    FhirContextError,
    default_codes,
    load_codes,
    read_medication,
    read_patient_context,
    with_patient_context,
)

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
TODAY = date(2026, 12, 1)


def entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"resource": resource}


def record(*resources: dict[str, Any], with_type: bool = True) -> dict[str, Any]:
    bundle: dict[str, Any] = {"resourceType": "Bundle", "entry": [entry(r) for r in resources]}
    if with_type:
        bundle["type"] = "collection"
    return bundle


def pregnancy_status(answer: str, when: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "82810-3"}]},
        "effectiveDateTime": when,
        "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": answer}]},
    }


def test_the_packaged_codes_file_loads() -> None:
    codes = default_codes()
    assert ("http://loinc.org", "82810-3") in codes.pregnancy_observations
    assert RXNORM in codes.rxnorm_systems


@pytest.mark.parametrize("text", ["{", "[]", '{"rxnorm_systems": []}', '{"rxnorm_systems": 3}'])
def test_a_malformed_codes_file_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="malformed"):
        load_codes(text)


def test_patient_age_pregnancy_medications_conditions_allergies() -> None:
    bundle = record(
        {"resourceType": "Patient", "id": "p1", "birthDate": "1994-05-10"},
        pregnancy_status("60001007", "2026-01-01"),
        pregnancy_status("77386006", "2026-11-20"),  # the latest observation wins
        {
            "resourceType": "MedicationStatement",
            "id": "ms1",
            "status": "active",
            "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": "11289", "display": "Coumadin"}]},
        },
        {
            "resourceType": "MedicationRequest",
            "id": "mr1",
            "status": "stopped",
            "medicationCodeableConcept": {"text": "sertraline 50 mg"},
        },
        {
            "resourceType": "Condition",
            "code": {"text": "Atrial fibrillation"},
            "clinicalStatus": {"coding": [{"code": "active"}]},
        },
        {
            "resourceType": "Condition",
            "code": {"text": "Old fracture"},
            "clinicalStatus": {"coding": [{"code": "resolved"}]},
        },
        {"resourceType": "AllergyIntolerance", "code": {"coding": [{"display": "Penicillin"}]}},
    )
    context = read_patient_context(bundle, today=TODAY, rxnorm_names={"11289": "warfarin"})
    assert context.patient_id == "p1"
    assert context.age_group is AgeGroup.ADULT
    assert context.pregnant is True
    assert [(m.name, m.rxnorm) for m in context.medications] == [("warfarin", "11289")]  # RxNorm code named it
    assert context.conditions == ("Atrial fibrillation",)
    assert context.allergies == ("Penicillin",)


def test_lenient_shapes_are_read() -> None:
    # No Bundle.type, category as one object, coding as one object, a partial birth date, STU3-style status.
    bundle = record(
        {"resourceType": "Patient", "birthDate": "1950"},
        {
            "resourceType": "MedicationRequest",
            "status": "active",
            "category": {"text": "outpatient"},
            "medicationCodeableConcept": {"coding": {"system": RXNORM, "code": "1191", "display": "Aspirin 81 MG"}},
            "dosageInstruction": [
                {
                    "doseAndRate": [{"doseQuantity": {"value": 81, "unit": "mg"}}],
                    "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
                }
            ],
        },
        {"resourceType": "Condition", "code": {"text": "Gout"}, "clinicalStatus": "active"},
        with_type=False,
    )
    context = read_patient_context(bundle, today=TODAY)
    assert context.age_group is AgeGroup.OLDER_ADULT
    assert context.medications[0].name == "Aspirin 81 MG"  # no table entry: the coding's display
    assert context.medications[0].dose == "81 mg once daily"
    assert context.conditions == ("Gout",)


def test_medication_reference_to_a_contained_medication_is_followed() -> None:
    request = {
        "resourceType": "MedicationRequest",
        "id": "mr9",
        "status": "draft",
        "contained": [{"resourceType": "Medication", "id": "m", "code": {"text": "amoxicillin"}}],
        "medicationReference": {"reference": "#m"},
        "dosageInstruction": [{"text": "500 mg three times daily"}],
    }
    medication = read_medication(request)
    assert medication is not None
    assert (medication.name, medication.dose, medication.resource_id) == (
        "amoxicillin",
        "500 mg three times daily",
        "MedicationRequest/mr9",
    )
    assert read_medication({"resourceType": "MedicationRequest", "status": "draft"}) is None


def test_not_pregnant_and_unknown() -> None:
    assert read_patient_context(record(pregnancy_status("60001007", "2026-11-01"))).pregnant is False
    assert read_patient_context(record()).pregnant is None


@pytest.mark.parametrize("bad", ["a string", 42, None])
def test_input_that_is_not_fhir_json_is_refused(bad: object) -> None:
    with pytest.raises(FhirContextError):
        read_patient_context(bad)


def test_bundle_entry_must_be_a_list() -> None:
    with pytest.raises(FhirContextError, match="entry"):
        read_patient_context(json.loads('{"resourceType": "Bundle", "entry": {}}'))


def test_the_record_fills_the_understood_question(drugs: DrugRecognizer) -> None:
    bundle = record(
        {"resourceType": "Patient", "birthDate": "2018-01-01"},
        {"resourceType": "MedicationStatement", "status": "active", "medicationCodeableConcept": {"text": "Zoloft"}},
        {"resourceType": "Condition", "code": {"text": "Asthma"}},
        {"resourceType": "AllergyIntolerance", "code": {"text": "Peanut"}},
    )
    question = UnderstoodQuestion(text="Is ibuprofen safe?", intent=Intent.CONTRAINDICATION)
    understood = with_patient_context(question, read_patient_context(bundle, today=TODAY), drugs)
    assert [d.name for d in understood.current_medications] == ["sertraline"]  # brand read as the generic
    assert understood.age_group is AgeGroup.CHILD
    assert [c.name for c in understood.conditions] == ["asthma"]
    assert understood.allergies == ("Peanut",)
    summary = understood.summary()
    assert "current = sertraline" in summary and "allergies = Peanut" in summary and "age group = child" in summary


def test_what_the_question_states_wins_over_the_record(drugs: DrugRecognizer) -> None:
    bundle = record({"resourceType": "Patient", "birthDate": "1990-01-01"}, pregnancy_status("77386006", "2026-01-01"))
    question = UnderstoodQuestion(text="q", intent=Intent.TREATMENT, age_group=AgeGroup.OLDER_ADULT, pregnant=False)
    understood = with_patient_context(question, read_patient_context(bundle, today=TODAY), drugs)
    assert understood.age_group is AgeGroup.OLDER_ADULT and understood.pregnant is False
