"""Accounts: log in, log out, and (admins) manage the advisory board's accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from curbside.review.accounts import Account, AccountError, LoginRefusedError, LoginThrottledError, Role
from curbside.review.workflow import ReviewRefusedError, require_role
from curbside.web.auth import (
    SESSION_COOKIE,
    AdminLogin,
    ApiLogin,
    ReviewerLogin,
    check_csrf,
    check_login_csrf,
    login_csrf_token,
    set_login_csrf_cookie,
    set_session_cookie,
)
from curbside.web.deps import Editorial, Services
from curbside.web.rendering import render
from curbside.web.review_models import AccountChange, AccountCreate, AccountOut

router = APIRouter(tags=["accounts"])


def _safe_next(target: str) -> str:
    """Only same-site paths: a login link must not bounce the reviewer to another site."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/review"


def _login_page(
    request: Request, services: Services, error: str | None, email: str, next_url: str, code: int
) -> Response:
    token = login_csrf_token(request)
    page = render(request, "login.html", {"error": error, "email": email, "next": next_url, "csrf": token}, code)
    set_login_csrf_cookie(page, token, services.settings)
    return page


@router.get("/login", response_class=HTMLResponse, summary="Log-in page for advisory-board accounts")
def login_form(request: Request, services: Services, next: str = "/review") -> Response:
    return _login_page(request, services, None, "", _safe_next(next), 200)


@router.post("/login", summary="Log in (form)")
def login_submit(
    request: Request,
    services: Services,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/review",
) -> Response:
    check_login_csrf(request, csrf)
    book = services.editorial.accounts
    client = request.client.host if request.client else "unknown"
    try:
        account = book.authenticate(email, password, client)
    except LoginThrottledError as error:
        return _login_page(request, services, str(error), email, _safe_next(next), status.HTTP_429_TOO_MANY_REQUESTS)
    except LoginRefusedError as error:
        return _login_page(request, services, str(error), email, _safe_next(next), status.HTTP_401_UNAUTHORIZED)
    token, _csrf = book.start_session(account)
    services.editorial.board.record(account.name, account.role.value, "login", {"email": account.email})
    response = RedirectResponse(_safe_next(next), status_code=status.HTTP_303_SEE_OTHER)
    set_session_cookie(response, token, services.settings)
    return response


@router.post("/logout", summary="Log out (form)")
def logout_submit(
    request: Request, editorial: Editorial, login: ReviewerLogin, csrf: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    check_csrf(login, csrf)
    editorial.accounts.end_session(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _accounts_page(
    request: Request, editorial: Editorial, login: AdminLogin, message: str | None, code: int
) -> Response:
    context = {"accounts": editorial.accounts.all(), "roles": list(Role), "login": login, "message": message}
    return render(request, "accounts.html", context, code)


@router.get("/admin/accounts", response_class=HTMLResponse, summary="Accounts (admins)")
def accounts_page(request: Request, editorial: Editorial, login: AdminLogin) -> Response:
    return _accounts_page(request, editorial, login, None, 200)


@router.post("/admin/accounts", summary="Create an account (admins, form)")
def account_create(
    request: Request,
    editorial: Editorial,
    login: AdminLogin,
    email: Annotated[str, Form(max_length=254)] = "",
    name: Annotated[str, Form(max_length=100)] = "",
    role: Annotated[Role, Form()] = Role.REVIEWER,
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(login, csrf)
    try:
        account = editorial.accounts.add(email, name, role, password)
    except AccountError as error:
        return _accounts_page(request, editorial, login, str(error), status.HTTP_400_BAD_REQUEST)
    detail = {"email": account.email, "role": role.value}
    editorial.board.record(login.account.name, login.account.role.value, "account_created", detail)
    return RedirectResponse("/admin/accounts", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/admin/accounts/{email}", summary="Change an account's role or disable it (admins, form)")
def account_update(
    request: Request,
    email: str,
    editorial: Editorial,
    login: AdminLogin,
    role: Annotated[Role | None, Form()] = None,
    active: Annotated[str, Form(max_length=5)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(login, csrf)
    enabled = {"yes": True, "no": False}.get(active)
    try:
        account = editorial.accounts.update(email, role, enabled)
    except AccountError as error:
        return _accounts_page(request, editorial, login, str(error), status.HTTP_400_BAD_REQUEST)
    detail = {"email": account.email, "role": account.role.value, "active": account.active}
    editorial.board.record(login.account.name, login.account.role.value, "account_changed", detail)
    return RedirectResponse("/admin/accounts", status_code=status.HTTP_303_SEE_OTHER)


def _account_out(account: Account) -> AccountOut:
    return AccountOut(email=account.email, name=account.name, role=account.role, active=account.active)


@router.get("/api/admin/accounts", response_model=list[AccountOut], summary="Accounts (admins)")
def api_accounts(editorial: Editorial, login: AdminLogin) -> list[AccountOut]:
    return [_account_out(a) for a in editorial.accounts.all()]


@router.post("/api/admin/accounts", response_model=AccountOut, status_code=201, summary="Create an account (admins)")
def api_account_create(body: AccountCreate, editorial: Editorial, login: ApiLogin) -> AccountOut:
    require_role(login.account, Role.ADMIN, "Managing accounts")
    try:
        account = editorial.accounts.add(body.email, body.name, body.role, body.password)
    except AccountError as error:
        raise ReviewRefusedError(str(error)) from error
    detail = {"email": account.email, "role": account.role.value}
    editorial.board.record(login.account.name, login.account.role.value, "account_created", detail)
    return _account_out(account)


@router.post("/api/admin/accounts/{email}", response_model=AccountOut, summary="Change role or disable (admins)")
def api_account_update(email: str, body: AccountChange, editorial: Editorial, login: ApiLogin) -> AccountOut:
    require_role(login.account, Role.ADMIN, "Managing accounts")
    try:
        account = editorial.accounts.update(email, body.role, body.active)
    except AccountError as error:
        raise ReviewRefusedError(str(error)) from error
    detail = {"email": account.email, "role": account.role.value, "active": account.active}
    editorial.board.record(login.account.name, login.account.role.value, "account_changed", detail)
    return _account_out(account)
