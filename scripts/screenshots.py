"""Render an article in headless Chromium at desktop and phone width into docs/screenshots/.

Uses the full knowledge base (``var/curbside.sqlite3``, real embeddings) when it exists —
copied to a temporary directory first, so the articles this creates never land in the
shared database — and the test-fixture knowledge base otherwise.

    .venv/bin/python scripts/screenshots.py [--question TEXT] [--audience clinician]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.web helpers (fixture KB, live server)

from tests.fixture_kb import build_fixture_kb  # noqa: E402
from tests.web.live_server import CHROMIUM, CHROMIUM_ARGS, live_server  # noqa: E402

from curbside.domain.article import Audience  # noqa: E402
from curbside.pipeline import Curbside  # noqa: E402
from curbside.settings import Settings  # noqa: E402
from curbside.web.app import create_app  # noqa: E402

SEED = (
    "Patient on buspirone for years with increased symptoms, several SSRIs tried with no improvement: "
    "best course of action?"
)
FULL_KB = REPO / "var" / "curbside.sqlite3"
OUT = REPO / "docs" / "screenshots"


def full_kb_copy(work: Path) -> Settings:
    """Settings over a private copy of the full knowledge base (SQLite online backup)."""
    data = work / "data"
    data.mkdir()
    source = sqlite3.connect(f"file:{FULL_KB}?mode=ro", uri=True)
    target = sqlite3.connect(data / "curbside.sqlite3")
    source.backup(target)
    source.close()
    target.close()
    model = FULL_KB.parent / "intent-model.joblib"
    if model.exists():
        shutil.copy(model, data / model.name)
    return Settings(data_dir=data, embedder="minilm")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--question", default=None)
    parser.add_argument("--audience", default="clinician", choices=[a.value for a in Audience])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        full = FULL_KB.exists()
        settings = full_kb_copy(Path(tmp)) if full else build_fixture_kb(Path(tmp))
        question = args.question or (SEED if full else "What are the symptoms of example syndrome?")
        curbside = Curbside.open(settings)
        app = create_app(settings, curbside)
        desk = app.state.services.desk
        stored = desk.ask(question, Audience(args.audience))
        OUT.mkdir(parents=True, exist_ok=True)
        with live_server(app) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, width in (("desktop", 1280), ("phone", 390)):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(f"{base}/a/{stored.slug}")
                page.screenshot(path=str(OUT / f"article-{name}.png"), full_page=True)
                page.close()
            browser.close()
        for audience in (Audience.CLINICIAN, Audience.PATIENT):
            presented = desk.present(stored, audience)
            print(f"{audience.value:10s} FK grade {presented.fk_grade}")
        print(f"knowledge base: {'full' if full else 'fixture'}; question: {question}")
        print(f"wrote {OUT / 'article-desktop.png'} and {OUT / 'article-phone.png'}")


if __name__ == "__main__":
    main()
