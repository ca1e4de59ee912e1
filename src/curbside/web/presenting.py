"""Turn stored articles into what readers get: the JSON response and the page context."""

from __future__ import annotations

from typing import Any

from curbside.composition.audience import collapsed_summary
from curbside.domain.article import Audience, ReviewStatus, Verdict
from curbside.review.repository import Relation, StoredArticle
from curbside.review.workflow import transitions_from
from curbside.web.desk import AnswerDesk, Presented, article_url
from curbside.web.models import ArticleLink, ArticleResponse, Readability, ReviewEventOut

# Verdicts a reader must be warned about, with the words the page uses.
FLAGGED_VERDICTS = {
    Verdict.PARTIAL: "Only partly supported by its source",
    Verdict.UNSUPPORTED: "Not supported by its source",
    Verdict.MISAPPLIED: "Source may not apply to this patient",
    Verdict.UNCHECKED: "Not checked by the verifier",
}
STATUS_STEPS = (ReviewStatus.SUBMITTED, ReviewStatus.UNDER_REVIEW, ReviewStatus.APPROVED)


def link(stored: StoredArticle) -> ArticleLink:
    return ArticleLink(
        slug=stored.slug,
        url=article_url(stored.slug),
        question=stored.question,
        relation=stored.relation.value,
        review_status=stored.review_status,
    )


def article_response(desk: AnswerDesk, stored: StoredArticle, audience: Audience | None) -> ArticleResponse:
    """The API shape: the article (reworded for ``audience``) plus slug, URL, thread, readability."""
    presented = desk.present(stored, audience)
    events = desk.repository.events(stored.slug)
    return ArticleResponse(
        **presented.article.model_dump(),
        slug=stored.slug,
        url=article_url(stored.slug),
        thread_id=stored.thread_id,
        parent_slug=stored.parent_slug,
        relation=stored.relation.value,
        readability=Readability(fk_grade=presented.fk_grade),
        thread=tuple(link(a) for a in desk.thread(stored)),
        review_events=tuple(ReviewEventOut(**_event_fields(e)) for e in events),
    )


def _event_fields(event: Any) -> dict[str, Any]:
    return {k: getattr(event, k) for k in ("from_status", "to_status", "reviewer", "note", "at")}


def body_context(presented: Presented, prefix: str) -> dict[str, Any]:
    """What the article-body macro needs for one article (``prefix`` keeps anchors unique)."""
    article = presented.article
    return {
        "p": presented,
        "a": article,
        "prefix": prefix,
        "quotes": {ref.n: ref for ref in article.references},
        "emergencies": [alert for alert in article.alerts if alert.kind == "emergency"],
        "alerts": [alert for alert in article.alerts if alert.kind != "emergency"],
        "summaries": {i: collapsed_summary(s, article.audience) for i, s in enumerate(article.sections)},
        "flagged": FLAGGED_VERDICTS,
    }


def page_context(desk: AnswerDesk, stored: StoredArticle, audience: Audience | None) -> dict[str, Any]:
    """Context for ``article.html``: the article, its thread and its review state."""
    presented = desk.present(stored, audience)
    others = desk.thread(stored)
    followups = []
    if stored.relation != Relation.FOLLOWUP:
        followups = [
            body_context(desk.present(a, presented.article.audience), f"f{i}-")
            for i, a in enumerate(others, 1)
            if a.relation == Relation.FOLLOWUP and a.parent_slug == stored.slug
        ]
    root = next((a for a in others if a.slug == stored.parent_slug), None)
    return {
        "stored": stored,
        "main": body_context(presented, ""),
        "audience": presented.article.audience,
        "followups": followups,
        "parent": root,
        "revisions": [a for a in others if a.relation == Relation.REVISION and a.parent_slug == stored.slug],
        "steps": STATUS_STEPS,
        "events": desk.repository.events(stored.slug),
        "transitions": transitions_from(stored.review_status),
        "understood": stored.understood,
        "others": [
            d.name
            for d in stored.understood.drugs
            if d not in stored.understood.current_medications + stored.understood.failed_medications
        ],
    }
