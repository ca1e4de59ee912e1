"""Suites and bench end to end on a small knowledge base built from the repo fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from curbside.evaluation import run_suite
from curbside.evaluation.bench import BenchConfig, run_bench
from curbside.settings import Settings
from tests.evaluation.conftest import EVAL_DATA, FIXTURES

pytestmark = pytest.mark.slow
PROBES = FIXTURES / "evaluation" / "probes-small.jsonl"


def test_probes_suite_passes_and_fails_the_right_probes(small_curbside) -> None:  # type: ignore[no-untyped-def]
    result = run_suite("probes", small_curbside, None, probes=PROBES)
    outcome = {row.id: row.passed for row in result.rows}
    assert outcome == {"screening-uspstf": True, "fabricated": True, "interaction": True, "emergency": True,
                       "deliberately-failing": False}  # fmt: skip
    failing = next(r for r in result.rows if r.id == "deliberately-failing")
    assert len(failing.failures) == 2
    assert result.summary == {"n": 5, "passed": 4, "pass_rate": 0.8}
    assert json.loads(json.dumps(result.to_json()))["rows"][0]["id"] == "screening-uspstf"


@pytest.mark.parametrize("suite", ["liveqa", "kqa", "medicationqa", "healthver"])
def test_dataset_suites_run_on_fixture_data(small_curbside, suite: str) -> None:  # type: ignore[no-untyped-def]
    result = run_suite(suite, small_curbside, EVAL_DATA, limit=3)
    assert result.suite == suite and 0 < len(result.rows) <= 3
    assert result.summary["n"] == len(result.rows)
    json.dumps(result.to_json())  # serialisable


def test_liveqa_on_fixtures_scores_urls_only_where_references_have_them(small_curbside) -> None:  # type: ignore[no-untyped-def]
    result = run_suite("liveqa", small_curbside, EVAL_DATA)
    assert [r.reference_urls for r in result.rows] == [1, 0, 1]
    assert result.rows[1].top_url_match is None
    assert result.summary["with_reference_urls"] == 2


def test_bench_with_tiny_bounds_reports_every_measure(small_curbside, small_kb_settings: Settings) -> None:  # type: ignore[no-untyped-def]
    config = BenchConfig(questions=2, clients=(1, 2), seconds=3, max_requests=3, ask_seconds=20, bm25_rounds=2,
                         ingest_files=1)  # fmt: skip
    questions = ["Should adults be screened for example disease?", "What are the treatments for Example syndrome?"]
    out = run_bench(small_curbside, small_kb_settings, questions, config).to_json()
    for key in ("ask.p50_ms", "ask.p95_ms", "ask.p99_ms", "bm25_floor.p50_ms", "bm25_floor.p95_ms",
                "bm25_floor.p99_ms", "ratio", "qps_1_clients", "qps_2_clients", "cold_start_s", "peak_rss_mb",
                "ingest.passages_per_s"):  # fmt: skip
        assert out[key] is not None and out[key] > 0, key
    assert out["qps.endpoint"] == "ask"
    assert out["ask.n"] == 2 and out["bm25_floor.n"] == 4
    assert 1 <= out["verify.n"] <= 2 and out["verify.p95_ms"] >= out["verify.p50_ms"] > 0
    assert 0 < out["verify_per_statement.p50_ms"] <= out["verify.p95_ms"]
    assert 1 <= out["requests_2_clients"] <= 3 and out["server.errors"] == 0


def test_cli_eval_writes_json_and_plots(small_kb_settings: Settings, tmp_path: Path) -> None:
    from curbside.cli import eval_commands

    app = typer.Typer()

    @app.callback()
    def configure(ctx: typer.Context) -> None:
        ctx.obj = small_kb_settings

    eval_commands.register(app)
    out = tmp_path / "probes.json"
    result = CliRunner().invoke(
        app, ["eval", "probes", "--probes", str(PROBES), "--out", str(out), "--plot", str(tmp_path / "png")]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["summary"]["n"] == 5
    assert (tmp_path / "png" / "latency.png").stat().st_size > 0
    bad = CliRunner().invoke(app, ["eval", "nonsense"])
    assert bad.exit_code == 2 and "unknown suite" in bad.output


def test_bench_server_load_is_not_cut_off_by_the_ask_rate_limit(small_kb_settings: Settings) -> None:
    # More requests than the default anonymous limit (30 a minute) allows: every one is answered,
    # so the load phases measure the service rather than 429s from the limiter.
    from curbside.evaluation.server_load import run_server_load

    limit = Settings().ask_rate_limit
    run = run_server_load(small_kb_settings.data_dir, small_kb_settings.embedder,
                          ["What are the treatments for Example syndrome?"], (2,), 60, limit + 5)  # fmt: skip
    assert run.endpoint == "ask"
    assert run.errors == 0 and run.completed[2] == limit + 5
