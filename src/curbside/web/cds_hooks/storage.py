"""What the CDS Hooks service keeps: cards issued, clinicians' feedback, and used JWT ids.

Three tables in the article database (created on first use). No patient data is stored:
a card row holds the service, the card's summary and indicator; feedback holds the
outcome, the override reason and the clinician's comment, as the EHR sent them.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from curbside.knowledge.sqlite_connections import ThreadConnections
from curbside.web.cds_hooks.models import Card, FeedbackItem

SCHEMA = """
CREATE TABLE IF NOT EXISTS cds_cards (
    uuid TEXT PRIMARY KEY, service TEXT NOT NULL, hook_instance TEXT NOT NULL,
    summary TEXT NOT NULL, indicator TEXT NOT NULL, issued_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cds_feedback (
    id INTEGER PRIMARY KEY, service TEXT NOT NULL, card TEXT NOT NULL, outcome TEXT NOT NULL,
    override_code TEXT, override_display TEXT, user_comment TEXT, accepted_suggestions INTEGER NOT NULL,
    outcome_at TEXT NOT NULL, received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cds_token_ids (
    issuer TEXT NOT NULL, jti TEXT NOT NULL, expires REAL NOT NULL, PRIMARY KEY (issuer, jti)
);
"""


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """One stored outcome, joined with the card it is about (when Curbside issued it)."""

    service: str
    card: str
    outcome: str
    override_code: str | None
    override_display: str | None
    user_comment: str | None
    outcome_at: str
    received_at: str
    card_summary: str | None
    card_indicator: str | None


class CdsLedger:
    """SQLite storage for cards, feedback and JWT ids. Thread-safe (one connection per thread)."""

    def __init__(self, path: Path) -> None:
        self._connections = ThreadConnections(path)
        self._connections.get().executescript(SCHEMA)

    def _db(self) -> sqlite3.Connection:
        return self._connections.get()

    def record_cards(self, service: str, hook_instance: str, cards: Sequence[Card]) -> None:
        now = _now()
        with self._db() as db:
            db.executemany(
                "INSERT OR IGNORE INTO cds_cards VALUES (?, ?, ?, ?, ?, ?)",
                [(c.uuid, service, hook_instance[:200], c.summary, c.indicator, now) for c in cards],
            )

    def record_feedback(self, service: str, items: Sequence[FeedbackItem]) -> int:
        now = _now()
        rows = []
        for item in items:
            reason = (item.overrideReason.reason or {}) if item.overrideReason else {}
            comment = item.overrideReason.userComment if item.overrideReason else None
            code, display = reason.get("code"), reason.get("display")
            rows.append(
                (
                    service,
                    item.card,
                    item.outcome,
                    str(code)[:200] if code else None,
                    str(display)[:400] if display else None,
                    comment,
                    len(item.acceptedSuggestions or []),
                    item.outcomeTimestamp,
                    now,
                )
            )
        with self._db() as db:
            db.executemany(
                "INSERT INTO cds_feedback(service, card, outcome, override_code, override_display, user_comment,"
                " accepted_suggestions, outcome_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    def feedback(self, limit: int = 500) -> list[FeedbackRecord]:
        rows = self._db().execute(
            "SELECT f.service, f.card, f.outcome, f.override_code, f.override_display, f.user_comment,"
            " f.outcome_at, f.received_at, c.summary AS card_summary, c.indicator AS card_indicator"
            " FROM cds_feedback f LEFT JOIN cds_cards c ON c.uuid = f.card ORDER BY f.id DESC LIMIT ?",
            (limit,),
        )
        return [FeedbackRecord(**dict(row)) for row in rows]

    def remember_jti(self, issuer: str, jti: str, expires: float) -> bool:
        """Record a token id; False when it was seen before (a replay)."""
        with self._db() as db:
            db.execute("DELETE FROM cds_token_ids WHERE expires < ?", (time.time() - 3600,))
            cursor = db.execute("INSERT OR IGNORE INTO cds_token_ids VALUES (?, ?, ?)", (issuer, jti[:200], expires))
        return cursor.rowcount == 1


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
