"""Prefetched FHIR data, fetching from ``fhirServer`` whatever the client did not prefetch.

The specification's rules: a prefetch key that is present holds the data (``null`` means
"no data", not "fetch it"); a missing key means the service fetches it itself from
``fhirServer`` with ``fhirAuthorization``; when it cannot, the answer is 412. Reads are
``GET [base]/Type/id``; searches are ``POST [base]/Type/_search`` with the parameters as a
form, so patient identifiers never sit in URLs or server logs. Fetches are bounded in
number, pages and time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote

import httpx

from curbside.web.cds_hooks.models import HookRequest

FETCH_TIMEOUT_S = 10.0
MAX_PAGES = 5
FHIR_JSON = "application/fhir+json"


class PrefetchUnavailableError(RuntimeError):
    """Data the service needs was neither prefetched nor fetchable (answer 412)."""


def render(template: str, context: Mapping[str, Any]) -> str:
    """A prefetch template with ``{{context.X}}`` tokens filled in (URL-encoded)."""
    out = template
    for key, value in context.items():
        if isinstance(value, str):
            out = out.replace("{{context." + key + "}}", quote(value, safe=""))
    if "{{" in out:
        raise PrefetchUnavailableError(f"the request's context lacks what prefetch {template!r} needs")
    return out


def resolve_prefetch(request: HookRequest, templates: Mapping[str, str]) -> dict[str, Any]:
    """Every template key → its FHIR data (``None`` = no data)."""
    given = request.prefetch or {}
    resolved = {key: given[key] for key in templates if key in given}
    missing = [key for key in templates if key not in given]
    if not missing:
        return resolved
    if request.fhirServer is None:
        raise PrefetchUnavailableError(
            f"prefetch {', '.join(missing)} missing and no fhirServer to fetch from (CDS Hooks 2.0: 412)"
        )
    headers = {"Accept": FHIR_JSON}
    if request.fhirAuthorization is not None:
        headers["Authorization"] = f"Bearer {request.fhirAuthorization.access_token}"
    with httpx.Client(base_url=request.fhirServer + "/", headers=headers, timeout=FETCH_TIMEOUT_S) as client:
        for key in missing:
            resolved[key] = _fetch(client, render(templates[key], request.context))
    return resolved


def _fetch(client: httpx.Client, query: str) -> Any:
    kind, _, params = query.partition("?")
    try:
        if not params:
            response = client.get(kind)
            if response.status_code == 404:
                return None
            response.raise_for_status()
            return response.json()
        response = client.post(f"{kind}/_search", data=dict(parse_qsl(params)))
        response.raise_for_status()
        return _all_pages(client, response.json())
    except (httpx.HTTPError, ValueError) as error:
        raise PrefetchUnavailableError(f"fetching {kind} from fhirServer failed: {type(error).__name__}") from error


def _all_pages(client: httpx.Client, bundle: Any) -> Any:
    """A search Bundle with up to MAX_PAGES pages of entries (``next`` links followed)."""
    if not isinstance(bundle, dict):
        return bundle
    entries = list(bundle.get("entry") or [])
    page = bundle
    for _ in range(MAX_PAGES - 1):
        following = next((link.get("url") for link in page.get("link") or [] if link.get("relation") == "next"), None)
        # Only pages of the same server: a Bundle must not steer the service elsewhere.
        if not following or not str(following).startswith(str(client.base_url)):
            break
        response = client.get(following)
        response.raise_for_status()
        page = response.json()
        entries += page.get("entry") or []
    return {**bundle, "entry": entries}
