"""Log advisory-board accounts into the real app (a TestClient each, so cookies stay apart)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.testclient import TestClient

from curbside.review.accounts import Account, AccountBook, Role
from tests.review.board_fixtures import PASSWORD, TEST_HASHER

CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Member:
    client: TestClient
    account: Account
    csrf: str

    def form(self, path: str, **fields: object) -> object:
        return self.client.post(path, data={"csrf": self.csrf, **fields}, follow_redirects=False)

    def api(self, path: str, body: dict[str, object]) -> object:
        return self.client.post(path, json=body, headers={"X-CSRF-Token": self.csrf})


def new_account(app: FastAPI, role: Role) -> Account:
    book = AccountBook(app.state.services.repository, TEST_HASHER)
    return book.add(f"{role.value}-{uuid.uuid4().hex[:8]}@example.org", f"Dr {role.value.title()}", role, PASSWORD)


def login_csrf(client: TestClient) -> str:
    match = CSRF_FIELD.search(client.get("/login").text)
    assert match, "login form has no CSRF field"
    return match.group(1)


def log_in(app: FastAPI, role: Role) -> Member:
    account = new_account(app, role)
    client = TestClient(app)
    response = client.post(
        "/login",
        data={"email": account.email, "password": PASSWORD, "csrf": login_csrf(client), "next": "/review"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    match = CSRF_FIELD.search(client.get("/review").text)
    assert match
    return Member(client, account, match.group(1))


def revision_of(member: Member, slug: str) -> int:
    response = member.client.get(f"/api/review/articles/{slug}")
    assert response.status_code == 200, response.text
    revision: int = response.json()["revision"]
    return revision
