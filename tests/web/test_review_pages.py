"""The advisory board over HTTP: logins, role boundaries, CSRF, the workflow, conflicts and the queue."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from curbside.review.accounts import Role
from tests.review.board_fixtures import PASSWORD
from tests.web.conftest import ANSWERED, SCREENING, UNKNOWN_DRUG, ask, slug_of
from tests.web.review_client import Member, log_in, login_csrf, new_account, revision_of


def test_wrong_password_is_refused_then_throttled(app: FastAPI) -> None:
    account = new_account(app, Role.REVIEWER)
    client = TestClient(app)
    csrf = login_csrf(client)
    data = {"email": account.email, "password": "not the password", "csrf": csrf}
    codes = [client.post("/login", data=data).status_code for _ in range(5)]
    assert codes == [401] * 5
    throttled = client.post("/login", data={**data, "password": PASSWORD})
    assert throttled.status_code == 429 and "Too many failed logins" in throttled.text
    assert "curbside_session" not in client.cookies


def test_login_form_needs_its_csrf_token(app: FastAPI) -> None:
    account = new_account(app, Role.REVIEWER)
    client = TestClient(app)
    login_csrf(client)
    response = client.post("/login", data={"email": account.email, "password": PASSWORD, "csrf": "forged"})
    assert response.status_code == 403 and "CSRF" in response.text


def test_anonymous_readers_cannot_change_anything(app: FastAPI, client: TestClient) -> None:
    slug = slug_of(ask(client))
    anonymous = TestClient(app)
    assert anonymous.get("/review", follow_redirects=False).headers["location"].startswith("/login")
    form = anonymous.post(f"/review/{slug}/actions", data={"action": "claim", "revision": 1}, follow_redirects=False)
    assert form.status_code == 401
    api = anonymous.post(f"/api/review/articles/{slug}/actions", json={"action": "claim", "revision": 1})
    assert api.status_code == 401
    assert anonymous.get("/api/review/queue").status_code == 401
    assert anonymous.post("/admin/accounts", data={"email": "x@y.z"}).status_code == 401


def test_reviewers_get_403_at_editor_and_admin_actions(app: FastAPI, client: TestClient) -> None:
    reviewer = log_in(app, Role.REVIEWER)
    slug = slug_of(ask(client))
    assert reviewer.form("/review/dismiss", keys="anything").status_code == 403  # type: ignore[attr-defined]
    assert reviewer.client.get("/admin/accounts").status_code == 403
    assert reviewer.form("/admin/accounts", email="n@example.org", password=PASSWORD).status_code == 403  # type: ignore[attr-defined]
    assign = {"action": "assign", "revision": revision_of(reviewer, slug), "assignee": reviewer.account.email}
    assert reviewer.api(f"/api/review/articles/{slug}/actions", assign).status_code == 403  # type: ignore[attr-defined]
    assert reviewer.client.get("/api/review/audit-log").status_code == 403
    editor = log_in(app, Role.EDITOR)
    assert editor.client.get("/admin/accounts").status_code == 403
    assert editor.client.get("/api/review/audit-log").status_code == 200


def test_forms_and_api_without_the_csrf_token_are_rejected(app: FastAPI, client: TestClient) -> None:
    reviewer = log_in(app, Role.REVIEWER)
    slug = slug_of(ask(client))
    revision = revision_of(reviewer, slug)
    form = reviewer.client.post(f"/review/{slug}/actions", data={"action": "claim", "revision": revision})
    assert form.status_code == 403 and "CSRF" in form.text
    api = reviewer.client.post(f"/api/review/articles/{slug}/actions", json={"action": "claim", "revision": revision})
    assert api.status_code == 403
    assert revision_of(reviewer, slug) == revision


def test_review_edit_with_the_real_verifier_then_approve(app: FastAPI, client: TestClient) -> None:
    reviewer = log_in(app, Role.REVIEWER)
    question = ANSWERED + " (approve)"  # its own question: other tests expect ANSWERED to stay pending
    url = ask(client, question)
    slug = slug_of(url)
    screen = reviewer.client.get(f"/review/{slug}").text
    assert "Statements, citations and verdicts" in screen and "supported" in screen
    claimed = reviewer.form(f"/review/{slug}/actions", action="claim", revision=revision_of(reviewer, slug))
    assert claimed.status_code == 303  # type: ignore[attr-defined]
    working = reviewer.client.get(f"/api/review/articles/{slug}").json()
    bottom = working["article"]["bottom_line"]
    edit = {
        "statement": "bottom",
        "text": bottom["text"] + " ",
        "reason": "Whitespace only",
        "revision": working["revision"],
    }
    edited = reviewer.api(f"/api/review/articles/{slug}/edits", edit)
    assert edited.status_code == 200, edited.text  # type: ignore[attr-defined]
    after: dict[str, Any] = edited.json()  # type: ignore[attr-defined]
    assert after["version"] == 2 and after["article"]["bottom_line"]["citations"] == bottom["citations"]
    assert after["article"]["bottom_line"]["verdict"] == "supported"
    diff = reviewer.client.get(f"/review/{slug}/diff?from=1&to=2")
    assert diff.status_code == 200 and "Whitespace only" in diff.text
    approved = reviewer.form(f"/review/{slug}/actions", action="approve", revision=after["revision"])
    assert approved.status_code == 303  # type: ignore[attr-defined]
    page = client.get(url).text
    assert f"Reviewed by {reviewer.account.name} on" in page and "Pending human review" not in page
    again = slug_of(ask(client, question))
    assert again == slug, "the approved article answers the same question again"


def test_second_reviewer_gets_a_clear_conflict(app: FastAPI, client: TestClient) -> None:
    first, second = log_in(app, Role.REVIEWER), log_in(app, Role.REVIEWER)
    slug = slug_of(ask(client, SCREENING + " (conflict)"))
    seen = revision_of(second, slug)
    assert first.form(f"/review/{slug}/actions", action="claim", revision=seen).status_code == 303  # type: ignore[attr-defined]
    late = second.form(f"/review/{slug}/actions", action="claim", revision=seen)
    assert late.status_code == 409 and "Someone else changed this article" in late.text  # type: ignore[attr-defined]
    api = second.api(f"/api/review/articles/{slug}/actions", {"action": "claim", "revision": seen})
    assert api.status_code == 409 and "Reload" in api.json()["detail"]  # type: ignore[attr-defined]


def test_queue_joins_repeats_skips_abstentions_and_editors_dismiss(app: FastAPI, client: TestClient) -> None:
    editor = log_in(app, Role.EDITOR)
    question = ANSWERED + " (queue)"
    first = slug_of(ask(client, question, audience="patient"))
    ask(client, question, audience="patient")
    abstained = slug_of(ask(client, UNKNOWN_DRUG))
    nonsense = slug_of(ask(client, "xaµò N¯ after xaµò N¯ did not help"))
    queue = editor.client.get("/api/review/queue").json()
    mine = [e for e in queue if e["slug"] == first]
    assert len(mine) == 1 and mine[0]["ask_count"] == 2
    assert mine[0]["asked_as"] == "patient" and "patient audience" in mine[0]["risk_reasons"]
    assert abstained not in {e["slug"] for e in queue} and nonsense not in {e["slug"] for e in queue}
    page = editor.client.get("/review").text
    assert "asked 2× by a patient" in page and "root" not in page
    dismissed = editor.api("/api/review/dismiss", {"keys": [mine[0]["key"]]})
    assert dismissed.json() == [first]  # type: ignore[attr-defined]
    assert first not in {e["slug"] for e in editor.client.get("/api/review/queue").json()}
    actions = [e["action"] for e in editor.client.get("/api/review/audit-log").json()]
    assert "dismiss" in actions and "login" in actions


@pytest.mark.parametrize("state", ["under_review", "approved"])
def test_queue_filters_by_state(app: FastAPI, state: str) -> None:
    member: Member = log_in(app, Role.REVIEWER)
    listed = member.client.get(f"/api/review/queue?state={state}").json()
    assert all(e["status"] == state for e in listed)
    assert member.client.get("/review?state=nonsense").status_code == 422


def test_admin_creates_accounts_and_logout_ends_the_session(app: FastAPI) -> None:
    admin = log_in(app, Role.ADMIN)
    made = admin.form("/admin/accounts", email="new.reviewer@example.org", name="Dr New", role="reviewer",
                      password=PASSWORD)  # fmt: skip
    assert made.status_code == 303  # type: ignore[attr-defined]
    assert "new.reviewer@example.org" in admin.client.get("/admin/accounts").text
    short = admin.form("/admin/accounts", email="short@example.org", role="reviewer", password="short")
    assert short.status_code == 400  # type: ignore[attr-defined]
    assert admin.form("/logout").status_code == 303  # type: ignore[attr-defined]
    assert admin.client.get("/admin/accounts").status_code == 401


def test_account_json_api_is_for_admins_only(app: FastAPI) -> None:
    editor, admin = log_in(app, Role.EDITOR), log_in(app, Role.ADMIN)
    body = {"email": "api.reviewer@example.org", "role": "reviewer", "password": PASSWORD}
    assert editor.api("/api/admin/accounts", body).status_code == 403  # type: ignore[attr-defined]
    assert editor.client.get("/api/admin/accounts").status_code == 403
    made = admin.api("/api/admin/accounts", body)
    assert made.status_code == 201 and made.json()["role"] == "reviewer"  # type: ignore[attr-defined]
    assert admin.api("/api/admin/accounts", body).status_code == 409  # type: ignore[attr-defined]
    changed = admin.api("/api/admin/accounts/api.reviewer@example.org", {"active": False})
    assert changed.json()["active"] is False  # type: ignore[attr-defined]
    assert any(a["email"] == "api.reviewer@example.org" for a in admin.client.get("/api/admin/accounts").json())


def test_an_unsupported_rewording_fails_the_real_verifier_and_blocks_approval(app: FastAPI, client: TestClient) -> None:
    reviewer = log_in(app, Role.REVIEWER)
    slug = slug_of(ask(client, ANSWERED + " (reworded)"))
    claimed = reviewer.api(
        f"/api/review/articles/{slug}/actions", {"action": "claim", "revision": revision_of(reviewer, slug)}
    )
    working = claimed.json()  # type: ignore[attr-defined]
    bottom = working["article"]["bottom_line"]
    edit = {
        "statement": "bottom",
        "text": "Daily aspirin cures it within a week.",
        "reason": "Test",
        "revision": working["revision"],
    }
    edited = reviewer.api(f"/api/review/articles/{slug}/edits", edit).json()  # type: ignore[attr-defined]
    assert edited["article"]["bottom_line"]["verdict"] != "supported"
    assert edited["article"]["bottom_line"]["citations"] == bottom["citations"]
    assert edited["article"]["support"]["gate_passed"] is False
    refused = reviewer.api(
        f"/api/review/articles/{slug}/actions", {"action": "approve", "revision": edited["revision"]}
    )
    assert refused.status_code == 409 and "publish gate" in refused.json()["detail"]  # type: ignore[attr-defined]
    audit = log_in(app, Role.EDITOR).client.get("/api/review/audit-log").json()
    assert any(e["action"] == "edit" and e["slug"] == slug and e["detail"]["before"] == bottom["text"] for e in audit)


@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}, {"Origin": "https://elsewhere.example"}],
)
def test_cross_site_form_posts_are_refused_even_anonymous_ones(app: FastAPI, headers: dict[str, str]) -> None:
    anonymous = TestClient(app)
    response = anonymous.post("/ask", data={"question": ANSWERED}, headers=headers, follow_redirects=False)
    assert response.status_code == 403 and "another site" in response.text
    same = {"Sec-Fetch-Site": "same-origin"} if "Sec-Fetch-Site" in headers else {"Origin": "http://testserver"}
    ok = anonymous.post("/ask", data={"question": ANSWERED}, headers=same, follow_redirects=False)
    assert ok.status_code == 303
