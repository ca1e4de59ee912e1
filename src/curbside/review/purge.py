"""Purging old questions: whole threads whose last activity is older than N days.

Questions may hold patient details, so an operator can keep them only as long as needed.
Everything hanging off an article (versions, sources, review events, comments, queue entry)
goes with it through ``ON DELETE CASCADE``. The append-only audit log keeps its entries —
they name actors, actions and slugs, never question text — and gains one entry for the purge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from curbside.review.board import ReviewBoard
from curbside.review.repository import SqlArticleRepository


@dataclass(frozen=True, slots=True)
class PurgeResult:
    threads: int
    articles: int
    cutoff: str


def purge_older_than(
    repository: SqlArticleRepository, days: int, actor: str = "curbside purge", at: datetime | None = None
) -> PurgeResult:
    """Delete every thread whose newest article was last updated more than ``days`` days ago."""
    if days < 0:
        raise ValueError("--older-than-days must be 0 or more")
    cutoff = ((at or datetime.now(UTC)) - timedelta(days=days)).isoformat(timespec="seconds")
    connection = repository.connection()
    with repository.write_lock, connection:
        threads = [
            row[0]
            for row in connection.execute(
                "SELECT thread_id FROM articles GROUP BY thread_id HAVING MAX(updated_at) < ?", (cutoff,)
            )
        ]
        deleted = 0
        for thread in threads:  # one statement per thread: parent links stay inside it
            deleted += connection.execute("DELETE FROM articles WHERE thread_id = ?", (thread,)).rowcount
    result = PurgeResult(threads=len(threads), articles=deleted, cutoff=cutoff)
    detail = {"older_than_days": days, "cutoff": cutoff, "threads": result.threads, "articles": result.articles}
    ReviewBoard(repository).record(actor, "cli", "articles_purged", detail)
    return result
