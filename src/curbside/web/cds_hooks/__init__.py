"""The CDS Hooks 2.0 service (cds-hooks.hl7.org/2.0): Curbside's safety checks as EHR cards.

``install_cds_hooks(app, settings, curbside)`` adds the endpoints (see ``router``) and CORS
for the ``/cds-services`` paths, so browser-based EHRs and the CDS Hooks sandbox can call
them; preflight ``OPTIONS`` requests are answered without a token, as CORS requires.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from curbside.medication_check import MedicationCheck
from curbside.pipeline import Curbside
from curbside.settings import Settings
from curbside.web.cds_hooks.router import CdsHooksService, router
from curbside.web.cds_hooks.security import JwksSource, TokenVerifier
from curbside.web.cds_hooks.storage import CdsLedger

CDS_PATH = "/cds-services"
CORS_MAX_AGE_S = "600"


def install_cds_hooks(app: FastAPI, settings: Settings, curbside: Curbside) -> None:
    """Mount the CDS Hooks service on ``app``."""
    ledger = CdsLedger(settings.database_path)
    verifier = TokenVerifier(JwksSource(dict(settings.cds_issuers)), ledger.remember_jti)
    app.state.cds_hooks = CdsHooksService(settings, MedicationCheck(curbside), ledger, verifier)
    app.include_router(router)
    origins = settings.cds_cors_origins

    @app.middleware("http")
    async def cds_cors(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if not request.url.path.startswith(CDS_PATH):
            return await call_next(request)
        origin = request.headers.get("origin")
        allowed = "*" if "*" in origins else origin if origin in origins else None
        if request.method == "OPTIONS":
            response = Response(status_code=204 if allowed else 403)
        else:
            response = await call_next(request)
        if allowed:
            response.headers["Access-Control-Allow-Origin"] = allowed
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
            response.headers["Access-Control-Max-Age"] = CORS_MAX_AGE_S
            if allowed != "*":
                response.headers["Vary"] = "Origin"
        return response
