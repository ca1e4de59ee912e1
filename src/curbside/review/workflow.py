"""The editorial workflow: Submitted → Under Review → Approved, changed only by the advisory board.

Every change names its reviewer and is recorded. An article whose publish gate failed can
never be approved: the gate exists so that unsupported text is not shown as vetted.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum

from curbside.domain.article import Article, ReviewStatus
from curbside.review.repository import ArticleRepository, ReviewEvent, StatusConflictError

MAX_REVIEWER_CHARS = 100
MAX_NOTE_CHARS = 2000


class ReviewAction(StrEnum):
    START = "start_review"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REOPEN = "reopen"


@dataclass(frozen=True, slots=True)
class Transition:
    action: ReviewAction
    label: str
    source: ReviewStatus
    target: ReviewStatus
    needs_note: bool


TRANSITIONS: tuple[Transition, ...] = (
    Transition(ReviewAction.START, "Start review", ReviewStatus.SUBMITTED, ReviewStatus.UNDER_REVIEW, False),
    Transition(ReviewAction.APPROVE, "Approve", ReviewStatus.UNDER_REVIEW, ReviewStatus.APPROVED, False),
    Transition(
        ReviewAction.REQUEST_CHANGES, "Request changes", ReviewStatus.UNDER_REVIEW, ReviewStatus.SUBMITTED, True
    ),
    # An approved article can be withdrawn (new evidence, an error found); the note says why.
    Transition(ReviewAction.REOPEN, "Withdraw approval", ReviewStatus.APPROVED, ReviewStatus.SUBMITTED, True),
)

STATUS_LABELS = {
    ReviewStatus.SUBMITTED: "Submitted",
    ReviewStatus.UNDER_REVIEW: "Under review",
    ReviewStatus.APPROVED: "Approved",
}


class ReviewError(Exception):
    """Base: a review action was refused; the message is safe to show the reviewer."""


class ReviewDisabledError(ReviewError):
    """No advisory token is configured, so nobody can change review status."""


class ReviewForbiddenError(ReviewError):
    """The advisory token was missing or wrong."""


class ReviewNotFoundError(ReviewError):
    """No article has that slug."""


class ReviewRefusedError(ReviewError):
    """The action is not allowed now (wrong status, gate failed, missing reviewer or note)."""


def transitions_from(status: ReviewStatus) -> tuple[Transition, ...]:
    return tuple(t for t in TRANSITIONS if t.source == status)


def approval_blocker(article: Article) -> str | None:
    """Why this article cannot be approved, or None if it can."""
    if article.support.gate_passed is False:
        problems = "; ".join(article.support.problems) or "too few statements are supported by their sources"
        return f"This article failed the verifier's publish gate ({problems}); it cannot be approved. Re-ask instead."
    if article.support.gate_passed is None and not article.abstained:
        return "This article was never verified, so it cannot be approved."
    return None


class EditorialDesk:
    """Applies review actions for holders of the advisory token.

    Args:
        repository: where articles and review events live.
        advisory_token: the board's shared token; None disables every review action.

    Raises (from ``apply``): ReviewDisabledError, ReviewForbiddenError, ReviewNotFoundError,
    ReviewRefusedError — each with a message fit to show.

    Example::

        desk = EditorialDesk(repo, settings.advisory_token)
        desk.apply(slug, ReviewAction.START, token="…", reviewer="Dr Okafor")
    """

    def __init__(self, repository: ArticleRepository, advisory_token: str | None) -> None:
        self.repository = repository
        self._token = advisory_token or None

    @property
    def enabled(self) -> bool:
        return self._token is not None

    def check_token(self, token: str | None) -> None:
        if self._token is None:
            raise ReviewDisabledError(
                "Review actions are disabled: no advisory token is configured (set CURBSIDE_ADVISORY_TOKEN)."
            )
        # Constant-time comparison: the token is the only credential the board has.
        if not token or not secrets.compare_digest(token.encode(), self._token.encode()):
            raise ReviewForbiddenError("The advisory token is missing or wrong.")

    def apply(self, slug: str, action: ReviewAction, token: str | None, reviewer: str, note: str = "") -> ReviewEvent:
        """Check the token, the current status and the gate, then record the change."""
        self.check_token(token)
        stored = self.repository.get(slug)
        if stored is None:
            raise ReviewNotFoundError(f"No article {slug!r}.")
        reviewer, note = " ".join(reviewer.split()), note.strip()
        transition = next((t for t in TRANSITIONS if t.action == action), None)
        if transition is None or transition.source != stored.review_status:
            raise ReviewRefusedError(
                f"Cannot {action.value.replace('_', ' ')}: the article is {STATUS_LABELS[stored.review_status]}."
            )
        if not reviewer or len(reviewer) > MAX_REVIEWER_CHARS:
            raise ReviewRefusedError(f"Give the reviewer's name (1–{MAX_REVIEWER_CHARS} characters).")
        if len(note) > MAX_NOTE_CHARS:
            raise ReviewRefusedError(f"The note is longer than {MAX_NOTE_CHARS} characters.")
        if transition.needs_note and not note:
            raise ReviewRefusedError(f"“{transition.label}” needs a note saying what should change.")
        if transition.target == ReviewStatus.APPROVED:
            blocker = approval_blocker(stored.article)
            if blocker:
                raise ReviewRefusedError(blocker)
        try:
            return self.repository.change_status(slug, transition.source, transition.target, reviewer, note)
        except StatusConflictError as error:
            raise ReviewRefusedError(f"{error}; reload and try again.") from error
