"""`curbside audit` on an answer modelled on the seed page: support in words, applicability absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curbside.cli.audit_commands import read_sources
from curbside.cli.main import app

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "audit" / "seed"


def test_read_sources_takes_first_line_as_title() -> None:
    sources = read_sources(SEED / "sources")
    assert sorted(sources) == [1, 2]
    assert sources[1][0].startswith("Management of irritable bowel syndrome")
    assert sources[2][0].startswith("Generalized anxiety disorder")
    assert "amitriptyline" in sources[1][1]


@pytest.mark.slow
def test_audit_flags_misapplied_ibs_evidence_for_anxiety(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "--data-dir",
            str(tmp_path),
            "audit",
            str(SEED / "answer.md"),
            "--sources",
            str(SEED / "sources"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    verdicts = {row["text"][:40]: row for row in report["statements"]}
    bottom = next(row for row in report["statements"] if row["text"].startswith("For treatment-refractory"))
    assert bottom["verdict"] == "misapplied", bottom
    tca_pain = next(row for row in report["statements"] if row["text"].startswith("Tricyclic antidepressants reduce"))
    assert tca_pain["verdict"] == "misapplied"
    uncited = next(row for row in report["statements"] if row["text"].startswith("Patients should be reassessed"))
    assert uncited["verdict"] == "unsupported" and uncited["citations"] == []
    assert report["gate_passed"] is False
    assert verdicts


def test_audit_reports_missing_files_clearly(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "nope.md"), "--sources", str(tmp_path)])
    assert result.exit_code == 2
