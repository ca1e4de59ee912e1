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


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("he says he doesn't want to live anymore, on citalopram 40, what now?", "suicide"),
        ("my 3 week old has a fever of 38.4, can i give tylenol", "infant_fever"),
        ("toddler can't finish a sentence, ribs sucking in with retractions, used albuterol 5 times", "breathing"),
        ("Day 3 off alcohol, seeing spiders on the ceiling, stopped drinking Monday. Diazepam dose?", "withdrawal"),
        ("on haloperidol, rigid, temp 40.2, CK 9000. More haloperidol?", "hyperthermia_rigidity"),
        ("on apixaban, melena since last night, Hgb 7. Reversal?", "bleeding"),
        ("VP shunt, worsening headache and lethargy today", "neuro"),
    ],
)
def test_emergencies_added_in_rules_v3(text: str, category: str) -> None:
    assert category in {flag.category for flag in detect_red_flags(text)}


@pytest.mark.parametrize(
    "text",
    [
        "I used to have suicidal thoughts years back, I used to cut myself; can I taper sertraline now?",
        "Fever in infants: which guideline covers the work-up of a febrile 4-week-old?",
        "Alcohol withdrawal prophylaxis before elective surgery — which protocol?",
        "My mum took her evening pills twice by mistake; she feels fine.",
    ],
)
def test_past_and_informational_mentions_added_in_rules_v3_do_not_fire(text: str) -> None:
    assert detect_red_flags(text) == ()
