"""A short load run: the real server on 127.0.0.1, four clients for a few seconds (bounded in
requests) mixing ask, read, follow-up and review — no errors, no 5xx, the server still up.
No timing is asserted; `make load` runs the long version and reports latency and memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.evaluation import load_run
from tests.fixture_kb import build_fixture_kb

QUESTIONS = (
    "What are the symptoms of example syndrome?",
    "Should adults be screened for example disease?",
    "What is the dose of zorvastatin?",
)


@pytest.mark.slow
def test_a_short_mixed_load_has_no_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = build_fixture_kb(tmp_path)
    out = tmp_path / "load.json"
    argv = ["--clients", "4", "--seconds", "6", "--max-requests", "80", "--embedder", "hashing"]
    argv += ["--data-dir", str(settings.data_dir), "--corpus", str(settings.corpus_dir), "--out", str(out)]
    for question in QUESTIONS:
        argv += ["--question", question]
    code = load_run.main(argv)
    report = load_run.json.loads(out.read_text())
    assert report["errors"] == 0, report["first_errors"]
    assert report["server_5xx"] == 0 and report["server_alive_after"] is True
    assert code == 0
    assert 0 < report["requests"] <= 80
    assert {"ask", "read"} <= set(report["latency_ms"])
    assert report["rss_mb"]["samples"] >= 1 and report["rss_mb"]["peak"] > 0


def test_percentiles_and_unexpected_statuses() -> None:
    assert load_run.percentile([], 0.5) is None
    assert load_run.percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert load_run.percentile([float(n) for n in range(1, 101)], 0.95) == 95.0
