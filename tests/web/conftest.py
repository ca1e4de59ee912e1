"""The real app over the real pipeline, on a knowledge base built from the test fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from curbside.pipeline import Curbside
from curbside.settings import Settings
from curbside.web.app import create_app
from tests.fixture_kb import build_fixture_kb

# Questions the fixture knowledge base answers (and one it must abstain on).
ANSWERED = "What are the symptoms of example syndrome?"
SCREENING = "Should adults be screened for example disease?"
UNKNOWN_DRUG = "What is the dose of zorvastatin?"


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # The shared session app answers hundreds of questions from the one test client; the ask
    # rate limit has its own apps in tests/web/test_rate_limits.py.
    return replace(build_fixture_kb(tmp_path_factory.mktemp("web-kb")), ask_rate_limit=0)


@pytest.fixture(scope="session")
def curbside(web_settings: Settings) -> Curbside:
    return Curbside.open(web_settings)


@pytest.fixture(scope="session")
def app(web_settings: Settings, curbside: Curbside) -> FastAPI:
    return create_app(web_settings, curbside)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def ask(client: TestClient, question: str = ANSWERED, audience: str = "clinician") -> str:
    """Ask through the form; return the article URL it redirects to."""
    response = client.post("/ask", data={"question": question, "audience": audience}, follow_redirects=False)
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    return location


def slug_of(url: str) -> str:
    return url.split("/a/")[1].split("?")[0].split("#")[0]
