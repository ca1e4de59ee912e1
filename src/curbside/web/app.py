"""Application factory: ``create_app(settings)`` builds everything once; nothing global.

Example::

    app = create_app(Settings.from_env())          # opens the knowledge base
    app = create_app(settings, curbside=curbside)  # reuse an open pipeline (tests)

Several worker processes, each building its app from the environment::

    uvicorn --factory curbside.web.app:create_app_from_env --workers 2 --host 127.0.0.1 --port 8000
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from curbside import __version__
from curbside.composition.audience import PlainLanguage
from curbside.pipeline import Curbside, QuestionError
from curbside.protocols import ComposerUnavailableError
from curbside.reverification import reverify
from curbside.review.accounts import AccountBook
from curbside.review.database import open_review_database
from curbside.review.legacy import import_knowledge_base_articles
from curbside.review.rate_limits import SqlRateLimiter
from curbside.review.workflow import ReviewDesk, ReviewError
from curbside.settings import Settings
from curbside.web.auth import install_auth
from curbside.web.cds_hooks import install_cds_hooks
from curbside.web.deps import WebServices
from curbside.web.desk import AnswerDesk, ArticleNotFoundError, related_url
from curbside.web.exports.router import router as exports_router
from curbside.web.limits import BodySizeLimit
from curbside.web.rate_limits import AskRateLimitedError
from curbside.web.rendering import HERE, create_templates, error_page, status_for
from curbside.web.routers import about, accounts, articles, questions, review, review_api, search

# Same-origin everything; no referrer, so article URLs never leak to the cited sites.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
    " form-action 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def create_app(settings: Settings, curbside: Curbside | None = None) -> FastAPI:
    """The web app over ``curbside`` (opened from ``settings`` when not given)."""
    curbside = curbside or Curbside.open(settings)
    repository = open_review_database(settings)
    import_knowledge_base_articles(repository, settings.database_path)
    plain = PlainLanguage(curbside.store.glossary())
    app = FastAPI(
        title="Curbside",
        version=__version__,
        description="Cited, verified clinical answers from public sources. Articles are pending human review "
        "until the medical advisory board approves them.",
        docs_url=None,  # /docs is served locally (about router): no CDN assets on an offline service
        redoc_url=None,
    )
    app.state.services = WebServices(
        settings=settings,
        curbside=curbside,
        repository=repository,
        desk=AnswerDesk(curbside, repository, plain, related_link=related_url),
        editorial=ReviewDesk(repository, AccountBook(repository), partial(reverify, curbside)),
        templates=create_templates(),
        rate_limiter=SqlRateLimiter(repository),
    )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for router in (questions.router, articles.router, review_api.router, review.router, accounts.router):
        app.include_router(router)
    for router in (search.router, about.router):
        app.include_router(router)
    app.include_router(exports_router)
    install_cds_hooks(app, settings, curbside)
    _install_error_handlers(app)
    install_auth(app)
    app.add_middleware(BodySizeLimit)  # inside the headers middleware, so a 413 carries them too

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


def create_app_from_env() -> FastAPI:
    """Zero-argument factory for ``uvicorn --factory`` (one call per worker process): Settings
    from the ``CURBSIDE_*`` environment, built when the worker starts, never at import."""
    return create_app(Settings.from_env())


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _install_error_handlers(app: FastAPI) -> None:
    async def domain_error(request: Request, error: Exception) -> Response:
        status = status_for(error)
        detail = _unavailable_detail(error) if status == 503 else str(error)
        headers = {"Retry-After": "30"} if status == 503 else None
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=status, headers=headers)
        title = {
            401: "Log in first",
            404: "Not found",
            403: "Not allowed",
            409: "Not possible now",
            503: "Answering is unavailable",
        }.get(status, "Cannot answer that")
        page = error_page(request, status, title, detail)
        page.headers.update(headers or {})
        return page

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if _wants_json(request) or error.status_code < 400:
            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)
        title = "Page not found" if error.status_code == 404 else "Request not possible"
        return error_page(request, error.status_code, title, str(error.detail))

    async def validation_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        if _wants_json(request):
            return JSONResponse({"detail": _jsonable(error.errors())}, status_code=422)
        problems = "; ".join(f"{e.get('loc', ['?'])[-1]}: {e.get('msg', 'invalid')}" for e in error.errors()[:5])
        return error_page(request, 422, "Request not understood", f"Check these fields: {problems}.")

    async def rate_limited(request: Request, error: Exception) -> Response:
        assert isinstance(error, AskRateLimitedError)
        headers = {"Retry-After": str(error.retry_after_s)}
        if _wants_json(request):
            return JSONResponse({"detail": str(error)}, status_code=429, headers=headers)
        page = error_page(request, 429, "Too many questions", str(error))
        page.headers.update(headers)
        return page

    for kind in (ArticleNotFoundError, QuestionError, ReviewError, ComposerUnavailableError):
        app.add_exception_handler(kind, domain_error)
    app.add_exception_handler(AskRateLimitedError, rate_limited)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)


def _unavailable_detail(error: Exception) -> str:
    return (
        f"The language model that writes answers is unavailable ({error}). Try again shortly, or ask the "
        "operator to set CURBSIDE_LLM_FALLBACK=offline to answer with the offline composer meanwhile."
    )


def _jsonable(errors: object) -> object:
    """Validation errors without the raw input echoed back (it may be a megabyte of text)."""
    if isinstance(errors, list | tuple):
        return [
            {k: v for k, v in e.items() if k not in ("input", "ctx", "url")} if isinstance(e, dict) else e
            for e in errors
        ]
    return errors
