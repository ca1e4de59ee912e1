"""An article as a FHIR R4 ``DocumentReference`` with the article attached.

Attachments: the Markdown text (base64 ``data``), the article's page (``url``), and, when
asked for, the PDF. ``docStatus`` is ``final`` only once the advisory board approved the
article; before that it is ``preliminary`` — the same caution the page shows.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from curbside import __version__
from curbside.domain.article import Article, ReviewStatus


def document_reference(
    article: Article,
    status: ReviewStatus,
    *,
    slug: str,
    base_url: str,
    created: str,
    markdown: str,
    pdf: bytes | None = None,
) -> dict[str, Any]:
    page = f"{base_url}/a/{slug}"
    content: list[dict[str, Any]] = [
        {"attachment": _attachment("text/markdown; charset=utf-8", article.title, created, data=markdown.encode())},
        {"attachment": {"contentType": "text/html", "url": page, "title": article.title, "creation": created}},
    ]
    if pdf is not None:
        content.append({"attachment": _attachment("application/pdf", article.title, created, data=pdf)})
    return {
        "resourceType": "DocumentReference",
        "identifier": [{"system": f"{base_url}/a", "value": slug}],
        "status": "current",
        "docStatus": "final" if status is ReviewStatus.APPROVED else "preliminary",
        "type": {"text": "Clinical question answer (Curbside)"},
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "author": [{"display": f"Curbside {__version__}"}],
        "description": article.title,
        "content": content,
    }


def _attachment(content_type: str, title: str, created: str, *, data: bytes) -> dict[str, Any]:
    return {
        "contentType": content_type,
        "language": "en",
        "data": base64.b64encode(data).decode("ascii"),
        "size": len(data),
        "title": title,
        "creation": created,
    }
