"""The review queue: token checks, the full workflow, and the publish-gate refusal."""

from __future__ import annotations

from dataclasses import replace

from fastapi import FastAPI
from fastapi.testclient import TestClient

from curbside.domain.article import SupportSummary
from curbside.pipeline import Curbside
from curbside.settings import Settings
from curbside.web.app import create_app
from tests.fixture_kb import TOKEN
from tests.web.conftest import ask, slug_of


def act(client: TestClient, slug: str, action: str, token: str = TOKEN, note: str = "", reviewer: str = "Dr Okafor"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/review/{slug}",
        data={"action": action, "reviewer": reviewer, "note": note, "token": token},
        follow_redirects=False,
    )


def test_full_workflow_with_changes_requested(client: TestClient) -> None:
    url = ask(client)
    slug = slug_of(url)
    assert f'id="article-{slug}"' in client.get("/review").text
    assert act(client, slug, "start_review").status_code == 303
    refused = act(client, slug, "request_changes")
    assert refused.status_code == 409 and "needs a note" in refused.text
    assert act(client, slug, "request_changes", note="Cite the guideline first").status_code == 303
    assert act(client, slug, "start_review").status_code == 303
    assert act(client, slug, "approve", reviewer="Dr Lindqvist").status_code == 303
    page = client.get(url).text
    assert "Approved by the medical advisory board" in page
    assert "Pending human review" not in page
    assert 'aria-current="step">Approved' in page
    assert "Cite the guideline first" in page and "Dr Lindqvist" in page


def test_wrong_or_missing_token_changes_nothing(client: TestClient) -> None:
    slug = slug_of(ask(client))
    assert act(client, slug, "start_review", token="guess").status_code == 403
    assert act(client, slug, "start_review", token="").status_code == 403
    header = client.post(
        f"/review/{slug}",
        data={"action": "start_review", "reviewer": "Dr A"},
        headers={"X-Curbside-Advisory-Token": TOKEN},
        follow_redirects=False,
    )
    assert header.status_code == 303
    assert client.get(f"/api/articles/{slug}").json()["review"]["status"] == "under_review"


def test_cannot_skip_review_or_approve_without_reviewer(client: TestClient) -> None:
    slug = slug_of(ask(client))
    assert act(client, slug, "approve").status_code == 409
    act(client, slug, "start_review")
    nameless = act(client, slug, "approve", reviewer="   ")
    assert nameless.status_code == 409 and "reviewer" in nameless.text


def test_gate_failed_article_cannot_be_approved(client: TestClient, app: FastAPI) -> None:
    slug = slug_of(ask(client))
    repository = app.state.services.repository
    stored = repository.get(slug)
    failed = stored.article.model_copy(
        update={
            "support": SupportSummary(supported=1, total=4, gate_passed=False, problems=("bottom line unsupported",))
        }
    )
    bad = repository.create(failed, stored.understood)
    assert act(client, bad.slug, "start_review").status_code == 303
    refused = act(client, bad.slug, "approve")
    assert refused.status_code == 409
    assert "failed the verifier" in refused.text and "cannot be approved" in refused.text
    api = client.post(
        f"/api/articles/{bad.slug}/review",
        json={"action": "approve", "reviewer": "Dr A"},
        headers={"X-Curbside-Advisory-Token": TOKEN},
    )
    assert api.status_code == 409 and "publish gate" in api.json()["detail"]
    assert client.get(f"/api/articles/{bad.slug}").json()["review"]["status"] == "under_review"


def test_review_disabled_without_a_token(web_settings: Settings, curbside: Curbside) -> None:
    app = create_app(replace(web_settings, advisory_token=None), curbside)
    with TestClient(app) as client:
        slug = slug_of(ask(client))
        page = client.get("/review").text
        assert "Review actions are disabled" in page and 'name="token"' not in page
        response = act(client, slug, "start_review", token="anything")
        assert response.status_code == 403 and "disabled" in response.text
        api = client.post(f"/api/articles/{slug}/review", json={"action": "start_review", "reviewer": "Dr A"})
        assert api.status_code == 403 and "CURBSIDE_ADVISORY_TOKEN" in api.json()["detail"]
