"""Probe-file validation and the expectation checker."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from curbside.domain.article import Alert, Article, Reference, Statement, UnderstoodView
from curbside.evaluation.probe_suite import ProbeFileError, check, default_probe_file, load_probes, parse_probes
from tests.evaluation.conftest import FIXTURES


def line(**fields: object) -> str:
    base: dict[str, object] = {"id": "p1", "question": "What is X?", "expect": {"abstain": True}}
    base.update(fields)
    return json.dumps({k: v for k, v in base.items() if v is not None})


def test_shipped_probe_file_is_valid_and_covers_the_behaviours() -> None:
    probes = load_probes(default_probe_file())
    assert len(probes) >= 20
    keys = {key for p in probes for key in p.expect}
    assert {"abstain", "alert_kind", "must_cite_org", "must_not_cite_title_contains", "must_mention"} <= keys
    assert {p.expect.get("alert_kind") for p in probes} >= {"emergency", "interaction"}


def test_comments_and_blank_lines_are_skipped() -> None:
    probes = parse_probes(["# comment", "", line(note="why")], "f.jsonl")
    assert probes[0].id == "p1" and probes[0].note == "why"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", r"f\.jsonl:1: not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        (line(id=""), "'id' is required"),
        (line(question=None), "'question' is required"),
        (line(expect={}), "'expect' must be a non-empty object"),
        (line(expect={"abstian": True}), "unknown expectation 'abstian'"),
        (line(expect={"abstain": "yes"}), "'abstain' must be a bool"),
        (line(expect={"must_mention": "warfarin"}), "'must_mention' must be a list"),
        (line(expect={"must_mention": []}), "non-empty list"),
        (line(expect={"alert_severity_at_least": "severe"}), "unknown severity 'severe'"),
        (line(colour="red"), "unknown key"),
    ],
)
def test_bad_probe_lines_give_clear_errors(text: str, message: str) -> None:
    with pytest.raises(ProbeFileError, match=message):
        parse_probes([text], "f.jsonl")


def test_duplicate_ids_and_empty_files_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ProbeFileError, match=re.escape("f.jsonl:2: duplicate id 'p1' (first on line 1)")):
        parse_probes([line(), line()], "f.jsonl")
    with pytest.raises(ProbeFileError, match="no probes"):
        parse_probes(["# only a comment"], "f.jsonl")
    with pytest.raises(ProbeFileError, match="not found"):
        load_probes(tmp_path / "missing.jsonl")


def _article(**update: object) -> Article:
    article = Article(
        question="q",
        title="t",
        understood=UnderstoodView(summary="", intent="information", intent_confidence=1.0),
        bottom_line=Statement(text="Warfarin with aspirin raises bleeding risk.", citations=(1,)),
        references=(
            Reference(
                n=1,
                source_id="s",
                passage_id="s#0",
                organization="U.S. Preventive Services Task Force",
                title="Screening for X in adults",
                year=2020,
                url="",
                section="",
                kind="guideline",
                quote="",
            ),
        ),
        alerts=(Alert(kind="interaction", severity="major", text="Bleeding."),),
    )
    return article.model_copy(update=update)


def test_check_reports_each_unmet_expectation() -> None:
    article = _article()
    assert check(article, {"abstain": False, "alert_kind": "interaction", "alert_severity_at_least": "major",
                           "must_cite_kind": "guideline", "must_cite_org": "preventive services",
                           "must_mention": ["WARFARIN", "bleeding"]}) == []  # fmt: skip
    failures = check(
        article,
        {"abstain": True, "alert_severity_at_least": "contraindicated", "must_cite_kind": "drug_label",
         "must_cite_org": "CDC", "must_mention": ["heparin"], "must_not_cite_title_contains": ["adults"],
         "must_not_alert_kind": "interaction"},
    )  # fmt: skip
    assert len(failures) == 7, failures
    assert any("title contains 'adults'" in f for f in failures)


def test_fixture_probe_file_is_valid() -> None:
    assert [p.id for p in load_probes(FIXTURES / "evaluation" / "probes-small.jsonl")][-1] == "deliberately-failing"
