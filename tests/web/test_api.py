"""The JSON API: ask, read, follow up, search, review, OpenAPI; errors are JSON with 4xx."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import ANSWERED, UNKNOWN_DRUG


def api_ask(client: TestClient, question: str = ANSWERED, **extra: object) -> dict[str, object]:
    response = client.post("/api/ask", json={"question": question, **extra})
    assert response.status_code == 201, response.text
    data: dict[str, object] = response.json()
    return data


def test_api_ask_returns_the_article_with_slug_url_and_readability(client: TestClient) -> None:
    data = api_ask(client, audience="patient")
    assert data["schema_version"] == "1.0"
    assert data["url"] == f"/a/{data['slug']}"
    assert data["audience"] == "patient"
    assert isinstance(data["readability"], dict) and "fk_grade" in data["readability"]
    assert data["review"]["status"] == "submitted" and data["review"]["reviewed_by"] is None  # type: ignore[index]
    assert client.get(str(data["url"])).status_code == 200


def test_api_get_article_rewords_for_audience(client: TestClient) -> None:
    slug = api_ask(client)["slug"]
    clinician = client.get(f"/api/articles/{slug}").json()
    patient = client.get(f"/api/articles/{slug}?audience=patient").json()
    assert patient["audience"] == "patient"
    assert patient["bottom_line"]["citations"] == clinician["bottom_line"]["citations"]
    assert patient["bottom_line"]["original_text"] == clinician["bottom_line"]["text"]


def test_api_follow_up_and_thread(client: TestClient) -> None:
    root = api_ask(client)
    response = client.post(f"/api/articles/{root['slug']}/followups", json={"question": "Is it inherited?"})
    assert response.status_code == 201
    followup = response.json()
    assert followup["thread_id"] == root["slug"] and followup["parent_slug"] == root["slug"]
    assert followup["understood"]["conditions"] == ["example syndrome"]
    again = client.get(f"/api/articles/{root['slug']}").json()
    assert [link["slug"] for link in again["thread"]] == [followup["slug"]]
    via_ask = api_ask(client, "And the outlook?", thread=root["slug"])
    assert via_ask["thread_id"] == root["slug"]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "/api/ask", {"question": ""}, 400),
        ("post", "/api/ask", {"question": "x " * 1500}, 400),
        ("post", "/api/ask", {"question": "x" * 9000}, 422),
        ("post", "/api/ask", {"question": "example syndrome?", "audience": "wizard"}, 422),
        ("post", "/api/ask", {"question": "example syndrome?", "thread": "missing"}, 404),
        ("post", "/api/ask", {"question": 12}, 422),
        ("post", "/api/ask", {"questions": "typo"}, 422),
        ("get", "/api/articles/missing", None, 404),
        ("post", "/api/articles/missing/followups", {"question": "Is it inherited?"}, 404),
        ("get", "/api/search", None, 422),
        ("get", "/api/search?q=example&kind=blog", None, 422),
        ("get", "/api/search?q=example&limit=0", None, 422),
    ],
)
def test_api_errors_are_json_4xx(client: TestClient, method: str, path: str, body: object, status: int) -> None:
    response = client.request(method.upper(), path, json=body)
    assert response.status_code == status, response.text
    assert "detail" in response.json()


def test_api_rejects_malformed_json(client: TestClient) -> None:
    response = client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and "detail" in response.json()


def test_api_lone_surrogate_question_is_not_a_500(client: TestClient) -> None:
    response = client.post(
        "/api/ask",
        content=b'{"question": "example syndrome \\ud800 symptoms?"}',
        headers={"content-type": "application/json"},
    )
    # Pydantic refuses the unpaired surrogate: a clean 422, never a 500 from the database.
    assert response.status_code == 422 and "detail" in response.json()


def test_api_search_filters_by_kind(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "screening adults", "limit": 5}).json()["hits"]
    assert hits and len(hits) <= 5
    guidelines = client.get("/api/search", params={"q": "screening adults", "kind": "guideline"}).json()["hits"]
    assert guidelines and {hit["kind"] for hit in guidelines} == {"guideline"}


def test_openapi_and_local_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in (
        "/api/ask",
        "/api/articles/{slug}",
        "/api/articles/{slug}/followups",
        "/api/search",
        "/api/review/queue",
        "/api/review/articles/{slug}/actions",
    ):
        assert path in schema["paths"], path
    assert "ArticleResponse" in schema["components"]["schemas"]
    docs = client.get("/docs").text
    assert "POST /api/ask" in docs and "cdn" not in docs.lower()


def test_abstained_article_in_api(client: TestClient) -> None:
    data = api_ask(client, UNKNOWN_DRUG)
    assert data["abstained"] and data["readability"] == {"fk_grade": None}
