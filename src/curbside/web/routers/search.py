"""Search: ``GET /api/search`` over the knowledge base (the same hybrid search answers use)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from curbside.domain.documents import DocumentKind
from curbside.knowledge.store import SearchFilters
from curbside.web.deps import Services
from curbside.web.models import SearchHitOut, SearchResponse

router = APIRouter(tags=["search"])
SNIPPET_CHARS = 400


@router.get("/api/search", response_model=SearchResponse, summary="Search source passages (BM25 + embeddings)")
def api_search(
    services: Services,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Free text.")],
    kind: Annotated[DocumentKind | None, Query(description="Only this kind of source.")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SearchResponse:
    filters = SearchFilters(kinds=(kind.value,)) if kind else SearchFilters()
    result = services.curbside.searcher.search(q, limit=limit, filters=filters)
    hits = [
        SearchHitOut(
            passage_id=hit.record.passage.passage_id,
            source_id=hit.record.document.source_id,
            title=hit.record.document.title,
            organization=hit.record.document.organization,
            kind=str(hit.record.document.kind),
            year=hit.record.document.year,
            url=hit.record.document.url,
            section=hit.record.passage.section,
            text=hit.record.passage.text[:SNIPPET_CHARS],
            score=round(hit.score, 5),
        )
        for hit in result.hits
    ]
    return SearchResponse(query=q, hits=hits)
