from __future__ import annotations

import pytest

from curbside.domain.question import DrugMention
from curbside.understanding.dose_phrases import parse_frequency, stated_doses
from curbside.understanding.drugs import DrugSpan


@pytest.mark.parametrize(
    ("words", "per_day"),
    [
        ("eight times a day", 8),
        ("every 3 hours", 8),
        ("BID", 2),
        ("q6h", 4),
        ("four times a day", 4),
        ("TID", 3),
        ("QID", 4),
        ("twice daily", 2),
        ("every 4 to 6 hours", 6),
        ("once daily", 1),
    ],
)
def test_frequency_words(words: str, per_day: float) -> None:
    found = parse_frequency(" " + words)
    assert found is not None and found[0] == pytest.approx(per_day)


def test_dose_belongs_to_the_preceding_drug_with_its_frequency() -> None:
    text = "A 67-year-old taking buspirone 30 mg eight times a day"
    start = text.index("buspirone")
    span = DrugSpan(DrugMention("buspirone", "buspirone"), start, start + len("buspirone"))
    (dose,) = stated_doses(text, [span])
    assert (dose.drug, dose.amount, dose.unit, dose.per_day, dose.daily) == ("buspirone", 30, "mg", 8, 240)


def test_dose_without_a_drug_is_ignored() -> None:
    assert stated_doses("take 30 mg twice daily", []) == ()


def _doses(text: str, drug: str) -> list[tuple[float, float | None, bool]]:
    spans = []
    start = text.lower().find(drug)
    while start != -1:
        spans.append(DrugSpan(DrugMention(drug, drug), start, start + len(drug)))
        start = text.lower().find(drug, start + 1)
    return [(d.amount, d.per_day, d.adds_to_previous) for d in stated_doses(text, spans)]


@pytest.mark.parametrize(
    ("text", "drug", "expected"),
    [
        ("takes 2 extra strength tylenol (500 each) every 3 hours", "tylenol", [(1000, 8, False)]),
        ("tylenol 1000 mg QID plus two 500 mg tablets at bedtime", "tylenol", [(1000, 4, False), (1000, 1, True)]),
        ("glipizide 20 mg BID plus 10 mg at lunch", "glipizide", [(20, 2, False), (10, 1, True)]),
        ("repaglinide 4 mg before each of 5 meals/snacks daily", "repaglinide", [(4, 5, False)]),
        ("eletriptan 40 mg q2h x3 in one day", "eletriptan", [(40, 3, False)]),
        ("take 2 x 500 mg paracetamol every 4 hours", "paracetamol", [(1000, 6, False)]),
        ("was on sertraline 50 mg daily, now 100 mg daily", "sertraline", [(50, 1, False), (100, 1, False)]),
        ("sertraline 50 mg at night", "sertraline", [(50, 1, False)]),
    ],
)  # fmt: skip
def test_units_per_dose_runs_meals_and_added_doses(
    text: str, drug: str, expected: list[tuple[float, float | None, bool]]
) -> None:
    assert _doses(text, drug) == expected
