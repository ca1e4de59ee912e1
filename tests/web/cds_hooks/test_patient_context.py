"""A FHIR R4 Bundle as the patient context of `POST /api/ask` and `curbside ask --patient`."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from curbside.cli.main import app as cli
from curbside.settings import Settings
from tests.web.cds_hooks.test_router import WARFARIN

QUESTION = "Can aspirin be taken for pain?"
BUNDLE = {
    "resourceType": "Bundle",
    "entry": [
        {"resource": {"resourceType": "Patient", "id": "p1", "birthDate": "1940-02-02"}},
        {"resource": WARFARIN},
        {"resource": {"resourceType": "AllergyIntolerance", "code": {"text": "Penicillin"}}},
    ],
}


def test_api_ask_with_a_patient_bundle(cds_client: TestClient) -> None:
    response = cds_client.post("/api/ask", json={"question": QUESTION, "patient": BUNDLE})
    assert response.status_code == 201, response.text
    article = response.json()
    understood = article["understood"]
    assert "warfarin" in understood["current_medications"]
    assert understood["age_group"] == "older_adult"
    assert "allergies = Penicillin" in understood["summary"]
    # The record's warfarin is paired with the question's aspirin by the safety screen.
    assert any(a["kind"] == "interaction" and "aspirin" in a["text"].lower() for a in article["alerts"])
    page = cds_client.get(article["url"]).text
    assert "current = warfarin" in page  # shown in "Understood as"


def test_api_ask_refuses_an_unreadable_record(cds_client: TestClient) -> None:
    response = cds_client.post(
        "/api/ask", json={"question": QUESTION, "patient": {"resourceType": "Bundle", "entry": 3}}
    )
    assert response.status_code == 400
    assert "patient record" in response.json()["detail"]


def test_cli_ask_with_patient_file(cds_settings: Settings, tmp_path: Path) -> None:
    record = tmp_path / "patient.json"
    record.write_text(json.dumps(BUNDLE))
    options = ["--corpus", str(cds_settings.corpus_dir), "--data-dir", str(cds_settings.data_dir)]
    result = CliRunner().invoke(
        cli, [*options, "--embedder", "hashing", "ask", QUESTION, "--patient", str(record), "--json"]
    )
    assert result.exit_code == 0, result.output
    article = json.loads(result.stdout)
    assert "warfarin" in article["understood"]["current_medications"]
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    failed = CliRunner().invoke(cli, [*options, "--embedder", "hashing", "ask", QUESTION, "--patient", str(bad)])
    assert failed.exit_code == 2 and "not JSON" in failed.output
