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


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("septic-looking 70F, BP 78/40, HR 130, confused. Fluids?", "shock"),
        ("sciatica for a week, now numbness around the groin and he can't pass urine", "cauda_equina"),
        ("14 y/o woke up with severe scrotal pain and nausea", "testicular"),
        ("6 weeks pregnant, sharp one-sided pelvic pain and I fainted in the shower", "pregnancy_emergency"),
        ("his seizure has been going on for more than 5 minutes", "neuro"),
        ("lips swelling and hypotension minutes after the first dose of IV amoxicillin", "anaphylaxis"),
        ("she says everyone would be better off if she just didn't wake up", "suicide"),
        ("squeezing in his chest and he is sweating, started 20 minutes ago", "chest_pain"),
        ("throwing up coffee grounds, poop has turned black", "bleeding"),
    ],
)
def test_emergencies_added_in_rules_v4(text: str, category: str) -> None:
    assert category in {flag.category for flag in detect_red_flags(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Which tools are used for suicidal ideation screening in adolescents?",
        "What doses of naloxone are used for opioid overdose?",
        "Orthostatic hypotension on tamsulosin — how common?",
        "Testicular torsion rates in adolescents by season?",
        "I'm 10 weeks pregnant and feel a bit tired, is that normal?",
    ],
)
def test_informational_mentions_added_in_rules_v4_do_not_fire(text: str) -> None:
    assert detect_red_flags(text) == ()


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("on carboplatin, 8 days after the cycle, now has a temp of 38.9", "neutropenic_fever"),
        ("potassium 6.8 on this morning's labs, on ramipril", "critical_lab"),
        ("BP 210/125 and she says her vision is blurry", "hypertensive_emergency"),
        ("30 weeks pregnant, BP 170/115 and a severe headache", "preeclampsia"),
        ("two days after hip surgery, suddenly short of breath, calf is swollen", "pulmonary_embolism"),
        ("a curtain came down over my left eye an hour ago", "eye"),
        ("my 14 year old collapsed while playing soccer", "syncope"),
        ("my toddler has had diarrhea all day, no wet diapers and he's floppy", "dehydration"),
        ("my 2 day old is very yellow and too sleepy to feed", "neonatal_jaundice"),
        ("fever and his neck is stiff, he's drowsy", "meningitis"),
        ("my husband threatened to kill me tonight", "violence"),
    ],
)
def test_emergencies_added_in_rules_v5(text: str, category: str) -> None:
    assert category in {flag.category for flag in detect_red_flags(text)}


@pytest.mark.parametrize(
    "text",
    [
        "What potassium level counts as hyperkalemia?",
        "My grandmother died from septic shock last spring; could it have been prevented?",
        "Mild jaundice in a 3 day old who is feeding well: normal?",
        "Lithium 0.8 and stable for a year; how often to check?",
        "Glucose 110 fasting, is that prediabetes?",
    ],
)
def test_ordinary_values_and_past_events_do_not_fire_rules_v5(text: str) -> None:
    assert detect_red_flags(text) == ()


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("since lunch his right arm is weak and he is not making sense", "stroke"),
        ("sudden severe headache during exercise and she keeps vomiting", "stroke"),
        ("I just want to end it all tonight", "suicide"),
        ("sats 82% and using accessory muscles, RR 36", "breathing"),
        ("he hears voices telling him to hurt his mother", "violence"),
        ("on lithium, new coarse tremor and confusion", "drug_toxicity"),
        ("two weeks after starting carbamazepine: fever, blisters and mouth sores", "severe_skin"),
    ],
)
def test_emergencies_added_in_rules_v6(text: str, category: str) -> None:
    assert category in {flag.category for flag in detect_red_flags(text)}


@pytest.mark.parametrize(
    "text",
    [
        "She had an overdose in 2018 and has been well since; continue naltrexone?",
        "Which opioids are safest in kidney disease?",
        "how much are ten mg pills of dronabinol worth",
        "Is Stevens-Johnson syndrome risk higher with lamotrigine?",
    ],
)
def test_past_and_informational_mentions_added_in_rules_v6_do_not_fire(text: str) -> None:
    assert detect_red_flags(text) == ()
