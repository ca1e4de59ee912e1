"""JWT rules of CDS Hooks 2.0 client authentication, and CORS for browser-based EHRs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from curbside.pipeline import Curbside
from curbside.settings import Settings
from curbside.web.app import create_app
from curbside.web.cds_hooks.security import AuthenticationError, JwksSource, TokenVerifier
from tests.web.cds_hooks.ehr import ISSUER, KID, EhrSigner
from tests.web.cds_hooks.test_router import BASE, ORDER_SELECT, order_body


def post(client: TestClient, token: str | None, path: str = ORDER_SELECT) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post(path, json=order_body(), headers=headers)


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": BASE + ORDER_SELECT, "iat": now, "exp": now + 300, "jti": f"jti-{time.time_ns()}"}
    return {**base, **overrides}


def test_a_valid_es384_token_is_accepted(cds_client: TestClient, signer: EhrSigner) -> None:
    assert post(cds_client, signer.token(BASE + ORDER_SELECT)).status_code == 200


def test_no_token_is_refused(cds_client: TestClient) -> None:
    response = post(cds_client, None)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_alg_none_is_refused(cds_client: TestClient) -> None:
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': KID})}.{_b64(claims())}."
    response = post(cds_client, unsigned)
    assert response.status_code == 401 and "alg" in response.json()["detail"]


def test_hmac_signed_with_the_public_key_is_refused(cds_client: TestClient, signer: EhrSigner) -> None:
    # The classic key-confusion attack: HS256 keyed with the issuer's published JWKS.
    # (signed by hand: PyJWT itself refuses a JWK as an HMAC secret)
    secret = json.dumps(signer.jwks["keys"][0]).encode()
    signing_input = f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': KID})}.{_b64(claims())}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    forged = signing_input + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    response = post(cds_client, forged)
    assert response.status_code == 401 and "HS256" in response.json()["detail"]


def test_wrong_audience_is_refused(cds_client: TestClient, signer: EhrSigner) -> None:
    response = post(cds_client, signer.token(BASE + "/cds-services/curbside-order-sign"))
    assert response.status_code == 401 and "aud" in response.json()["detail"].lower()


def test_expired_token_is_refused(cds_client: TestClient, signer: EhrSigner) -> None:
    now = int(time.time())
    token = signer.token(BASE + ORDER_SELECT, iat=now - 900, exp=now - 600)
    response = post(cds_client, token)
    assert response.status_code == 401 and "expired" in response.json()["detail"].lower()


def test_token_issued_in_the_future_is_refused(cds_client: TestClient, signer: EhrSigner) -> None:
    now = int(time.time())
    assert post(cds_client, signer.token(BASE + ORDER_SELECT, iat=now + 600, exp=now + 900)).status_code == 401


def test_replayed_jti_is_refused(cds_client: TestClient, signer: EhrSigner) -> None:
    token = signer.token(BASE + ORDER_SELECT)
    assert post(cds_client, token).status_code == 200
    replay = post(cds_client, token)
    assert replay.status_code == 401 and "replay" in replay.json()["detail"]


def test_unknown_issuer_and_foreign_key_are_refused(cds_client: TestClient, signer: EhrSigner) -> None:
    assert post(cds_client, signer.token(BASE + ORDER_SELECT, iss="https://evil.test")).status_code == 401
    stranger = EhrSigner()  # same issuer name and kid, but a key the allow-listed JWKS does not hold
    response = post(cds_client, stranger.token(BASE + ORDER_SELECT))
    assert response.status_code == 401 and "signature" in response.json()["detail"].lower()


def test_missing_jti_is_refused(signer: EhrSigner, tmp_path: Any) -> None:
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(signer.jwks))
    verifier = TokenVerifier(JwksSource({ISSUER: str(jwks)}), lambda issuer, jti, exp: True)
    token = jwt.encode(
        {k: v for k, v in claims().items() if k != "jti"}, signer.private_key, algorithm="ES384", headers={"kid": KID}
    )
    with pytest.raises(AuthenticationError, match="jti"):
        verifier.verify(f"Bearer {token}", BASE + ORDER_SELECT)


def test_cors_preflight_is_answered_without_a_token(cds_client: TestClient) -> None:
    response = cds_client.options(
        ORDER_SELECT,
        headers={
            "Origin": "https://sandbox.cds-hooks.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "Authorization" in response.headers["access-control-allow-headers"]
    discovery = cds_client.get("/cds-services", headers={"Origin": "https://sandbox.cds-hooks.org"})
    assert discovery.headers["access-control-allow-origin"] == "*"


def test_cors_is_only_for_cds_paths(cds_client: TestClient) -> None:
    response = cds_client.get("/api/sources", headers={"Origin": "https://sandbox.cds-hooks.org"})
    assert "access-control-allow-origin" not in response.headers


def test_unsigned_calls_only_when_allowed_and_sent_tokens_are_still_checked(
    unsigned_settings: Settings, cds_curbside: Curbside
) -> None:
    with TestClient(create_app(unsigned_settings, cds_curbside)) as client:
        assert post(client, None).status_code == 200
        assert post(client, "not-a-jwt").status_code == 401
