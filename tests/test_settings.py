"""Settings: the source-terms policy is validated wherever it comes from."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from curbside.cli.main import app
from curbside.domain.terms import SourceTermsPolicy
from curbside.settings import Settings


def test_source_terms_default_and_environment() -> None:
    assert Settings().source_terms is SourceTermsPolicy.ALL
    assert Settings.from_env({}).source_terms is SourceTermsPolicy.ALL
    assert Settings.from_env({"CURBSIDE_SOURCE_TERMS": "Open"}).source_terms is SourceTermsPolicy.OPEN


@pytest.mark.parametrize("value", ["public", "", "cc-by", "none"])
def test_a_wrong_source_terms_value_names_the_allowed_ones(value: str) -> None:
    with pytest.raises(ValueError, match=r"CURBSIDE_SOURCE_TERMS must be one of all, open"):
        Settings(source_terms=value)  # type: ignore[arg-type]


def test_the_cli_reports_a_wrong_value_without_a_traceback() -> None:
    result = CliRunner().invoke(app, ["stats"], env={"CURBSIDE_SOURCE_TERMS": "public"})
    assert result.exit_code == 2
    assert "must be one of all, open" in result.output and "Traceback" not in result.output
