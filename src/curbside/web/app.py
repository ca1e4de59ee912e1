"""Application factory: ``create_app(settings)`` builds the FastAPI app; nothing global."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from curbside import __version__
from curbside.knowledge.build import open_store
from curbside.settings import Settings

HERE = Path(__file__).resolve().parent


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="Curbside", version=__version__, description="Cited, verified clinical answers.")
    app.state.settings = settings
    app.state.store = open_store(settings)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/", response_class=HTMLResponse)
    def ask_page(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "ask.html", {"version": __version__})

    @app.get("/healthz")
    def health() -> dict[str, object]:
        counts = app.state.store.source_counts()
        return {"status": "ok", "documents": sum(c.documents for c in counts)}

    return app
