"""The review queue: one entry per distinct question, ordered by how often it is asked and by risk.

Only answers a reviewer can act on enter it: an abstention, an article with no statements or
one the verifier never checked has nothing to approve (a fuzz run once left 200 such entries).
Repeated questions raise the entry's ask count instead of adding rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from curbside.domain.article import Article, Audience, ReviewStatus
from curbside.review.connection import ReviewConnection

# Alert severities that make an answer riskier to leave unreviewed.
SERIOUS_ALERTS = frozenset({"contraindicated", "major", "emergency"})
LOW_SUPPORT_SHARE = 0.8  # below this share of supported statements, review comes sooner
RISK_WEIGHTS = {"safety alert": 3, "low support": 2, "patient audience": 1}
ACTIVE_STATES = (ReviewStatus.SUBMITTED, ReviewStatus.UNDER_REVIEW, ReviewStatus.CHANGES_REQUESTED)


def reviewable(article: Article) -> bool:
    """True when the article holds verified statements a reviewer can judge."""
    has_statements = article.bottom_line is not None or any(s.statements for s in article.sections)
    verified = article.support.gate_passed is not None and article.support.total > 0
    return not article.abstained and has_statements and verified


def risk_reasons(article: Article) -> list[str]:
    reasons = []
    if any(alert.severity in SERIOUS_ALERTS for alert in article.alerts):
        reasons.append("safety alert")
    support = article.support
    if support.total and support.supported / support.total < LOW_SUPPORT_SHARE:
        reasons.append("low support")
    if article.audience == Audience.PATIENT:
        reasons.append("patient audience")
    return reasons


def enqueue(connection: ReviewConnection, key: str, slug: str, article: Article, stamp: str) -> None:
    """Add a reviewable article's question to the queue, or count one more ask of it.

    Runs inside the caller's transaction. The entry keeps the article the board already has
    (a reviewer may be half-way through it); a dismissed entry asked again comes back.
    """
    if not reviewable(article):
        return
    reasons = risk_reasons(article)
    connection.execute(
        "INSERT INTO queue_entries(question_hash, slug, first_asked, last_asked, risk, risk_reasons)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(question_hash) DO UPDATE SET ask_count = queue_entries.ask_count + 1,"
        " last_asked = excluded.last_asked, dismissed_at = NULL, dismissed_by = NULL",
        (key, slug, stamp, stamp, sum(RISK_WEIGHTS[r] for r in reasons), json.dumps(reasons)),
    )


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Which entries to list. ``states`` empty: the active ones (not approved, rejected)."""

    states: tuple[ReviewStatus, ...] = ()
    assignee: str | None = None
    older_than_days: int | None = None
    source_updated: bool | None = None
    include_dismissed: bool = False
    limit: int = 200


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One question in the queue. ``asked_as`` is the asker's role (audience), never a user name."""

    key: str
    slug: str
    title: str
    status: ReviewStatus
    revision: int
    assignee: str | None
    ask_count: int
    first_asked: str
    last_asked: str
    risk: int
    risk_reasons: tuple[str, ...]
    source_updated: bool
    asked_as: str
    supported: int
    total: int
    gate_passed: bool | None
    dismissed: bool

    @property
    def priority(self) -> int:
        return self.ask_count + self.risk


def list_queue(connection: ReviewConnection, chosen: QueueFilter) -> list[QueueEntry]:
    states = chosen.states or ACTIVE_STATES
    where = [f"a.review_status IN ({', '.join('?' for _ in states)})"]
    params: list[object] = [s.value for s in states]
    if not chosen.include_dismissed:
        where.append("q.dismissed_at IS NULL")
    if chosen.assignee:
        where.append("a.assignee = ?")
        params.append(chosen.assignee)
    if chosen.older_than_days is not None:
        cutoff = datetime.now(UTC) - timedelta(days=chosen.older_than_days)
        where.append("q.first_asked <= ?")
        params.append(cutoff.isoformat(timespec="seconds"))
    if chosen.source_updated is not None:
        where.append("a.source_updated = ?")
        params.append(int(chosen.source_updated))
    rows = connection.execute(
        "SELECT q.*, a.review_status, a.revision, a.assignee, a.source_updated, a.audience, a.article_json"
        " FROM queue_entries q JOIN articles a ON a.slug = q.slug WHERE "
        + " AND ".join(where)
        + " ORDER BY a.source_updated DESC, q.ask_count + q.risk DESC, q.last_asked DESC LIMIT ?",
        [*params, chosen.limit],
    )
    return [_entry(row) for row in rows]


def _entry(row: Any) -> QueueEntry:
    article = Article.model_validate_json(row["article_json"])
    return QueueEntry(
        key=row["question_hash"],
        slug=row["slug"],
        title=article.title,
        status=ReviewStatus(row["review_status"]),
        revision=row["revision"],
        assignee=row["assignee"],
        ask_count=row["ask_count"],
        first_asked=row["first_asked"],
        last_asked=row["last_asked"],
        risk=row["risk"],
        risk_reasons=tuple(json.loads(row["risk_reasons"])),
        source_updated=bool(row["source_updated"]),
        asked_as=row["audience"],
        supported=article.support.supported,
        total=article.support.total,
        gate_passed=article.support.gate_passed,
        dismissed=row["dismissed_at"] is not None,
    )


def dismiss(connection: ReviewConnection, keys: list[str], by: str, stamp: str) -> list[str]:
    """Mark entries dismissed (inside the caller's transaction); return the slugs dismissed."""
    slugs = []
    for key in keys:
        row = connection.execute(
            "SELECT slug FROM queue_entries WHERE question_hash = ? AND dismissed_at IS NULL", (key,)
        ).fetchone()
        if row is not None:
            connection.execute(
                "UPDATE queue_entries SET dismissed_at = ?, dismissed_by = ? WHERE question_hash = ?", (stamp, by, key)
            )
            slugs.append(row["slug"])
    return slugs
