"""About: editorial policy, what the sources are, local API docs and the health check."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from curbside.knowledge.store import SourceCount
from curbside.web.deps import Services
from curbside.web.rendering import render

router = APIRouter(tags=["about"])


@router.get("/policy", response_class=HTMLResponse, summary="Editorial policy")
def policy_page(request: Request, services: Services) -> HTMLResponse:
    gate = services.settings.gate
    context = {
        "gate_share": round(gate.min_supported_share * 100),
        "gate_bottom_line": gate.bottom_line_must_be_supported,
    }
    return render(request, "policy.html", context)


def source_rows(counts: list[SourceCount]) -> dict[str, list[SourceCount]]:
    """Counts grouped for the page: documents, interaction records, glossaries."""
    return {
        "documents": [c for c in counts if c.documents],
        "interactions": [c for c in counts if c.interactions],
        "glossaries": [c for c in counts if c.glossary_terms],
    }


@router.get("/sources", response_class=HTMLResponse, summary="What the knowledge base contains")
def sources_page(request: Request, services: Services) -> HTMLResponse:
    counts = services.curbside.store.source_counts()
    totals = {"documents": sum(c.documents for c in counts), "passages": sum(c.passages for c in counts)}
    licences = services.curbside.store.licence_counts()
    return render(request, "sources.html", {"rows": source_rows(counts), "totals": totals, "licences": licences})


@router.get("/api/sources", summary="Knowledge-base contents as JSON")
def api_sources(services: Services) -> list[dict[str, Any]]:
    return [
        {
            "source": c.source,
            "kind": c.kind,
            "documents": c.documents,
            "passages": c.passages,
            "interactions": c.interactions,
            "glossary_terms": c.glossary_terms,
            "organizations": list(c.organizations),
            "year_min": c.year_min,
            "year_max": c.year_max,
            "licence": c.licence,
        }
        for c in services.curbside.store.source_counts()
    ]


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    # Rendered here from the OpenAPI schema: the stock Swagger UI loads its assets from a CDN.
    schema = request.app.openapi()
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if path.startswith("/api/")
    ]
    return render(request, "docs.html", {"operations": operations, "schema": schema})


@router.get("/healthz", summary="Liveness and knowledge-base size")
def health(services: Services) -> dict[str, object]:
    counts = services.curbside.store.source_counts()
    return {"status": "ok", "documents": sum(c.documents for c in counts)}
