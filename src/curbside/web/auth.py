"""Who is logged in: database sessions in an HttpOnly cookie, CSRF tokens, role dependencies.

Sessions live in the review database (several workers share them). Every unsafe request a
browser sends from another site is refused (Fetch Metadata / Origin), anonymous forms included. A logged-in form carries
the session's CSRF token; the login form, which has no session yet, uses a double-submit
cookie. JSON clients send the token in ``X-CSRF-Token``.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from curbside.review.accounts import SESSION_HOURS, Account, AccountBook, Role
from curbside.review.workflow import ReviewForbiddenError, ReviewLoginRequiredError, require_role
from curbside.settings import Settings

SESSION_COOKIE = "curbside_session"
LOGIN_CSRF_COOKIE = "curbside_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_MESSAGE = "The form expired or did not come from this site (CSRF check failed). Reload the page and try again."


@dataclass(frozen=True, slots=True)
class Login:
    account: Account
    csrf: str


def _book(request: Request) -> AccountBook:
    book: AccountBook = request.app.state.services.editorial.accounts
    return book


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TOKEN_AUTHENTICATED_PREFIXES = ("/cds-services",)
CROSS_SITE_MESSAGE = "Refused: this request came from another site. Use the forms on this site."


def cross_site(request: Request) -> bool:
    """True for a browser request sent from another site (Fetch Metadata, else the Origin header).

    Non-browser clients send neither header and pass; tokens still guard every account action.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc != request.headers.get("host", "")


def install_auth(app: FastAPI) -> None:
    """Refuse cross-site writes on every form (anonymous ones too), and look the session up once
    per request (only when a session cookie is sent)."""

    @app.middleware("http")
    async def attach_login(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # CDS Hooks calls come cross-origin from browser EHRs by design and carry a signed JWT, not
        # a cookie, so cross-site request forgery does not apply to them.
        token_authenticated = request.url.path.startswith(TOKEN_AUTHENTICATED_PREFIXES)
        if request.method in UNSAFE_METHODS and not token_authenticated and cross_site(request):
            return JSONResponse({"detail": CROSS_SITE_MESSAGE}, status_code=403)
        token = request.cookies.get(SESSION_COOKIE)
        found = await run_in_threadpool(_book(request).session, token) if token else None
        request.state.login = Login(*found) if found else None
        return await call_next(request)


def current_login(request: Request) -> Login | None:
    login: Login | None = getattr(request.state, "login", None)
    return login


def required_login(request: Request) -> Login:
    login = current_login(request)
    if login is None:
        raise ReviewLoginRequiredError("Log in with an advisory-board account to do that.")
    return login


def check_csrf(login: Login, token: str | None) -> None:
    if not token or not secrets.compare_digest(token.encode(), login.csrf.encode()):
        raise ReviewForbiddenError(CSRF_MESSAGE)


def _role_dependency(role: Role) -> Callable[[Request], Login]:
    def dependency(request: Request) -> Login:
        login = required_login(request)
        require_role(login.account, role, "This page")
        return login

    return dependency


def api_login(request: Request) -> Login:
    """A logged-in JSON client that sent the session's CSRF token in the header."""
    login = required_login(request)
    check_csrf(login, request.headers.get(CSRF_HEADER))
    return login


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    # Max-Age: the browser drops the cookie when the server-side session expires.
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        path="/",
    )


def login_csrf_token(request: Request) -> str:
    """The login form's CSRF token: the browser's existing one, else a new one."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


def set_login_csrf_cookie(response: Response, token: str, settings: Settings) -> None:
    """The same token as a cookie (double submit: another site can read neither)."""
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, secure=settings.secure_cookies, samesite="strict", path="/login"
    )


def check_login_csrf(request: Request, token: str) -> None:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not cookie or not token or not secrets.compare_digest(cookie.encode(), token.encode()):
        raise ReviewForbiddenError(CSRF_MESSAGE)


OptionalLogin = Annotated[Login | None, Depends(current_login)]
ReviewerLogin = Annotated[Login, Depends(_role_dependency(Role.REVIEWER))]
EditorLogin = Annotated[Login, Depends(_role_dependency(Role.EDITOR))]
AdminLogin = Annotated[Login, Depends(_role_dependency(Role.ADMIN))]
ApiLogin = Annotated[Login, Depends(api_login)]
