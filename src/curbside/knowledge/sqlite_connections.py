"""Re-export: per-thread SQLite connections now live in the neutral :mod:`curbside.sqlite_connections`
(the knowledge store and the article repository both use them, and stages never import each other)."""

from __future__ import annotations

from curbside.sqlite_connections import ThreadConnections

__all__ = ["ThreadConnections"]
