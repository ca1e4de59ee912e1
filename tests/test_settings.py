"""Settings from the environment: the CDS Hooks and export settings."""

from __future__ import annotations

import pytest

from curbside.settings import Settings, parse_issuers


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
