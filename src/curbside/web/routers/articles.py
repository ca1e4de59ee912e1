"""Articles: the article page, follow-ups, "Understood as" corrections, and their JSON twins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from curbside.domain.article import Audience
from curbside.pipeline import QuestionError
from curbside.web.deps import AudienceParam, Desk
from curbside.web.desk import article_url
from curbside.web.models import MAX_RAW_QUESTION, RAW_QUESTION_LIMIT, ArticleResponse, FollowupRequest
from curbside.web.presenting import article_response, page_context
from curbside.web.rate_limits import RATE_LIMITED_RESPONSE, AskAllowance
from curbside.web.rendering import render

router = APIRouter(tags=["articles"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No article with that slug"}}


def split_names(value: str) -> list[str]:
    """A comma- or newline-separated form field as a list of names."""
    return [part for part in value.replace("\n", ",").split(",") if part.strip()]


@router.get("/a/{slug}", response_class=HTMLResponse, summary="The article page")
def article_page(request: Request, slug: str, desk: Desk, audience: AudienceParam = None) -> HTMLResponse:
    context = page_context(desk, desk.get(slug), audience)
    return render(request, "article.html", {**context, "followup_error": None, "followup_text": ""})


@router.post(
    "/a/{slug}/followups",
    summary="Ask a follow-up in this article's thread",
    dependencies=[AskAllowance],
    responses=RATE_LIMITED_RESPONSE,
)
def followup_submit(
    request: Request,
    slug: str,
    desk: Desk,
    question: Annotated[str, Form(json_schema_extra=RAW_QUESTION_LIMIT)] = "",
    audience: Annotated[Audience | None, Form()] = None,
) -> Response:
    stored = desk.get(slug)
    try:
        if len(question) > MAX_RAW_QUESTION:
            raise QuestionError(f"The follow-up is {len(question)} characters long; shorten it.")
        followup = desk.follow_up(slug, question, audience)
    except QuestionError as error:
        context = page_context(desk, stored, audience)
        extra = {"followup_error": str(error), "followup_text": question[:MAX_RAW_QUESTION]}
        return render(request, "article.html", {**context, **extra}, status.HTTP_400_BAD_REQUEST)
    target = article_url(followup.parent_slug or followup.slug, audience) + f"#followup-{followup.slug}"
    return RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)


@router.post(
    "/a/{slug}/understood",
    summary="Correct what was understood and re-ask",
    dependencies=[AskAllowance],
    responses=RATE_LIMITED_RESPONSE,
)
def understood_submit(
    slug: str,
    desk: Desk,
    conditions: Annotated[str, Form(max_length=2000)] = "",
    drugs: Annotated[str, Form(max_length=2000)] = "",
    current: Annotated[str, Form(max_length=2000)] = "",
    failed: Annotated[str, Form(max_length=2000)] = "",
    audience: Annotated[Audience | None, Form()] = None,
) -> Response:
    revised = desk.correct(slug, split_names(conditions), split_names(drugs), split_names(current), split_names(failed))
    return RedirectResponse(article_url(revised.slug, audience), status_code=status.HTTP_303_SEE_OTHER)


@router.get(
    "/api/articles/{slug}",
    response_model=ArticleResponse,
    responses=NOT_FOUND,
    summary="A stored article, reworded for ?audience=",
)
def api_article(slug: str, desk: Desk, audience: AudienceParam = None) -> ArticleResponse:
    return article_response(desk, desk.get(slug), audience)


@router.post(
    "/api/articles/{slug}/followups",
    response_model=ArticleResponse,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, 400: {"description": "Empty or too long question"}, **RATE_LIMITED_RESPONSE},
    summary="Answer a follow-up in the article's thread context",
    dependencies=[AskAllowance],
)
def api_followup(slug: str, body: FollowupRequest, desk: Desk) -> ArticleResponse:
    followup = desk.follow_up(slug, body.question, body.audience)
    return article_response(desk, followup, None)
