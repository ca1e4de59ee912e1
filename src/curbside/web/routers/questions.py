"""Asking: the ask page, form and link submissions, and ``POST /api/ask``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from curbside.domain.article import Audience
from curbside.pipeline import MAX_QUESTION_CHARS, QuestionError
from curbside.web.deps import Desk
from curbside.web.desk import article_url
from curbside.web.models import MAX_RAW_QUESTION, RAW_QUESTION_LIMIT, ArticleResponse, AskRequest
from curbside.web.presenting import article_response
from curbside.web.rate_limits import RATE_LIMITED_RESPONSE, AskAllowance
from curbside.web.rendering import render

router = APIRouter(tags=["questions"])

EXAMPLES: tuple[tuple[str, str], ...] = (
    (
        "Next step",
        "Patient on buspirone for years with increased symptoms, several SSRIs tried with no "
        "improvement: best course of action?",
    ),
    ("Treatment", "What are the treatments for sickle cell disease?"),
    ("Screening", "Should adults be screened for colorectal cancer, and from what age?"),
    ("Interaction", "Can sertraline be taken together with tramadol?"),
    ("Symptoms", "What are the symptoms of Paget's disease of bone?"),
)


def ask_form(
    request: Request, question: str = "", audience: Audience = Audience.CLINICIAN, error: str | None = None
) -> HTMLResponse:
    context = {
        "question": question[:MAX_RAW_QUESTION],
        "audience": audience,
        "error": error,
        "examples": EXAMPLES,
        "max_chars": MAX_QUESTION_CHARS,
    }
    return render(request, "ask.html", context, status.HTTP_400_BAD_REQUEST if error else 200)


@router.get("/", response_class=HTMLResponse, summary="The ask page")
def ask_page(request: Request) -> HTMLResponse:
    return ask_form(request)


@router.post(
    "/ask",
    summary="Ask from the form; redirects to the new article",
    dependencies=[AskAllowance],
    responses=RATE_LIMITED_RESPONSE,
)
def ask_submit(
    request: Request,
    desk: Desk,
    question: Annotated[str, Form(json_schema_extra=RAW_QUESTION_LIMIT)] = "",
    audience: Annotated[Audience, Form()] = Audience.CLINICIAN,
) -> Response:
    if len(question) > MAX_RAW_QUESTION:
        error = f"The question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}."
        return ask_form(request, question, audience, error)
    try:
        stored = desk.ask(question, audience)
    except QuestionError as error:
        return ask_form(request, question, audience, str(error))
    return RedirectResponse(article_url(stored.slug), status_code=status.HTTP_303_SEE_OTHER)


@router.get(
    "/ask",
    summary="Open the article for a linked question (created on first visit)",
    dependencies=[AskAllowance],
    responses=RATE_LIMITED_RESPONSE,
)
def ask_link(
    request: Request,
    desk: Desk,
    q: Annotated[str, Query(max_length=MAX_RAW_QUESTION)] = "",
    audience: Annotated[Audience, Query()] = Audience.CLINICIAN,
) -> Response:
    if not q.strip():
        return RedirectResponse("/", status_code=status.HTTP_303_SEE_OTHER)
    try:
        stored = desk.ask_or_reuse(q, audience)
    except QuestionError as error:
        return ask_form(request, q, audience, str(error))
    return RedirectResponse(article_url(stored.slug, audience), status_code=status.HTTP_303_SEE_OTHER)


@router.post(
    "/api/ask",
    response_model=ArticleResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Ask a question; returns the stored article with its slug and URL",
    responses={
        400: {"description": "Empty or too long question, or an unreadable patient record"},
        404: {"description": "Unknown thread"},
        **RATE_LIMITED_RESPONSE,
    },
    dependencies=[AskAllowance],
)
def api_ask(body: AskRequest, desk: Desk) -> ArticleResponse:
    stored = desk.ask(body.question, body.audience, thread=body.thread, patient=body.patient)
    return article_response(desk, stored, None)
