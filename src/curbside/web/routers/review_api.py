"""The review workflow as JSON: queue, review state, actions, comments, edits, versions, audit log.

Every write needs a logged-in session cookie plus the session's CSRF token in ``X-CSRF-Token``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query

from curbside.review.accounts import Role
from curbside.review.board import BoardArticle
from curbside.review.statements import diff
from curbside.review.workflow import require_role
from curbside.web.auth import ApiLogin, EditorLogin, ReviewerLogin
from curbside.web.deps import Editorial
from curbside.web.review_models import (
    ActionRequest,
    AuditEntryOut,
    BoardArticleOut,
    CommentOut,
    CommentRequest,
    DismissRequest,
    EditRequest,
    QueueEntryOut,
    VersionOut,
)
from curbside.web.routers.review import AgeParam, AssigneeParam, StateParam, UpdatedParam, queue_filter

router = APIRouter(prefix="/api/review", tags=["review"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not logged in"},
    403: {"description": "Role too low, or CSRF token missing or wrong"},
    404: {"description": "No article with that slug"},
    409: {"description": "Not allowed from the current state, gate failed, or a conflicting change"},
}


def _out(working: BoardArticle) -> BoardArticleOut:
    return BoardArticleOut(**{k: getattr(working, k) for k in BoardArticleOut.model_fields})


@router.get("/queue", response_model=list[QueueEntryOut], responses=ERRORS, summary="The review queue")
def api_queue(
    editorial: Editorial,
    login: ReviewerLogin,
    state: StateParam = None,
    assignee: AssigneeParam = None,
    older_than_days: AgeParam = None,
    source_updated: UpdatedParam = None,
) -> list[QueueEntryOut]:
    entries = editorial.board.queue(queue_filter(state, assignee, older_than_days, source_updated))
    return [QueueEntryOut(**asdict(e), priority=e.priority) for e in entries]


@router.get("/articles/{slug}", response_model=BoardArticleOut, responses=ERRORS, summary="An article's review state")
def api_working(slug: str, editorial: Editorial, login: ReviewerLogin) -> BoardArticleOut:
    return _out(editorial.working(slug))


@router.post(
    "/articles/{slug}/actions", response_model=BoardArticleOut, responses=ERRORS, summary="Take a review action"
)
def api_action(slug: str, body: ActionRequest, editorial: Editorial, login: ApiLogin) -> BoardArticleOut:
    done = editorial.act(slug, body.action, login.account, body.revision, body.note, body.assignee, body.override_gate)
    return _out(done)


@router.post(
    "/articles/{slug}/comments", response_model=CommentOut, status_code=201, responses=ERRORS, summary="Comment"
)
def api_comment(slug: str, body: CommentRequest, editorial: Editorial, login: ApiLogin) -> CommentOut:
    return CommentOut(**asdict(editorial.comment(slug, body.statement, login.account, body.text, body.wrong)))


@router.get("/articles/{slug}/comments", response_model=list[CommentOut], responses=ERRORS, summary="Comments")
def api_comments(slug: str, editorial: Editorial, login: ReviewerLogin) -> list[CommentOut]:
    editorial.working(slug)
    return [CommentOut(**asdict(c)) for c in editorial.board.comments(slug)]


@router.post(
    "/articles/{slug}/edits", response_model=BoardArticleOut, responses=ERRORS, summary="Edit wording (re-verified)"
)
def api_edit(slug: str, body: EditRequest, editorial: Editorial, login: ApiLogin) -> BoardArticleOut:
    return _out(editorial.edit(slug, body.statement, login.account, body.revision, body.text, body.reason))


@router.get("/articles/{slug}/versions", response_model=list[VersionOut], responses=ERRORS, summary="Versions")
def api_versions(slug: str, editorial: Editorial, login: ReviewerLogin) -> list[VersionOut]:
    editorial.working(slug)
    return [
        VersionOut(version=v.version, author=v.author, reason=v.reason, at=v.at) for v in editorial.board.versions(slug)
    ]


@router.get("/articles/{slug}/diff", response_model=list[str], responses=ERRORS, summary="Unified diff of two versions")
def api_diff(
    slug: str,
    editorial: Editorial,
    login: ReviewerLogin,
    old: Annotated[int, Query(alias="from", ge=1)] = 1,
    new: Annotated[int | None, Query(alias="to", ge=1)] = None,
) -> list[str]:
    editorial.working(slug)
    versions = {v.version: v for v in editorial.board.versions(slug)}
    new = new or max(versions)
    if old not in versions or new not in versions:
        return []
    return diff(versions[old].article, versions[new].article, f"version {old}", f"version {new}")


@router.post("/dismiss", response_model=list[str], responses=ERRORS, summary="Dismiss queue entries (editors)")
def api_dismiss(body: DismissRequest, editorial: Editorial, login: ApiLogin) -> list[str]:
    return editorial.dismiss(body.keys, login.account)


@router.get("/audit-log", response_model=list[AuditEntryOut], responses=ERRORS, summary="The audit log (editors)")
def api_audit_log(
    editorial: Editorial, login: EditorLogin, after_id: Annotated[int, Query(ge=0)] = 0
) -> list[AuditEntryOut]:
    require_role(login.account, Role.EDITOR, "The audit log")
    return [AuditEntryOut(**asdict(e)) for e in editorial.board.audit_log(after_id, limit=1000)]
