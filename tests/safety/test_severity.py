from __future__ import annotations

import pytest

from curbside.domain.documents import InteractionRecord
from curbside.safety import severity as sev
from tests.safety.helpers import LABEL, NON_INT, OSCAR, WV


def reading(list_name: str, **fields: str | None) -> str | None:
    return sev.read_severity(InteractionRecord(list_name, "list:x", "a", "b", **fields)).level  # type: ignore[arg-type]


def test_onc_high_priority_is_major_unless_the_record_says_contraindicated() -> None:
    assert reading("ONC High-Priority") == sev.MAJOR
    assert reading("ONC High-Priority", description="Combination is contraindicated") == sev.CONTRAINDICATED


def test_onc_non_interruptive_is_moderate() -> None:
    assert reading(NON_INT, description="Class pair: NSAIDS / ß-Adrenergic blockers") == sev.MODERATE


@pytest.mark.parametrize(
    ("value", "expected"), [("3", sev.MAJOR), ("2", sev.MODERATE), ("1", sev.MINOR), (None, sev.MINOR)]
)
def test_oscar_significance(value: str | None, expected: str) -> None:
    assert reading(OSCAR, severity=value, interaction_type="A") == expected


def test_oscar_no_effect_never_alerts() -> None:
    assert reading(OSCAR, severity="1", interaction_type="N") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Contraindication", sev.CONTRAINDICATED),
        ("CONTRAINDICATION", sev.CONTRAINDICATED),
        ("Association DECONSEILLEE", sev.MAJOR),
        ("Not recommended", sev.MAJOR),
        ("Précaution d'emploi", sev.MODERATE),
        ("Precaution for use", sev.MODERATE),
        ("A prendre en compte", sev.MINOR),
        ("Take into account", sev.MINOR),
    ],
)
def test_worldvista_levels_in_english_and_french(value: str, expected: str) -> None:
    assert reading(WV, severity=value) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Concomitant use with MAO inhibitors is contraindicated.", sev.CONTRAINDICATED),
        ("Avoid use of ADCIRCA with potent inducers of CYP3A.", sev.MAJOR),
        ("Digoxin levels increased by 20%.", sev.MODERATE),
        ("Use with X is not contraindicated but requires monitoring.", sev.MODERATE),
    ],
)
def test_label_sentences_decide_label_severity(sentence: str, expected: str) -> None:
    assert reading(LABEL, sentence=sentence, interaction_type="Caution_Interaction") == expected


def test_most_severe_and_rank_order() -> None:
    assert sev.most_severe([sev.MINOR, sev.MAJOR, sev.MODERATE]) == sev.MAJOR
    assert sev.most_severe([]) == sev.INFO
    assert sev.RANK[sev.EMERGENCY] < sev.RANK[sev.CONTRAINDICATED] < sev.RANK[sev.MAJOR] < sev.RANK[sev.MINOR]
