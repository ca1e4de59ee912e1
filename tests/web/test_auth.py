"""Sessions expire, logout ends the session on the server, and logout itself is CSRF-guarded."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from curbside.review.accounts import SESSION_HOURS, Role
from curbside.web.auth import SESSION_COOKIE
from tests.review.board_fixtures import PASSWORD
from tests.web.review_client import Member, log_in, login_csrf, new_account


def _token(member: Member) -> str:
    token = member.client.cookies.get(SESSION_COOKIE)
    assert token
    return token


def _session_row(app: FastAPI, token: str) -> tuple[str, str] | None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    row = (
        app.state.services.repository.connection()
        .execute("SELECT created_at, expires_at FROM sessions WHERE token_hash = ?", (digest,))
        .fetchone()
    )
    return None if row is None else (row[0], row[1])


def _replay(app: FastAPI, token: str) -> TestClient:
    """A fresh client that sends only this session cookie (an attacker who copied it)."""
    client = TestClient(app)
    client.cookies.set(SESSION_COOKIE, token)
    return client


def _sent_to_login(client: TestClient) -> bool:
    page = client.get("/review", follow_redirects=False)
    return page.status_code == 303 and page.headers["location"].startswith("/login")


def test_sessions_last_twelve_hours_in_the_database_and_the_cookie(app: FastAPI) -> None:
    member = log_in(app, Role.REVIEWER)
    row = _session_row(app, _token(member))
    assert row is not None
    created, expires = (datetime.fromisoformat(value) for value in row)
    assert expires - created == timedelta(hours=SESSION_HOURS)
    # The browser forgets the cookie at the same moment the server stops accepting it.
    browser = TestClient(app)
    response = browser.post(
        "/login",
        data={"email": member.account.email, "password": PASSWORD, "csrf": login_csrf(browser)},
        follow_redirects=False,
    )
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith(SESSION_COOKIE))
    assert f"Max-Age={SESSION_HOURS * 3600}" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_an_expired_session_cookie_is_refused(app: FastAPI) -> None:
    member = log_in(app, Role.REVIEWER)
    token = _token(member)
    assert member.client.get("/api/review/queue").status_code == 200
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat(timespec="seconds")
    digest = hashlib.sha256(token.encode()).hexdigest()
    repository = app.state.services.repository
    with repository.write_lock, repository.connection() as connection:
        connection.execute("UPDATE sessions SET expires_at = ? WHERE token_hash = ?", (past, digest))
    assert member.client.get("/api/review/queue").status_code == 401
    assert _sent_to_login(member.client)
    refused = member.api("/api/review/dismiss", {"slugs": []})
    assert refused.status_code == 401  # type: ignore[attr-defined]


def test_logout_ends_the_session_on_the_server(app: FastAPI) -> None:
    member = log_in(app, Role.REVIEWER)
    token = _token(member)
    assert _replay(app, token).get("/api/review/queue").status_code == 200
    response = member.form("/logout")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert SESSION_COOKIE not in member.client.cookies
    # The copied cookie is worthless now: the session row is gone, not just the browser's cookie.
    assert _session_row(app, token) is None
    assert _replay(app, token).get("/api/review/queue").status_code == 401
    assert _sent_to_login(_replay(app, token))


def test_logout_needs_the_session_csrf_token(app: FastAPI) -> None:
    member = log_in(app, Role.REVIEWER)
    token = _token(member)
    missing = member.client.post("/logout", data={}, follow_redirects=False)
    wrong = member.client.post("/logout", data={"csrf": "forged"}, follow_redirects=False)
    assert (missing.status_code, wrong.status_code) == (403, 403)
    cross_site = member.client.post(
        "/logout", data={"csrf": member.csrf}, headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False
    )
    assert cross_site.status_code == 403
    # None of the refused attempts logged the reviewer out (forced logout is a nuisance attack).
    assert _session_row(app, token) is not None
    assert member.client.get("/api/review/queue").status_code == 200


def test_logout_without_a_session_is_refused(app: FastAPI) -> None:
    with TestClient(app) as anonymous:
        assert anonymous.post("/logout", data={"csrf": "x"}, follow_redirects=False).status_code == 401


def test_logging_in_issues_a_new_session_token(app: FastAPI) -> None:
    """A token planted in the browser before login is never the one that gets logged in."""
    account = new_account(app, Role.REVIEWER)
    client = TestClient(app)
    client.cookies.set(SESSION_COOKIE, "planted-by-an-attacker")
    response = client.post(
        "/login",
        data={"email": account.email, "password": PASSWORD, "csrf": login_csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    issued = response.cookies.get(SESSION_COOKIE)
    assert issued and issued != "planted-by-an-attacker"
    assert _replay(app, "planted-by-an-attacker").get("/api/review/queue").status_code == 401


def test_other_sessions_of_the_account_survive_one_logout(app: FastAPI) -> None:
    first = log_in(app, Role.REVIEWER)
    second_client = TestClient(app)
    second_client.post(
        "/login",
        data={"email": first.account.email, "password": PASSWORD, "csrf": login_csrf(second_client)},
        follow_redirects=False,
    )
    assert first.form("/logout").status_code == 303  # type: ignore[attr-defined]
    assert second_client.get("/api/review/queue").status_code == 200
