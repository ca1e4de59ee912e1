"""What enters the review queue, how repeats join, and how it is ordered."""

from __future__ import annotations

from curbside.domain.article import Alert, Audience, SupportSummary
from curbside.review.queue import QueueFilter, reviewable, risk_reasons
from tests.review.board_fixtures import Board
from tests.review.samples import QUESTION, article


def test_abstained_empty_and_unverified_answers_are_not_reviewable() -> None:
    assert reviewable(article())
    assert not reviewable(article(abstained=True))
    assert not reviewable(article(gate_passed=None))
    empty = article().model_copy(update={"bottom_line": None, "sections": ()})
    assert not reviewable(empty)
    nothing_checked = article().model_copy(update={"support": SupportSummary(total=0, gate_passed=False)})
    assert not reviewable(nothing_checked)


def test_risk_reasons() -> None:
    assert risk_reasons(article()) == []
    risky = article().model_copy(
        update={
            "alerts": (Alert(kind="interaction", severity="major", text="x"),),
            "support": SupportSummary(supported=1, total=4, gate_passed=False),
            "audience": Audience.PATIENT,
        }
    )
    assert risk_reasons(risky) == ["safety alert", "low support", "patient audience"]


def test_repeats_join_one_entry_and_risk_and_count_order_the_queue(board: Board) -> None:
    repo = board.repository
    plain = repo.create(article(), QUESTION).slug
    repo.create(article(), QUESTION)
    alert = article().model_copy(
        update={"question": "Other question?", "alerts": (Alert(kind="dose", severity="contraindicated", text="x"),)}
    )
    risky = repo.create(alert, QUESTION).slug
    repo.create(article(abstained=True).model_copy(update={"question": "Unanswerable?"}), QUESTION)
    entries = board.desk.board.queue(QueueFilter())
    assert [(e.slug, e.ask_count, e.risk) for e in entries] == [(risky, 1, 3), (plain, 2, 0)]
    assert entries[1].asked_as == "clinician"
    assert board.desk.dismiss([entries[0].key], board.editor) == [risky]
    assert [e.slug for e in board.desk.board.queue(QueueFilter())] == [plain]
    repo.create(alert, QUESTION)  # asked again: back in the queue
    assert risky in [e.slug for e in board.desk.board.queue(QueueFilter())]
    assert board.desk.board.queue(QueueFilter(older_than_days=1)) == []
