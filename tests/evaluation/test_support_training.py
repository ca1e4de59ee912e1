"""The support model's split, fit and threshold rule on small synthetic feature sets."""

from __future__ import annotations

import random

from curbside.evaluation.support_split import Example, fold_of, healthver_heldout
from curbside.evaluation.support_training import (
    MIN_PARAPHRASE,
    PRIOR,
    Recipe,
    choose_threshold,
    fit_model,
    probabilities,
)
from curbside.verification.support_model import FEATURES


def _example(source: str, positive: bool, level: float, group: str, kind: str = "x") -> Example:
    claim = dict.fromkeys(FEATURES, level) | {"hard_failed": 0.0, "polarity_agrees": 1.0, "claim_words": 8.0}
    return Example(source, kind, False, positive, (claim,), False, group)


def _training_set() -> list[Example]:
    rng = random.Random(7)
    out = []
    for i in range(200):
        positive = i % 2 == 0
        level = (0.65 if positive else 0.35) + rng.uniform(-0.2, 0.2)
        out.append(_example("healthver", positive, level, f"claim {i % 40}"))
    out += [_example("perturbation", True, 0.9 + rng.uniform(0, 0.1), f"doc {i}", "paraphrase") for i in range(50)]
    return out


def test_split_is_stable_about_thirty_percent_and_ignores_case_and_spacing() -> None:
    claims = [f"Claim number {i} about a treatment" for i in range(2000)]
    share = sum(map(healthver_heldout, claims)) / len(claims)
    assert 0.26 < share < 0.34
    assert healthver_heldout(claims[3]) == healthver_heldout("  claim NUMBER 3 about   a treatment ")
    assert {fold_of(c, 5) for c in claims} == set(range(5)) and fold_of("a", 5) == fold_of("a", 5)


def test_fit_learns_that_stronger_signals_mean_support() -> None:
    train = _training_set()
    model = fit_model(Recipe("test", "all"), train)
    low, high = probabilities(model, [_example("healthver", False, 0.3, "g"), _example("healthver", True, 0.7, "g")])
    assert high > low + 0.3


def test_threshold_keeps_paraphrases_supported_and_prefers_precision() -> None:
    train = _training_set()
    model = fit_model(Recipe("test", "all"), train)
    threshold, rule = choose_threshold(model, train)
    para = [e for e in train if e.kind == "paraphrase"]
    assert sum(p >= threshold for p in probabilities(model, para)) / len(para) >= MIN_PARAPHRASE
    assert "precision>=0.6" in rule and "unreachable" not in rule


def test_prior_baseline_is_the_hand_set_model() -> None:
    assert PRIOR.features == FEATURES and PRIOR.supported_threshold == 0.6
