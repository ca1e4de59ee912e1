"""The editorial workflow: token, transitions, notes, and the publish-gate refusal."""

from __future__ import annotations

import pytest

from curbside.domain.article import ReviewStatus
from curbside.review.memory import InMemoryArticleRepository
from curbside.review.workflow import (
    EditorialDesk,
    ReviewAction,
    ReviewDisabledError,
    ReviewForbiddenError,
    ReviewNotFoundError,
    ReviewRefusedError,
    approval_blocker,
)
from tests.review.samples import QUESTION, article

TOKEN = "s3cret"


def desk_with(gate_passed: bool | None = True, abstained: bool = False) -> tuple[EditorialDesk, str]:
    repo = InMemoryArticleRepository()
    return EditorialDesk(repo, TOKEN), repo.create(article(gate_passed, abstained), QUESTION).slug


def test_submitted_to_approved_and_back_with_notes() -> None:
    desk, slug = desk_with()
    desk.apply(slug, ReviewAction.START, TOKEN, "Dr A")
    desk.apply(slug, ReviewAction.REQUEST_CHANGES, TOKEN, "Dr A", "changes requested: cite the label")
    desk.apply(slug, ReviewAction.START, TOKEN, "Dr B")
    event = desk.apply(slug, ReviewAction.APPROVE, TOKEN, "  Dr   B ")
    assert event.to_status == ReviewStatus.APPROVED and event.reviewer == "Dr B"
    history = desk.repository.events(slug)
    assert [e.to_status for e in history] == [
        ReviewStatus.UNDER_REVIEW,
        ReviewStatus.SUBMITTED,
        ReviewStatus.UNDER_REVIEW,
        ReviewStatus.APPROVED,
    ]
    assert history[1].note == "changes requested: cite the label"
    with pytest.raises(ReviewRefusedError, match="needs a note"):
        desk.apply(slug, ReviewAction.REOPEN, TOKEN, "Dr B")
    desk.apply(slug, ReviewAction.REOPEN, TOKEN, "Dr B", "new label warning")


@pytest.mark.parametrize("token", [None, "", "s3cre", "s3cret ", "S3CRET"])
def test_wrong_tokens_are_forbidden(token: str | None) -> None:
    desk, slug = desk_with()
    with pytest.raises(ReviewForbiddenError):
        desk.apply(slug, ReviewAction.START, token, "Dr A")


def test_no_configured_token_disables_review() -> None:
    repo = InMemoryArticleRepository()
    slug = repo.create(article(), QUESTION).slug
    desk = EditorialDesk(repo, None)
    assert not desk.enabled
    with pytest.raises(ReviewDisabledError, match="CURBSIDE_ADVISORY_TOKEN"):
        desk.apply(slug, ReviewAction.START, "anything", "Dr A")


def test_unknown_article_and_illegal_transition() -> None:
    desk, slug = desk_with()
    with pytest.raises(ReviewNotFoundError):
        desk.apply("nope", ReviewAction.START, TOKEN, "Dr A")
    with pytest.raises(ReviewRefusedError, match="Submitted"):
        desk.apply(slug, ReviewAction.APPROVE, TOKEN, "Dr A")


def test_gate_failed_article_cannot_be_approved() -> None:
    desk, slug = desk_with(gate_passed=False)
    desk.apply(slug, ReviewAction.START, TOKEN, "Dr A")
    with pytest.raises(ReviewRefusedError, match="publish gate"):
        desk.apply(slug, ReviewAction.APPROVE, TOKEN, "Dr A")
    stored = desk.repository.get(slug)
    assert stored is not None and stored.review_status == ReviewStatus.UNDER_REVIEW


def test_unverified_answers_cannot_be_approved_but_abstentions_can() -> None:
    assert approval_blocker(article(gate_passed=None)) is not None
    assert approval_blocker(article(gate_passed=None, abstained=True)) is None
    assert approval_blocker(article(gate_passed=True)) is None
