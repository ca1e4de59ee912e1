"""The default knowledge-base backend: one SQLite file, FTS5 BM25 and a dense index beside it.

Embeddings are stored in the passages table (the truth); dense search runs on a vector index
kept in files beside the database (hnswlib by default, exact numpy on request or as the
fallback while that index is missing or stale; see ``sqlite_vectors``). This Python's sqlite3
cannot load extensions, so no in-database vector search is possible anyway.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from curbside.domain.documents import Document, GlossaryEntry, InteractionRecord
from curbside.knowledge import records
from curbside.knowledge.filter_sql import filter_clause
from curbside.knowledge.migrations import KNOWLEDGE_REVISIONS
from curbside.knowledge.sqlite_vectors import VectorIndexKeeper, bump_generation
from curbside.knowledge.store import LicenceCount, PassageRecord, ScoredPassage, SearchFilters, SourceCount, UnitWrite
from curbside.language.stop_words import ENGLISH_STOP_WORDS
from curbside.schema.revisions import upgrade
from curbside.sqlite_connections import ThreadConnections

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_QUERY_TERMS = 40
_PASSAGE_SELECT = ", ".join(f"p.{column}" for column in records.PASSAGE_COLUMNS)
_DOCUMENT_SELECT = ", ".join(f"d.{column}" for column in records.DOCUMENT_COLUMNS)


def fts_query(text: str) -> str | None:
    """Build an FTS5 query from free text: distinct content words, quoted, OR-ed.

    Quoting every term means no user input is ever interpreted as FTS5 syntax.
    """
    terms: list[str] = []
    for word in _WORD.findall(text.lower()):
        if len(word) < 2 or word in ENGLISH_STOP_WORDS or word in terms:
            continue
        terms.append(word)
        if len(terms) == MAX_QUERY_TERMS:
            break
    if not terms:
        return None
    return " OR ".join(f'"{term}"' for term in terms)


class SqliteStore:
    """SQLite implementation of the Store protocol (thread-safe: one connection per thread)."""

    def __init__(self, path: Path, vector_index: str = "hnsw") -> None:
        self.path = path
        self._connections = ThreadConnections(path, relaxed_sync=True)
        self._write_lock = threading.Lock()
        self._vectors = VectorIndexKeeper(path, vector_index, self._connection)
        self._documents = records.DocumentCache()
        upgrade(KNOWLEDGE_REVISIONS, path)

    def _connection(self) -> sqlite3.Connection:
        return self._connections.get()

    # -- writing -----------------------------------------------------------------------

    def unit_hashes(self, source: str | None = None) -> dict[str, str]:
        sql = "SELECT key, content_hash FROM units"
        rows = self._connection().execute(sql + (" WHERE source = ?" if source else ""), (source,) if source else ())
        return {row["key"]: row["content_hash"] for row in rows}

    def write_units(self, writes: Sequence[UnitWrite]) -> None:
        connection = self._connection()
        removed: list[int] = []
        added: list[tuple[int, npt.NDArray[np.float32]]] = []
        with self._write_lock:
            self._vectors.prepare_write()
            with connection:
                for write in writes:
                    removed += self._delete_unit(connection, write.key)
                    connection.execute(
                        "INSERT INTO units(key, source, content_hash) VALUES (?, ?, ?)",
                        (write.key, write.source, write.content_hash),
                    )
                    added += self._insert_loaded(connection, write)
                generation = bump_generation(connection)
            labels = np.fromiter((rowid for rowid, _ in added), dtype=np.int64, count=len(added))
            vectors = np.vstack([v for _, v in added]) if added else np.zeros((0, 1), np.float32)
            self._vectors.apply_write(generation, removed, labels, vectors)

    def save_vector_index(self) -> None:
        self._vectors.persist()

    @property
    def vector_index_state(self) -> str:
        """Which dense index answers queries: e.g. "hnsw index" or "exact fallback (…)"."""
        return self._vectors.state

    def _insert_loaded(
        self, connection: sqlite3.Connection, write: UnitWrite
    ) -> list[tuple[int, npt.NDArray[np.float32]]]:
        """Insert one unit's rows; returns (rowid, vector) of every embedded passage."""
        added: list[tuple[int, npt.NDArray[np.float32]]] = []
        row = 0
        for document in write.loaded.documents:
            connection.execute(
                f"INSERT OR REPLACE INTO documents VALUES ({','.join('?' * 15)})",
                records.document_row(document, write.key),
            )
            facets = [("drug", d) for d in document.drugs] + [("condition", c) for c in document.conditions]
            connection.executemany(
                "INSERT INTO document_terms(source_id, facet, term) VALUES (?, ?, ?)",
                [(document.source_id, facet, term.lower()) for facet, term in facets],
            )
            for passage in document.passages:
                embedding = write.vectors[row].astype(np.float32) if row < len(write.vectors) else None
                row += 1
                cursor = connection.execute(
                    "INSERT INTO passages(passage_id, source_id, ordinal, heading_path, text, grade, grade_meaning,"
                    " question, question_type, section_number, embedding, note_kind) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    records.passage_row(
                        passage, document.source_id, None if embedding is None else embedding.tobytes()
                    ),
                )
                if embedding is not None and cursor.lastrowid is not None:
                    added.append((cursor.lastrowid, embedding))
                connection.execute(
                    "INSERT INTO passages_fts(rowid, text, heading, title) VALUES (?, ?, ?, ?)",
                    (cursor.lastrowid, passage.text, records.search_heading(passage), document.title),
                )
        connection.executemany(
            f"INSERT INTO interactions(unit_key, list_name, source_id, drug_a, drug_b, drug_a_norm, drug_b_norm,"
            f" severity, description, interaction_type, sentence, drug_a_ids, drug_b_ids)"
            f" VALUES ({','.join('?' * 13)})",
            [records.interaction_row(record, write.key) for record in write.loaded.interactions],
        )
        connection.executemany(
            "INSERT INTO glossary(unit_key, glossary, term, plain) VALUES (?, ?, ?, ?)",
            [(write.key, e.glossary, e.term, e.plain) for e in write.loaded.glossary],
        )
        return added

    def _delete_unit(self, connection: sqlite3.Connection, key: str) -> list[int]:
        """Delete one unit's rows; returns the rowids of the passages it had."""
        rowids = [
            int(row[0])
            for row in connection.execute(
                "SELECT p.rowid FROM passages p JOIN documents d ON p.source_id = d.source_id WHERE d.unit_key = ?",
                (key,),
            )
        ]
        connection.executemany("DELETE FROM passages_fts WHERE rowid = ?", [(rowid,) for rowid in rowids])
        # Documents, passages, terms, interactions and glossary rows cascade from the unit.
        connection.execute("DELETE FROM units WHERE key = ?", (key,))
        return rowids

    def remove_units(self, keys: Iterable[str]) -> int:
        connection = self._connection()
        removed, rowids = 0, []
        with self._write_lock:
            self._vectors.prepare_write()
            with connection:
                for key in keys:
                    rowids += self._delete_unit(connection, key)
                    removed += 1
                generation = bump_generation(connection)
            self._vectors.apply_write(generation, rowids, np.zeros(0, np.int64), np.zeros((0, 1), np.float32))
        return removed

    # -- searching ---------------------------------------------------------------------

    def _filter_sql(self, filters: SearchFilters) -> tuple[str, list[object]]:
        return filter_clause(filters)

    def lexical_search(self, text: str, limit: int, filters: SearchFilters = SearchFilters()) -> list[ScoredPassage]:
        query = fts_query(text)
        if query is None or limit <= 0:
            return []
        where, params = self._filter_sql(filters)
        # Column weights: text 1, heading (section path + question) 2, document title 3 —
        # a passage under a heading or title naming the topic is usually about it.
        score = "bm25(passages_fts, 1.0, 2.0, 3.0)"
        if where:
            sql = (
                f"SELECT p.passage_id, {score} AS score FROM passages_fts"
                " JOIN passages p ON p.rowid = passages_fts.rowid JOIN documents d ON d.source_id = p.source_id"
                f" WHERE passages_fts MATCH ? AND {where} ORDER BY score LIMIT ?"
            )
        else:
            # Rank inside FTS first and join only the top rows: joining every match (tens of
            # thousands for common words) tripled the cost.
            sql = (
                f"SELECT p.passage_id, f.score FROM (SELECT rowid, {score} AS score FROM passages_fts"
                " WHERE passages_fts MATCH ? ORDER BY score LIMIT ?) f JOIN passages p ON p.rowid = f.rowid"
                " ORDER BY f.score"
            )
        arguments = [query, *params, limit] if where else [query, limit]
        rows = self._connection().execute(sql, arguments).fetchall()
        # FTS5's bm25() is "lower is better" and negative; flip it so higher is better.
        return [ScoredPassage(row["passage_id"], -float(row["score"]), rank) for rank, row in enumerate(rows, 1)]

    def dense_search(
        self, vector: npt.NDArray[np.float32], limit: int, filters: SearchFilters = SearchFilters()
    ) -> list[ScoredPassage]:
        index = self._vectors.searchable()
        if limit <= 0 or index is None or index.dim != vector.shape[-1]:
            return []
        allowed = None
        if not filters.is_empty():
            where, params = self._filter_sql(filters)
            allowed = np.fromiter(
                (
                    row[0]
                    for row in self._connection().execute(
                        "SELECT p.rowid FROM passages p JOIN documents d ON d.source_id = p.source_id"
                        f" WHERE p.embedding IS NOT NULL AND {where}",
                        params,
                    )
                ),
                dtype=np.int64,
            )
            if len(allowed) == 0:
                return []
        labels, scores = index.search(vector.astype(np.float32).reshape(-1), limit, allowed)
        rowids = [int(label) for label in labels]
        if not rowids:
            return []
        names = dict(
            self._connection()
            .execute(
                f"SELECT rowid, passage_id FROM passages WHERE rowid IN ({','.join('?' * len(rowids))})",
                rowids,
            )
            .fetchall()
        )
        hits = [(names[r], float(score)) for r, score in zip(rowids, scores, strict=True) if r in names]
        return [ScoredPassage(pid, score, rank) for rank, (pid, score) in enumerate(hits, 1)]

    # -- reading -----------------------------------------------------------------------

    def passages(self, passage_ids: Sequence[str]) -> list[PassageRecord]:
        if not passage_ids:
            return []
        rows = (
            self._connection()
            .execute(
                f"SELECT {_PASSAGE_SELECT}, {_DOCUMENT_SELECT} FROM passages p"
                " JOIN documents d ON d.source_id = p.source_id"
                f" WHERE p.passage_id IN ({','.join('?' * len(passage_ids))})",
                list(passage_ids),
            )
            .fetchall()
        )
        by_id = {row["passage_id"]: row for row in rows}
        return [
            PassageRecord(self._documents.document(by_id[pid]), records.passage_from_row(by_id[pid]))
            for pid in passage_ids
            if pid in by_id
        ]

    def document(self, source_id: str) -> Document | None:
        connection = self._connection()
        row = connection.execute("SELECT * FROM documents WHERE source_id = ?", (source_id,)).fetchone()
        if row is None:
            return None
        passage_rows = connection.execute(
            f"SELECT {_PASSAGE_SELECT} FROM passages p WHERE p.source_id = ? ORDER BY p.ordinal", (source_id,)
        ).fetchall()
        return records.document_from_row(row, tuple(records.passage_from_row(p) for p in passage_rows))

    def documents(self, kind: str | None = None) -> list[Document]:
        sql = "SELECT * FROM documents" + (" WHERE kind = ?" if kind else "") + " ORDER BY source_id"
        return [records.document_from_row(r) for r in self._connection().execute(sql, (kind,) if kind else ())]

    def interactions(self, drug_names: Iterable[str]) -> list[InteractionRecord]:
        names = sorted({records.normalise_drug(n) for n in drug_names if n.strip()})
        if not names:
            return []
        marks = ",".join("?" * len(names))
        rows = (
            self._connection()
            .execute(
                f"SELECT * FROM interactions WHERE drug_a_norm IN ({marks}) OR drug_b_norm IN ({marks})",
                names + names,
            )
            .fetchall()
        )
        return [records.interaction_from_row(row) for row in rows]

    def interactions_in_list(self, list_name: str) -> list[InteractionRecord]:
        rows = self._connection().execute("SELECT * FROM interactions WHERE list_name = ?", (list_name,))
        return [records.interaction_from_row(row) for row in rows]

    def glossary(self) -> list[GlossaryEntry]:
        rows = self._connection().execute("SELECT glossary, term, plain FROM glossary ORDER BY id").fetchall()
        return [GlossaryEntry(row["glossary"], row["term"], row["plain"]) for row in rows]

    def question_pairs(self) -> list[tuple[str, str]]:
        rows = self._connection().execute(
            "SELECT DISTINCT question, question_type FROM passages"
            " WHERE question IS NOT NULL AND question_type IS NOT NULL"
        )
        return [(row[0], row[1]) for row in rows]

    def related_questions(self, topics: Sequence[str], limit: int) -> list[tuple[str, str]]:
        names = sorted({t.lower().strip() for t in topics if t.strip()})
        if not names or limit <= 0:
            return []
        marks = ",".join("?" * len(names))
        # The documents are chosen first, then their passages through the source_id index: a
        # join filtered on the title scanned every passage (~200 ms on the full corpus, 9 ms now).
        rows = self._connection().execute(
            "SELECT p.question, p.source_id, MIN(p.ordinal) AS first FROM passages p"
            f" WHERE p.source_id IN (SELECT source_id FROM documents WHERE LOWER(title) IN ({marks})"
            f"  UNION SELECT source_id FROM document_terms WHERE facet = 'condition' AND term IN ({marks}))"
            " AND p.question IS NOT NULL"
            " GROUP BY p.question, p.source_id ORDER BY p.source_id, first LIMIT ?",
            [*names, *names, limit],
        )
        return [(row[0], row[1]) for row in rows]

    def source_counts(self) -> list[SourceCount]:
        connection = self._connection()
        counts = []
        for row in connection.execute(
            "SELECT d.source, d.kind, COUNT(*) AS documents, MIN(d.year) AS year_min, MAX(d.year) AS year_max,"
            " (SELECT COUNT(*) FROM passages p JOIN documents d2 ON d2.source_id = p.source_id"
            "   WHERE d2.source = d.source AND d2.kind = d.kind) AS passages,"
            " MIN(d.licence) AS licence"
            " FROM documents d GROUP BY d.source, d.kind ORDER BY d.source, d.kind"
        ).fetchall():
            organizations = tuple(
                r[0]
                for r in connection.execute(
                    "SELECT organization FROM documents WHERE source = ? AND kind = ? GROUP BY organization"
                    " ORDER BY COUNT(*) DESC LIMIT 12",
                    (row["source"], row["kind"]),
                )
            )
            counts.append(
                SourceCount(
                    row["source"],
                    row["kind"],
                    row["documents"],
                    row["passages"],
                    organizations=organizations,
                    year_min=row["year_min"],
                    year_max=row["year_max"],
                    licence=row["licence"],
                )
            )
        for row in connection.execute(
            "SELECT u.source, COUNT(*) AS n FROM interactions i JOIN units u ON u.key = i.unit_key GROUP BY u.source"
        ):
            counts.append(SourceCount(row["source"], "interactions", 0, 0, interactions=row["n"]))
        for row in connection.execute("SELECT glossary, COUNT(*) AS n FROM glossary GROUP BY glossary"):
            counts.append(SourceCount(row["glossary"], "glossary", 0, 0, glossary_terms=row["n"]))
        return counts

    def licence_counts(self) -> list[LicenceCount]:
        rows = self._connection().execute(
            "SELECT d.source, d.licence_class, COUNT(DISTINCT d.source_id) AS documents, COUNT(p.rowid) AS passages"
            " FROM documents d LEFT JOIN passages p ON p.source_id = d.source_id"
            " GROUP BY d.source, d.licence_class ORDER BY d.source, d.licence_class"
        )
        return [LicenceCount(r["source"], r["licence_class"], r["documents"], r["passages"]) for r in rows]

    def get_blob(self, name: str) -> bytes | None:
        row = self._connection().execute("SELECT value FROM blobs WHERE name = ?", (name,)).fetchone()
        return None if row is None else bytes(row[0])

    def put_blob(self, name: str, value: bytes) -> None:
        connection = self._connection()
        with self._write_lock, connection:
            connection.execute(
                "INSERT INTO blobs(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value,"
                " updated_at = datetime('now')",
                (name, value),
            )

    def close(self) -> None:
        self._connections.close()
