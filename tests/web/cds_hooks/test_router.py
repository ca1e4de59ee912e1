"""The CDS Hooks service end to end: discovery, hooks, prefetch and fetch, feedback, cards."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi.testclient import TestClient

from curbside.review.accounts import Role
from tests.web.cds_hooks.ehr import ACCESS_TOKEN, PATIENT_ID, EhrSigner, medication_request
from tests.web.review_client import log_in

BASE = "http://testserver"
ORDER_SELECT = "/cds-services/curbside-order-select"
ORDER_SIGN = "/cds-services/curbside-order-sign"
PATIENT_VIEW = "/cds-services/curbside-patient-view"
WARFARIN = medication_request("mr-warfarin", "11289", "warfarin sodium 5 MG Oral Tablet")
ASPIRIN_DRAFT = medication_request(
    "draft-aspirin", None, "aspirin 81 MG Oral Tablet", status="draft", intent="proposal"
)
NO_DATA = {"medicationStatements": None, "conditions": None, "allergies": None, "pregnancy": None}
PREFETCH = {
    "patient": {"resourceType": "Patient", "id": PATIENT_ID, "birthDate": "1970-01-01"},
    "medicationRequests": {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": WARFARIN}]},
    **NO_DATA,
}


def call(client: TestClient, signer: EhrSigner, path: str, body: dict[str, Any], **claims: Any) -> Any:
    token = signer.token(BASE + path, **claims)
    return client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})


def order_body(hook: str = "order-select", prefetch: dict[str, Any] | None = PREFETCH, **extra: Any) -> dict:
    # A draftOrders Bundle without "type" and a category given as one object: both seen from real clients.
    draft = {**ASPIRIN_DRAFT, "category": {"text": "outpatient"}}
    context: dict[str, Any] = {
        "userId": "Practitioner/u1",
        "patientId": PATIENT_ID,
        "draftOrders": {"resourceType": "Bundle", "entry": [{"resource": draft}]},
    }
    if hook == "order-select":
        context["selections"] = ["MedicationRequest/draft-aspirin"]
    body: dict[str, Any] = {"hook": hook, "hookInstance": str(uuid.uuid4()), "context": context, **extra}
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


def assert_card_rules(card: dict[str, Any]) -> None:
    """CDS Hooks 2.0 card rules, plus Curbside's own (detail quotes and cites its sources)."""
    uuid.UUID(card["uuid"])
    assert 0 < len(card["summary"]) < 140
    assert card["indicator"] in ("info", "warning", "critical")
    assert card["source"]["label"]
    for value in _values(card):
        assert value is not None and value != [] and value != "", card
    assert re.search(r"^> .+ \[\d+\]$", card["detail"], re.MULTILINE), card["detail"]
    assert "**References**" in card["detail"]
    assert card["links"] and all(link["type"] == "absolute" for link in card["links"])
    assert all(link["url"].startswith("http") for link in card["links"])
    if card["indicator"] != "info":
        assert card["overrideReasons"]
        assert all({"code", "system", "display"} <= set(r) for r in card["overrideReasons"])


def _values(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [v for value in node.values() for v in [value, *_values(value)]]
    if isinstance(node, list):
        return [v for value in node for v in [value, *_values(value)]]
    return []


def warfarin_aspirin_card(cards: list[dict[str, Any]]) -> dict[str, Any]:
    matching = [c for c in cards if "warfarin" in c["summary"].lower() and "aspirin" in c["summary"].lower()]
    assert matching, [c["summary"] for c in cards]
    return matching[0]


def test_discovery_lists_the_three_hooks_with_prefetch(cds_client: TestClient) -> None:
    services = cds_client.get("/cds-services").json()["services"]
    assert {s["hook"] for s in services} == {"patient-view", "order-select", "order-sign"}
    for service in services:
        assert service["id"] and service["title"] and service["description"]
        assert service["prefetch"]["patient"] == "Patient/{{context.patientId}}"
        assert "MedicationRequest?patient={{context.patientId}}" in service["prefetch"]["medicationRequests"]
        assert service["prefetch"]["conditions"].startswith("Condition?")


def test_order_select_with_prefetch_gives_the_interaction_card(cds_client: TestClient, signer: EhrSigner) -> None:
    response = call(cds_client, signer, ORDER_SELECT, order_body())
    assert response.status_code == 200, response.text
    cards = response.json()["cards"]
    for card in cards:
        assert_card_rules(card)
    card = warfarin_aspirin_card(cards)
    assert card["indicator"] == "warning"  # OSCAR significance 2 = moderate → warning
    assert "Monitor INR when combined." in card["detail"]
    assert "OSCAR" in card["source"]["label"]
    assert card["links"][0]["url"].startswith(BASE + "/ask?q=")
    assert card["links"][0]["label"] == "Full Curbside article: Can warfarin be taken together with aspirin?"


def test_order_sign_checks_every_draft(cds_client: TestClient, signer: EhrSigner) -> None:
    response = call(cds_client, signer, ORDER_SIGN, order_body("order-sign"))
    assert response.status_code == 200, response.text
    warfarin_aspirin_card(response.json()["cards"])


def test_patient_view_without_interacting_drugs_has_no_cards(cds_client: TestClient, signer: EhrSigner) -> None:
    body = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()), "context": {"patientId": PATIENT_ID}}
    body["prefetch"] = PREFETCH
    response = call(cds_client, signer, PATIENT_VIEW, body)
    assert response.status_code == 200, response.text
    assert response.json() == {"cards": []}


def test_patient_view_alerts_on_the_charts_active_medications(cds_client: TestClient, signer: EhrSigner) -> None:
    aspirin = medication_request("mr-aspirin", None, "aspirin 81 MG Oral Tablet")
    bundle = {"resourceType": "Bundle", "entry": [{"resource": WARFARIN}, {"resource": aspirin}]}
    body = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()), "context": {"patientId": PATIENT_ID}}
    body["prefetch"] = {**PREFETCH, "medicationRequests": bundle}
    cards = call(cds_client, signer, PATIENT_VIEW, body).json()["cards"]
    for card in cards:
        assert_card_rules(card)
    warfarin_aspirin_card(cards)


def test_missing_prefetch_is_fetched_from_the_fhir_server(
    cds_client: TestClient, signer: EhrSigner, ehr_url: str, fhir_requests: list[str]
) -> None:
    body = order_body(
        prefetch=None,
        fhirServer=ehr_url + "/fhir",
        fhirAuthorization={
            "access_token": ACCESS_TOKEN,
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "patient/*.read",
            "subject": "curbside",
        },
    )
    fhir_requests.clear()
    response = call(cds_client, signer, ORDER_SELECT, body)
    assert response.status_code == 200, response.text
    warfarin_aspirin_card(response.json()["cards"])  # warfarin came from the FHIR server
    assert "GET Patient/p1" in fhir_requests
    assert "POST MedicationRequest/_search" in fhir_requests
    assert "POST Condition/_search" in fhir_requests


def test_partly_missing_prefetch_fetches_only_the_missing_keys(
    cds_client: TestClient, signer: EhrSigner, ehr_url: str, fhir_requests: list[str]
) -> None:
    prefetch = {k: v for k, v in PREFETCH.items() if k != "conditions"}
    body = order_body(prefetch=prefetch, fhirServer=ehr_url + "/fhir", fhirAuthorization={"access_token": ACCESS_TOKEN})
    fhir_requests.clear()
    assert call(cds_client, signer, ORDER_SELECT, body).status_code == 200
    assert fhir_requests == ["POST Condition/_search"]


def test_neither_prefetch_nor_fhir_server_is_412(cds_client: TestClient, signer: EhrSigner) -> None:
    response = call(cds_client, signer, ORDER_SELECT, order_body(prefetch=None))
    assert response.status_code == 412
    assert "fhirServer" in response.json()["detail"]


def test_null_prefetch_values_mean_no_data(cds_client: TestClient, signer: EhrSigner) -> None:
    prefetch = {"patient": None, "medicationRequests": None, **NO_DATA}
    response = call(cds_client, signer, ORDER_SELECT, order_body(prefetch=prefetch))
    assert response.status_code == 200
    assert response.json() == {"cards": []}


def test_an_order_with_no_medication_picked_yet_gives_no_cards(cds_client: TestClient, signer: EhrSigner) -> None:
    body = order_body()
    body["context"]["draftOrders"]["entry"] = [
        {"resource": {"resourceType": "MedicationRequest", "id": "x", "status": "draft", "intent": "proposal"}}
    ]
    response = call(cds_client, signer, ORDER_SELECT, body)
    assert response.status_code == 200
    assert response.json() == {"cards": []}


def test_bad_bodies_get_a_clear_400(cds_client: TestClient, signer: EhrSigner) -> None:
    no_instance = {"hook": "order-select", "context": {}}
    assert call(cds_client, signer, ORDER_SELECT, no_instance).status_code == 400
    no_orders = order_body()
    del no_orders["context"]["draftOrders"]
    response = call(cds_client, signer, ORDER_SELECT, no_orders)
    assert response.status_code == 400 and "draftOrders" in response.json()["detail"]
    wrong_hook = order_body("order-sign")
    assert call(cds_client, signer, ORDER_SELECT, wrong_hook).status_code == 400
    token = signer.token(BASE + ORDER_SELECT)
    raw = cds_client.post(ORDER_SELECT, content=b"{not json", headers={"Authorization": f"Bearer {token}"})
    assert raw.status_code == 400


def test_unknown_service_is_404(cds_client: TestClient, signer: EhrSigner) -> None:
    assert call(cds_client, signer, "/cds-services/nope", order_body()).status_code == 404


def test_feedback_is_stored_and_shown_to_the_advisory_board(cds_client: TestClient, signer: EhrSigner) -> None:
    card = warfarin_aspirin_card(call(cds_client, signer, ORDER_SELECT, order_body()).json()["cards"])
    reason = card["overrideReasons"][0]
    feedback = {
        "feedback": [
            {
                "card": card["uuid"],
                "outcome": "overridden",
                "outcomeTimestamp": "2026-12-01T10:00:00Z",
                "overrideReason": {"reason": reason, "userComment": "INR checked this week"},
            },
            {
                "card": card["uuid"],
                "outcome": "accepted",
                "outcomeTimestamp": "2026-12-01T10:01:00Z",
                "acceptedSuggestions": [{"id": "s1"}],
            },
        ]
    }
    response = call(cds_client, signer, ORDER_SELECT + "/feedback", feedback)
    assert response.status_code == 200, response.text
    assert response.json() == {"stored": 2}
    assert cds_client.get("/api/cds-feedback").status_code == 401
    reviewer = log_in(cds_client.app, Role.REVIEWER)  # type: ignore[arg-type]
    board = reviewer.client.get("/api/cds-feedback").json()["feedback"]
    overridden = next(f for f in board if f["card"] == card["uuid"] and f["outcome"] == "overridden")
    assert overridden["override_code"] == reason["code"]
    assert overridden["user_comment"] == "INR checked this week"
    assert overridden["card_summary"] == card["summary"]
    bad = {"feedback": [{"card": card["uuid"], "outcome": "ignored", "outcomeTimestamp": "x"}]}
    assert call(cds_client, signer, ORDER_SELECT + "/feedback", bad).status_code == 400


def quorvane_order(dose: str) -> dict[str, Any]:
    draft = medication_request("draft-q", None, "Quorvane", status="draft", dosageInstruction=[{"text": dose}])
    body = order_body()
    body["context"]["draftOrders"]["entry"] = [{"resource": draft}]
    body["context"]["selections"] = ["MedicationRequest/draft-q"]
    return body


def test_a_draft_dose_above_the_label_gives_a_dose_card(cds_client: TestClient, signer: EhrSigner) -> None:
    cards = call(cds_client, signer, ORDER_SELECT, quorvane_order("80 mg once daily")).json()["cards"]
    for card in cards:
        assert_card_rules(card)
    dose = next(c for c in cards if c["summary"].startswith("Dose '80 mg'"))
    assert dose["indicator"] == "warning"  # major → warning
    assert "> The recommended dose of QUORVANE is 10 mg to 40 mg once daily." in dose["detail"]
    within = call(cds_client, signer, ORDER_SELECT, quorvane_order("20 mg once daily")).json()["cards"]
    assert not [c for c in within if c["summary"].startswith("Dose")]


def test_a_pregnant_patient_gets_the_labels_pregnancy_card(cds_client: TestClient, signer: EhrSigner) -> None:
    body = quorvane_order("20 mg once daily")
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "82810-3"}]},
        "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "77386006"}]},
    }
    body["prefetch"] = {**PREFETCH, "pregnancy": {"resourceType": "Bundle", "entry": [{"resource": observation}]}}
    cards = call(cds_client, signer, ORDER_SELECT, body).json()["cards"]
    for card in cards:
        assert_card_rules(card)
    pregnancy = next(c for c in cards if c["summary"].startswith("Pregnancy"))
    assert pregnancy["indicator"] == "warning"
    assert "Avoid use of QUORVANE during pregnancy." in pregnancy["detail"]
    assert pregnancy["links"][0]["label"].endswith("safe in pregnancy?")
