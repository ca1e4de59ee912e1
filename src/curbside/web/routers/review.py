"""Review: the advisory board's queue (HTML) and status changes (form and JSON)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from curbside.domain.article import ReviewStatus
from curbside.review.workflow import ReviewAction, ReviewError, approval_blocker, transitions_from
from curbside.web.deps import AdvisoryTokenHeader, Desk, Editorial
from curbside.web.models import ReviewEventOut, ReviewRequest, ReviewResponse
from curbside.web.rendering import render, status_for

router = APIRouter(tags=["review"])


def review_page(
    request: Request,
    desk: Desk,
    editorial: Editorial,
    message: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    groups = [(s, desk.repository.by_status(s, limit=200)) for s in ReviewStatus]
    context = {
        "groups": groups,
        "enabled": editorial.enabled,
        "transitions_from": transitions_from,
        "blocker": approval_blocker,
        "message": message,
        "error": error,
    }
    return render(request, "review.html", context, status_code)


@router.get("/review", response_class=HTMLResponse, summary="The review queue")
def review_queue(request: Request, desk: Desk, editorial: Editorial, done: str | None = None) -> HTMLResponse:
    return review_page(request, desk, editorial, message="Review status changed." if done else None)


@router.post("/review/{slug}", summary="Change an article's review status (form)")
def review_submit(
    request: Request,
    slug: str,
    desk: Desk,
    editorial: Editorial,
    header_token: AdvisoryTokenHeader = None,
    action: Annotated[ReviewAction, Form()] = ReviewAction.START,
    reviewer: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    token: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    try:
        editorial.apply(slug, action, token or header_token, reviewer, note)
    except ReviewError as error:
        return review_page(request, desk, editorial, error=str(error), status_code=status_for(error))
    return RedirectResponse(f"/review?done=1#article-{slug}", status_code=status.HTTP_303_SEE_OTHER)


@router.post(
    "/api/articles/{slug}/review",
    response_model=ReviewResponse,
    summary="Change an article's review status (needs the X-Curbside-Advisory-Token header)",
    responses={
        403: {"description": "Review disabled, or token missing or wrong"},
        404: {"description": "No article with that slug"},
        409: {"description": "Not allowed from the current status, or the publish gate failed"},
    },
)
def api_review(
    slug: str, body: ReviewRequest, editorial: Editorial, token: AdvisoryTokenHeader = None
) -> ReviewResponse:
    event = editorial.apply(slug, body.action, token, body.reviewer, body.note)
    fields = {k: getattr(event, k) for k in ("from_status", "to_status", "reviewer", "note", "at")}
    return ReviewResponse(slug=slug, status=event.to_status, event=ReviewEventOut(**fields))
