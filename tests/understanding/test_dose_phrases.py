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
