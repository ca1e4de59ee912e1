"""The editorial workflow, with who may do what.

    submitted ─claim/assign→ under_review ─approve→ approved ─withdraw→ submitted
                                 │  ├─request changes→ changes_requested ─claim/assign→ under_review
                                 │  └─reject (reason)→ rejected ─reopen→ submitted
    (a changed cited source sends an approved article back to submitted, flagged)

Approval needs the verifier's publish gate; only an editor may override it, with a written
justification that is recorded. Reviewers act on articles assigned to them; editors on any.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from curbside.domain.article import Article, ReviewStatus
from curbside.domain.question import UnderstoodQuestion
from curbside.review.accounts import Account, AccountBook, Role
from curbside.review.board import BoardArticle, Change, Comment, ReviewBoard
from curbside.review.repository import SqlArticleRepository, StatusConflictError
from curbside.review.statements import citation_set, find, reword, statements

MAX_REVIEWER_CHARS = 100
MAX_NOTE_CHARS = 2000
MAX_STATEMENT_CHARS = 2000

# Re-runs the verifier (and safety screen) on an edited article: the library's verify call.
Reverify = Callable[[Article, UnderstoodQuestion], Article]


class ReviewAction(StrEnum):
    CLAIM = "claim"
    ASSIGN = "assign"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"


@dataclass(frozen=True, slots=True)
class Transition:
    action: ReviewAction
    label: str
    sources: tuple[ReviewStatus, ...]
    target: ReviewStatus
    needs_note: bool
    role: Role
    assignee_only: bool  # below editor, only the article's assignee may take it


_S, _U, _A, _C, _R = (
    ReviewStatus.SUBMITTED,
    ReviewStatus.UNDER_REVIEW,
    ReviewStatus.APPROVED,
    ReviewStatus.CHANGES_REQUESTED,
    ReviewStatus.REJECTED,
)
TRANSITIONS: tuple[Transition, ...] = (
    Transition(ReviewAction.CLAIM, "Claim for review", (_S, _C), _U, False, Role.REVIEWER, False),
    Transition(ReviewAction.ASSIGN, "Assign", (_S, _C, _U), _U, False, Role.EDITOR, False),
    Transition(ReviewAction.APPROVE, "Approve", (_U,), _A, False, Role.REVIEWER, True),
    Transition(ReviewAction.REQUEST_CHANGES, "Request changes", (_U,), _C, True, Role.REVIEWER, True),
    Transition(ReviewAction.REJECT, "Reject", (_U,), _R, True, Role.REVIEWER, True),
    # Withdrawn for new evidence or an error found; the reason is shown in the history.
    Transition(ReviewAction.WITHDRAW, "Withdraw approval", (_A,), _S, True, Role.EDITOR, False),
    Transition(ReviewAction.REOPEN, "Reopen", (_R,), _S, True, Role.EDITOR, False),
)

STATUS_LABELS = {
    ReviewStatus.SUBMITTED: "Submitted",
    ReviewStatus.UNDER_REVIEW: "Under review",
    ReviewStatus.APPROVED: "Approved",
    ReviewStatus.CHANGES_REQUESTED: "Changes requested",
    ReviewStatus.REJECTED: "Rejected",
}


class ReviewError(Exception):
    """Base: a review action was refused; the message is safe to show the reviewer."""


class ReviewLoginRequiredError(ReviewError):
    """No one is logged in (HTTP 401)."""


class ReviewForbiddenError(ReviewError):
    """The account's role does not allow this action (HTTP 403)."""


class ReviewNotFoundError(ReviewError):
    """No article has that slug (HTTP 404)."""


class ReviewRefusedError(ReviewError):
    """Not allowed now: wrong status, gate failed, missing reason (HTTP 409)."""


class ReviewConflictError(ReviewRefusedError):
    """Someone else changed the article since the caller read it (HTTP 409)."""


def transitions_from(status: ReviewStatus) -> tuple[Transition, ...]:
    return tuple(t for t in TRANSITIONS if status in t.sources)


def approval_blocker(article: Article) -> str | None:
    """Why this article cannot be approved, or None if it can."""
    if article.support.gate_passed is False:
        problems = "; ".join(article.support.problems) or "too few statements are supported by their sources"
        return f"This article failed the verifier's publish gate ({problems}); it cannot be approved."
    if article.support.gate_passed is None:
        return "This article was never verified, so it cannot be approved."
    return None


def require_role(actor: Account, role: Role, what: str) -> None:
    if not actor.role.at_least(role):
        raise ReviewForbiddenError(f"{what} needs the {role.value} role; you are {actor.role.value}.")


class ReviewDesk:
    """Applies review actions for logged-in accounts, checking role, status, gate and revision.

    Raises (from every method): ReviewForbiddenError, ReviewNotFoundError, ReviewRefusedError,
    ReviewConflictError — each with a message fit to show.

    Example::

        desk = ReviewDesk(repository, AccountBook(repository), reverify)
        article = desk.working(slug)
        desk.act(slug, ReviewAction.CLAIM, reviewer, article.revision)
    """

    def __init__(self, repository: SqlArticleRepository, accounts: AccountBook, reverify: Reverify | None) -> None:
        self.repository = repository
        self.board = ReviewBoard(repository)
        self.accounts = accounts
        self._reverify = reverify

    def working(self, slug: str) -> BoardArticle:
        found = self.board.working(slug) if len(slug) <= 64 else None
        if found is None:
            raise ReviewNotFoundError(f"No article {slug!r}.")
        return found

    def act(
        self,
        slug: str,
        action: ReviewAction,
        actor: Account,
        revision: int,
        note: str = "",
        assignee: str | None = None,
        override_gate: bool = False,
    ) -> BoardArticle:
        """Take ``action`` on ``slug`` as ``actor``, who read it at ``revision``."""
        transition = next(t for t in TRANSITIONS if t.action == action)
        require_role(actor, transition.role, f"“{transition.label}”")
        current = self._at_revision(slug, revision)
        note = note.strip()
        if current.status not in transition.sources:
            raise ReviewRefusedError(
                f"Cannot {transition.label.lower()}: the article is {STATUS_LABELS[current.status]}."
            )
        if transition.assignee_only and not actor.role.at_least(Role.EDITOR) and current.assignee != actor.email:
            raise ReviewForbiddenError("Only the assigned reviewer or an editor can decide on this article.")
        if len(note) > MAX_NOTE_CHARS:
            raise ReviewRefusedError(f"The note is longer than {MAX_NOTE_CHARS} characters.")
        if transition.needs_note and not note:
            raise ReviewRefusedError(f"“{transition.label}” needs a reason.")
        change = Change(action.value, transition.target, note)
        if action == ReviewAction.CLAIM:
            change = Change(action.value, transition.target, note, assignee=actor.email)
        elif action == ReviewAction.ASSIGN:
            change = Change(action.value, transition.target, note, assignee=self._reviewer(assignee))
        elif action == ReviewAction.APPROVE:
            change = self._approval(current, actor, note, override_gate)
        elif transition.target in (_S, _R):
            change = Change(action.value, transition.target, note, clear_assignee=True)
        return self._apply(slug, revision, change, actor)

    def _at_revision(self, slug: str, revision: int) -> BoardArticle:
        """The article, provided nobody changed it since the caller read ``revision``."""
        current = self.working(slug)
        if current.revision != revision:
            raise ReviewConflictError(
                f"Someone else changed this article since you opened it (it is now {STATUS_LABELS[current.status]}, "
                f"revision {current.revision}; you had revision {revision}). Reload to see their change."
            )
        return current

    def _reviewer(self, email: str | None) -> str:
        account = self.accounts.get(email or "")
        if account is None or not account.active:
            raise ReviewRefusedError(f"No active account {email!r} to assign.")
        return account.email

    def _approval(self, current: BoardArticle, actor: Account, note: str, override: bool) -> Change:
        blocker = approval_blocker(current.article)
        if blocker is None:
            return Change(ReviewAction.APPROVE.value, _A, note, approve=True)
        if not override:
            raise ReviewRefusedError(blocker)
        require_role(actor, Role.EDITOR, "Overriding the publish gate")
        if len(note) < 20:
            raise ReviewRefusedError("Overriding the publish gate needs a written justification (20+ characters).")
        detail = (("gate_override", True), ("gate_problem", blocker))
        return Change(ReviewAction.APPROVE.value, _A, f"Publish gate overridden: {note}", approve=True, detail=detail)

    def _apply(self, slug: str, revision: int, change: Change, actor: Account) -> BoardArticle:
        try:
            return self.board.apply(slug, revision, change, actor.name, actor.role.value)
        except StatusConflictError as error:
            raise ReviewConflictError(str(error)) from error

    def comment(self, slug: str, key: str, actor: Account, text: str, wrong: bool = False) -> Comment:
        """A comment on statement ``key``, or (``wrong``) a mark that the statement is wrong."""
        require_role(actor, Role.REVIEWER, "Commenting")
        current = self.working(slug)
        text = text.strip()
        if find(current.article, key) is None:
            raise ReviewRefusedError(f"The article has no statement {key!r}.")
        if not text or len(text) > MAX_NOTE_CHARS:
            raise ReviewRefusedError(f"Write the comment (1–{MAX_NOTE_CHARS} characters).")
        return self.board.comment(slug, key, "wrong" if wrong else "comment", actor.name, actor.role.value, text)

    def edit(self, slug: str, key: str, actor: Account, revision: int, text: str, reason: str) -> BoardArticle:
        """New wording for statement ``key``: re-verified, saved as a new version (who/when/why).

        The statement keeps its citations; an edit after which any citation would be gone is refused.
        """
        require_role(actor, Role.REVIEWER, "Editing")
        current = self._at_revision(slug, revision)
        text, reason = " ".join(text.split()), reason.strip()
        if current.status not in (_U, _C):
            raise ReviewRefusedError("Only articles under review or with changes requested can be edited.")
        if not actor.role.at_least(Role.EDITOR) and current.assignee != actor.email:
            raise ReviewForbiddenError("Only the assigned reviewer or an editor can edit this article.")
        located = find(current.article, key)
        if located is None:
            raise ReviewRefusedError(f"The article has no statement {key!r}.")
        if not text or len(text) > MAX_STATEMENT_CHARS or not reason or len(reason) > MAX_NOTE_CHARS:
            raise ReviewRefusedError("Give the new wording and say why it changed.")
        if self._reverify is None:
            raise ReviewRefusedError("The verifier is not available here, so wording cannot be edited.")
        stored = self.repository.get(slug)
        assert stored is not None
        verified = self._reverify(reword(current.article, key, text), stored.understood)
        lost = citation_set(current.article) - citation_set(verified)
        after = find(verified, key)
        if lost or after is None or _cited_by_statement(verified) != _cited_by_statement(current.article):
            missing = ", ".join(f"[{n}]" for n in sorted(lost)) or "this statement's citations"
            raise ReviewRefusedError(f"This edit would drop {missing}; edits change wording, never citations.")
        detail = {"statement": key, "before": located.statement.text, "after": text, "verdict": after.statement.verdict}
        try:
            return self.board.save_version(slug, revision, verified, actor.name, actor.role.value, reason, detail)
        except StatusConflictError as error:
            raise ReviewConflictError(str(error)) from error

    def dismiss(self, keys: list[str], actor: Account) -> list[str]:
        """Take questions out of the queue in bulk (editors)."""
        require_role(actor, Role.EDITOR, "Dismissing queue entries")
        return self.board.dismiss(keys, actor.name, actor.role.value)


def _cited_by_statement(article: Article) -> list[tuple[str, tuple[int, ...]]]:
    return [(located.key, located.statement.citations) for located in statements(article)]
