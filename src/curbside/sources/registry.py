"""Which loaders run on `curbside ingest`: the built-ins, plus any third-party loader
registered under the ``curbside.sources`` entry-point group (same mechanism for both)."""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from curbside.sources.base import SourceLoader

# name -> "module:Class"; built-ins are registered exactly as a plugin would be.
BUILTIN_LOADERS: dict[str, str] = {
    "medquad": "curbside.sources.nih_qa_xml:MedQuadLoader",
    "ngc": "curbside.sources.ngc:NgcGuidelineLoader",
    "fda-nlm": "curbside.sources.fda_labels:NlmFdaLabelLoader",
    "interaction-lists": "curbside.sources.interaction_lists:InteractionListLoader",
    "openfda": "curbside.sources.openfda:OpenFdaLabelLoader",
    "openstax": "curbside.sources.openstax_cnxml:OpenStaxBookLoader",
    "glossaries": "curbside.sources.glossaries:GlossaryLoader",
}


def _instantiate(target: str) -> SourceLoader:
    module_name, _, class_name = target.partition(":")
    loader: SourceLoader = getattr(importlib.import_module(module_name), class_name)()
    return loader


def registered_loaders() -> dict[str, str]:
    """All loader targets by name: built-ins first, then entry points (which may not shadow them)."""
    targets = dict(BUILTIN_LOADERS)
    for entry in entry_points(group="curbside.sources"):
        targets.setdefault(entry.name, entry.value)
    return targets


def create_loaders(names: list[str] | None = None) -> list[SourceLoader]:
    """Instantiate the named loaders (all registered ones when ``names`` is None)."""
    targets = registered_loaders()
    unknown = sorted(set(names or ()) - set(targets))
    if unknown:
        raise ValueError(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(targets)}")
    return [_instantiate(targets[name]) for name in (names or list(targets))]
