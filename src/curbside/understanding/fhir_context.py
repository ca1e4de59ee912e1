"""A FHIR R4 patient record (a Bundle) read as the patient context of a question.

Lenient where FHIR and CDS Hooks allow variety — a Bundle without ``type``, resources
given bare or in a list, ``category`` as one object instead of a list, an order with no
medication picked yet — and strict only where nothing can be read (not a JSON object at
all): :class:`FhirContextError` says why.

What is read (codes from ``data/fhir_codes.json``, with their provenance):

* ``Patient.birthDate`` → age group (same cut-offs as question text);
* pregnancy from an ``Observation`` coded LOINC "Pregnancy status" whose answer is a
  pregnant / not-pregnant concept, or an active ``Condition`` coded as pregnancy;
* active ``MedicationRequest`` / ``MedicationStatement`` → current medications, named from
  RxNorm codes (``medicationCodeableConcept.coding``) through an RxNorm → name table, else
  the coding's display, else ``text``; a ``medicationReference`` to a contained or bundled
  ``Medication`` is followed;
* active, unrefuted ``Condition`` → conditions; ``AllergyIntolerance`` → allergies.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from curbside.domain.question import AgeGroup, ConditionMention, DrugMention, UnderstoodQuestion
from curbside.understanding.context import age_group_for_years
from curbside.understanding.drugs import DrugRecognizer

CODES_FILE = "fhir_codes.json"
_FREQUENCY_WORDS = {1: "once daily", 2: "twice daily", 3: "three times daily", 4: "four times daily"}


class FhirContextError(ValueError):
    """The patient record cannot be read at all; the message says why."""


@dataclass(frozen=True, slots=True)
class FhirCodes:
    """The identifiers the reader looks for (see ``data/fhir_codes.json``)."""

    rxnorm_systems: frozenset[str]
    pregnancy_observations: frozenset[tuple[str, str]]
    pregnant: frozenset[tuple[str, str]]
    not_pregnant: frozenset[tuple[str, str]]
    active_statuses: Mapping[str, frozenset[str]]
    inactive_conditions: frozenset[str]
    refuted: frozenset[str]


def load_codes(text: str | None = None) -> FhirCodes:
    """Parse the codes file (the packaged one by default); raises ValueError when malformed."""
    if text is None:
        text = resources.files("curbside.understanding").joinpath("data", CODES_FILE).read_text()
    try:
        data = json.loads(text)

        def pairs(key: str) -> frozenset[tuple[str, str]]:
            return frozenset((str(c["system"]), str(c["code"])) for c in data[key])

        return FhirCodes(
            rxnorm_systems=frozenset(str(s) for s in data["rxnorm_systems"]),
            pregnancy_observations=pairs("pregnancy_observation_codes"),
            pregnant=pairs("pregnant_codes"),
            not_pregnant=pairs("not_pregnant_codes"),
            active_statuses={k: frozenset(v) for k, v in data["active_medication_statuses"].items()},
            inactive_conditions=frozenset(data["inactive_condition_statuses"]),
            refuted=frozenset(data["refuted_verification_statuses"]),
        )
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
        raise ValueError(f"malformed {CODES_FILE}: {error!r}") from error


@lru_cache(maxsize=1)
def default_codes() -> FhirCodes:
    return load_codes()


@dataclass(frozen=True, slots=True)
class FhirMedication:
    """One medication of the record or of a draft order.

    ``name``: what the drug is called (RxNorm-mapped name, else the coding display or text);
    ``rxnorm``: the RxNorm code when given; ``dose``: the dose as the order states it
    ("325 mg once daily"), if any; ``resource_id``: "MedicationRequest/123".
    """

    name: str
    rxnorm: str | None = None
    dose: str | None = None
    resource_id: str | None = None


@dataclass(frozen=True, slots=True)
class FhirPatientContext:
    """What a patient record says that matters for a question or an order check."""

    patient_id: str | None = None
    age_group: AgeGroup | None = None
    pregnant: bool | None = None
    medications: tuple[FhirMedication, ...] = ()
    conditions: tuple[str, ...] = ()
    allergies: tuple[str, ...] = ()


def resources_of(data: object) -> list[dict[str, Any]]:
    """The resources in a Bundle (any ``type`` or none), a list of them, or one bare resource."""
    if isinstance(data, list):
        return [r for item in data for r in resources_of(item)]
    if not isinstance(data, dict):
        raise FhirContextError("A FHIR patient context must be a JSON object (a Bundle or a resource).")
    if data.get("resourceType") == "Bundle" or ("entry" in data and "resourceType" not in data):
        entries = data.get("entry")
        entries = [] if entries is None else entries
        if not isinstance(entries, list):
            raise FhirContextError("Bundle.entry must be a list.")
        return [e["resource"] for e in entries if isinstance(e, dict) and isinstance(e.get("resource"), dict)]
    return [data] if isinstance(data.get("resourceType"), str) else []


def read_patient_context(
    data: object,
    *,
    today: date | None = None,
    rxnorm_names: Mapping[str, str] | None = None,
    codes: FhirCodes | None = None,
) -> FhirPatientContext:
    """The patient context a record states (see the module docstring for what is read)."""
    codes = codes or default_codes()
    items = resources_of(data)
    medications_by_id = {f"Medication/{r.get('id')}": r for r in items if r.get("resourceType") == "Medication"}
    patient = next((r for r in items if r.get("resourceType") == "Patient"), None)
    medications: dict[str, FhirMedication] = {}
    for item in items:
        kind = item.get("resourceType", "")
        if kind in codes.active_statuses and item.get("status") in codes.active_statuses[kind]:
            medication = read_medication(item, rxnorm_names, codes, medications_by_id)
            if medication is not None:
                medications.setdefault(medication.name.lower(), medication)
    conditions = [r for r in items if r.get("resourceType") == "Condition" and _condition_active(r, codes)]
    return FhirPatientContext(
        patient_id=str(patient["id"]) if patient and patient.get("id") else None,
        age_group=_age_group(patient, today or date.today()),
        pregnant=_pregnancy(items, conditions, codes),
        medications=tuple(medications.values()),
        conditions=tuple(dict.fromkeys(n for r in conditions if (n := concept_text(r.get("code"))))),
        allergies=tuple(
            dict.fromkeys(
                n
                for r in items
                if r.get("resourceType") == "AllergyIntolerance" and _condition_active(r, codes)
                if (n := concept_text(r.get("code")))
            )
        ),
    )


def read_medication(
    resource: Mapping[str, Any],
    rxnorm_names: Mapping[str, str] | None = None,
    codes: FhirCodes | None = None,
    medications: Mapping[str, Mapping[str, Any]] | None = None,
) -> FhirMedication | None:
    """The medication of a MedicationRequest/Statement; None when none is picked yet."""
    codes = codes or default_codes()
    concept = resource.get("medicationCodeableConcept")
    reference = resource.get("medicationReference")
    if concept is None and isinstance(reference, dict):
        target = _referenced(resource, str(reference.get("reference", "")), medications or {})
        concept = target.get("code") if target else {"text": reference.get("display")}
    if not isinstance(concept, dict):
        return None
    rxnorm = next(
        (str(c["code"]) for c in _codings(concept) if c.get("system") in codes.rxnorm_systems and c.get("code")),
        None,
    )
    name = (rxnorm_names or {}).get(rxnorm or "") or concept_text(concept)
    if not name:
        return None
    identifier = f"{resource.get('resourceType')}/{resource['id']}" if resource.get("id") else None
    return FhirMedication(name=name, rxnorm=rxnorm, dose=_dose(resource), resource_id=identifier)


def concept_text(concept: object) -> str | None:
    """A CodeableConcept's words: a coding's display, else ``text`` (None when neither)."""
    if not isinstance(concept, dict):
        return None
    display = next((str(c["display"]).strip() for c in _codings(concept) if c.get("display")), None)
    text = concept.get("text")
    return display or (str(text).strip() if text else None) or None


def _codings(concept: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    coding = concept.get("coding") or []
    coding = [coding] if isinstance(coding, dict) else coding
    return [c for c in coding if isinstance(c, dict)] if isinstance(coding, list) else []


def _referenced(resource: Mapping[str, Any], ref: str, bundled: Mapping[str, Mapping[str, Any]]) -> Any:
    if ref.startswith("#"):
        contained = resource.get("contained") or []
        return next((c for c in contained if isinstance(c, dict) and c.get("id") == ref[1:]), None)
    return bundled.get(ref)


def _dose(resource: Mapping[str, Any]) -> str | None:
    """The first dosage instruction as words: its ``text``, else quantity, unit and frequency."""
    dosages = resource.get("dosageInstruction") or resource.get("dosage") or []
    dosage = dosages[0] if isinstance(dosages, list) and dosages and isinstance(dosages[0], dict) else None
    if dosage is None:
        return None
    if dosage.get("text"):
        return str(dosage["text"])
    rates = dosage.get("doseAndRate") or []
    first = rates[0] if isinstance(rates, list) and rates and isinstance(rates[0], dict) else {}
    quantity = first.get("doseQuantity")
    if not isinstance(quantity, dict) or quantity.get("value") is None:
        return None
    words = f"{quantity['value']:g} {quantity.get('unit') or quantity.get('code') or ''}".strip()
    repeat = (dosage.get("timing") or {}).get("repeat") or {}
    per_day = repeat.get("frequency") if repeat.get("period") == 1 and repeat.get("periodUnit") == "d" else None
    return f"{words} {_FREQUENCY_WORDS[per_day]}" if per_day in _FREQUENCY_WORDS else words


def _age_group(patient: Mapping[str, Any] | None, today: date) -> AgeGroup | None:
    birth = str((patient or {}).get("birthDate") or "")
    try:
        # FHIR allows a partial date ("1950" or "1950-04"): count from its first day.
        parts = [int(p) for p in birth.split("-")[:3]] + [1, 1]
        born = date(parts[0], parts[1], parts[2])
    except (ValueError, IndexError):
        return None
    years = (today - born).days / 365.25
    return age_group_for_years(years) if years >= 0 else None


def _condition_active(resource: Mapping[str, Any], codes: FhirCodes) -> bool:
    clinical = _status_code(resource.get("clinicalStatus"))
    verification = _status_code(resource.get("verificationStatus"))
    return clinical not in codes.inactive_conditions and verification not in codes.refuted


def _status_code(concept: object) -> str | None:
    if isinstance(concept, str):  # FHIR STU3 used a plain code here; some clients still do
        return concept
    if isinstance(concept, dict):
        return next((str(c.get("code")) for c in _codings(concept) if c.get("code")), None)
    return None


def _coded(concept: object) -> set[tuple[str, str]]:
    if not isinstance(concept, dict):
        return set()
    return {(str(c.get("system")), str(c.get("code"))) for c in _codings(concept)}


def _pregnancy(
    items: Sequence[Mapping[str, Any]], conditions: Sequence[Mapping[str, Any]], codes: FhirCodes
) -> bool | None:
    """The latest pregnancy-status observation's answer, else an active pregnancy condition."""
    observations = [
        r
        for r in items
        if r.get("resourceType") == "Observation"
        and _coded(r.get("code")) & codes.pregnancy_observations
        and r.get("status") not in ("entered-in-error", "cancelled")
    ]
    observations.sort(key=lambda r: str(r.get("effectiveDateTime") or r.get("issued") or ""), reverse=True)
    for observation in observations:
        answer = _coded(observation.get("valueCodeableConcept"))
        if answer & codes.pregnant:
            return True
        if answer & codes.not_pregnant:
            return False
    return True if any(_coded(r.get("code")) & codes.pregnant for r in conditions) else None


def drug_mentions(medications: Iterable[FhirMedication], drugs: DrugRecognizer) -> tuple[DrugMention, ...]:
    """Medications as drug mentions: the recogniser's canonical drug when it knows the name."""
    mentions: dict[str, DrugMention] = {}
    for medication in medications:
        found = drugs.recognize(medication.name)
        mention = found[0] if found else DrugMention(name=medication.name.lower(), surface=medication.name)
        mentions.setdefault(mention.name, mention)
    return tuple(mentions.values())


def with_patient_context(
    question: UnderstoodQuestion, context: FhirPatientContext, drugs: DrugRecognizer
) -> UnderstoodQuestion:
    """``question`` with the record's context added; what the question itself says wins
    for age and pregnancy (the asker may know better than a stale record)."""
    current = {d.name: d for d in question.current_medications}
    for mention in drug_mentions(context.medications, drugs):
        current.setdefault(mention.name, mention)
    named = {c.name.lower() for c in question.conditions}
    extra = tuple(
        ConditionMention(name=name.lower(), surface=name, origin="fhir")
        for name in context.conditions
        if name.lower() not in named
    )
    all_drugs = {d.name: d for d in (*question.drugs, *current.values())}
    return replace(
        question,
        drugs=tuple(all_drugs.values()),
        current_medications=tuple(current.values()),
        conditions=question.conditions + extra,
        age_group=question.age_group or context.age_group,
        pregnant=question.pregnant if question.pregnant is not None else context.pregnant,
        allergies=tuple(dict.fromkeys((*question.allergies, *context.allergies))),
    )
