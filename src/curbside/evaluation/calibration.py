"""Calibrate and measure the verifier on real data.

(a) ``calibrate_support``: HealthVer dev (claim, evidence, Supports/Refutes/Neutral). The claim
    is the statement, the evidence the passage; "Supports" is the positive class of
    ``supported``. Split by topic (a deterministic hash) into a calibration half, where the
    semantic weight and threshold are chosen, and a report half, where precision/recall are
    measured.
(b) ``calibrate_applicability``: pairs built from real corpus text (``applicability_pairs``),
    see ``applicability_pairs.py``; positive class = ``misapplied``. Same half protocol.

Run ``python -m curbside.evaluation.calibration [HEALTHVER_CSV [CORPUS_DIR]]`` to print the
numbers (defaults: the dev-set folder of ``Settings.eval_dir`` — ``CURBSIDE_EVAL_DIR`` — else
``../shared/eval``, and the configured corpus).
"""

from __future__ import annotations

import csv
import hashlib
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from curbside.applicability.checker import ApplicabilityChecker, ApplicabilitySettings
from curbside.evaluation.applicability_pairs import ApplicabilityPair, applicability_pairs
from curbside.evaluation.common import locate_eval_data
from curbside.knowledge.embedding import Embedder, MiniLmEmbedder
from curbside.settings import Settings
from curbside.verification.support import SupportResult, SupportScorer, SupportSettings, VectorCache, combine

HEALTHVER_FILE = Path("healthver") / "healthver_dev.csv"


def in_report_half(key: str) -> bool:
    """Deterministic 50/50 split on a stable key (md5, not Python's salted hash)."""
    return int(hashlib.md5(key.encode()).hexdigest(), 16) % 2 == 1


@dataclass(frozen=True, slots=True)
class Metrics:
    """Precision/recall/F1 of one binary decision on one half."""

    precision: float
    recall: float
    f1: float
    n: int
    positives: int

    def line(self) -> str:
        return (
            f"precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"(n={self.n}, positives={self.positives})"
        )


def metrics(predicted: Sequence[bool], actual: Sequence[bool]) -> Metrics:
    tp = sum(p and a for p, a in zip(predicted, actual, strict=True))
    fp = sum(p and not a for p, a in zip(predicted, actual, strict=True))
    fn = sum(a and not p for p, a in zip(predicted, actual, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(precision, recall, f1, len(actual), sum(actual))


def f_beta(found: Metrics, beta: float) -> float:
    p, r = found.precision, found.recall
    return (1 + beta * beta) * p * r / (beta * beta * p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class SupportCalibration:
    settings: SupportSettings
    calibration: Metrics
    report: Metrics
    report_default: Metrics
    hard_failures: int


@dataclass(frozen=True, slots=True)
class _Row:
    semantic: float
    lexical: float
    hard_failed: bool
    supports: bool
    report: bool


def load_healthver(path: Path) -> list[dict[str, str]]:
    """Rows of the HealthVer CSV (id, evidence, claim, label, topic_ip, question)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row.get("claim") and row.get("evidence")]


def score_claims(scorer: SupportScorer, rows: Sequence[dict[str, str]]) -> list[SupportResult]:
    """Score every HealthVer claim against its evidence (one batched embedding prefetch first)."""
    needed: list[str] = []
    for row in rows:
        needed.extend(scorer.statement_texts(row["claim"].strip()))
        needed.extend(scorer.texts_to_embed(f"hv:{row['id']}", row["evidence"]))
    scorer.cache.prefetch(needed)
    return [scorer.score(row["claim"].strip(), f"hv:{row['id']}", row["evidence"]) for row in rows]


def _score_rows(rows: list[dict[str, str]], embedder: Embedder) -> list[_Row]:
    """Raw semantic/lexical/hard-check features for every claim–evidence pair."""
    results = score_claims(SupportScorer(VectorCache(embedder)), rows)
    return [
        _Row(result.semantic, result.lexical, bool(result.failed), row["label"] == "Supports",
             in_report_half("topic:" + row["topic_ip"]))
        for row, result in zip(rows, results, strict=True)
    ]  # fmt: skip


def _evaluate(rows: list[_Row], settings: SupportSettings) -> Metrics:
    predicted = [
        combine(settings, r.semantic, r.lexical) >= settings.supported_threshold and not r.hard_failed for r in rows
    ]
    return metrics(predicted, [r.supports for r in rows])


def calibrate_support(embedder: Embedder, path: Path) -> SupportCalibration:
    """Choose semantic weight and supported threshold on the calibration half.

    Objective: F0.5 (precision counts double — certifying an unsupported statement is worse
    than flagging a supported one for review) among settings with recall ≥ 0.2. The partial
    threshold is set 0.15 below the supported one: "some support" is a band just under the
    bar, shown to readers as partial rather than silently dropped.
    """
    rows = _score_rows(load_healthver(path), embedder)
    calibration = [r for r in rows if not r.report]
    report = [r for r in rows if r.report]
    best: tuple[float, SupportSettings] | None = None
    for weight in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        for step in range(20, 91):
            candidate = SupportSettings(semantic_weight=weight, supported_threshold=step / 100)
            found = _evaluate(calibration, candidate)
            if found.recall < 0.2:
                continue
            objective = f_beta(found, 0.5)
            if best is None or objective > best[0] + 1e-9:
                best = (objective, candidate)
    assert best is not None
    chosen = replace(best[1], partial_threshold=round(best[1].supported_threshold - 0.15, 2))
    return SupportCalibration(
        settings=chosen,
        calibration=_evaluate(calibration, chosen),
        report=_evaluate(report, chosen),
        report_default=_evaluate(report, SupportSettings()),
        hard_failures=sum(r.hard_failed for r in rows),
    )


@dataclass(frozen=True, slots=True)
class ApplicabilityCalibration:
    settings: ApplicabilitySettings
    calibration: Metrics
    report: Metrics
    report_by_kind: dict[str, Metrics]
    report_default: Metrics
    size: int


def _misapplied(checker: ApplicabilityChecker, pairs: Sequence[ApplicabilityPair]) -> list[bool]:
    return [checker.check(p.question, p.profile, p.passage).applies is False for p in pairs]


def calibrate_applicability(
    embedder: Embedder, corpora: Path, pairs: Sequence[ApplicabilityPair] | None = None
) -> ApplicabilityCalibration:
    """Choose the mismatch threshold on the calibration half (max F1 of ``misapplied``)."""
    pairs = list(pairs) if pairs is not None else applicability_pairs(corpora)
    cache = VectorCache(embedder)
    probe = ApplicabilityChecker(cache)
    cache.prefetch(t for p in pairs for t in probe.texts_to_embed(p.question, p.profile))
    calibration = [p for p in pairs if not in_report_half(p.key)]
    report = [p for p in pairs if in_report_half(p.key)]
    best: tuple[float, ApplicabilitySettings] | None = None
    for step in range(20, 76):
        settings = ApplicabilitySettings(mismatch_threshold=step / 100, match_threshold=step / 100 + 0.1)
        checker = ApplicabilityChecker(cache, settings)
        score = metrics(_misapplied(checker, calibration), [p.misapplied for p in calibration]).f1
        if best is None or score > best[0] + 1e-9:
            best = (score, settings)
    assert best is not None
    checker = ApplicabilityChecker(cache, best[1])
    by_kind = {}
    for kind in sorted({p.kind for p in report}):
        subset = [p for p in report if p.kind == kind]
        by_kind[kind] = metrics(_misapplied(checker, subset), [p.misapplied for p in subset])
    return ApplicabilityCalibration(
        settings=best[1],
        calibration=metrics(_misapplied(checker, calibration), [p.misapplied for p in calibration]),
        report=metrics(_misapplied(checker, report), [p.misapplied for p in report]),
        report_by_kind=by_kind,
        report_default=metrics(_misapplied(ApplicabilityChecker(cache), report), [p.misapplied for p in report]),
        size=len(pairs),
    )


def main(argv: Sequence[str] = ()) -> int:
    """Print HealthVer support and corpus applicability precision/recall."""
    settings = Settings.from_env()
    healthver = Path(argv[0]) if argv else locate_eval_data(settings.eval_dir) / HEALTHVER_FILE
    corpora = Path(argv[1]) if len(argv) > 1 else settings.resolved_corpus_dir()
    embedder = MiniLmEmbedder()
    started = time.perf_counter()
    support = calibrate_support(embedder, healthver)
    print("Support classifier on HealthVer dev (positive = Supports; split by topic)")
    s = support.settings
    print(f"  chosen: semantic_weight={s.semantic_weight} supported_threshold={s.supported_threshold} "
          f"partial_threshold={s.partial_threshold}")  # fmt: skip
    print(f"  calibration half: {support.calibration.line()}")
    print(f"  report half:      {support.report.line()}")
    print(f"  report half, shipped defaults: {support.report_default.line()}")
    print(f"  rows failing a hard check: {support.hard_failures}")
    app = calibrate_applicability(embedder, corpora)
    print(f"Applicability on {app.size} corpus pairs (positive = misapplied)")
    print(f"  chosen: mismatch_threshold={app.settings.mismatch_threshold} "
          f"match_threshold={app.settings.match_threshold:.2f}")  # fmt: skip
    print(f"  calibration half: {app.calibration.line()}")
    print(f"  report half:      {app.report.line()}")
    for kind, m in app.report_by_kind.items():
        print(f"    {kind:<22} {m.line()}")
    print(f"  report half, shipped defaults: {app.report_default.line()}")
    print(f"elapsed {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
