"""Settings are validated when read: a wrong value is an error naming the setting and what it allows."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from curbside.cli.main import app
from curbside.domain.terms import SourceTermsPolicy
from curbside.settings import Settings, SettingsError, parse_issuers


def test_defaults_are_valid() -> None:
    settings = Settings.from_env({})
    assert (settings.store, settings.embedder, settings.composer, settings.llm_fallback) == (
        "sqlite",
        "minilm",
        "offline",
        "none",
    )


@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("CURBSIDE_STORE", "mongo", "sqlite"),
        ("CURBSIDE_EMBEDDER", "bert", "minilm, onnx, hashing"),
        ("CURBSIDE_COMPOSER", "gpt", "offline, llm"),
        ("CURBSIDE_ARTICLE_STORE", "redis", "sqlite"),
        ("CURBSIDE_LLM_UNSUPPORTED", "hide", "mark, remove"),
        ("CURBSIDE_LLM_FALLBACK", "retry", "none, offline"),
        ("CURBSIDE_LOG_QUESTIONS", "maybe", "1, true, yes"),
    ],
)
def test_an_unknown_choice_names_the_allowed_ones(variable: str, value: str, allowed: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({variable: value})
    assert variable in str(raised.value)
    assert allowed in str(raised.value)
    assert repr(value) in str(raised.value)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CURBSIDE_PORT", "eighty"),
        ("CURBSIDE_PORT", "70000"),
        ("CURBSIDE_PORT", "-1"),
        ("CURBSIDE_LLM_TIMEOUT_S", "soon"),
        ("CURBSIDE_LLM_TIMEOUT_S", "0"),
        ("CURBSIDE_GATE_MIN_SUPPORTED", "most"),
        ("CURBSIDE_GATE_MIN_SUPPORTED", "1.5"),
    ],
)
def test_a_malformed_or_out_of_range_number_names_the_setting(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({variable: value})


def test_numbers_and_flags_are_read() -> None:
    settings = Settings.from_env(
        {
            "CURBSIDE_PORT": "8123",
            "CURBSIDE_LLM_TIMEOUT_S": "2.5",
            "CURBSIDE_GATE_MIN_SUPPORTED": "0.8",
            "CURBSIDE_LOG_QUESTIONS": "yes",
            "CURBSIDE_LLM_FALLBACK": "offline",
        }
    )
    assert (settings.port, settings.llm_timeout_s, settings.gate.min_supported_share) == (8123, 2.5, 0.8)
    assert settings.log_questions and settings.llm_fallback == "offline"


def test_overrides_are_validated_too() -> None:
    with pytest.raises(SettingsError, match="CURBSIDE_COMPOSER"):
        Settings().with_overrides(composer="nope")


def test_cds_settings_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "CURBSIDE_CDS_ISSUERS": '{"https://ehr.example/iss": "/etc/curbside/ehr-jwks.json"}',
            "CURBSIDE_CDS_ALLOW_UNSIGNED": "true",
            "CURBSIDE_CDS_CORS_ORIGINS": "https://sandbox.cds-hooks.org, https://ehr.example",
            "CURBSIDE_PUBLIC_URL": "https://curbside.example/",
            "CURBSIDE_CHROMIUM": "/opt/chromium",
        }
    )
    assert settings.cds_issuers == (("https://ehr.example/iss", "/etc/curbside/ehr-jwks.json"),)
    assert settings.cds_allow_unsigned is True
    assert settings.cds_cors_origins == ("https://sandbox.cds-hooks.org", "https://ehr.example")
    assert settings.public_url == "https://curbside.example"
    assert settings.chromium == "/opt/chromium"


def test_cds_defaults_refuse_unsigned_calls() -> None:
    settings = Settings.from_env({})
    assert settings.cds_issuers == () and settings.cds_allow_unsigned is False
    assert settings.cds_cors_origins == ("*",)


@pytest.mark.parametrize("value", ["not json", '["a"]', '{"iss": 3}'])
def test_malformed_issuer_lists_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="CURBSIDE_CDS_ISSUERS"):
        parse_issuers(value)


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


def test_settings_read_and_validate_the_limit() -> None:
    settings = Settings.from_env({"CURBSIDE_ASK_RATE_LIMIT": "12", "CURBSIDE_ASK_RATE_WINDOW_S": "30"})
    assert (settings.ask_rate_limit, settings.ask_rate_window_s) == (12, 30)
    assert Settings().ask_rate_limit > 0  # on by default
    for variable, value in (("ASK_RATE_LIMIT", "-1"), ("ASK_RATE_WINDOW_S", "0"), ("ASK_RATE_LIMIT", "many")):
        with pytest.raises(SettingsError, match=f"CURBSIDE_{variable}"):
            Settings.from_env({f"CURBSIDE_{variable}": value})


def test_a_postgres_url_moves_every_store_there_unless_one_is_named() -> None:
    url = "postgresql://curbside@127.0.0.1:5432/curbside"
    on_postgres = Settings.from_env({"CURBSIDE_DATABASE_URL": url})
    assert (on_postgres.store, on_postgres.article_store, on_postgres.database_url) == ("postgres", "postgres", url)
    mixed = Settings.from_env({"CURBSIDE_DATABASE_URL": url, "CURBSIDE_STORE": "sqlite"})
    assert (mixed.store, mixed.article_store) == ("sqlite", "postgres")
    assert Settings.from_env({}).store == "sqlite"


def test_a_database_url_that_is_not_postgres_or_a_postgres_store_without_one_is_refused() -> None:
    with pytest.raises(SettingsError, match="CURBSIDE_DATABASE_URL must be a PostgreSQL URL"):
        Settings.from_env({"CURBSIDE_DATABASE_URL": "mysql://db/curbside"})
    with pytest.raises(SettingsError, match="CURBSIDE_STORE=postgres needs CURBSIDE_DATABASE_URL"):
        Settings(store="postgres")
