"""Request dependencies as Annotated aliases: routers declare what they need by type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.templating import Jinja2Templates

from curbside.domain.article import Audience
from curbside.pipeline import Curbside
from curbside.protocols import RateLimiter
from curbside.review.repository import ArticleRepository
from curbside.review.workflow import ReviewDesk
from curbside.settings import Settings
from curbside.web.desk import AnswerDesk


@dataclass(frozen=True, slots=True)
class WebServices:
    """Everything the app builds once in ``create_app`` (kept on ``app.state``, never global)."""

    settings: Settings
    curbside: Curbside
    repository: ArticleRepository
    desk: AnswerDesk
    editorial: ReviewDesk
    templates: Jinja2Templates
    rate_limiter: RateLimiter


def get_services(request: Request) -> WebServices:
    services: WebServices = request.app.state.services
    return services


def get_desk(services: Annotated[WebServices, Depends(get_services)]) -> AnswerDesk:
    return services.desk


def get_editorial(services: Annotated[WebServices, Depends(get_services)]) -> ReviewDesk:
    return services.editorial


Services = Annotated[WebServices, Depends(get_services)]
Desk = Annotated[AnswerDesk, Depends(get_desk)]
Editorial = Annotated[ReviewDesk, Depends(get_editorial)]
AudienceParam = Annotated[Audience | None, Query(description="Reword and order the article for this reader.")]
