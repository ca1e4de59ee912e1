from __future__ import annotations

from pathlib import Path

import pytest

from curbside.evaluation.safety_checks import read_jsonl, red_flag_scores
from curbside.safety.red_flags import detect_red_flags, emergency_notice

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "safety" / "red_flags.jsonl"


def test_fixture_recall_and_precision() -> None:
    result = red_flag_scores(read_jsonl(FIXTURE))
    assert result["tp"] + result["fn"] == 20 and result["fp"] + result["tn"] == 20  # type: ignore[operator]
    assert result["recall"] == 1.0, result["missed"]
    assert result["precision"] >= 0.95, result["false_alarms"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("thinking about ending my life", "suicide"),
        ("I have chest pain and I'm sweating right now", "chest_pain"),
        ("She took 20 tablets of sertraline", "overdose"),
        ("My brother attempted suicide last week, what now?", "suicide"),
    ],
)
def test_emergencies(text: str, category: str) -> None:
    assert [f.category for f in detect_red_flags(text)] == [category]


@pytest.mark.parametrize(
    "text",
    [
        "What is the suicide rate in the US?",
        "chest pain from a pulled muscle after the gym",
        "I'm not going to kill myself, but I feel low",
        "denies suicidal ideation; is sertraline appropriate?",
        "Does metoprolol cause shortness of breath and chest tightness?",
        "What is the risk of heavy bleeding with apixaban?",
        "He attempted suicide ten years ago; is bupropion ok?",
    ],
)
def test_not_emergencies(text: str) -> None:
    assert detect_red_flags(text) == ()


def test_notices_name_the_right_numbers() -> None:
    (suicide,) = detect_red_flags("I want to kill myself")
    assert "988" in emergency_notice(suicide) and "911" in emergency_notice(suicide)
    (stroke,) = detect_red_flags("her face is drooping and her speech is slurred")
    assert "911" in emergency_notice(stroke) and "988" not in emergency_notice(stroke)
