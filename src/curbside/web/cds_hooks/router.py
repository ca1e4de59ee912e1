"""CDS Hooks 2.0 endpoints: discovery, the three services, feedback, and the board's view.

Errors are JSON ``{"detail": …}`` with the status the specification names: 400 for a body
it does not allow, 401 for a missing or unacceptable JWT, 404 for an unknown service, 412
when needed FHIR data was neither prefetched nor fetchable.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from curbside.medication_check import MedicationCheck
from curbside.settings import Settings
from curbside.understanding.fhir_context import FhirContextError, FhirMedication, resources_of
from curbside.web.auth import ReviewerLogin
from curbside.web.cds_hooks.cards import build_card
from curbside.web.cds_hooks.models import (
    Card,
    FeedbackRequest,
    HookRequest,
    ServiceDescription,
    dump,
)
from curbside.web.cds_hooks.openapi import json_body
from curbside.web.cds_hooks.prefetch import PrefetchUnavailableError, resolve_prefetch
from curbside.web.cds_hooks.security import AuthenticationError, TokenVerifier
from curbside.web.cds_hooks.services import BY_ID, ORDER_HOOKS, SERVICES
from curbside.web.cds_hooks.storage import CdsLedger
from curbside.web.limits import MAX_REQUEST_BODY_BYTES as MAX_BODY_BYTES

router = APIRouter(tags=["cds-hooks"])


class CdsHooksService:
    """Everything the endpoints share, built once by ``install_cds_hooks``."""

    def __init__(self, settings: Settings, check: MedicationCheck, ledger: CdsLedger, verifier: TokenVerifier) -> None:
        self.settings = settings
        self.check = check
        self.ledger = ledger
        self.verifier = verifier

    def base_url(self, request: Request) -> str:
        return self.settings.public_url or str(request.base_url).rstrip("/")

    def authenticate(self, request: Request) -> None:
        """Verify the JWT unless unsigned calls are allowed (and none was sent)."""
        authorization = request.headers.get("authorization")
        if authorization is None and self.settings.cds_allow_unsigned:
            return
        # aud is the exact URL the client called (the public one behind a proxy).
        audience = self.base_url(request) + request.url.path
        self.verifier.verify(authorization, audience)

    def cards(self, service: ServiceDescription, hook: HookRequest, base_url: str) -> list[Card]:
        if hook.hook != service.hook:
            raise ValueError(f"service {service.id} answers hook {service.hook!r}, not {hook.hook!r}")
        prefetch = resolve_prefetch(hook, service.prefetch)
        record = self.check.read_record([v for v in prefetch.values() if v is not None])
        orders: tuple[FhirMedication, ...] = ()
        if service.hook in ORDER_HOOKS:
            orders = self.check.read_orders(_ordered(hook.context, service.hook))
            if not orders:
                return []  # no medication picked yet: nothing to check
        findings = self.check.screen(record, orders)
        cards = [card for finding in findings if (card := build_card(finding, base_url)) is not None]
        self.ledger.record_cards(service.id, hook.hookInstance, cards)
        return cards


def _ordered(context: dict[str, Any], hook: str) -> list[dict[str, Any]]:
    """The draft orders to check: for order-select, the selected ones (all if none named)."""
    drafts = context.get("draftOrders")
    if not isinstance(drafts, dict):
        raise ValueError(f"{hook} needs context.draftOrders, a FHIR Bundle")
    orders = resources_of(drafts)
    selections = context.get("selections")
    if hook == "order-select" and isinstance(selections, list) and selections:
        chosen = {str(s) for s in selections}
        picked = [o for o in orders if f"{o.get('resourceType')}/{o.get('id')}" in chosen]
        return picked or orders
    return orders


def _service(request: Request) -> CdsHooksService:
    service: CdsHooksService = request.app.state.cds_hooks
    return service


def _error(status: int, detail: str) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if status == 401 else None
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


async def _parse(request: Request, model: type[BaseModel]) -> Any:
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise ValueError(f"the request body is over {MAX_BODY_BYTES} bytes")
    try:
        return model.model_validate(json.loads(body or b"null"))
    except json.JSONDecodeError as error:
        raise ValueError("the request body is not JSON") from error
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:5])
        raise ValueError(f"not a CDS Hooks request: {problems}") from error


@router.get("/cds-services", summary="CDS Hooks discovery: the services Curbside offers")
def discovery() -> dict[str, Any]:
    return {"services": [dump(service) for service in SERVICES]}


@router.post(
    "/cds-services/{service_id}",
    summary="Call a CDS Hooks service; returns cards",
    openapi_extra=json_body(HookRequest),
)
async def call_service(service_id: str, request: Request) -> JSONResponse:
    service = BY_ID.get(service_id)
    if service is None:
        return _error(404, f"no CDS service {service_id!r}; GET /cds-services lists them")
    cds = _service(request)
    try:
        cds.authenticate(request)
        hook = await _parse(request, HookRequest)
        cards = await run_in_threadpool(cds.cards, service, hook, cds.base_url(request))
    except AuthenticationError as error:
        return _error(401, str(error))
    except PrefetchUnavailableError as error:
        return _error(412, str(error))
    except (ValueError, FhirContextError) as error:
        return _error(400, str(error))
    return JSONResponse({"cards": [dump(card) for card in cards]})


@router.post(
    "/cds-services/{service_id}/feedback",
    summary="Record what clinicians did with the cards",
    openapi_extra=json_body(FeedbackRequest),
)
async def feedback(service_id: str, request: Request) -> JSONResponse:
    if service_id not in BY_ID:
        return _error(404, f"no CDS service {service_id!r}")
    cds = _service(request)
    try:
        cds.authenticate(request)
        body = await _parse(request, FeedbackRequest)
    except AuthenticationError as error:
        return _error(401, str(error))
    except ValueError as error:
        return _error(400, str(error))
    stored = await run_in_threadpool(cds.ledger.record_feedback, service_id, body.feedback)
    return JSONResponse({"stored": stored})


@router.get("/api/cds-feedback", summary="Card outcomes for the advisory board (a board account's session)")
def board_feedback(request: Request, login: ReviewerLogin) -> JSONResponse:
    cds = _service(request)
    return JSONResponse({"feedback": [asdict(record) for record in cds.ledger.feedback()]})
