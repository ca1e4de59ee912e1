from __future__ import annotations

import pytest

from curbside.safety.stated_maxima import stated_maxima

# Wordings as dosing rows and labels write them (made up here, shaped like the corpus's rows).
READ = [
    ("Drug X (Brand) — Routes and Dosage Ranges: Adults: 5 mg daily; maximum dose: 40 mg/day.", [(40.0, "Adults")]),
    ("Adults: 10 mg/day. Maximum dose for adults: 120 mg/day. Maximum dose for adolescents: 80 mg/day.",
     [(120.0, "adults"), (80.0, "adolescents")]),
    ("Maximum daily dose should not exceed 80 mg.", [(80.0, "")]),
    ("10–50 mg up to 100 mg if required; 400 mg maximum daily dose.", [(400.0, "")]),
    ("Maximum dose: 800–1200 mg daily.", [(1200.0, "")]),
    ("Maximum daily dose: 2 g.", [(2000.0, "")]),
    ("Do not exceed 440 mg in any 8- to 12-hour period; do not exceed 660 mg in a 24-hour period.", [(660.0, "")]),
    ("One 10 mg tablet orally daily, not to exceed more than 1 tablet in a 24-hour period.", [(10.0, "")]),
    ("One 120 mg tablet orally every 12 hours; do not take more than 2 tablets in 24 hours.", [(240.0, "")]),
    ("Older adults (>60 years): 10 mg once daily; maximum dose: 40 mg/day.", [(40.0, "Older adults (>60 years)")]),
]  # fmt: skip
NOT_DAILY = [
    "2 mg/kg/dose subcutaneously twice daily; maximum dose: 90 mg/dose.",
    "10 mg/kg (maximum dose: 600 mg) orally once daily for 8 weeks.",
    "increase over 7 weeks to a maximum of 1.5 mg 3 times daily.",
    "up to a maximum dose of 2.5 mg/kg orally per day",
    "Adults: 20 mg orally twice daily; maximum dose: 80 mg twice daily.",
    "Maximum potassium concentration is 40 mEq/L with a maximum peripheral infusion rate of 20 mEq/hour.",
]


@pytest.mark.parametrize(("text", "expected"), READ)
def test_maximum_daily_doses_are_read_with_their_group(text: str, expected: list[tuple[float, str]]) -> None:
    assert [(m.mg_per_day, m.population) for m in stated_maxima(text)] == expected


@pytest.mark.parametrize("text", NOT_DAILY)
def test_per_dose_per_kg_and_frequency_bound_limits_are_not_read_as_daily(text: str) -> None:
    assert list(stated_maxima(text)) == []


def test_the_quote_is_the_sentence_holding_the_maximum() -> None:
    text = "Initial dose: 20 mg/day orally. Maximum dose for adults: 120 mg/day. Other text."
    (mention,) = stated_maxima(text)
    assert mention.sentence == "Maximum dose for adults: 120 mg/day." and text[mention.start :].startswith("Maximum")
