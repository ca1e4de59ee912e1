"""Offline evaluation: dev-set suites (``curbside eval SUITE``) and the benchmark (``curbside bench``).

Each suite module exposes ``run_<suite>`` returning a ``SuiteResult``; ``run_suite`` dispatches
by name so the CLI and ``scripts/make_results.py`` share one path.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from curbside.evaluation.common import SuiteResult

if TYPE_CHECKING:
    from curbside.pipeline import Curbside

SUITES = ("liveqa", "kqa", "medicationqa", "healthver", "probes")


def run_suite(
    name: str, curbside: Curbside, data: Path | None, limit: int | None = None, probes: Path | None = None
) -> SuiteResult:
    """Run one suite by name. ``data`` is the dev-set folder (unused by ``probes``).

    Raises:
        ValueError: unknown suite name.
        EvalDataNotFoundError: a dev-set file is missing.
    """
    from curbside.evaluation.common import locate_eval_data

    if name == "probes":
        from curbside.evaluation.probe_suite import run_probes

        return run_probes(curbside, probes, limit)
    if name not in SUITES:
        raise ValueError(f"unknown suite {name!r}; choose one of {', '.join(SUITES)}")
    folder = locate_eval_data(data)
    if name == "liveqa":
        from curbside.evaluation.consumer_questions import run_liveqa

        return run_liveqa(curbside, folder, limit)
    if name == "kqa":
        from curbside.evaluation.kqa import run_kqa

        return run_kqa(curbside, folder, limit)
    if name == "medicationqa":
        from curbside.evaluation.medication_questions import run_medicationqa

        return run_medicationqa(curbside, folder, limit)
    from curbside.evaluation.claim_verification import run_healthver

    return run_healthver(curbside.embedder, curbside.settings, folder, limit)


__all__ = ["SUITES", "SuiteResult", "run_suite"]
