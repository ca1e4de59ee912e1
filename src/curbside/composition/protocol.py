"""The Composer protocol: evidence in, article out (defined in :mod:`curbside.protocols`)."""

from __future__ import annotations

from curbside.protocols import Composer

__all__ = ["Composer"]
