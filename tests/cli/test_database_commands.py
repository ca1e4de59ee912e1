"""`curbside db upgrade` and `curbside db current` on SQLite files and on PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curbside.cli.main import app

LEGACY_REVIEW = Path(__file__).resolve().parents[1] / "fixtures" / "legacy-schema" / "sqlite-review.sql"


def run(data: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(data), "db", *args, "--json"], env=env)
    return result.exit_code, result.output


def test_upgrade_then_current_on_the_sqlite_files(tmp_path: Path) -> None:
    data = tmp_path / "var"
    code, output = run(data, "current")
    assert code == 0 and json.loads(output) == []  # nothing made yet: nothing to report
    code, output = run(data, "upgrade")
    assert code == 0, output
    applied = {row["store"]: row["applied"] for row in json.loads(output)}
    assert applied["knowledge"][-1] == "m004_lexeme_stats" and applied["review"][-1] == "r004_rate_limits"
    code, output = run(data, "current")
    assert code == 0 and all(row["current"] == row["head"] for row in json.loads(output))
    assert {row["database"] for row in json.loads(output)} == {
        str(data / "curbside.sqlite3"),
        str(tmp_path / "var-review" / "review.sqlite3"),
    }


def test_upgrade_adopts_a_review_database_made_before_alembic(tmp_path: Path) -> None:
    review = tmp_path / "var-review" / "review.sqlite3"
    review.parent.mkdir()
    with sqlite3.connect(review) as connection:
        connection.executescript(LEGACY_REVIEW.read_text(encoding="utf-8"))
    connection.close()
    code, output = run(tmp_path / "var", "upgrade")
    assert code == 0, output
    assert {row["store"]: row["applied"] for row in json.loads(output)}["review"] == ["r004_rate_limits"]


@pytest.mark.postgres
def test_upgrade_and_current_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    env = {"CURBSIDE_DATABASE_URL": postgres_url}
    code, output = run(tmp_path / "var", "upgrade", env=env)
    assert code == 0, output
    assert [row["store"] for row in json.loads(output)] == ["knowledge", "review"]
    code, output = run(tmp_path / "var", "current", env=env)
    rows = json.loads(output)
    assert code == 0 and [row["current"] for row in rows] == ["m004_lexeme_stats", "r004_rate_limits"]
    assert all(row["database"].startswith("postgresql://…@127.0.0.1") for row in rows)
    assert not (tmp_path / "var").exists()  # nothing written to the SQLite paths
