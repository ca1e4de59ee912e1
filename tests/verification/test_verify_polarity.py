"""Prohibition forms agree with each other; scope keeps limits and qualifiers neutral."""

from __future__ import annotations

import pytest

from curbside.verification.polarity import direction_conflict, is_negative, negation_mismatch


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


@pytest.mark.parametrize(
    ("statement", "support"),
    [
        # The "not" sits in a concessive clause on one side and a "but" clause on the other.
        (
            "Drug A raised peak levels of drug B by 30%, but total exposure to drug B did not change.",
            "Giving drug A increased the peak level of drug B by 30%, although total exposure was not changed.",
        ),
        # A fragment about the population matches the first clause, not a later negated one.
        (
            "A higher dose of drug A with drug B increases the response",
            "A higher dose of drug A given with drug B increases the response; the best regimen is not known.",
        ),
    ],
)
def test_clause_by_clause_agreement_is_not_a_polarity_change(statement: str, support: str) -> None:
    assert negation_mismatch(statement, support) is None


@pytest.mark.parametrize(
    ("statement", "support"),
    [
        # The statement denies what the matching clause asserts.
        (
            "Giving drug A with drug B does not increase the risk of bleeding.",
            "Although drug A did not change drug B levels, giving drug A with drug B increases the risk of bleeding.",
        ),
        # The negated main clause is contradicted in other words, next to a conditional clause.
        (
            "Drug A and drug C should be given simultaneously when used together.",
            "If drug A and drug C are used together, simultaneous administration is not recommended.",
        ),
    ],
)
def test_clause_level_rescue_keeps_real_negation_changes(statement: str, support: str) -> None:
    assert negation_mismatch(statement, support) is not None


@pytest.mark.parametrize(
    "text",
    ["A second dose may be taken no sooner than 2 hours after the first.", "Give no fewer than three doses."],
)
def test_lower_limits_are_not_negations(text: str) -> None:
    assert not is_negative(text)


def test_too_little_evidence_is_negative_like_insufficient() -> None:
    assert is_negative("The panel found too little evidence to recommend the device.")
    assert (
        negation_mismatch(
            "The panel found too little evidence to recommend the device.",
            "The panel concludes that the evidence is insufficient to recommend the device.",
        )
        is None
    )
