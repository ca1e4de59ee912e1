"""`curbside stats`: documents and passages per source and per licence class."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from curbside.cli.main import app
from curbside.knowledge.sqlite_store import SqliteStore
from tests.knowledge.test_terms_store import CLOSED, OPEN, unit


def test_stats_counts_per_licence_class(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "curbside.sqlite3")
    store.write_units([unit("open", OPEN), unit("closed", CLOSED)])
    store.close()
    text = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "stats"])
    assert text.exit_code == 0, text.output
    assert "By licence class" in text.output and "developer-copyright" in text.output
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "stats", "--json"])
    rows = json.loads(result.output)
    by_class = {r["licence_class"]: (r["documents"], r["passages"]) for r in rows if "licence_class" in r}
    assert by_class == {"developer-copyright": (1, 1), "public-domain": (1, 1)}
    served = CliRunner().invoke(
        app, ["--data-dir", str(tmp_path), "stats", "--json"], env={"CURBSIDE_SOURCE_TERMS": "open"}
    )
    assert [r["licence_class"] for r in json.loads(served.output) if "licence_class" in r] == ["public-domain"]
