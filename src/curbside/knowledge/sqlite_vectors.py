"""Keeps the SQLite store's dense index beside the database file and in step with its passages.

The database holds every passage's embedding (the truth); the index files beside it
(``curbside.sqlite3.hnsw.bin`` + ``.json`` manifest, or ``.exact.npz``) are a derived,
rebuildable copy. Every write to the passages stores a fresh *generation* token in the same
transaction; the manifest records the generation its files reflect. So:

* writes update the in-memory index incrementally (rows removed, rows added) and ``persist``
  saves it — the ingest calls it after each source;
* an index whose generation differs from the database's (a crash between commit and save,
  another process writing, a database copied without its index) is never searched: queries
  fall back to exact search over the vectors in SQLite, and the next ``persist`` (e.g. an
  ingest with nothing to do) rebuilds it;
* a missing or unreadable index file is the same case.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from curbside.knowledge.vector_index import (
    ExactVectorIndex,
    Labels,
    Matrix,
    VectorIndex,
    create_vector_index,
    load_vector_index,
    read_manifest,
    write_manifest,
)

log = logging.getLogger("curbside.knowledge")
GENERATION_BLOB = "vectors.generation"
_REBUILD_CHUNK = 20_000


def bump_generation(connection: sqlite3.Connection) -> str:
    """Record that the passages changed; call inside the writing transaction."""
    token = uuid.uuid4().hex
    connection.execute(
        "INSERT INTO blobs(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        (GENERATION_BLOB, token.encode()),
    )
    return token


def current_generation(connection: sqlite3.Connection) -> str:
    row = connection.execute("SELECT value FROM blobs WHERE name = ?", (GENERATION_BLOB,)).fetchone()
    return bytes(row[0]).decode() if row else ""


def _stored_dim(connection: sqlite3.Connection) -> int | None:
    """Vector width of the newest embedded passage (a re-embed in progress mixes widths)."""
    row = connection.execute(
        "SELECT length(embedding) FROM passages WHERE embedding IS NOT NULL ORDER BY rowid DESC LIMIT 1"
    ).fetchone()
    return None if row is None else int(row[0]) // 4


def fill_from_database(index: VectorIndex, connection: sqlite3.Connection) -> VectorIndex:
    """Add every stored embedding of the index's width, in rowid order, in bounded chunks."""
    last = 0
    while True:
        rows = connection.execute(
            "SELECT rowid, embedding FROM passages WHERE embedding IS NOT NULL AND rowid > ? AND length(embedding) = ?"
            " ORDER BY rowid LIMIT ?",
            (last, index.dim * 4, _REBUILD_CHUNK),
        ).fetchall()
        if not rows:
            return index
        labels = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        index.add(labels, np.frombuffer(b"".join(row[1] for row in rows), dtype=np.float32).reshape(len(rows), -1))
        last = int(labels[-1])


class VectorIndexKeeper:
    """Owns one store's dense index: which one is searchable, incremental updates, persistence."""

    def __init__(self, database_path: Path, kind: str, connection: Callable[[], sqlite3.Connection]) -> None:
        create_vector_index(kind, 1)  # fail fast on an unknown name
        self.kind = kind
        self._base = database_path.with_name(f"{database_path.name}.{kind}")
        self._manifest = database_path.with_name(f"{database_path.name}.{kind}.json")
        self._connection = connection
        self._lock = threading.RLock()
        self._index: VectorIndex | None = None
        self._generation: str | None = None
        self._dirty = False
        self._fallback: tuple[str, VectorIndex] | None = None
        self.state = "not loaded"

    def _load_current(self, generation: str) -> VectorIndex | None:
        manifest = read_manifest(self._manifest)
        if manifest is None or manifest.get("generation") != generation:
            return None
        try:
            return load_vector_index(self.kind, self._base, int(str(manifest["dim"])))
        except (OSError, ValueError, RuntimeError, KeyError) as error:
            log.warning("dense index %s unreadable (%s): using exact search", self._base, error)
            return None

    def searchable(self) -> VectorIndex | None:
        """An index matching the database now: the kept one, the saved one, else exact over SQLite."""
        connection = self._connection()
        generation = current_generation(connection)
        with self._lock:
            if self._index is not None and self._generation == generation:
                return self._index
            loaded = self._load_current(generation)
            if loaded is not None:
                self._index, self._generation, self._dirty = loaded, generation, False
                self.state = f"{self.kind} index"
                return loaded
            if self._fallback is None or self._fallback[0] != generation:
                dim = _stored_dim(connection)
                if dim is None:
                    return None
                self._fallback = (generation, fill_from_database(ExactVectorIndex(dim), connection))
                if self.kind != "exact":
                    log.warning("dense index missing or stale: exact search until `curbside ingest` rebuilds it")
            self.state = f"exact fallback ({self.kind} index missing or stale)"
            return self._fallback[1]

    def prepare_write(self) -> None:
        """Make the kept index match the database before a write, so the write can update it."""
        connection = self._connection()
        generation = current_generation(connection)
        with self._lock:
            if self._index is not None and self._generation == generation:
                return
            loaded = self._load_current(generation)
            if loaded is None:
                dim = _stored_dim(connection)
                loaded = create_vector_index(self.kind, dim or 1)
                if dim is not None:
                    log.info("rebuilding the %s dense index from the database", self.kind)
                    fill_from_database(loaded, connection)
                self._dirty = True
            self._index, self._generation = loaded, generation

    def apply_write(self, generation: str, removed: Sequence[int], labels: Labels, vectors: Matrix) -> None:
        """After a committed write: drop ``removed`` rows, add the new ones, note the generation."""
        with self._lock:
            index = self._index
            if index is None:
                return
            index.remove(removed)
            if len(labels):
                if vectors.shape[1] != index.dim:
                    # A different embedder: start over at the new width (old rows are being replaced).
                    index = self._index = create_vector_index(self.kind, vectors.shape[1])
                index.add(labels, vectors)
            self._generation, self._dirty = generation, True
            self._fallback = None

    def persist(self) -> None:
        """Save the index if it changed; rebuild it first if it does not match the database."""
        self.prepare_write()
        with self._lock:
            if self._index is None or not self._dirty:
                return
            self._index.save(self._base)
            write_manifest(
                self._manifest, {"generation": self._generation, "dim": self._index.dim, "rows": len(self._index)}
            )
            self._dirty = False
            self.state = f"{self.kind} index"
