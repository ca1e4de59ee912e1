"""Speed work must not change answers: bottom line, title, cited passages and alerts of a few
questions on the fixture knowledge base, against a snapshot written by the code before it.

The snapshot (``tests/pipeline_answer_snapshot.json``) was written with the commit before the
start-up and latency work (6754232). A change meant to alter answers updates it on purpose:
``PYTHONPATH=src python -m tests.test_pipeline_answer_snapshot --write``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from curbside.pipeline import Curbside
from curbside.settings import Settings
from tests.fixture_kb import build_fixture_kb

SNAPSHOT = Path(__file__).with_name("pipeline_answer_snapshot.json")
QUESTIONS = (
    "What are the symptoms of example syndrome?",
    "What are the treatments for Example syndrome?",
    "Is example syndrome inherited?",
    "Should adults be screened for example disease?",
    "What is the dose of zorvastatin?",
    "What is the dose of quorvanide?",
    "Can warfarin be taken together with aspirin?",
    "Can aspirin be taken for pain?",
)


def fingerprints(settings: Settings) -> list[dict[str, Any]]:
    """What each question's answer says, in the terms the snapshot compares."""
    curbside = Curbside.open(settings)
    try:
        out = []
        for question in QUESTIONS:
            article = curbside.ask(question).article
            out.append(
                {
                    "question": question,
                    "title": article.title,
                    "abstained": article.abstained,
                    "bottom_line": article.bottom_line.text if article.bottom_line else None,
                    "citations": [r.passage_id for r in article.references],
                    "statements": [s.text for section in article.sections for s in section.statements],
                    "alerts": [f"{a.kind}:{a.severity}:{a.text}" for a in article.alerts],
                    "related": [r.question for r in article.related_questions],
                }
            )
        return out
    finally:
        curbside.store.close()


@pytest.fixture(scope="module")
def fixture_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_fixture_kb(tmp_path_factory.mktemp("snapshot-kb"))


def test_answers_match_the_snapshot(fixture_settings: Settings) -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert fingerprints(fixture_settings) == expected


def test_answers_match_after_a_restart_from_the_start_up_caches(fixture_settings: Settings) -> None:
    # The second open reads every start-up cache the first one wrote.
    fingerprints(fixture_settings)
    assert fingerprints(fixture_settings) == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    with tempfile.TemporaryDirectory() as root:
        SNAPSHOT.write_text(
            json.dumps(fingerprints(build_fixture_kb(Path(root))), indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    print(f"wrote {SNAPSHOT}")
