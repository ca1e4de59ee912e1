"""Ask → redirect → article, audience switch, follow-ups, related links, escaping, odd input."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import SCREENING, UNKNOWN_DRUG, ask, slug_of


def test_ask_page_has_labelled_form_and_examples(client: TestClient) -> None:
    page = client.get("/").text
    assert '<label for="question">' in page and '<label for="audience">' in page
    assert "Examples" in page and "/ask?q=" in page
    assert '<main id="main"' in page and "<nav" in page


def test_ask_redirects_to_an_article_with_everything_a_reader_needs(client: TestClient) -> None:
    url = ask(client)
    slug = slug_of(url)
    assert re.fullmatch(r"[A-Za-z0-9_-]{12}", slug)
    assert "example" not in slug.lower()  # never built from the question
    page = client.get(url).text
    for needle in (
        "Pending human review — exercise caution",
        'aria-current="step">Submitted',
        "Last updated",
        'href="/policy"',
        "Which best describes you?",
        "Bottom line",
        'href="#ref-1"',
        'id="ref-1"',
        'role="tooltip"',
        "aria-describedby=",
        "Verifier: <strong>supported</strong>",
        "Understood as",
        "Related questions",
        "Reading level: grade",
        "For health professionals",
        "Ask a follow-up",
        "References",
        'class="ref-licence">Licence: CC BY 4.0',  # the cited MedQuAD answer's licence, with its use terms
        "(attribution)",
    ):
        assert needle in page, needle


def test_every_citation_tooltip_quotes_its_reference(client: TestClient) -> None:
    page = client.get(ask(client)).text
    for tip_id in re.findall(r'aria-describedby="(tip-[^"]+)"', page):
        assert f'id="{tip_id}"' in page
    assert "“What is Example syndrome? Example syndrome is an invented condition" in page


def test_audience_switch_rewords_and_keeps_citations(client: TestClient) -> None:
    url = ask(client)
    clinician = client.get(url).text
    patient = client.get(url + "?audience=patient").text
    assert '<option value="patient" selected>' in patient
    assert "talk to your doctor, nurse or pharmacist" in patient
    cites = re.compile(r'href="#ref-(\d+)"')
    assert sorted(cites.findall(clinician)) == sorted(cites.findall(patient))
    for audience in ("pharmacist", "nurse", "student"):
        assert client.get(f"{url}?audience={audience}").status_code == 200


def test_unknown_audience_is_a_clear_422_not_a_crash(client: TestClient) -> None:
    response = client.get(ask(client) + "?audience=wizard")
    assert response.status_code == 422
    assert "audience" in response.text


def test_follow_up_is_answered_in_thread_and_shown_under_the_first_article(client: TestClient) -> None:
    url = ask(client)
    response = client.post(url + "/followups", data={"question": "Is it inherited?"}, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(url) and "#followup-" in location
    page = client.get(url).text
    assert "Follow-up: Is it inherited?" in page
    # The follow-up names no condition: it inherits the thread's.
    followup_slug = location.split("#followup-")[1]
    data = client.get(f"/api/articles/{followup_slug}").json()
    assert data["understood"]["conditions"] == ["example syndrome"]
    assert data["thread_id"] == slug_of(url) and data["relation"] == "followup"


def test_empty_follow_up_rerenders_with_message(client: TestClient) -> None:
    url = ask(client)
    response = client.post(url + "/followups", data={"question": "   "})
    assert response.status_code == 400
    assert "The question is empty" in response.text


def test_related_question_link_creates_the_article_once(client: TestClient) -> None:
    page = client.get(ask(client)).text
    links = re.findall(r'<li><a href="(/ask\?q=[^"]+)">', page)
    assert links
    href = links[0].replace("&amp;", "&")
    first = client.get(href, follow_redirects=False)
    second = client.get(href, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert client.get(first.headers["location"]).status_code == 200


def test_understood_as_correction_reasks_in_the_same_thread(client: TestClient) -> None:
    url = ask(client, UNKNOWN_DRUG)
    before = client.get("/api/articles/" + slug_of(url)).json()
    assert before["abstained"] and "zorvastatin" in before["understood"]["unknown_terms"]
    response = client.post(
        url + "/understood",
        data={"conditions": "example syndrome", "drugs": "zorvastatin, Zoloft", "current": "", "failed": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303
    revised = client.get("/api/articles/" + slug_of(response.headers["location"])).json()
    assert revised["relation"] == "revision" and revised["thread_id"] == before["thread_id"]
    assert revised["parent_slug"] == before["slug"]
    assert revised["understood"]["conditions"] == ["example syndrome"]
    # Brand names resolve to the generic; a name nothing recognises is kept as the reader typed it.
    assert set(revised["understood"]["drugs"]) == {"zorvastatin", "sertraline"}
    assert "zorvastatin" not in revised["understood"]["unknown_terms"]
    assert "Corrected version of" in client.get(response.headers["location"]).text


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "The question is empty"), ("   \n\t ", "The question is empty"), ("x " * 1500, "the limit is 2000")],
)
def test_bad_questions_rerender_the_form_with_the_text_kept(client: TestClient, question: str, message: str) -> None:
    response = client.post("/ask", data={"question": question, "audience": "nurse"})
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert '<option value="nurse" selected>' in response.text
    if question.strip():
        assert "x x x" in response.text


def test_huge_question_is_refused_without_echoing_megabytes(client: TestClient) -> None:
    response = client.post("/ask", data={"question": "a" * 200_000})
    assert response.status_code == 400
    assert len(response.text) < 50_000


@pytest.mark.parametrize(
    "question",
    [
        "Is \u202eevil\u202c example syndrome 🧬 inherited?",
        "example syndrome\x00\x07 symptoms?",
        "ｅｘａｍｐｌｅ ｓｙｎｄｒｏｍｅ？",
        "مرض example syndrome 症状",
    ],
)
def test_odd_unicode_questions_are_answered_or_refused_never_500(client: TestClient, question: str) -> None:
    response = client.post("/ask", data={"question": question}, follow_redirects=True)
    assert response.status_code in (200, 400)
    assert "\x00" not in response.text


def test_script_in_a_question_renders_as_text(client: TestClient) -> None:
    attack = 'example syndrome <script>alert("x")</script> <img src=x onerror=alert(1)>?'
    page = client.get(ask(client, attack)).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    csp = client.get("/").headers["content-security-policy"]
    assert "default-src 'self'" in csp


def test_screening_article_shows_grade_and_meaning(client: TestClient) -> None:
    page = client.get(ask(client, SCREENING)).text
    assert "Grade B recommendation" in page and "guideline" in page


def test_abstention_box_says_why_and_what_was_searched(client: TestClient) -> None:
    page = client.get(ask(client, UNKNOWN_DRUG)).text
    assert "Curbside did not answer" in page and "What was searched" in page
    assert "zorvastatin" in page


def test_policy_and_sources_pages(client: TestClient) -> None:
    policy = client.get("/policy").text
    assert "publish gate" in policy.lower() and "will not do" in policy
    sources = client.get("/sources").text
    assert "U.S. Preventive Services Task Force" in sources and "CDC Plain Language Thesaurus" in sources
    assert "Documents by licence class" in sources
    assert "<td>cc-by</td>" in sources and "<td>no-restrictions</td>" in sources  # MedQuAD; the NGC fixture


def test_unknown_article_is_a_404_page(client: TestClient) -> None:
    response = client.get("/a/doesnotexist")
    assert response.status_code == 404 and "<h1>Not found</h1>" in response.text
    assert client.get("/a/" + "x" * 5000).status_code == 404


def test_question_text_is_not_logged(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    secret = "example syndrome in Jane Q. Doe born 1961-02-03"
    with caplog.at_level("DEBUG"):
        ask(client, secret)
    assert "Jane Q. Doe" not in caplog.text
