"""Article exports: Markdown, FHIR DocumentReference and a PDF printed by headless Chromium."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.web.conftest import ANSWERED, ask, slug_of
from tests.web.live_server import CHROMIUM


@pytest.fixture(scope="module")
def slug(client: TestClient) -> str:
    return slug_of(ask(client, ANSWERED))


def test_markdown_export_keeps_citations_and_references(client: TestClient, slug: str) -> None:
    article = client.get(f"/api/articles/{slug}").json()
    response = client.get(f"/a/{slug}/export.md")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert "attachment" in response.headers["content-disposition"]
    text = response.text
    assert text.startswith(f"# {article['title']}")
    assert "Pending human review" in text
    assert re.search(r"\[\d+\]", text)
    for ref in article["references"]:
        assert f"{ref['n']}. {ref['organization']}" in text
    assert client.get(f"/api/articles/{slug}/export?format=markdown").text == text


def test_fhir_document_reference_attaches_the_article(client: TestClient, slug: str) -> None:
    response = client.get(f"/api/articles/{slug}/export?format=fhir")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    resource = response.json()
    assert resource["resourceType"] == "DocumentReference"
    assert resource["status"] == "current" and resource["docStatus"] == "preliminary"
    markdown = resource["content"][0]["attachment"]
    assert markdown["contentType"].startswith("text/markdown")
    assert base64.b64decode(markdown["data"]).decode() == client.get(f"/a/{slug}/export.md").text
    assert resource["content"][1]["attachment"]["url"].endswith(f"/a/{slug}")
    assert client.get(f"/a/{slug}/export.fhir.json").json()["identifier"] == resource["identifier"]


def test_unknown_exports_and_articles(client: TestClient, slug: str) -> None:
    assert client.get(f"/a/{slug}/export.docx").status_code == 404
    assert client.get("/api/articles/nope/export").status_code == 404
    assert client.get(f"/api/articles/{slug}/export?format=rtf").status_code == 422


def test_article_page_links_the_exports(client: TestClient, slug: str) -> None:
    page = client.get(f"/a/{slug}").text
    for suffix in ("md", "pdf", "fhir.json"):
        assert f"/a/{slug}/export.{suffix}" in page


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not installed")
def test_pdf_export_is_printed_by_chromium(client: TestClient, slug: str, tmp_path: Path) -> None:
    article = client.get(f"/api/articles/{slug}").json()
    response = client.get(f"/a/{slug}/export.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # pypdf (a dependency) reads the text back, so the check never depends on a system tool.
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert " ".join(article["title"].split()) in text and "Pending human review" in text
    fhir = client.get(f"/api/articles/{slug}/export?format=fhir&pdf=true").json()
    assert fhir["content"][-1]["attachment"]["contentType"] == "application/pdf"
