"""An unavailable LLM composer is a clear 503 (JSON and page), or the offline answer when set."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from curbside.pipeline import Curbside
from curbside.settings import Settings
from curbside.web.app import create_app
from tests.llm_server import RecordedLlm, recorded_llm_server
from tests.web.conftest import ANSWERED


@pytest.fixture(scope="module")
def failing_llm() -> Iterator[RecordedLlm]:
    with recorded_llm_server() as llm:
        llm.status = 500
        yield llm


@pytest.fixture(scope="module")
def llm_client(web_settings: Settings, curbside: Curbside, failing_llm: RecordedLlm) -> Iterator[TestClient]:
    settings = web_settings.with_overrides(composer="llm", llm_base_url=failing_llm.base_url, llm_timeout_s=5.0)
    from curbside.backends import create_composer

    # The open pipeline's stages, with the LLM composer the settings name (no fallback).
    llm_pipeline = Curbside(
        settings,
        curbside.store,
        curbside.embedder,
        curbside.understanding,
        create_composer(settings),
        curbside.verifier,
        curbside.safety,
    )
    with TestClient(create_app(settings, llm_pipeline)) as client:
        yield client


def test_api_answers_503_with_a_clear_message(llm_client: TestClient) -> None:
    response = llm_client.post("/api/ask", json={"question": ANSWERED})
    assert response.status_code == 503
    assert "language model that writes answers is unavailable" in response.json()["detail"]
    assert ANSWERED not in response.text
    assert response.headers["retry-after"] == "30"


def test_form_shows_a_503_page(llm_client: TestClient) -> None:
    response = llm_client.post("/ask", data={"question": ANSWERED, "audience": "clinician"}, follow_redirects=False)
    assert response.status_code == 503
    assert "Answering is unavailable" in response.text and "CURBSIDE_LLM_FALLBACK" in response.text


def test_fallback_setting_answers_with_the_offline_composer(
    web_settings: Settings, curbside: Curbside, failing_llm: RecordedLlm
) -> None:
    from curbside.backends import create_composer

    settings = web_settings.with_overrides(composer="llm", llm_base_url=failing_llm.base_url, llm_fallback="offline")
    pipeline = Curbside(
        settings,
        curbside.store,
        curbside.embedder,
        curbside.understanding,
        create_composer(settings),
        curbside.verifier,
        curbside.safety,
        fallback=create_composer(settings.with_overrides(composer="offline")),
    )
    with TestClient(create_app(settings, pipeline)) as client:
        response = client.post("/api/ask", json={"question": ANSWERED})
    assert response.status_code == 201, response.text
    assert response.json()["composer"] == "offline (fallback: llm unavailable)"
