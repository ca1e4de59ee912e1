"""Accounts: argon2 hashes, no login without the right password, throttling, sessions ending."""

from __future__ import annotations

import pytest

from curbside.review.accounts import (
    FAILURES_PER_EMAIL,
    AccountBook,
    AccountError,
    LoginRefusedError,
    LoginThrottledError,
    Role,
)
from tests.review.board_fixtures import PASSWORD, TEST_HASHER, Board


def test_passwords_are_argon2_hashes_and_wrong_ones_fail(board: Board) -> None:
    (stored,) = (
        board.repository.connection()
        .execute("SELECT password_hash FROM accounts WHERE email = ?", (board.reviewer.email,))
        .fetchone()
    )
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    book = board.desk.accounts
    assert book.authenticate(board.reviewer.email.upper(), PASSWORD, "c1") == board.reviewer
    for wrong in ("", "correct horse", PASSWORD + " "):
        with pytest.raises(LoginRefusedError, match="Wrong e-mail or password"):
            book.authenticate(board.reviewer.email, wrong, "c1")
    with pytest.raises(LoginRefusedError):
        book.authenticate("nobody@example.org", PASSWORD, "c1")


def test_bad_accounts_are_refused(board: Board) -> None:
    book = AccountBook(board.repository, TEST_HASHER)
    with pytest.raises(AccountError, match="already exists"):
        book.add(board.reviewer.email, "Again", Role.REVIEWER, PASSWORD)
    with pytest.raises(AccountError, match="12"):
        book.add("short@example.org", "", Role.REVIEWER, "short")
    with pytest.raises(AccountError, match="not an e-mail"):
        book.add("no at sign", "", Role.REVIEWER, PASSWORD)
    assert book.add("Named@Example.org", "", Role.EDITOR, PASSWORD).name == "named"


def test_failed_logins_are_throttled_per_email(board: Board) -> None:
    book = board.desk.accounts
    for _ in range(FAILURES_PER_EMAIL):
        with pytest.raises(LoginRefusedError):
            book.authenticate(board.editor.email, "wrong", "c2")
    with pytest.raises(LoginThrottledError, match="Too many failed logins"):
        book.authenticate(board.editor.email, PASSWORD, "c3")
    assert book.authenticate(board.admin.email, PASSWORD, "c2") == board.admin  # other e-mails still work


def test_sessions_end_on_logout_disable_and_role_change(board: Board) -> None:
    book = board.desk.accounts
    token, csrf = book.start_session(board.reviewer)
    assert book.session(token) == (board.reviewer, csrf)
    assert book.session("forged") is None and book.session(None) is None
    book.end_session(token)
    assert book.session(token) is None
    token, _ = book.start_session(board.reviewer)
    book.update(board.reviewer.email, role=Role.EDITOR)
    assert book.session(token) is None
    token, _ = book.start_session(board.other_reviewer)
    book.update(board.other_reviewer.email, active=False)
    assert book.session(token) is None
    with pytest.raises(LoginRefusedError):
        book.authenticate(board.other_reviewer.email, PASSWORD, "c4")


def test_roles_are_ranked() -> None:
    assert Role.ADMIN.at_least(Role.EDITOR) and Role.EDITOR.at_least(Role.REVIEWER)
    assert not Role.REVIEWER.at_least(Role.EDITOR)
