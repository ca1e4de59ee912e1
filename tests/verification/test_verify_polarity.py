"""Prohibition forms agree with each other; scope keeps limits and qualifiers neutral."""

from __future__ import annotations

import pytest

from curbside.verification.polarity import direction_conflict, is_negative


@pytest.mark.parametrize(
    "text",
    [
        "Never combine buspirone with an MAOI.",
        "Do not combine buspirone with an MAOI.",
        "The use of MAOIs with buspirone is not recommended.",
        "Avoid MAOIs in patients taking buspirone.",
        "MAOIs are contraindicated with buspirone.",
        "Buspirone should not be given with an MAOI.",
    ],
)
def test_prohibition_forms_are_negative(text: str) -> None:
    assert is_negative(text)


@pytest.mark.parametrize(
    "text",
    [
        "Do not exceed 4 g per day.",
        "Offer CBT to people whose symptoms have not improved.",
        "Prednisone should be tapered rather than stopped abruptly.",
        "Take no more than 2 tablets a day.",
    ],
)
def test_limits_qualifiers_and_contrasts_are_not_negations(text: str) -> None:
    assert not is_negative(text)


def test_direction_change_is_caught() -> None:
    assert direction_conflict("Simvastatin lowers the risk of myopathy.", "Simvastatin increases the risk of myopathy.")
    assert not direction_conflict("It raises the risk.", "It increases the risk.")
