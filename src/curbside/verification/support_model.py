"""The learned support scorer: a logistic model over the verifier's signals for one claim.

Signals (``FEATURES``): best-window cosine, best-sentence cosine, lexical recall of the claim
in the passage and in its best window, bigram recall in the best window, whether a hard check
failed, whether polarity agrees with the best sentence, and the claim's length. The weights,
standardisation and thresholds live in ``data/support_model.json``, written by
``curbside.evaluation.support_training`` with the split it was trained on and its held-out
numbers; they are validated when loaded. A failed hard check still caps the verdict whatever
the probability (a changed dose is never "supported").
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

FEATURES: tuple[str, ...] = (
    "window_cosine",
    "sentence_cosine",
    "passage_recall",
    "window_recall",
    "window_bigram_recall",
    "hard_failed",
    "polarity_agrees",
    "claim_words",
)


@dataclass(frozen=True, slots=True)
class SupportModel:
    """Standardised logistic regression: p = sigmoid(intercept + Σ coef·(x − mean)/scale)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    supported_threshold: float
    partial_threshold: float
    provenance: str

    def probability(self, values: Mapping[str, float]) -> float:
        """Probability that the passage supports the claim, from its feature values."""
        z = self.intercept
        for name, mean, scale, coef in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += coef * (values[name] - mean) / scale
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def as_json(self) -> dict[str, object]:
        return {
            "features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
            "coef": list(self.coef), "intercept": self.intercept,
            "supported_threshold": self.supported_threshold, "partial_threshold": self.partial_threshold,
            "provenance": self.provenance,
        }  # fmt: skip


def parse_support_model(raw: object) -> SupportModel:
    """Validate a model file's content; raises ``ValueError`` naming what is malformed."""
    if not isinstance(raw, dict):
        raise ValueError("support model: top level must be an object")
    try:
        model = SupportModel(
            features=tuple(str(f) for f in raw["features"]),
            mean=tuple(float(v) for v in raw["mean"]),
            scale=tuple(float(v) for v in raw["scale"]),
            coef=tuple(float(v) for v in raw["coef"]),
            intercept=float(raw["intercept"]),
            supported_threshold=float(raw["supported_threshold"]),
            partial_threshold=float(raw["partial_threshold"]),
            provenance=str(raw["provenance"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"support model: malformed ({error!r})") from error
    if model.features != FEATURES:
        raise ValueError(f"support model: features {model.features} differ from {FEATURES}")
    if not len(model.mean) == len(model.scale) == len(model.coef) == len(FEATURES):
        raise ValueError("support model: mean, scale and coef need one value per feature")
    if any(s <= 0 for s in model.scale) or not 0 < model.partial_threshold <= model.supported_threshold < 1:
        raise ValueError("support model: scales must be positive and 0 < partial ≤ supported < 1")
    if not model.provenance.strip():
        raise ValueError("support model: provenance is required")
    return model


def load_support_model(path: Path | None = None) -> SupportModel:
    """Load a model file (default: the packaged one)."""
    if path is None:
        text = resources.files("curbside.verification").joinpath("data/support_model.json").read_text("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return parse_support_model(json.loads(text))


@cache
def packaged_support_model() -> SupportModel:
    """The shipped model, loaded once per process."""
    return load_support_model()
