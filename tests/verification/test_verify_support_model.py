"""The packaged support model and quantity table load; malformed files are refused."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from curbside.verification.checks import extract_all, parse_quantities
from curbside.verification.support_model import FEATURES, packaged_support_model, parse_support_model


def _raw(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(resources.files("curbside.verification").joinpath(name).read_text("utf-8"))
    return data


def test_packaged_model_is_valid_and_monotone_in_similarity() -> None:
    model = packaged_support_model()
    assert model.features == FEATURES and model.provenance
    low = dict.fromkeys(FEATURES, 0.2) | {"hard_failed": 0.0, "polarity_agrees": 1.0, "claim_words": 8.0}
    # The best window holds the best sentence, so its cosine is never lower: both rise together.
    high = low | {"window_cosine": 0.95, "sentence_cosine": 0.95, "passage_recall": 1.0, "window_recall": 1.0}
    assert model.probability(high) > model.probability(low)
    assert model.probability(high | {"hard_failed": 1.0}) < model.probability(high)


def test_packaged_model_records_how_it_was_made() -> None:
    raw = _raw("data/support_model.json")
    training = raw["training"]
    assert isinstance(training, dict) and raw["version"]
    assert "md5" in training["split"] and training["threshold"] == raw["supported_threshold"]
    heldout = training["after"]["healthver_heldout"]
    assert {"precision", "recall", "f1", "n"} <= set(heldout) and heldout["n"] > 0


@pytest.mark.parametrize("change", [{"features": ["x"]}, {"scale": [0.0] * len(FEATURES)}, {"provenance": ""}])
def test_malformed_model_is_refused(change: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="support model"):
        parse_support_model(_raw("data/support_model.json") | change)


def test_malformed_quantity_table_is_refused() -> None:
    raw = _raw("data/quantities.json")
    parse_quantities(raw)
    with pytest.raises(ValueError, match="quantity table"):
        parse_quantities({k: v for k, v in raw.items() if k != "frequencies"})


def test_units_durations_and_frequencies_normalise() -> None:
    facts = extract_all("4 g daily for two weeks, 10 mg per kg BID")
    assert "4000 mg" in facts["dose"] and "10 mg/kg" in facts["dose"]
    assert "14 days" in facts["duration"]
    assert extract_all("every 12 hours")["frequency"].keys() == extract_all("twice daily")["frequency"].keys()
    assert "30 mg" in extract_all("30–50 mg")["dose"] and "50 mg" in extract_all("30 to 50 mg")["dose"]
