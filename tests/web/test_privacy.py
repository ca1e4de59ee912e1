"""Question text never reaches the logs by default, at any level, anywhere in the app."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import slug_of

MARKER = "quixotrandomarker"  # appears nowhere else, so any log line holding it came from a question


def test_question_text_is_not_logged_even_at_debug(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    question = f"What are the symptoms of example syndrome in {MARKER} patients?"
    with caplog.at_level(logging.DEBUG):  # the root logger: every logger in the app propagates here
        form = client.post("/ask", data={"question": question}, follow_redirects=False)
        api = client.post("/api/ask", json={"question": question + " today"})
        followup = client.post(f"/api/articles/{api.json()['slug']}/followups", json={"question": f"Why {MARKER}?"})
        refused = client.post("/api/ask", json={"question": f"{MARKER} × 9 }}"})
        page = client.get(form.headers["location"])
    assert (form.status_code, api.status_code, followup.status_code) == (303, 201, 201)
    assert refused.status_code == 400 and page.status_code == 200
    assert MARKER in page.text and slug_of(form.headers["location"])
    assert caplog.records, "nothing was logged at all: the capture did not work"
    assert not [r.getMessage() for r in caplog.records if MARKER in r.getMessage()]
