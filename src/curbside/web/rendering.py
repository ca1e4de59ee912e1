"""Template rendering and error pages shared by the HTML routers."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from curbside import __version__
from curbside.domain.article import Audience, ReviewStatus
from curbside.protocols import ComposerUnavailableError
from curbside.review.workflow import (
    STATUS_LABELS,
    ReviewError,
    ReviewForbiddenError,
    ReviewLoginRequiredError,
    ReviewNotFoundError,
)
from curbside.web.desk import ArticleNotFoundError

HERE = Path(__file__).resolve().parent

AUDIENCE_LABELS = {
    Audience.CLINICIAN: "Clinician",
    Audience.PHARMACIST: "Pharmacist",
    Audience.NURSE: "Nurse",
    Audience.STUDENT: "Student",
    Audience.PATIENT: "Patient or carer",
}


def create_templates() -> Jinja2Templates:
    """Jinja2 with autoescaping on for every template (questions are untrusted text)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # A source's URL is data (a user guideline names its own): only web addresses become links,
    # never javascript: or data: URLs.
    environment.tests["web_link"] = lambda url: isinstance(url, str) and urlsplit(url).scheme in ("http", "https")
    environment.globals.update(
        version=__version__,
        audiences=list(Audience),
        audience_labels=AUDIENCE_LABELS,
        status_labels=STATUS_LABELS,
        statuses=list(ReviewStatus),
    )
    return Jinja2Templates(env=environment)


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.services.templates
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status_code: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", {"title": title, "message": message}, status_code)


def status_for(error: Exception) -> int:
    """HTTP status for a refused request (never 500 for something the caller sent)."""
    if isinstance(error, ArticleNotFoundError | ReviewNotFoundError):
        return 404
    if isinstance(error, ReviewLoginRequiredError):
        return 401
    if isinstance(error, ReviewForbiddenError):
        return 403
    if isinstance(error, ReviewError):
        return 409
    if isinstance(error, ComposerUnavailableError):
        return 503
    return 400
