"""Web-only pieces of the answer desk: article and related-question URLs.

The use cases themselves (ask, follow up, correct, present) live in the library,
:mod:`curbside.desk`, so the CLI and the JSON API call the same functions; they are
re-exported here for the routers.
"""

from __future__ import annotations

from urllib.parse import urlencode

from curbside.desk import AnswerDesk, ArticleNotFoundError, Presented, clean_text
from curbside.domain.article import Audience

__all__ = ["AnswerDesk", "ArticleNotFoundError", "Presented", "article_url", "clean_text", "related_url"]


def article_url(slug: str, audience: Audience | None = None) -> str:
    return f"/a/{slug}" + (f"?{urlencode({'audience': audience.value})}" if audience else "")


def related_url(question: str, audience: Audience) -> str:
    return "/ask?" + urlencode({"q": question, "audience": audience.value})
