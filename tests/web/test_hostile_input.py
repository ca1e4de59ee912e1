"""Hostile and malformed input over every way text gets in: one table of probes.

Every probe gets either a stored article whose pages show the text escaped, or a 4xx with a
message saying what was refused (and then no article is created). Never a 500.
"""

from __future__ import annotations

import html
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from fastapi.testclient import TestClient

from curbside.pipeline import Curbside
from curbside.review.repository import SqliteArticleRepository
from curbside.settings import Settings
from curbside.web.app import create_app
from curbside.web.limits import MAX_REQUEST_BODY_BYTES
from tests.web.conftest import ANSWERED, ask, slug_of

# Fixed seed: the same "random bytes" every run.
RANDOM_BYTES = random.Random(18).randbytes(300).decode("latin-1")
PRINTABLE_NOISE = "".join(char for char in RANDOM_BYTES if char.isprintable())
SCRIPT = "<script>alert('curbside')</script>"

REFUSED_EMPTY = "The question is empty"
REFUSED_NOT_WORDS = "does not read as a question"
REFUSED_LONG = "the limit is 2000"


@dataclass(frozen=True)
class Probe:
    name: str
    question: str
    refusal: str | None  # None: answered, and the text shows escaped
    shown: str = ""  # a fragment of the question that must appear (escaped) on the article page


PROBES = (
    Probe("empty", "", REFUSED_EMPTY),
    Probe("whitespace only", " \t\n\u00a0 \u2003", REFUSED_EMPTY),
    Probe("100 kB", "example syndrome " * 6000, REFUSED_LONG),
    # Control characters are dropped before answering (desk.clean_text); what is left is answered.
    Probe("NUL byte", "What are\x00 the symptoms of\x07 example syndrome?", None, "the symptoms of example"),
    Probe("random bytes", RANDOM_BYTES, REFUSED_NOT_WORDS),
    Probe("printable noise", PRINTABLE_NOISE, REFUSED_NOT_WORDS),
    Probe("symbols", "P × 9 }", REFUSED_NOT_WORDS),
    Probe("digits and punctuation", "12 / 7 = ?? !!", REFUSED_NOT_WORDS),
    Probe("right-to-left only", "ما هي أعراض المرض؟", REFUSED_NOT_WORDS),
    Probe("mixed script", "What are the symptoms of example syndrome? 症状 أعراض", None, "症状 أعراض"),
    Probe("right-to-left override", "Is \u202eevil\u202c example syndrome inherited?", None, "evil"),
    Probe("HTML and JS", f"{SCRIPT} What are the symptoms of example syndrome?", None, SCRIPT),
    Probe("event handler", '<img src=x onerror="alert(1)"> example syndrome symptoms?', None, "onerror"),
    Probe(
        "SQL fragment",
        "What are the symptoms of example syndrome?'; DROP TABLE articles; --",
        None,
        "DROP TABLE articles",
    ),
    Probe(
        "template syntax",
        "{{ 7*7 }} {% if 1 %}What are the symptoms of example syndrome?{% endif %}",
        None,
        "{{ 7*7 }}",
    ),
    Probe(
        "Markdown link",
        "[see here](javascript:alert(1)) What are the symptoms of example syndrome?",
        None,
        "[see here]",
    ),
)
IDS = [probe.name for probe in PROBES]


def article_count(settings: Settings) -> int:
    repository = SqliteArticleRepository(settings.review_database_path)
    try:
        return len(repository.by_status(None, limit=1_000_000))
    finally:
        repository.close()


def assert_escaped(page: str, probe: Probe) -> None:
    assert SCRIPT not in page and "<img src=x" not in page
    assert 'href="javascript:' not in page.lower()
    if probe.shown:
        assert html.escape(probe.shown, quote=False) in page or probe.shown in html.unescape(page)
    assert "\x00" not in page


def check(response_status: int, text: str, probe: Probe) -> None:
    assert response_status < 500, text[:500]
    if probe.refusal:
        assert 400 <= response_status < 500
        assert probe.refusal in text
        assert SCRIPT not in text


@pytest.mark.parametrize("probe", PROBES, ids=IDS)
def test_html_form(client: TestClient, web_settings: Settings, probe: Probe) -> None:
    before = article_count(web_settings)
    response = client.post("/ask", data={"question": probe.question}, follow_redirects=False)
    check(response.status_code, response.text, probe)
    if probe.refusal:
        assert article_count(web_settings) == before
        assert len(response.text) < 50_000  # the 100 kB text is not echoed back whole
        return
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert_escaped(page, probe)


@pytest.mark.parametrize("probe", PROBES, ids=IDS)
def test_json_api(client: TestClient, web_settings: Settings, probe: Probe) -> None:
    before = article_count(web_settings)
    response = client.post("/api/ask", json={"question": probe.question})
    if probe.name == "100 kB":  # over the schema's maxLength: refused before the pipeline
        assert response.status_code == 422 and "at most" in response.text
        assert article_count(web_settings) == before
        return
    check(response.status_code, response.text, probe)
    if probe.refusal:
        assert article_count(web_settings) == before
        return
    assert response.status_code == 201
    assert_escaped(client.get(response.json()["url"]).text, probe)


@pytest.fixture(scope="module")
def thread_url(client: TestClient) -> str:
    return ask(client, ANSWERED)


@pytest.mark.parametrize("probe", PROBES, ids=IDS)
def test_follow_up_form(client: TestClient, web_settings: Settings, thread_url: str, probe: Probe) -> None:
    before = article_count(web_settings)
    response = client.post(thread_url + "/followups", data={"question": probe.question}, follow_redirects=False)
    if probe.name == "100 kB":
        assert response.status_code == 400 and "shorten it" in response.text
        return
    check(response.status_code, response.text, probe)
    if probe.refusal:
        assert article_count(web_settings) == before
        return
    assert response.status_code == 303
    assert_escaped(client.get(response.headers["location"]).text, probe)


@pytest.mark.parametrize("probe", PROBES, ids=IDS)
def test_follow_up_api(client: TestClient, web_settings: Settings, thread_url: str, probe: Probe) -> None:
    before = article_count(web_settings)
    response = client.post(f"/api/articles/{slug_of(thread_url)}/followups", json={"question": probe.question})
    if probe.name == "100 kB":
        assert response.status_code == 422
        return
    check(response.status_code, response.text, probe)
    if probe.refusal:
        assert article_count(web_settings) == before
        return
    assert response.status_code == 201


@pytest.mark.parametrize("value", [SCRIPT, "{{ 7*7 }}", "'; DROP TABLE articles; --", "[x](javascript:alert(1))"])
def test_corrections_show_hostile_names_escaped(client: TestClient, thread_url: str, value: str) -> None:
    fields = {"conditions": value, "drugs": value, "current": "", "failed": ""}
    response = client.post(thread_url + "/understood", data=fields, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert SCRIPT not in page and 'href="javascript:' not in page


def test_corrections_refuse_oversized_fields_with_a_message(client: TestClient, thread_url: str) -> None:
    response = client.post(thread_url + "/understood", data={"conditions": "x" * 100_000})
    assert response.status_code == 422
    assert "conditions" in response.text and "at most 2000" in response.text


@pytest.mark.parametrize("path", ["/ask", "/api/ask", "/cds-services/curbside-order-select"])
def test_request_bodies_over_the_limit_are_refused(client: TestClient, path: str) -> None:
    response = client.post(path, content=b"q" * (MAX_REQUEST_BODY_BYTES + 1), headers={"content-type": "text/plain"})
    assert response.status_code == 413
    assert "byte limit" in response.json()["detail"]
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.fixture(scope="module")
def open_cds(web_settings: Settings, curbside: Curbside) -> Iterator[TestClient]:
    """The app with unsigned CDS Hooks calls allowed, so bodies reach the parser."""
    with TestClient(create_app(replace(web_settings, cds_allow_unsigned=True), curbside)) as test_client:
        yield test_client


CDS_BODIES = [
    (b"", 400),
    (b"\x00\x01\x02 binary", 400),
    (b"not json {", 400),
    (b"[]", 400),
    (b'{"hook": "", "hookInstance": ""}', 400),
    (b'{"hook": "patient-view", "hookInstance": "' + SCRIPT.encode() + b'", "context": "{{ 7*7 }}"}', 400),
    (
        b'{"hook": "order-select", "hookInstance": "1", "context": {"draftOrders": "\'; DROP TABLE x; --"}}',
        412,
    ),  # no prefetch, no FHIR server: the spec says 412
    ('{"hook": "patient-view", "hookInstance": "ما", "context": {"patientId": "\u202e1"}}'.encode(), 400),
]


@pytest.mark.parametrize(("body", "expected"), CDS_BODIES)
def test_cds_hooks_bodies(open_cds: TestClient, body: bytes, expected: int) -> None:
    response = open_cds.post(
        "/cds-services/curbside-order-select", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == expected, response.text
    assert response.json()["detail"]
    assert SCRIPT not in response.text
