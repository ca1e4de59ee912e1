"""Calibration protocol on a small HealthVer-shaped file: halves, metrics, chosen thresholds."""

from __future__ import annotations

import csv
from pathlib import Path

from curbside.evaluation.calibration import calibrate_support, in_report_half, metrics
from curbside.knowledge.embedding import MiniLmEmbedder

_SUBJECTS = ["the river", "the library", "the bakery", "the orchard", "the harbour",
             "the museum", "the stadium", "the garden", "the factory", "the school",
             "the bridge", "the market"]  # fmt: skip


def _write_rows(path: Path) -> int:
    rows = []
    for i, subject in enumerate(_SUBJECTS):
        evidence = f"Records show that {subject} opened in {1900 + i} and has welcomed visitors every year since."
        rows.append(
            {
                "id": f"{i}s",
                "claim": f"{subject.capitalize()} opened in {1900 + i}.",
                "evidence": evidence,
                "label": "Supports",
                "topic_ip": f"topic-{i}",
            }
        )
        rows.append({"id": f"{i}n", "claim": "Penguins cannot survive in warm tropical climates.",
                     "evidence": evidence, "label": "Neutral", "topic_ip": f"topic-{i}"})  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def test_metrics_counts_true_and_false_positives() -> None:
    found = metrics([True, True, False, False], [True, False, True, False])
    assert (found.precision, found.recall, found.n, found.positives) == (0.5, 0.5, 4, 2)
    assert metrics([False], [False]).f1 == 0.0


def test_halves_are_deterministic_and_both_used() -> None:
    keys = [f"topic:{i}" for i in range(200)]
    assert [in_report_half(k) for k in keys] == [in_report_half(k) for k in keys]
    assert 60 < sum(in_report_half(k) for k in keys) < 140


def test_calibration_separates_support_from_unrelated_claims(tmp_path: Path, minilm: MiniLmEmbedder) -> None:
    path = tmp_path / "healthver_dev.csv"
    total = _write_rows(path)
    result = calibrate_support(minilm, path)
    assert result.calibration.n + result.report.n == total
    assert result.report.positives == result.report.n // 2
    assert result.report.precision == 1.0 and result.report.recall == 1.0
    assert result.settings.partial_threshold < result.settings.supported_threshold
