"""Anonymous asking is rate-limited per client, and two app instances share one allowance."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from curbside.pipeline import Curbside
from curbside.review.accounts import Role
from curbside.settings import Settings
from curbside.web.app import create_app
from tests.web.conftest import ANSWERED, ask, slug_of
from tests.web.review_client import log_in

LIMIT = 3


@pytest.fixture
def limited_settings(web_settings: Settings, tmp_path: Path) -> Settings:
    # A review database of its own: the allowance starts empty for every test.
    return replace(web_settings, ask_rate_limit=LIMIT, ask_rate_window_s=600, review_db=tmp_path / "review.sqlite3")


@pytest.fixture
def two_apps(limited_settings: Settings, curbside: Curbside) -> Iterator[tuple[TestClient, TestClient]]:
    """Two app instances (as two workers would be), each with its own database connections."""
    first, second = create_app(limited_settings, curbside), create_app(limited_settings, curbside)
    assert first.state.services.rate_limiter is not second.state.services.rate_limiter
    with TestClient(first) as one, TestClient(second) as two:
        yield one, two


def test_two_workers_share_the_allowance(two_apps: tuple[TestClient, TestClient]) -> None:
    one, two = two_apps
    ask(one)
    response = two.post("/api/ask", json={"question": ANSWERED})
    assert response.status_code == 201, response.text
    ask(one)
    refused = two.post("/api/ask", json={"question": ANSWERED})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 600
    assert f"at most {LIMIT} every 600 seconds" in refused.json()["detail"]
    # The first worker refuses too: the count lives in the shared review database.
    page = one.post("/ask", data={"question": ANSWERED}, follow_redirects=False)
    assert page.status_code == 429
    assert "Too many questions" in page.text and page.headers["Retry-After"]
    assert page.headers["Content-Security-Policy"]


def test_every_answering_route_counts(two_apps: tuple[TestClient, TestClient]) -> None:
    one, _ = two_apps
    slug = slug_of(ask(one))
    followup = one.post(f"/a/{slug}/followups", data={"question": "And in children?"}, follow_redirects=False)
    assert followup.status_code == 303
    assert one.post(f"/api/articles/{slug}/followups", json={"question": "How is it treated?"}).status_code == 201
    assert one.post(f"/a/{slug}/understood", data={"conditions": "example syndrome"}).status_code == 429
    assert one.get("/ask", params={"q": "What causes example syndrome?"}).status_code == 429
    assert one.post(f"/api/articles/{slug}/followups", json={"question": "Is it common?"}).status_code == 429
    # Reading is never limited.
    assert one.get(f"/a/{slug}").status_code == 200
    assert one.get(f"/api/articles/{slug}").status_code == 200


def test_board_accounts_are_not_limited(two_apps: tuple[TestClient, TestClient]) -> None:
    one, _ = two_apps
    app: FastAPI = one.app  # type: ignore[assignment]
    member = log_in(app, Role.REVIEWER)
    for _ in range(LIMIT + 1):
        response = member.client.post("/api/ask", json={"question": ANSWERED})
        assert response.status_code == 201, response.text


def test_a_limit_of_zero_turns_it_off(limited_settings: Settings, curbside: Curbside) -> None:
    with TestClient(create_app(replace(limited_settings, ask_rate_limit=0), curbside)) as client:
        for _ in range(LIMIT + 2):
            assert client.post("/api/ask", json={"question": ANSWERED}).status_code == 201


def test_the_schema_documents_the_429(two_apps: tuple[TestClient, TestClient]) -> None:
    paths = two_apps[0].get("/openapi.json").json()["paths"]
    for path, method in (("/api/ask", "post"), ("/ask", "post"), ("/api/articles/{slug}/followups", "post")):
        assert "Retry-After" in paths[path][method]["responses"]["429"]["headers"], path
