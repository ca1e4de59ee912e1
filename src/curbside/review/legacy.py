"""One-time move of articles and review events out of the knowledge-base file.

Before the review database existed, articles lived in the knowledge base (migration
``m002_articles``), where rebuilding or cleaning the knowledge base deleted them. On first use of
an empty review database they are copied over, with their status, history and queue entries.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from curbside.domain.article import Article
from curbside.review.connection import ReviewConnection
from curbside.review.queue import enqueue
from curbside.review.repository import COMPOSER_AUTHOR, SqlArticleRepository

ARTICLE_COLUMNS = (
    "slug, question, question_hash, thread_id, parent_slug, relation, audience, article_json, understood_json,"
    " created_at, updated_at, review_status"
)


def import_knowledge_base_articles(repository: SqlArticleRepository, knowledge_base: Path) -> int:
    """Copy articles from ``knowledge_base`` when the review database has none; return how many."""
    connection = repository.connection()
    if not knowledge_base.exists() or connection.execute("SELECT 1 FROM articles LIMIT 1").fetchone():
        return 0
    source = sqlite3.connect(f"file:{knowledge_base}?mode=ro", uri=True)
    source.row_factory = sqlite3.Row
    try:
        if not source.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'").fetchone():
            return 0
        articles = source.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY rowid").fetchall()
        events = source.execute(
            "SELECT slug, from_status, to_status, reviewer, note, at FROM review_events ORDER BY id"
        ).fetchall()
    finally:
        source.close()
    with repository.write_lock, connection:
        for row in articles:
            _copy(connection, row, [e for e in events if e["slug"] == row["slug"]])
    return len(articles)


def _copy(connection: ReviewConnection, row: sqlite3.Row, events: list[sqlite3.Row]) -> None:
    marks = ", ".join("?" for _ in ARTICLE_COLUMNS.split(","))
    connection.execute(f"INSERT INTO articles({ARTICLE_COLUMNS}) VALUES ({marks})", tuple(row))
    article = Article.model_validate_json(row["article_json"])
    connection.execute(
        "INSERT INTO article_versions(slug, version, article_json, author, reason, at) VALUES (?, 1, ?, ?, ?, ?)",
        (row["slug"], row["article_json"], COMPOSER_AUTHOR, "moved from the knowledge base", row["created_at"]),
    )
    connection.executemany(
        "INSERT INTO article_sources(slug, source_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(row["slug"], ref.source_id) for ref in article.references],
    )
    connection.executemany(
        "INSERT INTO review_events(slug, from_status, to_status, reviewer, note, at) VALUES (?, ?, ?, ?, ?, ?)",
        [tuple(e) for e in events],
    )
    approval = next((e for e in reversed(events) if e["to_status"] == "approved"), None)
    if row["review_status"] == "approved" and approval is not None:
        connection.execute(
            "UPDATE articles SET approved_version = 1, reviewed_by = ?, reviewed_at = ? WHERE slug = ?",
            (approval["reviewer"], approval["at"], row["slug"]),
        )
    if row["relation"] == "root":
        enqueue(connection, row["question_hash"], row["slug"], article, row["created_at"])
