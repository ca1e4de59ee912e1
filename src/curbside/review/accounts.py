"""Advisory-board accounts: roles, argon2 password hashes, database sessions, login rate limits.

Everything lives in the review database, so several app workers share sessions and limits.
There is no default account or password: the first admin is made with ``curbside user add``.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from curbside.review.connection import ReviewConnection

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024
SESSION_HOURS = 12
# Failed logins allowed per window, per account e-mail and per client address.
FAILURES_PER_EMAIL = 5
FAILURES_PER_CLIENT = 20
FAILURE_WINDOW = timedelta(minutes=15)
_HASHER = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong
    password. Made on first use: an argon2 hash costs ~0.5 CPU-s, which every CLI command
    paid at import."""
    return _HASHER.hash(secrets.token_urlsafe(16))


class Role(StrEnum):
    """Ranked roles: each can do everything the ones below it can."""

    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    email: str
    name: str
    role: Role
    active: bool


class AccountError(ValueError):
    """An account could not be created or changed; the message says why."""


class LoginRefusedError(Exception):
    """Wrong e-mail or password (deliberately not saying which), or a disabled account."""


class LoginThrottledError(Exception):
    """Too many failed logins recently; try again later."""


class ReviewDatabase(Protocol):
    """The review database's per-thread connection and write lock (an SqlArticleRepository)."""

    write_lock: threading.Lock

    def connection(self) -> ReviewConnection: ...


def _now() -> datetime:
    return datetime.now(UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _account(row: Any) -> Account:
    return Account(row["id"], row["email"], row["name"], Role(row["role"]), bool(row["active"]))


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if "@" not in cleaned or len(cleaned) > 254 or any(c.isspace() for c in cleaned):
        raise AccountError(f"{email!r} is not an e-mail address.")
    return cleaned


class AccountBook:
    """Accounts, sessions and login throttling over the review database.

    Example::

        book = AccountBook(repository)
        book.add("okafor@example.org", "Dr Okafor", Role.REVIEWER, password)
        account = book.authenticate("okafor@example.org", password, client="127.0.0.1")
        token, csrf = book.start_session(account)
    """

    def __init__(self, database: ReviewDatabase, hasher: PasswordHasher | None = None) -> None:
        self._db = database
        # Tests pass a cheap hasher; every hash records its own parameters, so both verify.
        self._hasher = hasher or _HASHER
        if hasher is None:
            _dummy_hash()  # made now, so the first login with an unknown e-mail is not faster

    def add(self, email: str, name: str, role: Role, password: str) -> Account:
        email = normalise_email(email)
        name = " ".join(name.split()) or email.split("@")[0]
        if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
            raise AccountError(f"The password must be {MIN_PASSWORD_CHARS}–{MAX_PASSWORD_CHARS} characters long.")
        connection = self._db.connection()
        try:
            with self._db.write_lock, connection:
                (account_id,) = connection.execute(
                    "INSERT INTO accounts(email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)"
                    " RETURNING id",
                    (email, name[:100], role.value, self._hasher.hash(password), _now().isoformat(timespec="seconds")),
                ).fetchone()
        except sqlite3.IntegrityError as error:
            raise AccountError(f"An account for {email} already exists.") from error
        return Account(int(account_id), email, name[:100], role, True)

    def get(self, email: str) -> Account | None:
        row = self._db.connection().execute("SELECT * FROM accounts WHERE email = ?", (email.lower(),)).fetchone()
        return None if row is None else _account(row)

    def all(self) -> list[Account]:
        return [_account(r) for r in self._db.connection().execute("SELECT * FROM accounts ORDER BY email")]

    def update(self, email: str, role: Role | None = None, active: bool | None = None) -> Account:
        """Change an account's role or disable it (its sessions end at once)."""
        account = self.get(email)
        if account is None:
            raise AccountError(f"No account {email!r}.")
        connection = self._db.connection()
        with self._db.write_lock, connection:
            if role is not None:
                connection.execute("UPDATE accounts SET role = ? WHERE id = ?", (role.value, account.id))
            if active is not None:
                connection.execute("UPDATE accounts SET active = ? WHERE id = ?", (int(active), account.id))
            if active is False or role is not None:
                connection.execute("DELETE FROM sessions WHERE account_id = ?", (account.id,))
        updated = self.get(email)
        assert updated is not None
        return updated

    def authenticate(self, email: str, password: str, client: str) -> Account:
        """The account for these credentials.

        Raises:
            LoginThrottledError: too many recent failures for this e-mail or client.
            LoginRefusedError: wrong credentials or a disabled account (recorded as a failure).
        """
        keys = [f"email:{email.strip().lower()}", f"client:{client}"]
        self._check_throttle(keys)
        row = (
            self._db.connection().execute("SELECT * FROM accounts WHERE email = ?", (email.strip().lower(),)).fetchone()
        )
        try:
            self._hasher.verify(row["password_hash"] if row else _dummy_hash(), password[:MAX_PASSWORD_CHARS])
            ok = row is not None and bool(row["active"])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        if not ok:
            self._record_failure(keys)
            raise LoginRefusedError("Wrong e-mail or password.")
        self._clear_failures(keys[0])
        return _account(row)

    def _check_throttle(self, keys: list[str]) -> None:
        since = (_now() - FAILURE_WINDOW).isoformat(timespec="seconds")
        connection = self._db.connection()
        for key, limit in zip(keys, (FAILURES_PER_EMAIL, FAILURES_PER_CLIENT), strict=True):
            (count,) = connection.execute(
                "SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?", (key, since)
            ).fetchone()
            if count >= limit:
                minutes = int(FAILURE_WINDOW.total_seconds() // 60)
                raise LoginThrottledError(f"Too many failed logins. Try again in {minutes} minutes.")

    def _record_failure(self, keys: list[str]) -> None:
        stamp = _now().isoformat(timespec="seconds")
        connection = self._db.connection()
        with self._db.write_lock, connection:
            connection.executemany("INSERT INTO login_failures(key, at) VALUES (?, ?)", [(k, stamp) for k in keys])
            # Old failures say nothing about the current window; keep the table small.
            old = (_now() - FAILURE_WINDOW * 4).isoformat(timespec="seconds")
            connection.execute("DELETE FROM login_failures WHERE at < ?", (old,))

    def _clear_failures(self, key: str) -> None:
        connection = self._db.connection()
        with self._db.write_lock, connection:
            connection.execute("DELETE FROM login_failures WHERE key = ?", (key,))

    def start_session(self, account: Account) -> tuple[str, str]:
        """A new session: (cookie token, CSRF token). Only the token's hash is stored."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        started = _now()
        connection = self._db.connection()
        with self._db.write_lock, connection:
            connection.execute(
                "INSERT INTO sessions(token_hash, account_id, csrf_token, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    _digest(token),
                    account.id,
                    csrf,
                    started.isoformat(timespec="seconds"),
                    (started + timedelta(hours=SESSION_HOURS)).isoformat(timespec="seconds"),
                ),
            )
            connection.execute("DELETE FROM sessions WHERE expires_at < ?", (started.isoformat(timespec="seconds"),))
        return token, csrf

    def session(self, token: str | None) -> tuple[Account, str] | None:
        """(account, CSRF token) for a live session of an active account, else None."""
        if not token or len(token) > 100:
            return None
        row = (
            self._db.connection()
            .execute(
                "SELECT a.*, s.csrf_token FROM sessions s JOIN accounts a ON a.id = s.account_id"
                " WHERE s.token_hash = ? AND s.expires_at > ? AND a.active = 1",
                (_digest(token), _now().isoformat(timespec="seconds")),
            )
            .fetchone()
        )
        return None if row is None else (_account(row), row["csrf_token"])

    def end_session(self, token: str | None) -> None:
        if token:
            connection = self._db.connection()
            with self._db.write_lock, connection:
                connection.execute("DELETE FROM sessions WHERE token_hash = ?", (_digest(token),))
