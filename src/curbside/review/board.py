"""The advisory board's records: working copies, versions, comments, the audit log, re-review.

Every change names the revision the writer read (optimistic concurrency): a second reviewer
acting on the same article gets :class:`StatusConflictError` instead of silently overwriting
the first. Every change also appends one row to the audit log, in the same transaction; the
log refuses UPDATE and DELETE (database triggers).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from curbside.domain.article import Article, ReviewStatus
from curbside.review.connection import ReviewConnection, row_lock
from curbside.review.queue import QueueEntry, QueueFilter, dismiss, list_queue
from curbside.review.repository import SqlArticleRepository, StatusConflictError, now

SYSTEM_ACTOR = "Curbside (source updated)"


@dataclass(frozen=True, slots=True)
class BoardArticle:
    """An article as the board works on it: the working copy (latest version), not the approved one."""

    slug: str
    question: str
    status: ReviewStatus
    revision: int
    version: int
    approved_version: int | None
    assignee: str | None
    reviewed_by: str | None
    reviewed_at: str | None
    source_updated: bool
    article: Article


@dataclass(frozen=True, slots=True)
class Version:
    version: int
    author: str
    reason: str
    at: str
    article: Article


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    statement: str
    kind: str  # "comment" or "wrong"
    author: str
    text: str
    version: int
    at: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    role: str
    action: str
    slug: str | None
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Change:
    """What one board action does to an article row (None: leave as is)."""

    action: str
    to: ReviewStatus | None = None
    note: str = ""
    assignee: str | None = None
    clear_assignee: bool = False
    approve: bool = False
    detail: tuple[tuple[str, Any], ...] = ()


class ReviewBoard:
    """Board operations on the review database that ``repository`` opened."""

    def __init__(self, repository: SqlArticleRepository) -> None:
        self._db = repository

    def working(self, slug: str) -> BoardArticle | None:
        row = self._db.connection().execute("SELECT * FROM articles WHERE slug = ?", (slug,)).fetchone()
        if row is None:
            return None
        return BoardArticle(
            slug=row["slug"],
            question=row["question"],
            status=ReviewStatus(row["review_status"]),
            revision=row["revision"],
            version=row["version"],
            approved_version=row["approved_version"],
            assignee=row["assignee"],
            reviewed_by=row["reviewed_by"],
            reviewed_at=row["reviewed_at"],
            source_updated=bool(row["source_updated"]),
            article=Article.model_validate_json(row["article_json"]),
        )

    def apply(self, slug: str, revision: int, change: Change, actor: str, role: str) -> BoardArticle:
        """Apply ``change`` if the article is still at ``revision``; record event and audit row."""
        stamp = now()
        connection = self._db.connection()
        with self._db.write_lock, connection:
            current = self._locked_row(connection, slug, revision)
            sets, params = ["revision = revision + 1", "updated_at = ?"], list[str | None]([stamp])
            if change.to is not None:
                sets.append("review_status = ?")
                params.append(change.to.value)
            if change.assignee is not None or change.clear_assignee:
                sets.append("assignee = ?")
                params.append(change.assignee)
            if change.approve:
                sets += ["approved_version = version", "reviewed_by = ?", "reviewed_at = ?", "source_updated = 0"]
                params += [actor, stamp]
            connection.execute(f"UPDATE articles SET {', '.join(sets)} WHERE slug = ?", [*params, slug])
            if change.to is not None:
                connection.execute(
                    "INSERT INTO review_events(slug, from_status, to_status, reviewer, note, at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (slug, current["review_status"], change.to.value, actor, change.note, stamp),
                )
            detail = {"from": current["review_status"], "note": change.note, **dict(change.detail)}
            if change.to is not None:
                detail["to"] = change.to.value
            if change.assignee is not None:
                detail["assignee"] = change.assignee
            _audit(connection, stamp, actor, role, change.action, slug, detail)
        updated = self.working(slug)
        assert updated is not None
        return updated

    def save_version(
        self, slug: str, revision: int, article: Article, actor: str, role: str, reason: str, detail: dict[str, Any]
    ) -> BoardArticle:
        """Store ``article`` as the next version (the new working copy)."""
        stamp = now()
        connection = self._db.connection()
        with self._db.write_lock, connection:
            current = self._locked_row(connection, slug, revision)
            version = current["version"] + 1
            connection.execute(
                "INSERT INTO article_versions(slug, version, article_json, author, reason, at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (slug, version, article.model_dump_json(), actor, reason, stamp),
            )
            connection.execute(
                "UPDATE articles SET article_json = ?, version = ?, revision = revision + 1, updated_at = ?"
                " WHERE slug = ?",
                (article.model_dump_json(), version, stamp, slug),
            )
            connection.executemany(
                "INSERT INTO article_sources(slug, source_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(slug, ref.source_id) for ref in article.references],
            )
            _audit(connection, stamp, actor, role, "edit", slug, {"version": version, "reason": reason, **detail})
        updated = self.working(slug)
        assert updated is not None
        return updated

    def _locked_row(self, connection: ReviewConnection, slug: str, revision: int) -> Any:
        """The article row, write-locked for the rest of the transaction (SQLite: BEGIN IMMEDIATE
        locks the file; PostgreSQL: SELECT … FOR UPDATE locks the row): the thread lock covers
        one process, this covers several app workers on the same database."""
        if not connection.in_transaction:
            connection.execute("BEGIN IMMEDIATE")
        row = connection.execute(f"SELECT * FROM articles WHERE slug = ?{row_lock(connection)}", (slug,)).fetchone()
        if row is None:
            raise LookupError(slug)
        if row["revision"] != revision:
            status = row["review_status"].replace("_", " ")
            raise StatusConflictError(
                f"Someone else changed this article since you opened it (it is now {status}, "
                f"revision {row['revision']}; you had revision {revision}). Reload to see their change."
            )
        return row

    def comment(self, slug: str, statement: str, kind: str, actor: str, role: str, text: str) -> Comment:
        stamp = now()
        connection = self._db.connection()
        with self._db.write_lock, connection:
            (version,) = connection.execute("SELECT version FROM articles WHERE slug = ?", (slug,)).fetchone()
            (comment_id,) = connection.execute(
                "INSERT INTO comments(slug, statement, kind, author, text, version, at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                (slug, statement, kind, actor, text, version, stamp),
            ).fetchone()
            action = "mark_wrong" if kind == "wrong" else "comment"
            _audit(connection, stamp, actor, role, action, slug, {"statement": statement, "text": text})
        return Comment(int(comment_id), statement, kind, actor, text, version, stamp)

    def comments(self, slug: str) -> list[Comment]:
        rows = self._db.connection().execute("SELECT * FROM comments WHERE slug = ? ORDER BY id", (slug,))
        return [
            Comment(r["id"], r["statement"], r["kind"], r["author"], r["text"], r["version"], r["at"]) for r in rows
        ]

    def versions(self, slug: str) -> list[Version]:
        rows = self._db.connection().execute("SELECT * FROM article_versions WHERE slug = ? ORDER BY version", (slug,))
        return [
            Version(r["version"], r["author"], r["reason"], r["at"], Article.model_validate_json(r["article_json"]))
            for r in rows
        ]

    def queue(self, chosen: QueueFilter) -> list[QueueEntry]:
        return list_queue(self._db.connection(), chosen)

    def dismiss(self, keys: list[str], actor: str, role: str) -> list[str]:
        stamp = now()
        connection = self._db.connection()
        with self._db.write_lock, connection:
            slugs = dismiss(connection, keys, actor, stamp)
            for slug in slugs:
                _audit(connection, stamp, actor, role, "dismiss", slug, {})
        return slugs

    def sources_changed(self, source_ids: Iterable[str]) -> list[str]:
        """Re-review hook for ingest: every approved article citing a changed source goes back to
        the queue as Submitted, flagged "source updated"; articles still in review are flagged.

        Returns the slugs sent back for re-review.
        """
        ids = sorted(set(source_ids))
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        stamp, sent_back = now(), []
        connection = self._db.connection()
        with self._db.write_lock, connection:
            rows = connection.execute(
                "SELECT DISTINCT a.slug, a.review_status FROM articles a JOIN article_sources s ON s.slug = a.slug"
                f" WHERE s.source_id IN ({marks}) AND a.review_status != 'rejected'",
                ids,
            ).fetchall()
            for row in rows:
                slug, status = row["slug"], row["review_status"]
                changed = [
                    r[0]
                    for r in connection.execute(
                        f"SELECT source_id FROM article_sources WHERE slug = ? AND source_id IN ({marks})", [slug, *ids]
                    )
                ]
                new_status = ReviewStatus.SUBMITTED.value if status == ReviewStatus.APPROVED.value else status
                connection.execute(
                    "UPDATE articles SET source_updated = 1, review_status = ?, revision = revision + 1,"
                    " updated_at = ? WHERE slug = ?",
                    (new_status, stamp, slug),
                )
                connection.execute(
                    "UPDATE queue_entries SET dismissed_at = NULL, dismissed_by = NULL, last_asked = ? WHERE slug = ?",
                    (stamp, slug),
                )
                note = "source updated — re-review needed: " + ", ".join(changed)
                if new_status != status:
                    sent_back.append(slug)
                    connection.execute(
                        "INSERT INTO review_events(slug, from_status, to_status, reviewer, note, at)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (slug, status, new_status, SYSTEM_ACTOR, note, stamp),
                    )
                detail = {"from": status, "to": new_status, "sources": changed}
                _audit(connection, stamp, SYSTEM_ACTOR, "system", "source_updated", slug, detail)
        return sent_back

    def cited_passages(self) -> set[tuple[str, str, str]]:
        """(source id, passage id, quote) of every reference in an approved article (its approved
        version) or one under review: what a re-ingest must still contain for them to stand."""
        rows = self._db.connection().execute(
            "SELECT COALESCE(v.article_json, a.article_json) AS shown FROM articles a"
            " LEFT JOIN article_versions v ON v.slug = a.slug AND v.version = a.approved_version"
            " AND a.review_status = 'approved'"
            " WHERE a.review_status IN ('approved', 'under_review', 'changes_requested')"
        )
        cited = set()
        for row in rows:
            for ref in Article.model_validate_json(row["shown"]).references:
                cited.add((ref.source_id, ref.passage_id, ref.quote))
        return cited

    def audit_log(self, after_id: int = 0, limit: int | None = None) -> list[AuditEntry]:
        bounded = "" if limit is None else " LIMIT ?"
        rows = self._db.connection().execute(
            f"SELECT * FROM audit_log WHERE id > ? ORDER BY id{bounded}",
            (after_id, *(() if limit is None else (limit,))),
        )
        return [
            AuditEntry(r["id"], r["at"], r["actor"], r["role"], r["action"], r["slug"], json.loads(r["detail"]))
            for r in rows
        ]

    def record(self, actor: str, role: str, action: str, detail: dict[str, Any], slug: str | None = None) -> None:
        """Append an audit row for something that is not an article change (accounts, logins)."""
        connection = self._db.connection()
        with self._db.write_lock, connection:
            _audit(connection, now(), actor, role, action, slug, detail)


def _audit(
    connection: ReviewConnection,
    stamp: str,
    actor: str,
    role: str,
    action: str,
    slug: str | None,
    detail: dict[str, Any],
) -> None:
    connection.execute(
        "INSERT INTO audit_log(at, actor, role, action, slug, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (stamp, actor, role, action, slug, json.dumps(detail, ensure_ascii=False, sort_keys=True)),
    )
