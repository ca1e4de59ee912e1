"""CDS Hooks 2.0 client authentication: a JWT (Bearer) signed by the EHR.

Checks, in order: an ``Authorization: Bearer`` header; an asymmetric ``alg`` (``none`` and
HMAC are refused — a shared secret could be forged by anyone holding the JWKS URL); an
``iss`` on the allow-list (Settings ``cds_issuers``: issuer → JWKS file or URL); the
signature against that issuer's key (by ``kid``); ``aud`` equal to the exact URL called;
``exp`` in the future and not too far; ``iat`` not in the future; a ``jti`` never seen
before (replay).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
import jwt

ALLOWED_ALGORITHMS = ("ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
LEEWAY_S = 30
MAX_LIFETIME_S = 3600
JWKS_CACHE_S = 300
JWKS_TIMEOUT_S = 5.0


class AuthenticationError(PermissionError):
    """The request's JWT is missing or not acceptable; the message says which rule failed."""


class JwksSource:
    """The allow-listed issuers' key sets, read from a file or fetched from a URL (cached)."""

    def __init__(self, issuers: Mapping[str, str]) -> None:
        self._issuers = dict(issuers)
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def allows(self, issuer: str) -> bool:
        return issuer in self._issuers

    def key_set(self, issuer: str) -> dict[str, Any]:
        with self._lock:
            cached = self._cache.get(issuer)
            if cached and time.monotonic() - cached[0] < JWKS_CACHE_S:
                return cached[1]
        location = self._issuers[issuer]
        try:
            if location.startswith(("http://", "https://")):
                data = httpx.get(location, timeout=JWKS_TIMEOUT_S).raise_for_status().json()
            else:
                data = json.loads(Path(location).read_text())
        except (OSError, httpx.HTTPError, ValueError) as error:
            raise AuthenticationError(f"the JWKS of issuer {issuer!r} cannot be read") from error
        if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
            raise AuthenticationError(f"the JWKS of issuer {issuer!r} has no 'keys' list")
        with self._lock:
            self._cache[issuer] = (time.monotonic(), data)
        return data


class TokenVerifier:
    """Verifies CDS Hooks JWTs. ``remember_jti(jti, exp)`` returns False for a replayed id."""

    def __init__(self, keys: JwksSource, remember_jti: Callable[[str, str, float], bool]) -> None:
        self._keys = keys
        self._remember_jti = remember_jti

    def verify(self, authorization: str | None, audience: str) -> dict[str, Any]:
        """The token's claims; raises :class:`AuthenticationError` naming the failed rule."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError("a Bearer JWT is required (CDS Hooks 2.0 client authentication)")
        token = token.strip()
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise AuthenticationError("the JWT is malformed") from error
        algorithm = str(header.get("alg", ""))
        if algorithm not in ALLOWED_ALGORITHMS:
            raise AuthenticationError(f"JWT alg {algorithm!r} refused: only asymmetric signatures are accepted")
        issuer = unverified.get("iss")
        if not isinstance(issuer, str) or not self._keys.allows(issuer):
            raise AuthenticationError("the JWT issuer is not on this service's allow-list")
        key = _signing_key(self._keys.key_set(issuer), header.get("kid"), algorithm)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=[algorithm],
                audience=audience,
                issuer=issuer,
                leeway=LEEWAY_S,
                options={"require": ["iss", "aud", "exp", "iat", "jti"]},
            )
        except jwt.PyJWTError as error:
            raise AuthenticationError(f"JWT refused: {error}") from error
        now = time.time()
        if float(claims["exp"]) > now + MAX_LIFETIME_S:
            raise AuthenticationError("JWT refused: exp is too far in the future")
        if not self._remember_jti(issuer, str(claims["jti"]), float(claims["exp"])):
            raise AuthenticationError("JWT refused: this jti was already used (replay)")
        return claims


def _signing_key(key_set: Mapping[str, Any], kid: object, algorithm: str) -> Any:
    keys = [k for k in key_set.get("keys", []) if isinstance(k, dict)]
    matching = [k for k in keys if kid is None or k.get("kid") == kid]
    if kid is None and len(matching) != 1:
        raise AuthenticationError("the JWT has no kid and the issuer's JWKS holds several keys")
    if not matching:
        raise AuthenticationError("no key in the issuer's JWKS has the JWT's kid")
    try:
        return jwt.PyJWK(matching[0], algorithm).key
    except jwt.PyJWTError as error:
        raise AuthenticationError("the issuer's key does not fit the JWT's alg") from error
