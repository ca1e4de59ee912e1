"""Condition names meet across noun and adjective forms, and only there."""

from __future__ import annotations

import pytest

from curbside.applicability.ranking import names_match


@pytest.mark.parametrize(
    ("asked", "source"),
    [
        ("major depression", "major depressive disorder"),  # vetoed the APA and VA/DoD MDD guidelines before
        ("hypertension", "hypertensive disease"),
        ("asthma", "asthma in children"),
        ("anxiety", "social anxiety disorder"),
    ],
)
def test_same_condition_in_other_words(asked: str, source: str) -> None:
    assert names_match(asked, source)


@pytest.mark.parametrize(
    ("asked", "source"),
    [("prostatitis", "prostate cancer"), ("major depression", "bipolar disorder"), ("diabetes", "hypertension")],
)
def test_different_conditions_stay_apart(asked: str, source: str) -> None:
    assert not names_match(asked, source)
