"""HealthVer dev: precision/recall/F1 of the verifier's ``supported`` label against "Supports".

Each row is (claim, evidence, label). The claim is scored against the evidence with the
verifier's ``SupportScorer`` at the thresholds the service runs with; predicted positive =
``label == "supported"`` (support ≥ threshold and no failed hard check). The split is the one
the support model was fitted on (``support_split.healthver_heldout``: 30 % of the claims by an
md5 of the claim), so **heldout** is the number to report; ``training`` and ``all`` are shown
for context.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from curbside.evaluation.calibration import Metrics, load_healthver, metrics, score_claims
from curbside.evaluation.common import SuiteResult, require_file
from curbside.evaluation.support_split import healthver_heldout
from curbside.verification.support import SupportScorer

if TYPE_CHECKING:
    from curbside.knowledge.embedding import Embedder
    from curbside.settings import Settings


@dataclass(frozen=True, slots=True)
class HealthVerRow:
    id: str
    label: str
    predicted: str
    support: float
    failed: tuple[str, ...]
    heldout: bool


def verifier_scorer(embedder: Embedder, settings: Settings) -> SupportScorer:
    """A scorer exactly as the live verifier builds it (same settings path)."""
    from curbside.verification.verifier import Verifier
    from curbside.wiring import verifier_settings

    scorer: SupportScorer = Verifier(embedder, verifier_settings(settings)).scorer
    return scorer


def score_rows(scorer: SupportScorer, rows: list[dict[str, str]]) -> tuple[HealthVerRow, ...]:
    """Score every claim against its evidence."""
    out = []
    for row, result in zip(rows, score_claims(scorer, rows), strict=True):
        out.append(HealthVerRow(row["id"], row["label"], result.label, result.score, result.failed,
                                healthver_heldout(row["claim"])))  # fmt: skip
    return tuple(out)


def _metrics(rows: list[HealthVerRow]) -> Metrics:
    return metrics([r.predicted == "supported" for r in rows], [r.label == "Supports" for r in rows])


def run_healthver(embedder: Embedder, settings: Settings, data: Path, limit: int | None = None) -> SuiteResult:
    """Score the first ``limit`` HealthVer dev rows (file order) with the verifier's scorer."""
    loaded = load_healthver(require_file(data / "healthver" / "healthver_dev.csv"))
    chosen = loaded[:limit] if limit else loaded
    scorer = verifier_scorer(embedder, settings)
    rows = score_rows(scorer, chosen)
    summary: dict[str, float | int | None] = {"n": len(rows)}
    for name, subset in (
        ("heldout", [r for r in rows if r.heldout]),
        ("training", [r for r in rows if not r.heldout]),
        ("all", list(rows)),
    ):
        found = _metrics(subset)
        summary |= {
            f"{name}.precision": round(found.precision, 4),
            f"{name}.recall": round(found.recall, 4),
            f"{name}.f1": round(found.f1, 4),
            f"{name}.n": found.n,
        }
    summary["refutes_predicted_supported"] = sum(r.label == "Refutes" and r.predicted == "supported" for r in rows)
    return SuiteResult(
        suite="healthver",
        rows=rows,
        summary=summary,
        scores={
            f"support ({label})": tuple(r.support for r in rows if r.label == label)
            for label in ("Supports", "Neutral", "Refutes")
        },
        notes=(
            f"positive = 'Supports'; predicted = verifier label 'supported' (threshold "
            f"{scorer.settings.supported_threshold}, hard checks applied).",
            "heldout (30 % of claims, support_split.healthver_heldout) was never fitted or thresholded on.",
        ),
        limit=limit,
    )
