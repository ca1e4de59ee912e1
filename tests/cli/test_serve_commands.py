"""`curbside serve --workers N`: the global options reach the worker processes."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from curbside.cli.main import app
from curbside.cli.serve_commands import worker_environment
from curbside.settings import Settings


def test_workers_rebuild_the_same_settings_from_the_environment(tmp_path: Path) -> None:
    chosen = Settings(corpus_dir=tmp_path / "corpus", data_dir=tmp_path / "data", embedder="hashing")
    rebuilt = Settings.from_env(worker_environment(chosen))
    assert (rebuilt.corpus_dir, rebuilt.data_dir, rebuilt.embedder) == (
        chosen.corpus_dir,
        chosen.data_dir,
        chosen.embedder,
    )


def test_a_worker_count_out_of_range_is_refused_before_serving() -> None:
    result = CliRunner().invoke(app, ["serve", "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output
