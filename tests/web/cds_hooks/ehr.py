"""A minimal EHR for the tests: a FHIR R4 server, a JWT signer, and one page that calls CDS Hooks.

The FHIR part serves ``/fhir/metadata``, reads (``GET /fhir/{type}/{id}``) and searches
(``POST /fhir/{type}/_search``, form parameters ``patient`` and ``status``) over a fixed set
of resources, and demands the access token it hands out. ``/token?aud=URL`` returns a fresh
ES384 JWT for that audience, as an EHR's back end would sign one.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI, Form, Header, HTTPException
from fastapi.responses import HTMLResponse, JSONResponse

ISSUER = "https://ehr.test/issuer"
KID = "ehr-test-key"
ACCESS_TOKEN = "fhir-access-token"
PATIENT_ID = "p1"
PAGE = Path(__file__).with_name("ehr_page.html")


class EhrSigner:
    """An ES384 key pair and its JWKS, as the EHR publishes it."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP384R1())
        public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.private_key.public_key()))
        self.jwks = {"keys": [{**public, "kid": KID, "use": "sig", "alg": "ES384"}]}

    def token(self, aud: str, **overrides: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": "ehr-client",
            "aud": aud,
            "iat": now,
            "exp": now + 300,
            "jti": str(uuid.uuid4()),
        }
        claims.update(overrides)
        return jwt.encode(claims, self.private_key, algorithm="ES384", headers={"kid": KID})


def medication_request(rid: str, rxnorm: str | None, display: str, status: str = "active", **extra: Any) -> dict:
    coding = [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": rxnorm, "display": display}]
    return {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": status,
        "intent": "order",
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "medicationCodeableConcept": {"coding": coding if rxnorm else [], "text": display},
        **extra,
    }


RESOURCES: dict[str, list[dict[str, Any]]] = {
    "Patient": [{"resourceType": "Patient", "id": PATIENT_ID, "birthDate": "1950-04-02", "gender": "female"}],
    "MedicationRequest": [medication_request("mr-warfarin", "11289", "warfarin sodium 5 MG Oral Tablet")],
    "MedicationStatement": [],
    "Condition": [
        {
            "resourceType": "Condition",
            "id": "c1",
            "clinicalStatus": {"coding": [{"code": "active"}]},
            "code": {"text": "Atrial fibrillation"},
            "subject": {"reference": f"Patient/{PATIENT_ID}"},
        }
    ],
    "AllergyIntolerance": [],
    "Observation": [],
}


def searchset(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


def create_ehr(signer: EhrSigner, requests: list[str]) -> FastAPI:
    """The EHR app; ``requests`` collects "METHOD path" of every FHIR call (for assertions)."""
    app = FastAPI()

    def authorise(authorization: str | None) -> None:
        if authorization != f"Bearer {ACCESS_TOKEN}":
            raise HTTPException(401, "FHIR access token required")

    @app.get("/fhir/metadata")
    def metadata() -> JSONResponse:
        types = [{"type": t, "interaction": [{"code": "read"}, {"code": "search-type"}]} for t in RESOURCES]
        statement = {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "fhirVersion": "4.0.1",
            "kind": "instance",
            "format": ["json"],
            "rest": [{"mode": "server", "resource": types}],
        }
        return JSONResponse(statement, media_type="application/fhir+json")

    @app.get("/fhir/{kind}/{rid}")
    def read(kind: str, rid: str, authorization: str | None = Header(default=None)) -> JSONResponse:
        authorise(authorization)
        requests.append(f"GET {kind}/{rid}")
        found = next((r for r in RESOURCES.get(kind, []) if r["id"] == rid), None)
        if found is None:
            raise HTTPException(404, "not found")
        return JSONResponse(found, media_type="application/fhir+json")

    @app.post("/fhir/{kind}/_search")
    def search(
        kind: str,
        patient: str = Form(default=""),
        status: str = Form(default=""),
        authorization: str | None = Header(default=None),
    ) -> JSONResponse:
        authorise(authorization)
        requests.append(f"POST {kind}/_search")
        wanted = patient.removeprefix("Patient/")
        found = [
            r
            for r in RESOURCES.get(kind, [])
            if (not wanted or r.get("subject", {}).get("reference") == f"Patient/{wanted}")
            and (not status or r.get("status") == status)
        ]
        return JSONResponse(searchset(found), media_type="application/fhir+json")

    @app.get("/token")
    def token(aud: str) -> dict[str, str]:
        return {"token": signer.token(aud)}

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return PAGE.read_text()

    return app
