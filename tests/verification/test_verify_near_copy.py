"""Near copies of a source sentence: polarity on the copied stretch; any flipped word is caught."""

from __future__ import annotations

import pytest

from curbside.verification.checks import hard_checks
from curbside.verification.near_copy import aligned_span, near_copy_support

_RUN_TOGETHER = (
    "<item>Do not coadminister aliskiren with Examplex in patients with diabetes (4) <item>In patients with an "
    "activated renin-angiotensin system, such as volume-depleted patients, Examplex can cause excessive hypotension."
)


def _failed(statement: str, sentence: str) -> list[str]:
    return hard_checks(statement, sentence, sentence)[1]


def test_a_neighbours_prohibition_does_not_decide_a_run_together_sentence() -> None:
    statement = "In people with an activated renin-angiotensin system, such as volume-depleted patients, Examplex can cause excessive hypotension."  # noqa: E501
    assert _failed(statement, _RUN_TOGETHER) == []
    span = aligned_span(statement, _RUN_TOGETHER)
    assert "<item>In patients" in span and "Do not" not in span


def test_the_copied_span_keeps_a_leading_prohibition() -> None:
    source = "Do not co-administer aliskiren with Examplex in patients with diabetes."
    assert near_copy_support("Always co-administer aliskiren with Examplex in patients with diabetes.", source)
    assert any(
        "polarity" in f
        for f in _failed("Always co-administer aliskiren with Examplex in patients with diabetes.", source)
    )


@pytest.mark.parametrize(
    ("statement", "source", "what"),
    [
        ("This summary should be read in isolation but in conjunction with the other summaries.",
         "This summary should not be read in isolation but in conjunction with the other summaries.", "negation"),
        ("Tourniquets that impede venous return may only worsen hemorrhage and decrease complications.",
         "Tourniquets that impede venous return may only worsen hemorrhage and increase complications.", "direction"),
        ("Regardless of cytology results, treatment of CIN 1 in children aged 21 to 24 years is not recommended.",
         "Regardless of cytology results, treatment of CIN 1 in women aged 21 to 24 years is not recommended.",
         "population"),
        ("HCPs can offer quick start at any time if it is not reasonably certain that a woman is not pregnant.",
         "HCPs can offer quick start at any time if it is reasonably certain that a woman is not pregnant.",
         "negation"),
    ],
)  # fmt: skip
def test_one_flipped_word_in_a_near_copy_fails(statement: str, source: str, what: str) -> None:
    assert any(what in f for f in _failed(statement, source)), _failed(statement, source)


def test_a_loose_paraphrase_is_not_held_to_the_copy_rule() -> None:
    source = "The use of MAOIs with buspirone is not recommended."
    assert near_copy_support("Never combine buspirone with an MAOI.", source) is None
    assert _failed("Never combine buspirone with an MAOI.", source) == []
