"""Every write endpoint from ONE table (docs/review.md's, checked against the app's routes):
anonymous callers and wrong roles are refused; and every page, error pages included, carries
the security headers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from curbside.review.accounts import Role
from tests.web.conftest import ask, slug_of
from tests.web.review_client import Member, log_in

TEMPLATES = Path(__file__).parents[2] / "src" / "curbside" / "web" / "templates"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
ROLES = (Role.REVIEWER, Role.EDITOR, Role.ADMIN)
ACCOUNT = "nobody@example.org"


@dataclass(frozen=True)
class Endpoint:
    path: str  # with {slug} / {email} placeholders, as routed
    json: bool
    body: dict[str, object] = field(default_factory=dict)
    roles: tuple[Role, ...] | None = None  # None: open to anyone (or authenticated otherwise)

    def url(self, slug: str) -> str:
        return self.path.replace("{slug}", slug).replace("{email}", ACCOUNT)


REVIEWER_UP = ROLES
EDITOR_UP = (Role.EDITOR, Role.ADMIN)
ADMIN = (Role.ADMIN,)
NEW_ACCOUNT = {"email": "x@example.org", "name": "X", "role": "reviewer", "password": "a long enough passphrase"}

# docs/review.md, "Write endpoints", row by row (the roles that may act; everyone else is refused).
ENDPOINTS = (
    Endpoint("/ask", False, {"question": "x"}),
    Endpoint("/api/ask", True, {"question": "x"}),
    Endpoint("/a/{slug}/followups", False, {"question": "x"}),
    Endpoint("/api/articles/{slug}/followups", True, {"question": "x"}),
    Endpoint("/a/{slug}/understood", False),
    Endpoint("/login", False),
    Endpoint("/cds-services/{service_id}", True),  # a JWT, not an account (tests/web/cds_hooks)
    Endpoint("/cds-services/{service_id}/feedback", True),
    Endpoint("/logout", False, {}, REVIEWER_UP),
    Endpoint("/review/{slug}/actions", False, {"action": "claim", "revision": 1}, REVIEWER_UP),
    Endpoint("/review/{slug}/actions", False, {"action": "assign", "revision": 1, "assignee": ACCOUNT}, EDITOR_UP),
    Endpoint("/review/{slug}/actions", False, {"action": "withdraw", "revision": 1, "note": "n"}, EDITOR_UP),
    Endpoint("/review/{slug}/actions", False, {"action": "reopen", "revision": 1, "note": "n"}, EDITOR_UP),
    Endpoint("/review/{slug}/comments", False, {"statement": "bottom", "text": "t"}, REVIEWER_UP),
    Endpoint("/review/{slug}/edits", False, {"statement": "bottom", "revision": 1, "text": "t"}, REVIEWER_UP),
    Endpoint("/review/dismiss", False, {"keys": "k"}, EDITOR_UP),
    Endpoint("/api/review/articles/{slug}/actions", True, {"action": "claim", "revision": 1}, REVIEWER_UP),
    Endpoint(
        "/api/review/articles/{slug}/actions", True, {"action": "assign", "revision": 1, "assignee": ACCOUNT}, EDITOR_UP
    ),
    Endpoint("/api/review/articles/{slug}/comments", True, {"statement": "bottom", "text": "t"}, REVIEWER_UP),
    Endpoint(
        "/api/review/articles/{slug}/edits", True, {"statement": "bottom", "text": "t", "reason": "r"}, REVIEWER_UP
    ),
    Endpoint("/api/review/dismiss", True, {"keys": ["k"]}, EDITOR_UP),
    Endpoint("/admin/accounts", False, NEW_ACCOUNT, ADMIN),
    Endpoint("/admin/accounts/{email}", False, {"role": "editor"}, ADMIN),
    Endpoint("/api/admin/accounts", True, NEW_ACCOUNT, ADMIN),
    Endpoint("/api/admin/accounts/{email}", True, {"role": "editor"}, ADMIN),
)
GUARDED = [e for e in ENDPOINTS if e.roles is not None]
WRONG_ROLES = [(e, role) for e in GUARDED for role in ROLES if role not in (e.roles or ())]


def label(endpoint: Endpoint) -> str:
    return f"{endpoint.path} {endpoint.body.get('action', '')}".strip()


def test_the_table_lists_every_write_route(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    routed = {path for path, operations in paths.items() if {m.upper() for m in operations} & WRITE_METHODS}
    assert routed == {e.path for e in ENDPOINTS}


@pytest.fixture(scope="module")
def slug(client: TestClient) -> str:
    return slug_of(ask(client))


@pytest.fixture(scope="module")
def members(app: FastAPI) -> dict[Role, Member]:
    return {role: log_in(app, role) for role in ROLES}


@pytest.mark.parametrize("endpoint", GUARDED, ids=label)
def test_anonymous_callers_are_refused(app: FastAPI, slug: str, endpoint: Endpoint) -> None:
    anonymous = TestClient(app)
    url = endpoint.url(slug)
    kwargs = {"json": endpoint.body} if endpoint.json else {"data": endpoint.body}
    response = anonymous.post(url, follow_redirects=False, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 401, response.text[:300]
    assert "log in" in response.text.lower()


@pytest.mark.parametrize(("endpoint", "role"), WRONG_ROLES, ids=lambda v: v.value if isinstance(v, Role) else label(v))
def test_wrong_roles_are_refused(members: dict[Role, Member], slug: str, endpoint: Endpoint, role: Role) -> None:
    member = members[role]
    url = endpoint.url(slug)
    response = member.api(url, endpoint.body) if endpoint.json else member.form(url, **endpoint.body)
    assert response.status_code == 403, response.text[:300]  # type: ignore[attr-defined]


PAGES = ["/", "/policy", "/sources", "/docs", "/login", "/review", "/a/no-such-article", "/nowhere", "/openapi.json"]


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_page_and_error(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "default-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_security_headers_on_refusals_and_articles(client: TestClient, slug: str) -> None:
    for response in (
        client.get(f"/a/{slug}"),
        client.post("/ask", data={"question": ""}),
        client.post("/api/ask", json={"question": ""}),
        client.post("/api/ask", content=b"{", headers={"content-type": "application/json"}),
        client.post("/review/dismiss", data={}),
    ):
        assert response.headers["x-content-type-options"] == "nosniff", response.status_code
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_served_templates_have_no_inline_script_style_or_handlers(template: str) -> None:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    # article_print.html is never served: it is handed to headless Chromium to print the PDF.
    if template != "article_print.html":
        assert "<style" not in text
    assert "<script>" not in text and "<script " not in text.replace('<script src="', "")
    assert " style=" not in text
    for handler in ("onclick=", "onload=", "onerror=", "onsubmit=", "onchange=", "oninput="):
        assert handler not in text


@pytest.mark.parametrize("endpoint", GUARDED, ids=label)
def test_the_same_requests_pass_the_guard_for_an_admin(app: FastAPI, client: TestClient, endpoint: Endpoint) -> None:
    # Control for the refusals above: the same request from a role allowed everything is not
    # refused for who sent it (it may still fail on the article's state: 404, 409, 422).
    admin = log_in(app, Role.ADMIN)
    url = endpoint.url(slug_of(ask(client)))
    response = admin.api(url, endpoint.body) if endpoint.json else admin.form(url, **endpoint.body)
    assert response.status_code not in (401, 403), response.text[:300]  # type: ignore[attr-defined]
