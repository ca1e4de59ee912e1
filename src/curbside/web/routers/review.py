"""Review pages: the advisory board's queue, the review screen, actions, comments, edits, diffs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from curbside.domain.article import ReviewStatus
from curbside.review.accounts import Role
from curbside.review.queue import QueueFilter
from curbside.review.statements import diff, statements
from curbside.review.workflow import ReviewAction, ReviewError, approval_blocker, transitions_from
from curbside.web.auth import EditorLogin, Login, OptionalLogin, ReviewerLogin, check_csrf
from curbside.web.deps import Editorial
from curbside.web.rendering import render, status_for

router = APIRouter(tags=["review"])
StateParam = Annotated[ReviewStatus | None, Query(description="Only entries in this state.")]
AssigneeParam = Annotated[str | None, Query(max_length=254, description="Only entries assigned to this e-mail.")]
AgeParam = Annotated[
    int | None, Query(ge=0, le=3650, description="Only entries first asked this many days ago or more.")
]
UpdatedParam = Annotated[bool | None, Query(description="Only entries whose cited source changed (or not).")]


def queue_filter(
    state: ReviewStatus | None, assignee: str | None, age: int | None, updated: bool | None
) -> QueueFilter:
    return QueueFilter(
        states=(state,) if state else (), assignee=assignee or None, older_than_days=age, source_updated=updated
    )


def _login_first(request: Request) -> Response:
    return RedirectResponse(f"/login?next={request.url.path}", status_code=status.HTTP_303_SEE_OTHER)


@router.get("/review", response_class=HTMLResponse, summary="The review queue (advisory board)")
def review_queue(
    request: Request,
    editorial: Editorial,
    login: OptionalLogin,
    state: StateParam = None,
    assignee: AssigneeParam = None,
    older_than_days: AgeParam = None,
    source_updated: UpdatedParam = None,
    done: str | None = None,
) -> Response:
    if login is None:
        return _login_first(request)
    entries = editorial.board.queue(queue_filter(state, assignee, older_than_days, source_updated))
    context = {
        "login": login,
        "entries": entries,
        "filters": {"state": state, "assignee": assignee or "", "age": older_than_days, "updated": source_updated},
        "can_dismiss": login.account.role.at_least(Role.EDITOR),
        "message": "Done." if done else None,
    }
    return render(request, "review.html", context)


def screen_context(editorial: Editorial, slug: str, login: Login, error: str | None = None) -> dict[str, Any]:
    working = editorial.working(slug)
    article = working.article
    comments = editorial.board.comments(slug)
    rows = [
        {
            "key": located.key,
            "heading": located.heading,
            "statement": located.statement,
            "refs": [r for r in article.references if r.n in located.statement.citations],
            "comments": [c for c in comments if c.statement == located.key],
        }
        for located in statements(article)
    ]
    account = login.account
    return {
        "login": login,
        "w": working,
        "a": article,
        "rows": rows,
        "versions": editorial.board.versions(slug),
        "events": editorial.repository.events(slug),
        "transitions": [t for t in transitions_from(working.status) if account.role.at_least(t.role)],
        "blocker": approval_blocker(article),
        "is_editor": account.role.at_least(Role.EDITOR),
        "may_edit": working.status in (ReviewStatus.UNDER_REVIEW, ReviewStatus.CHANGES_REQUESTED)
        and (account.role.at_least(Role.EDITOR) or working.assignee == account.email),
        "reviewers": [a for a in editorial.accounts.all() if a.active] if account.role.at_least(Role.EDITOR) else [],
        "error": error,
    }


@router.get("/review/{slug}", response_class=HTMLResponse, summary="The review screen for one article")
def review_screen(request: Request, slug: str, editorial: Editorial, login: OptionalLogin) -> Response:
    if login is None:
        return _login_first(request)
    return render(request, "review_article.html", screen_context(editorial, slug, login))


def _back(slug: str, anchor: str = "") -> Response:
    return RedirectResponse(f"/review/{slug}?done=1{anchor}", status_code=status.HTTP_303_SEE_OTHER)


def _refused(request: Request, editorial: Editorial, slug: str, login: Login, error: ReviewError) -> Response:
    code = status_for(error)
    if code == 404:
        raise error
    return render(request, "review_article.html", screen_context(editorial, slug, login, str(error)), code)


@router.post("/review/{slug}/actions", summary="Claim, assign, approve, request changes, reject, withdraw (form)")
def review_action(
    request: Request,
    slug: str,
    editorial: Editorial,
    login: ReviewerLogin,
    action: Annotated[ReviewAction, Form()],
    revision: Annotated[int, Form()],
    note: Annotated[str, Form(max_length=4000)] = "",
    assignee: Annotated[str, Form(max_length=254)] = "",
    override_gate: Annotated[str, Form(max_length=5)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(login, csrf)
    try:
        editorial.act(slug, action, login.account, revision, note, assignee or None, override_gate == "yes")
    except ReviewError as error:
        return _refused(request, editorial, slug, login, error)
    return _back(slug)


@router.post("/review/{slug}/comments", summary="Comment on a statement or mark it wrong (form)")
def review_comment(
    request: Request,
    slug: str,
    editorial: Editorial,
    login: ReviewerLogin,
    statement: Annotated[str, Form(max_length=20)],
    text: Annotated[str, Form(max_length=4000)] = "",
    wrong: Annotated[str, Form(max_length=5)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(login, csrf)
    try:
        editorial.comment(slug, statement, login.account, text, wrong == "yes")
    except ReviewError as error:
        return _refused(request, editorial, slug, login, error)
    return _back(slug, f"#st-{statement}")


@router.post("/review/{slug}/edits", summary="Edit a statement's wording; re-verified (form)")
def review_edit(
    request: Request,
    slug: str,
    editorial: Editorial,
    login: ReviewerLogin,
    statement: Annotated[str, Form(max_length=20)],
    revision: Annotated[int, Form()],
    text: Annotated[str, Form(max_length=4000)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(login, csrf)
    try:
        editorial.edit(slug, statement, login.account, revision, text, reason)
    except ReviewError as error:
        return _refused(request, editorial, slug, login, error)
    return _back(slug, f"#st-{statement}")


@router.post("/review/dismiss", summary="Dismiss queue entries in bulk (editors, form)")
def review_dismiss(
    editorial: Editorial,
    login: EditorLogin,
    csrf: Annotated[str, Form(max_length=100)] = "",
    keys: Annotated[list[str] | None, Form(max_length=500)] = None,
) -> Response:
    check_csrf(login, csrf)
    editorial.dismiss(keys or [], login.account)
    return RedirectResponse("/review?done=1", status_code=status.HTTP_303_SEE_OTHER)


@router.get("/review/{slug}/diff", response_class=HTMLResponse, summary="What changed between two versions")
def review_diff(
    request: Request,
    slug: str,
    editorial: Editorial,
    login: OptionalLogin,
    old: Annotated[int, Query(alias="from", ge=1)] = 1,
    new: Annotated[int | None, Query(alias="to", ge=1)] = None,
) -> Response:
    if login is None:
        return _login_first(request)
    editorial.working(slug)
    versions = {v.version: v for v in editorial.board.versions(slug)}
    new = new or max(versions)
    if old not in versions or new not in versions:
        return render(request, "error.html", {"title": "No such version", "message": "Pick listed versions."}, 404)
    lines = diff(versions[old].article, versions[new].article, f"version {old}", f"version {new}")
    context = {"slug": slug, "old": versions[old], "new": versions[new], "lines": lines, "login": login}
    return render(request, "review_diff.html", context)
