"""The data the support model is fitted and reported on, and the rule that splits it.

* HealthVer dev (claim, evidence, Supports/Refutes/Neutral): 70 % training, 30 % held out, by
  ``healthver_heldout`` — an md5 of the normalised claim text, so one claim (HealthVer pairs
  each of its 230 claims with ~8 evidence texts) is never on both sides.
* Perturbations of real corpus sentences (``evaluation.perturbations``): the document split
  that module defines (``Perturbation.report``), so no source document is on both sides.

Every example keeps its group (claim or document) so cross-validation inside the training
split can hold whole groups out too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from curbside.evaluation.calibration import load_healthver
from curbside.evaluation.perturbations import perturbation_set
from curbside.knowledge.embedding import Embedder
from curbside.verification.support import SupportResult, SupportScorer, SupportSettings, VectorCache
from curbside.verification.support_model import FEATURES

HELDOUT_PERCENT = 30
SPLIT_RULE = (
    f"HealthVer dev: held out when int(md5('healthver-claim:' + lower-cased, whitespace-collapsed claim), 16) % 100 "
    f"< {HELDOUT_PERCENT} (one claim never on both sides); perturbations: in_report_half('pert:' + source document)"
)


def healthver_heldout(claim: str) -> bool:
    """True for the 30 % of HealthVer claims that are only ever reported on."""
    key = "healthver-claim:" + " ".join(claim.lower().split())
    return int(hashlib.md5(key.encode()).hexdigest(), 16) % 100 < HELDOUT_PERCENT


def fold_of(group: str, folds: int) -> int:
    """Cross-validation fold of a group (claim or document), stable across runs."""
    return int(hashlib.md5(("fold:" + group).encode()).hexdigest(), 16) % folds


@dataclass(frozen=True, slots=True)
class Example:
    """One statement/passage pair, scored once; the claims' features are kept for refitting.

    ``heldout`` marks the part never fitted or thresholded on; ``group`` is the claim
    (HealthVer) or source document (perturbations).
    """

    source: str  # "healthver" | "perturbation"
    kind: str
    heldout: bool
    positive: bool
    claims: tuple[dict[str, float], ...]
    hard_failed: bool
    group: str


def score_pairs(
    scorer: SupportScorer, pairs: Sequence[tuple[str, str, str]], drugs: Sequence[str] = ()
) -> list[SupportResult]:
    """Score (key, statement, passage) pairs after one batched prefetch."""
    needed: list[str] = []
    for key, statement, passage in pairs:
        needed.extend(scorer.statement_texts(statement))
        needed.extend(scorer.texts_to_embed(key, passage))
    scorer.cache.prefetch(needed)
    return [scorer.score(statement, key, passage, drugs) for key, statement, passage in pairs]


def _claims(result: SupportResult) -> tuple[dict[str, float], ...]:
    if result.claims:
        return tuple(dict(c.features) for c in result.claims)
    # A verbatim quote: every signal is at its maximum.
    return (dict.fromkeys(FEATURES, 1.0) | {"hard_failed": float(bool(result.failed)), "claim_words": 10.0},)


def build_examples(embedder: Embedder, healthver: Path, corpora: Path) -> list[Example]:
    """Score HealthVer dev and the perturbation set with the current feature extractor."""
    scorer = SupportScorer(VectorCache(embedder), SupportSettings())
    rows = load_healthver(healthver)
    scored = score_pairs(scorer, [(f"hv:{r['id']}", r["claim"].strip(), r["evidence"]) for r in rows])
    examples = [
        Example(
            "healthver",
            r["label"],
            healthver_heldout(r["claim"]),
            r["label"] == "Supports",
            _claims(s),
            bool(s.failed),
            " ".join(r["claim"].lower().split()),
        )
        for r, s in zip(rows, scored, strict=True)
    ]
    items, names = perturbation_set(corpora)
    scored = score_pairs(scorer, [(f"pt:{p.key}", p.statement, p.passage) for p in items], sorted(names))
    examples += [
        Example("perturbation", p.kind, p.report, p.supported, _claims(s), bool(s.failed), p.document)
        for p, s in zip(items, scored, strict=True)
    ]
    return examples
