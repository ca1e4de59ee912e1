"""Seed-style audit in Markdown, HTML and plain text: the compound MAOI statement is supported
by the label's two sentences, IBS-guideline statements are misapplied to an anxiety question,
the bold bottom line is listed, and JSON and HTML reports are written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curbside.cli.main import app

CASE = Path(__file__).resolve().parent.parent / "fixtures" / "audit" / "buspirone"
QUESTION = "What should I watch for when treating generalized anxiety disorder in a patient already taking buspirone?"


def _audit(tmp_path: Path, answer: str, *extra: str) -> dict[str, object]:
    result = CliRunner().invoke(
        app,
        ["--data-dir", str(tmp_path / "kb"), "audit", str(CASE / answer), "--sources", str(CASE / "sources"),
         "--question", QUESTION, "--json", *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report: dict[str, object] = json.loads(result.stdout)
    return report


@pytest.mark.slow
@pytest.mark.parametrize("answer", ["answer.md", "answer.html", "answer.txt"])
def test_seed_style_audit(tmp_path: Path, answer: str) -> None:
    html_out, json_out = tmp_path / "report.html", tmp_path / "report.json"
    report = _audit(tmp_path, answer, "--html-out", str(html_out), "--json-out", str(json_out))
    rows = report["statements"]
    assert isinstance(rows, list)
    maoi = next(r for r in rows if r["text"].startswith("Never combine buspirone"))
    assert maoi["bottom_line"] is True, maoi
    assert maoi["verdict"] == "supported", maoi
    assert len(maoi["claims"]) == 2
    ibs = [r for r in rows if "abdominal pain" in r["text"] or "amitriptyline" in r["text"]]
    assert ibs and all(r["verdict"] == "misapplied" for r in ibs), ibs
    assert json.loads(json_out.read_text()) == report
    page = html_out.read_text()
    assert "bottom line" in page and "misapplied" in page and "<script" not in page


@pytest.mark.slow
def test_changed_waiting_time_names_the_failed_claim(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.md"
    wrong.write_text(
        "# Buspirone\n\n**Never combine buspirone with an MAOI; allow 3 days between stopping one and starting the"
        " other [1].**\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["--data-dir", str(tmp_path / "kb"), "audit", str(wrong), "--sources", str(CASE / "sources"),
              "--question", QUESTION, "--json"],
    )  # fmt: skip
    row = json.loads(result.stdout)["statements"][0]
    assert row["verdict"] == "unsupported"
    assert row["reason"].startswith("claim 2 of 2") and "3 days" in row["reason"], row["reason"]


def test_unknown_format_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["audit", str(CASE / "answer.md"), "--sources", str(CASE / "sources"), "--format", "pdf"]
    )
    assert result.exit_code == 2 and "--format" in result.output
