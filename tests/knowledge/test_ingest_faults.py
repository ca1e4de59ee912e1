"""kill -9 of a real `curbside ingest` at several points: the store still opens, passes SQLite's
integrity check, and the next ingest resumes to exactly the counts of an uninterrupted run,
with no duplicate passage, document or index row."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from curbside.knowledge.sqlite_store import SqliteStore
from tests.fixture_kb import assemble_corpus

REPO = Path(__file__).resolve().parents[2]
# Kill once the store holds at least this share of the final passages (first batch, middle, late).
KILL_AT_SHARES = (0.0, 0.3, 0.6, 0.9)
RUN_DEADLINE_S = 300
TABLES = ("units", "documents", "passages", "passages_fts", "interactions", "glossary", "document_terms")


def _ingest(corpus: Path, data: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    command = [sys.executable, "-m", "curbside.cli.main", "--corpus", str(corpus), "--data-dir", str(data)]
    command += ["--embedder", "hashing", "ingest"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _count(db: Path, table: str) -> int:
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            (count,) = connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
        finally:
            connection.close()
        return int(count)
    except sqlite3.OperationalError:  # not created yet, or mid-migration
        return 0


def _snapshot(db: Path) -> dict[str, object]:
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert connection.execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')") is not None
    counts = {t: connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    duplicates = connection.execute(
        "SELECT COUNT(*) FROM (SELECT source_id, ordinal FROM passages GROUP BY 1, 2 HAVING COUNT(*) > 1)"
    ).fetchone()[0]
    orphans = connection.execute(
        "SELECT COUNT(*) FROM passages_fts WHERE rowid NOT IN (SELECT rowid FROM passages)"
    ).fetchone()[0]
    ids = sorted(row[0] for row in connection.execute("SELECT passage_id FROM passages"))
    connection.close()
    return {"counts": counts, "duplicates": duplicates, "fts_orphans": orphans, "ids": ids}


@pytest.mark.slow
def test_sigkill_mid_ingest_resumes_to_the_same_store(tmp_path: Path) -> None:
    corpus = assemble_corpus(tmp_path / "corpus")
    reference_dir, faulted_dir = tmp_path / "reference", tmp_path / "faulted"
    clean = _ingest(corpus, reference_dir)
    assert clean.wait(timeout=RUN_DEADLINE_S) == 0, clean.stderr.read() if clean.stderr else ""
    reference = _snapshot(reference_dir / "curbside.sqlite3")
    total = reference["counts"]["passages"]  # type: ignore[index]
    assert total > 0

    db = faulted_dir / "curbside.sqlite3"
    killed_at = []
    for share in KILL_AT_SHARES:
        run = _ingest(corpus, faulted_dir)
        deadline = time.monotonic() + RUN_DEADLINE_S
        while run.poll() is None and time.monotonic() < deadline:
            passages = _count(db, "passages")
            if passages > share * total and (share > 0 or passages > 0):
                run.send_signal(signal.SIGKILL)
                break
            time.sleep(0.01)
        run.wait(timeout=60)
        if run.returncode == -signal.SIGKILL:
            killed_at.append(_count(db, "passages"))
        SqliteStore(db).close()  # opens (and migrates) after the crash
        after_crash = _snapshot(db)
        assert after_crash["duplicates"] == 0 and after_crash["fts_orphans"] == 0
    print(f"killed with {killed_at} of {total} passages stored")
    # Most runs must really have died mid-way (a run can finish first when its share was already stored).
    assert len(killed_at) >= 2, killed_at

    final = _ingest(corpus, faulted_dir)
    assert final.wait(timeout=RUN_DEADLINE_S) == 0, final.stderr.read() if final.stderr else ""
    assert _snapshot(db) == reference
