"""`curbside user add` (prompted, argon2-hashed password) and `curbside audit-log` (JSON export)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from curbside.cli.main import app

PASSWORD = "a long enough passphrase"


def run(data: Path, *args: str, prompt: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(data), *args], input=prompt)
    return result.exit_code, result.output


def test_user_add_prompts_hashes_and_refuses_duplicates_and_short_passwords(tmp_path: Path) -> None:
    data = tmp_path / "var"
    code, output = run(data, "user", "add", "Chair@Example.org", "--role", "admin", "--name", "Dr Chair",
                       prompt=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert code == 0, output
    assert "Created admin chair@example.org (Dr Chair)" in output and PASSWORD not in output
    database = tmp_path / "var-review" / "review.sqlite3"
    stored = sqlite3.connect(database).execute("SELECT password_hash, role FROM accounts").fetchone()
    assert stored[0].startswith("$argon2id$") and PASSWORD not in stored[0] and stored[1] == "admin"
    again, output = run(data, "user", "add", "chair@example.org", "--role", "reviewer", prompt=f"{PASSWORD}\n" * 2)
    assert again == 2 and "already exists" in output
    short, output = run(data, "user", "add", "b@example.org", "--role", "reviewer", prompt="short\nshort\n")
    assert short == 2 and "12" in output
    bad_role, _ = run(data, "user", "add", "c@example.org", "--role", "superuser", prompt=f"{PASSWORD}\n" * 2)
    assert bad_role != 0


def test_audit_log_prints_and_exports_json_lines(tmp_path: Path) -> None:
    data = tmp_path / "var"
    run(data, "user", "add", "ed@example.org", "--role", "editor", prompt=f"{PASSWORD}\n{PASSWORD}\n")
    code, output = run(data, "audit-log", "--json")
    assert code == 0, output
    entries = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert [e["action"] for e in entries] == ["account_created"]
    assert entries[0]["detail"] == {"email": "ed@example.org", "role": "editor"}
    out = tmp_path / "export" / "audit.jsonl"
    code, output = run(data, "audit-log", "--out", str(out))
    assert code == 0 and "Wrote 1 audit entries" in output
    assert json.loads(out.read_text().splitlines()[0])["action"] == "account_created"
    code, output = run(data, "audit-log")
    assert code == 0 and "Audit log (1 entries)" in output
