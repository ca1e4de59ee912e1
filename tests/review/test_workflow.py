"""Every review transition, every forbidden one, role boundaries, the gate, conflicts and edits."""

from __future__ import annotations

import sqlite3

import pytest

from curbside.domain.article import Article, ReviewStatus
from curbside.review.board import Change
from curbside.review.repository import StatusConflictError
from curbside.review.workflow import (
    TRANSITIONS,
    ReviewAction,
    ReviewConflictError,
    ReviewForbiddenError,
    ReviewRefusedError,
)
from tests.review.board_fixtures import Board
from tests.review.samples import QUESTION, article

S, U, A, C, R = (
    ReviewStatus.SUBMITTED,
    ReviewStatus.UNDER_REVIEW,
    ReviewStatus.APPROVED,
    ReviewStatus.CHANGES_REQUESTED,
    ReviewStatus.REJECTED,
)
REASON = "The dose needs its source sentence."


def bring_to(b: Board, status: ReviewStatus, item: Article | None = None) -> str:
    """A fresh article in ``status`` (claimed by b.reviewer when under review)."""
    slug = b.repository.create(item or article(), QUESTION).slug
    path = {
        S: [],
        U: [(ReviewAction.CLAIM, b.reviewer)],
        A: [(ReviewAction.CLAIM, b.reviewer), (ReviewAction.APPROVE, b.reviewer)],
        C: [(ReviewAction.CLAIM, b.reviewer), (ReviewAction.REQUEST_CHANGES, b.reviewer)],
        R: [(ReviewAction.CLAIM, b.reviewer), (ReviewAction.REJECT, b.reviewer)],
    }[status]
    for action, who in path:
        b.desk.act(slug, action, who, b.desk.working(slug).revision, REASON)
    assert b.desk.working(slug).status == status
    return slug


ALLOWED = [(source, t.action, t.target) for t in TRANSITIONS for source in t.sources]


@pytest.mark.parametrize(("source", "action", "target"), ALLOWED, ids=lambda v: str(v))
def test_every_allowed_transition(
    board: Board, source: ReviewStatus, action: ReviewAction, target: ReviewStatus
) -> None:
    slug = bring_to(board, source)
    done = board.desk.act(
        slug, action, board.editor, board.desk.working(slug).revision, REASON, assignee=board.reviewer.email
    )
    assert done.status == target
    assert board.repository.events(slug)[-1].to_status == target
    assert board.desk.board.audit_log()[-1].action == action.value


FORBIDDEN = [
    (source, action)
    for source in ReviewStatus
    for action in ReviewAction
    if (source, action) not in {(s, a) for s, a, _ in ALLOWED}
]


@pytest.mark.parametrize(("source", "action"), FORBIDDEN, ids=lambda v: str(v))
def test_every_forbidden_transition_is_refused(board: Board, source: ReviewStatus, action: ReviewAction) -> None:
    slug = bring_to(board, source)
    before = board.desk.working(slug)
    with pytest.raises(ReviewRefusedError, match="Cannot"):
        board.desk.act(slug, action, board.admin, before.revision, REASON, assignee=board.reviewer.email)
    assert board.desk.working(slug) == before


def test_claim_sets_the_assignee_and_reasons_are_required(board: Board) -> None:
    slug = bring_to(board, U)
    assert board.desk.working(slug).assignee == board.reviewer.email
    for action in (ReviewAction.REQUEST_CHANGES, ReviewAction.REJECT):
        with pytest.raises(ReviewRefusedError, match="needs a reason"):
            board.desk.act(slug, action, board.reviewer, board.desk.working(slug).revision, "  ")


@pytest.mark.parametrize("action", [ReviewAction.ASSIGN, ReviewAction.WITHDRAW, ReviewAction.REOPEN])
def test_reviewers_cannot_take_editor_actions(board: Board, action: ReviewAction) -> None:
    source = {ReviewAction.ASSIGN: S, ReviewAction.WITHDRAW: A, ReviewAction.REOPEN: R}[action]
    slug = bring_to(board, source)
    with pytest.raises(ReviewForbiddenError, match="editor"):
        board.desk.act(slug, action, board.reviewer, board.desk.working(slug).revision, REASON, board.rev2_email())


def test_only_the_assignee_or_an_editor_decides(board: Board) -> None:
    slug = bring_to(board, U)
    revision = board.desk.working(slug).revision
    with pytest.raises(ReviewForbiddenError, match="assigned reviewer"):
        board.desk.act(slug, ReviewAction.APPROVE, board.other_reviewer, revision)
    assert board.desk.act(slug, ReviewAction.APPROVE, board.editor, revision).status == A


def test_reviewers_cannot_dismiss(board: Board) -> None:
    with pytest.raises(ReviewForbiddenError):
        board.desk.dismiss(["x"], board.reviewer)


def test_gate_failure_blocks_approval_and_only_an_editor_overrides_with_a_justification(board: Board) -> None:
    slug = bring_to(board, U, article(gate_passed=False))
    revision = board.desk.working(slug).revision
    with pytest.raises(ReviewRefusedError, match="publish gate"):
        board.desk.act(slug, ReviewAction.APPROVE, board.reviewer, revision)
    with pytest.raises(ReviewForbiddenError, match="editor"):
        board.desk.act(slug, ReviewAction.APPROVE, board.reviewer, revision, "x" * 30, override_gate=True)
    with pytest.raises(ReviewRefusedError, match="justification"):
        board.desk.act(slug, ReviewAction.APPROVE, board.editor, revision, "ok", override_gate=True)
    done = board.desk.act(slug, ReviewAction.APPROVE, board.editor, revision, REASON, override_gate=True)
    assert done.status == A and done.reviewed_by == board.editor.name
    entry = board.desk.board.audit_log()[-1]
    assert entry.detail["gate_override"] is True and REASON in entry.detail["note"]


def test_unverified_article_cannot_be_approved(board: Board) -> None:
    slug = bring_to(board, U, article(gate_passed=None))
    with pytest.raises(ReviewRefusedError, match="never verified"):
        board.desk.act(slug, ReviewAction.APPROVE, board.reviewer, board.desk.working(slug).revision)


def test_second_writer_gets_a_conflict_not_a_lost_update(board: Board) -> None:
    slug = bring_to(board, S)
    seen = board.desk.working(slug).revision
    board.desk.act(slug, ReviewAction.CLAIM, board.reviewer, seen)
    with pytest.raises(ReviewConflictError, match="Someone else changed this article"):
        board.desk.act(slug, ReviewAction.CLAIM, board.other_reviewer, seen)
    assert board.desk.working(slug).assignee == board.reviewer.email


def test_approved_version_is_served_and_reused_for_the_same_question(board: Board) -> None:
    slug = bring_to(board, A)
    later = board.repository.create(article(), QUESTION)
    stored = board.repository.get(slug)
    assert stored is not None and stored.article.review.reviewed_by == board.reviewer.name
    assert stored.article.review.version == 1
    found = board.repository.find_root(QUESTION.text, "clinician")
    assert found is not None and found.slug == slug and later.slug != slug


def test_edit_reverifies_keeps_citations_and_makes_a_version_with_a_diff(board: Board) -> None:
    slug = bring_to(board, U)
    revision = board.desk.working(slug).revision
    edited = board.desk.edit(slug, "s0.0", board.reviewer, revision, "Offer psychotherapy.", "Tidy wording")
    assert edited.version == 2
    unsupported = board.desk.edit(slug, "bottom", board.reviewer, edited.revision, "Offer lithium.", "Try")
    assert unsupported.article.bottom_line is not None
    assert unsupported.article.bottom_line.citations == (1,)
    assert unsupported.article.support.gate_passed is False
    with pytest.raises(ReviewRefusedError, match="publish gate"):
        board.desk.act(slug, ReviewAction.APPROVE, board.reviewer, unsupported.revision)
    versions = board.desk.board.versions(slug)
    assert [(v.version, v.author, v.reason) for v in versions][1:] == [
        (2, board.reviewer.name, "Tidy wording"),
        (3, board.reviewer.name, "Try"),
    ]
    from curbside.review.statements import diff

    lines = diff(versions[1].article, versions[2].article, "v2", "v3")
    assert any(line.startswith("-[Bottom line] Offer psychotherapy.") for line in lines)
    assert any(line.startswith("+[Bottom line] Offer lithium.") for line in lines)


def test_an_edit_that_would_drop_a_citation_is_refused(board: Board) -> None:
    slug = bring_to(board, U)

    def dropping(item: Article, question: object) -> Article:
        return item.model_copy(update={"sections": ()})

    board.desk._reverify = dropping
    with pytest.raises(ReviewRefusedError, match="never citations"):
        board.desk.edit(slug, "bottom", board.reviewer, board.desk.working(slug).revision, "Offer care.", "why")
    assert board.desk.working(slug).version == 1


def test_edits_need_the_assignee_and_an_open_state(board: Board) -> None:
    slug = bring_to(board, U)
    revision = board.desk.working(slug).revision
    with pytest.raises(ReviewForbiddenError):
        board.desk.edit(slug, "bottom", board.other_reviewer, revision, "Offer psychotherapy.", "why")
    approved = bring_to(board, A)
    with pytest.raises(ReviewRefusedError, match="under review"):
        board.desk.edit(approved, "bottom", board.editor, board.desk.working(approved).revision, "x", "why")


def test_comments_and_wrong_marks_are_recorded(board: Board) -> None:
    slug = bring_to(board, U)
    board.desk.comment(slug, "bottom", board.other_reviewer, "Check the source date.")
    board.desk.comment(slug, "s0.0", board.reviewer, "Not for this population.", wrong=True)
    with pytest.raises(ReviewRefusedError, match="no statement"):
        board.desk.comment(slug, "s9.9", board.reviewer, "?")
    kinds = [(c.statement, c.kind) for c in board.desk.board.comments(slug)]
    assert kinds == [("bottom", "comment"), ("s0.0", "wrong")]
    assert [e.action for e in board.desk.board.audit_log()][-2:] == ["comment", "mark_wrong"]


def test_changed_source_sends_approved_articles_back_for_re_review(board: Board) -> None:
    approved = bring_to(board, A)
    reviewing = bring_to(board, U)
    assert board.desk.board.sources_changed(["other:9"]) == []
    assert board.desk.board.sources_changed(["ngc:1"]) == [approved]
    again = board.desk.working(approved)
    assert again.status == S and again.source_updated
    assert board.desk.working(reviewing).status == U and board.desk.working(reviewing).source_updated
    stored = board.repository.get(approved)
    assert stored is not None and stored.article.review.source_updated and stored.review_status == S
    assert "source updated" in board.repository.events(approved)[-1].note
    from curbside.review.queue import QueueFilter

    flagged = board.desk.board.queue(QueueFilter(source_updated=True))
    assert approved in [e.slug for e in flagged]
    reapproved = board.desk.act(approved, ReviewAction.CLAIM, board.reviewer, again.revision)
    done = board.desk.act(approved, ReviewAction.APPROVE, board.reviewer, reapproved.revision)
    assert not done.source_updated


def test_the_audit_log_is_append_only(board: Board) -> None:
    bring_to(board, U)
    connection = board.repository.connection()
    for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute(sql)
    assert board.desk.board.audit_log()[0].action == "claim"


def test_conflicts_hold_across_processes_sharing_the_file(board: Board) -> None:
    """A second repository on the same file (or PostgreSQL database) stands for another app worker."""
    from curbside.review.accounts import AccountBook
    from curbside.review.workflow import ReviewDesk
    from tests.review.board_fixtures import TEST_HASHER, keyword_reverify, reopen

    slug = bring_to(board, S)
    other = reopen(board.repository)
    worker = ReviewDesk(other, AccountBook(other, TEST_HASHER), keyword_reverify)
    seen = worker.working(slug).revision
    board.desk.act(slug, ReviewAction.CLAIM, board.reviewer, seen)
    with pytest.raises(ReviewConflictError):
        worker.act(slug, ReviewAction.CLAIM, board.other_reviewer, seen)
    with pytest.raises(StatusConflictError):
        worker.board.apply(slug, seen, Change("claim"), "x", "reviewer")
    other.close()
