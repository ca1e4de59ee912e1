"""Which loaders run on `curbside ingest`: the built-ins, plus any third-party loader
registered under the ``curbside.sources`` entry-point group (same mechanism for both).

The registry itself is :mod:`curbside.backends` (family ``"source"``), shared with every other
backend family; this module keeps the loader-specific names.
"""

from __future__ import annotations

from curbside.backends import BUILTIN_BACKENDS, create_loaders, registered_backends

__all__ = ["BUILTIN_LOADERS", "create_loaders", "registered_loaders"]

# name -> "module:Class"; built-ins are registered exactly as a plugin would be.
BUILTIN_LOADERS: dict[str, str] = BUILTIN_BACKENDS["source"]


def registered_loaders() -> dict[str, str]:
    """All loader targets by name: built-ins first, then entry points (which may not shadow them)."""
    return registered_backends("source")
