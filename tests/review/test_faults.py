"""Review database under faults: SIGKILL during approvals never leaves a half-written version or
loses a committed approval, and two writer processes at once never see 'database is locked'."""

from __future__ import annotations

import os
import random
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from curbside.domain.article import ReviewStatus
from curbside.review.repository import SqliteArticleRepository

REPO = Path(__file__).resolve().parents[2]
# Kill once the worker has reported this many approvals in the run (plus a random few ms, so the
# kill lands at different steps: inside a transaction, between claim and approval, …).
KILL_AFTER_APPROVALS = (1, 2, 4, 7)
RUN_DEADLINE_S = 300


def _worker(db: Path, iterations: int, tag: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
    command = [sys.executable, "-m", "tests.review.approval_worker", str(db), str(iterations), tag]
    return subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _read_approvals(worker: subprocess.Popen[str], count: int) -> list[str]:
    """Lines the worker printed until it reported ``count`` approvals (bounded in time)."""
    assert worker.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(worker.stdout, selectors.EVENT_READ)
    lines: list[str] = []
    deadline = time.monotonic() + RUN_DEADLINE_S
    while sum(line.startswith("approved ") for line in lines) < count:
        if time.monotonic() > deadline or worker.poll() is not None:
            pytest.fail(
                f"worker stopped or stalled after {len(lines)} lines: {worker.stderr.read() if worker.stderr else ''}"
            )
        if selector.select(timeout=1.0):
            lines.append(worker.stdout.readline())
    selector.close()
    return lines


def _check_consistent(db: Path) -> set[str]:
    """Integrity and the review invariants; returns the approved slugs."""
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    rows = connection.execute(
        "SELECT slug, review_status, version, approved_version, reviewed_by FROM articles"
    ).fetchall()
    approved = set()
    for slug, status, version, approved_version, reviewed_by in rows:
        versions = [v for (v,) in connection.execute("SELECT version FROM article_versions WHERE slug = ?", (slug,))]
        assert versions == list(range(1, version + 1)), slug  # every version whole, none missing or extra
        last = connection.execute(
            "SELECT to_status FROM review_events WHERE slug = ? ORDER BY id DESC LIMIT 1", (slug,)
        ).fetchone()
        assert (last[0] if last else ReviewStatus.SUBMITTED.value) == status, slug
        if status == ReviewStatus.APPROVED.value:
            assert approved_version in versions and reviewed_by, slug
            approved.add(slug)
    (audited,) = connection.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'approve'").fetchone()
    assert audited == len(approved)
    connection.close()
    return approved


@pytest.mark.slow
def test_sigkill_during_approvals_leaves_the_database_consistent(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    reported: set[str] = set()
    killed = 0
    SqliteArticleRepository(db).close()
    rng = random.Random(18)
    for count in KILL_AFTER_APPROVALS:
        worker = _worker(db, 10_000, "kill")
        lines = _read_approvals(worker, count)
        time.sleep(rng.uniform(0, 0.05))
        worker.send_signal(signal.SIGKILL)
        out, _ = worker.communicate(timeout=60)
        killed += worker.returncode == -signal.SIGKILL
        reported |= {line.split()[1] for line in lines + out.splitlines() if line.startswith("approved ")}
        approved = _check_consistent(db)
        # What the process said was committed survives, as the server would find it on restart.
        assert reported <= approved
        repository = SqliteArticleRepository(db)
        assert all(repository.get(slug).review_status == ReviewStatus.APPROVED for slug in reported)  # type: ignore[union-attr]
        repository.close()
    assert killed == len(KILL_AFTER_APPROVALS) and reported  # every run was killed mid-work, after some approvals


@pytest.mark.slow
def test_two_writer_processes_never_see_a_locked_database(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    SqliteArticleRepository(db).close()
    workers = [_worker(db, 15, tag) for tag in ("a", "b")]
    results = [worker.communicate(timeout=300) for worker in workers]
    for worker, (out, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err[-2000:]
        assert "locked" not in err and out.count("approved ") == 15
    assert len(_check_consistent(db)) == 30
