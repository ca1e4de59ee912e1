"""Export endpoints: one use case (``export``) behind the page paths and the API path."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from curbside.domain.article import ReviewStatus
from curbside.web.deps import AudienceParam, Services
from curbside.web.exports.fhir_document import document_reference
from curbside.web.exports.markdown import article_markdown, reference_line
from curbside.web.exports.pdf import PdfUnavailableError, print_pdf

router = APIRouter(tags=["exports"])


class ExportFormat(StrEnum):
    MARKDOWN = "markdown"
    PDF = "pdf"
    FHIR = "fhir"


_SUFFIX = {"md": ExportFormat.MARKDOWN, "pdf": ExportFormat.PDF, "fhir.json": ExportFormat.FHIR}


async def export(
    request: Request, services: Services, slug: str, kind: ExportFormat, audience: AudienceParam, with_pdf: bool
) -> Response:
    desk = services.desk
    stored = desk.get(slug)
    article = desk.present(stored, audience).article
    base = services.settings.public_url or str(request.base_url).rstrip("/")
    url = f"{base}/a/{slug}"
    markdown = article_markdown(article, stored.review_status, url)
    disposition = {"Content-Disposition": f'attachment; filename="curbside-{slug}.'}
    if kind is ExportFormat.MARKDOWN:
        headers = {"Content-Disposition": disposition["Content-Disposition"] + 'md"'}
        return Response(markdown, media_type="text/markdown; charset=utf-8", headers=headers)
    pdf = None
    if kind is ExportFormat.PDF or with_pdf:
        html = services.templates.env.get_template("article_print.html").render(
            a=article,
            question=stored.question,
            approved=stored.review_status is ReviewStatus.APPROVED,
            url=url,
            reference_line=reference_line,
        )
        try:
            pdf = await run_in_threadpool(print_pdf, html, services.settings.chromium)
        except PdfUnavailableError as error:
            return JSONResponse({"detail": str(error)}, status_code=503)
    if kind is ExportFormat.PDF:
        assert pdf is not None
        headers = {"Content-Disposition": disposition["Content-Disposition"] + 'pdf"'}
        return Response(pdf, media_type="application/pdf", headers=headers)
    resource = document_reference(
        article, stored.review_status, slug=slug, base_url=base, created=stored.created_at, markdown=markdown, pdf=pdf
    )
    return JSONResponse(resource, media_type="application/fhir+json")


@router.get("/a/{slug}/export.{suffix}", summary="Download the article (md, pdf or fhir.json)")
async def page_export(
    request: Request, services: Services, slug: str, suffix: str, audience: AudienceParam = None
) -> Response:
    kind = _SUFFIX.get(suffix)
    if kind is None:
        return JSONResponse({"detail": f"no export .{suffix}: use .md, .pdf or .fhir.json"}, status_code=404)
    return await export(request, services, slug, kind, audience, with_pdf=False)


@router.get(
    "/api/articles/{slug}/export",
    summary="The article as Markdown, PDF or a FHIR DocumentReference",
    responses={404: {"description": "No article with that slug"}, 503: {"description": "Chromium unavailable"}},
)
async def api_export(
    request: Request,
    services: Services,
    slug: str,
    format: Annotated[ExportFormat, Query(description="markdown, pdf or fhir")] = ExportFormat.MARKDOWN,
    audience: AudienceParam = None,
    pdf: Annotated[bool, Query(description="fhir only: attach the PDF too")] = False,
) -> Response:
    return await export(request, services, slug, format, audience, with_pdf=pdf)
