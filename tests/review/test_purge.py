"""`purge_older_than` and `curbside purge`: old threads go whole, recent ones stay, the audit log keeps
its entries and gains one without question text."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curbside.cli.main import app as cli
from curbside.domain.article import Audience
from curbside.domain.stored_articles import Relation
from curbside.review.board import ReviewBoard
from curbside.review.purge import purge_older_than
from curbside.review.repository import SqliteArticleRepository
from tests.review.samples import QUESTION, article

SECRET = "patient-identifying-detail-7731"


def age(repository: SqliteArticleRepository, thread: str, days: int) -> None:
    stamp = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
    connection = repository.connection()
    with connection:
        connection.execute(
            "UPDATE articles SET created_at = ?, updated_at = ? WHERE thread_id = ?", (stamp, stamp, thread)
        )


def seed(path: Path) -> tuple[SqliteArticleRepository, str, str]:
    repository = SqliteArticleRepository(path)
    old = repository.create(article().model_copy(update={"question": f"Old question {SECRET}?"}), QUESTION)
    repository.create(article(), QUESTION, thread_id=old.thread_id, parent_slug=old.slug, relation=Relation.FOLLOWUP)
    recent = repository.create(article().model_copy(update={"audience": Audience.NURSE}), QUESTION)
    ReviewBoard(repository).record("someone", "reviewer", "login", {}, slug=old.slug)
    age(repository, old.thread_id, 40)
    age(repository, recent.thread_id, 5)
    return repository, old.slug, recent.slug


def test_purge_removes_old_threads_whole_and_keeps_recent_ones(tmp_path: Path) -> None:
    repository, old, recent = seed(tmp_path / "review.sqlite")
    audit_before = ReviewBoard(repository).audit_log()
    result = purge_older_than(repository, 30)
    assert (result.threads, result.articles) == (1, 2)
    assert repository.get(old) is None and repository.get(recent) is not None
    assert (
        repository.connection().execute("SELECT COUNT(*) FROM queue_entries WHERE slug = ?", (old,)).fetchone()[0] == 0
    )
    audit = ReviewBoard(repository).audit_log()
    assert [e.id for e in audit[: len(audit_before)]] == [e.id for e in audit_before]  # entries kept
    assert audit[-1].action == "articles_purged" and audit[-1].detail["articles"] == 2
    assert SECRET not in json.dumps([e.detail for e in audit]) + "".join(str(e) for e in audit)
    assert purge_older_than(repository, 30).articles == 0  # nothing left to purge
    repository.close()


def test_negative_days_are_refused(tmp_path: Path) -> None:
    repository = SqliteArticleRepository(tmp_path / "review.sqlite")
    with pytest.raises(ValueError, match="0 or more"):
        purge_older_than(repository, -1)
    repository.close()


def test_purge_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    database = tmp_path / "data-review" / "review.sqlite3"  # where Settings puts the review database
    database.parent.mkdir()
    repository, old, recent = seed(database)
    repository.close()
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "purge", "--older-than-days", "30"])
    assert result.exit_code == 0, result.output
    assert "Purged 2 articles in 1 threads" in result.output
    reopened = SqliteArticleRepository(database)
    assert reopened.get(old) is None and reopened.get(recent) is not None
    reopened.close()
