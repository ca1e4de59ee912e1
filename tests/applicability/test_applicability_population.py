"""The population table loads, maps ages to groups, and a malformed table fails loudly."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from curbside.applicability.population import age_groups_in, age_keys, parse_population_words
from curbside.domain.question import AgeGroup


def _packaged() -> dict[str, object]:
    text = resources.files("curbside.applicability").joinpath("data/population_words.json").read_text("utf-8")
    raw: dict[str, object] = json.loads(text)
    return raw


def test_packaged_table_covers_every_age_group() -> None:
    words = parse_population_words(_packaged())
    assert set(words.age_bands) == set(AgeGroup)
    assert words.young.search("in pediatric patients") and not words.young.search("in adults")


@pytest.mark.parametrize("broken", ["age_bands_years", "group_words", "provenance"])
def test_malformed_table_is_refused(broken: str) -> None:
    raw = _packaged()
    del raw[broken]
    with pytest.raises(ValueError, match="population words"):
        parse_population_words(raw)


def test_bad_regex_is_refused() -> None:
    raw = _packaged()
    raw["young_words"] = "child(("
    with pytest.raises(ValueError, match="malformed"):
        parse_population_words(raw)


def test_ages_map_to_groups() -> None:
    assert age_keys("adults aged 50 to 75 years") == ["age 50–75 years"]
    assert age_groups_in("adults 65 years and older") == {AgeGroup.OLDER_ADULT, AgeGroup.ADULT}
    assert AgeGroup.CHILD in age_groups_in("children under 12 years")
