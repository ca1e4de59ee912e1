"""Compound statements split into claims; lists and short qualifiers do not."""

from __future__ import annotations

from curbside.verification.claims import split_claims


def test_semicolon_and_new_clause_split() -> None:
    assert split_claims("Never combine buspirone with an MAOI; allow 14 days between stopping one and the other.") == [
        "Never combine buspirone with an MAOI",
        "allow 14 days between stopping one and the other.",
    ]
    assert len(split_claims("Warfarin should be avoided in pregnancy and patients should use heparin instead.")) == 2


def test_lists_and_short_pieces_stay_whole() -> None:
    assert split_claims("Gabapentin can cause dizziness, drowsiness and nausea.") == [
        "Gabapentin can cause dizziness, drowsiness and nausea."
    ]
    assert len(split_claims("Take it daily; with food.")) == 1
