"""The services Curbside offers over CDS Hooks, and what each asks the EHR to prefetch.

Prefetch templates use the specification's ``{{context.patientId}}`` token. Every key is
also fetched from ``fhirServer`` when a client leaves it out, so a client may prefetch
none, some or all of them.
"""

from __future__ import annotations

from curbside.web.cds_hooks.models import ServiceDescription

PATIENT = "{{context.patientId}}"
RECORD_PREFETCH: dict[str, str] = {
    "patient": f"Patient/{PATIENT}",
    "medicationRequests": f"MedicationRequest?patient={PATIENT}&status=active",
    "medicationStatements": f"MedicationStatement?patient={PATIENT}&status=active",
    "conditions": f"Condition?patient={PATIENT}",
    "allergies": f"AllergyIntolerance?patient={PATIENT}",
    "pregnancy": f"Observation?patient={PATIENT}&code=http://loinc.org|82810-3",
}
ORDER_HOOKS = ("order-select", "order-sign")

SERVICES: tuple[ServiceDescription, ...] = (
    ServiceDescription(
        id="curbside-patient-view",
        hook="patient-view",
        title="Curbside medication safety review",
        description="Interaction, pregnancy and age-group alerts for the chart's active medications, each quoting "
        "its source (interaction lists, FDA labels) with a link to the full Curbside article.",
        prefetch=RECORD_PREFETCH,
    ),
    ServiceDescription(
        id="curbside-order-select",
        hook="order-select",
        title="Curbside order check",
        description="Checks the selected draft medication orders against the active medications (interactions), "
        "the label's dosing text (doses) and the patient's pregnancy and age group.",
        prefetch=RECORD_PREFETCH,
    ),
    ServiceDescription(
        id="curbside-order-sign",
        hook="order-sign",
        title="Curbside order check before signing",
        description="The same checks as order-select, on every draft medication order about to be signed.",
        prefetch=RECORD_PREFETCH,
    ),
)
BY_ID = {service.id: service for service in SERVICES}
