"""Stages never import each other: only the orchestrators and shells join them.

Rerun any time: ``pytest tests/test_stage_boundaries.py``. Every module under a stage package is
imported (so a broken import fails here too) and its source is parsed for every ``import`` —
module level or inside a function — of another stage.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "curbside"
STAGES = ("sources", "knowledge", "understanding", "retrieval", "composition", "verification", "safety", "review")
# Shared, stage-free modules any stage may use.
NEUTRAL = (
    "domain",
    "language",
    "settings",
    "protocols",
    "backends",
    "sqlite_connections",
    "postgres_connections",
    "schema",
    "applicability",
)
# Modules whose job is to join stages: the orchestrator, construction, the shells, evaluation.
JOINERS = (
    "pipeline",
    "wiring",
    "desk",
    "builtin_backends",
    "reverification",  # re-runs the verifier on a reviewer's edit, as ask() does
    "medication_check",  # builds an understood question from a FHIR record for the safety screen
    "startup_cache",  # caches the built question understanding beside the database
    "rereview",  # compares approved articles' quotes with the re-ingested knowledge base
    "web",
    "cli",
    "evaluation",
    "testing",
)
# Known crossings still to remove, each with the reason it remains (keep this empty when possible).
PENDING: dict[tuple[str, str], str] = {}


def stage_modules() -> list[Path]:
    return sorted(p for stage in STAGES for p in (PACKAGE / stage).rglob("*.py"))


def imported_packages(path: Path) -> set[str]:
    """The ``curbside.<top>`` packages the module at ``path`` imports."""
    return packages_in(path.read_text(encoding="utf-8"), own=path.relative_to(PACKAGE).parts[0])


def packages_in(source: str, own: str) -> set[str]:
    """The ``curbside.<top>`` packages ``source`` imports, anywhere in it (relative ones are ``own``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.add(own)
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        found |= {name.split(".")[1] for name in names if name.startswith("curbside.")}
    return found


def test_every_package_top_level_name_is_classified() -> None:
    tops = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir() if p.suffix == ".py" or p.is_dir()}
    tops -= {"__init__", "__pycache__", "static", "templates"}
    unclassified = tops - set(STAGES) - set(NEUTRAL) - set(JOINERS)
    assert not unclassified, f"classify these as stage, neutral or joiner: {sorted(unclassified)}"


@pytest.mark.parametrize("path", stage_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_stage_module_imports_and_uses_no_other_stage(path: Path) -> None:
    relative = path.relative_to(PACKAGE)
    module = "curbside." + ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
    importlib.import_module(module)
    own = relative.parts[0]
    crossings = {
        top for top in imported_packages(path) if top in STAGES and top != own and (str(relative), top) not in PENDING
    }
    assert not crossings, f"{relative} imports stage(s) {sorted(crossings)}: go through curbside.protocols/domain"


def test_the_checker_sees_lazy_relative_and_plain_imports() -> None:
    # Guard against passing vacuously: planted crossings of every form must be found.
    source = (
        "import curbside.knowledge.store\n"
        "from . import screen\n"
        "def f():\n"
        "    from curbside.retrieval.hybrid import HybridSearcher\n"
        "    import numpy\n"
    )
    assert packages_in(source, own="safety") == {"knowledge", "safety", "retrieval"}


def test_pending_crossings_still_exist() -> None:
    # An entry that no longer crosses must be deleted, so the list only shrinks.
    for (relative, top), _reason in PENDING.items():
        path = PACKAGE / relative
        assert path.exists() and top in imported_packages(path), f"remove the fixed PENDING entry {relative} → {top}"
