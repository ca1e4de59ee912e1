"""Articles and review history kept in an old knowledge-base file move to the review database once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from curbside.domain.article import ReviewStatus
from curbside.review.board import ReviewBoard
from curbside.review.legacy import import_knowledge_base_articles
from curbside.review.questions_json import understood_to_json
from curbside.review.queue import QueueFilter
from curbside.review.repository import SqliteArticleRepository, question_hash
from tests.review.samples import QUESTION, article

LEGACY_KNOWLEDGE_BASE = Path(__file__).resolve().parents[1] / "fixtures" / "legacy-schema" / "sqlite-knowledge.sql"


def old_knowledge_base(path: Path) -> None:
    """A knowledge base the old migration list made, articles table (m002) and all."""
    connection = sqlite3.connect(path)
    connection.executescript(LEGACY_KNOWLEDGE_BASE.read_text(encoding="utf-8"))
    item = article()
    for slug, status in (("oldapproved1", "approved"), ("oldsubmitted", "submitted")):
        connection.execute(
            "INSERT INTO articles(slug, question, question_hash, thread_id, parent_slug, relation, audience,"
            " article_json, understood_json, created_at, updated_at, review_status)"
            " VALUES (?, ?, ?, ?, NULL, 'root', 'clinician', ?, ?, '2026-01-01T00:00:00+00:00',"
            " '2026-01-02T00:00:00+00:00', ?)",
            (slug, f"{slug}?", question_hash(f"{slug}?", "clinician"), slug, item.model_dump_json(),
             understood_to_json(QUESTION), status),
        )  # fmt: skip
    connection.execute(
        "INSERT INTO review_events(slug, from_status, to_status, reviewer, note, at)"
        " VALUES ('oldapproved1', 'under_review', 'approved', 'Dr Old', '', '2026-01-02T00:00:00+00:00')"
    )
    connection.commit()
    connection.close()


def test_old_articles_move_once_with_their_approval(tmp_path: Path) -> None:
    old_knowledge_base(tmp_path / "curbside.sqlite3")
    repository = SqliteArticleRepository(tmp_path / "review.sqlite3")
    assert import_knowledge_base_articles(repository, tmp_path / "curbside.sqlite3") == 2
    assert import_knowledge_base_articles(repository, tmp_path / "curbside.sqlite3") == 0
    approved = repository.get("oldapproved1")
    assert approved is not None and approved.review_status == ReviewStatus.APPROVED
    assert approved.article.review.reviewed_by == "Dr Old" and approved.article.review.version == 1
    assert [e.reviewer for e in repository.events("oldapproved1")] == ["Dr Old"]
    queued = [e.slug for e in ReviewBoard(repository).queue(QueueFilter())]
    assert queued == ["oldsubmitted"]
    assert import_knowledge_base_articles(repository, tmp_path / "missing.sqlite3") == 0
    repository.close()
