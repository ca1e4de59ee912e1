"""Copy a SQLite knowledge base into another store (e.g. PostgreSQL) without re-embedding.

Each unit is read back whole (documents with their passages and stored vectors, interactions,
glossary entries, its content hash) and written through the target's ``write_units`` in
batches, so the target gets exactly what an ingest would have written, and an interrupted copy
resumes: units whose hash the target already records are skipped. Blobs (the embedder name,
trained models) are copied last.

Run as ``python -m curbside.knowledge.transfer SQLITE_FILE POSTGRES_URL``.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path

import numpy as np

from curbside.domain.documents import GlossaryEntry, LoadedUnit
from curbside.knowledge import records
from curbside.knowledge.store import Store, UnitWrite

BATCH_UNITS = 50


def _unit_write(source: sqlite3.Connection, key: str, unit_source: str, content_hash: str) -> UnitWrite:
    documents, vectors = [], []
    for row in source.execute("SELECT * FROM documents WHERE unit_key = ? ORDER BY rowid", (key,)).fetchall():
        passage_rows = source.execute(
            "SELECT * FROM passages WHERE source_id = ? ORDER BY rowid", (row["source_id"],)
        ).fetchall()
        documents.append(records.document_from_row(row, tuple(records.passage_from_row(p) for p in passage_rows)))
        vectors += [np.frombuffer(p["embedding"], dtype=np.float32) for p in passage_rows if p["embedding"]]
    interactions = tuple(
        records.interaction_from_row(r)
        for r in source.execute("SELECT * FROM interactions WHERE unit_key = ? ORDER BY id", (key,))
    )
    glossary = tuple(
        GlossaryEntry(r["glossary"], r["term"], r["plain"])
        for r in source.execute("SELECT * FROM glossary WHERE unit_key = ? ORDER BY id", (key,))
    )
    stacked = np.vstack(vectors) if vectors else np.zeros((0, 1), np.float32)
    return UnitWrite(key, unit_source, content_hash, LoadedUnit(tuple(documents), interactions, glossary), stacked)


def _batches(items: Sequence[sqlite3.Row], size: int) -> Iterator[Sequence[sqlite3.Row]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def copy_knowledge_base(sqlite_path: Path, target: Store, batch_units: int = BATCH_UNITS) -> int:
    """Copy every unit of the SQLite base at ``sqlite_path`` into ``target``; return units written.

    A unit with some passages embedded and others not cannot be copied faithfully (its vectors
    are matched to passages by order) and raises ValueError.
    """
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    source.row_factory = sqlite3.Row
    try:
        present = target.unit_hashes()
        units = [
            u
            for u in source.execute("SELECT key, source, content_hash FROM units ORDER BY key").fetchall()
            if present.get(u["key"]) != u["content_hash"]
        ]
        written = 0
        # A backend that can build its indexes once after a large load (PostgreSQL) does so.
        bulk_load = getattr(target, "bulk_load", None)
        with bulk_load() if bulk_load and len(units) > batch_units else nullcontext():
            for batch in _batches(units, batch_units):
                writes = [_unit_write(source, u["key"], u["source"], u["content_hash"]) for u in batch]
                for write in writes:
                    passages = sum(len(d.passages) for d in write.loaded.documents)
                    if len(write.vectors) not in (0, passages):
                        raise ValueError(f"unit {write.key}: {len(write.vectors)} vectors for {passages} passages")
                target.write_units(writes)
                written += len(writes)
        for row in source.execute("SELECT name, value FROM blobs"):
            target.put_blob(row["name"], bytes(row["value"]))
        return written
    finally:
        source.close()


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m curbside.knowledge.transfer SQLITE_FILE POSTGRES_URL", file=sys.stderr)
        return 2
    from curbside.knowledge.postgres_store import PostgresStore

    target = PostgresStore(argv[1])
    try:
        print(f"copied {copy_knowledge_base(Path(argv[0]), target)} units")
    finally:
        target.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
