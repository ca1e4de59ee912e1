"""The PostgreSQL knowledge-base backend: full text with ``tsvector`` + GIN, vectors with pgvector HNSW.

Chosen when ``CURBSIDE_DATABASE_URL`` is a ``postgresql://`` URL. Everything lives in the
database (no index files beside it), so any number of app workers and ingest workers share
one knowledge base. Ingest writes passages with ``COPY`` (one round trip per batch instead of
one per passage), the lexical and vector indexes are maintained by PostgreSQL in the same
transaction, and ``save_vector_index`` has nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg
from psycopg.rows import dict_row

from curbside.domain.documents import Document, GlossaryEntry, InteractionRecord
from curbside.knowledge import records
from curbside.knowledge.filter_sql import filter_clause
from curbside.knowledge.migrations import KNOWLEDGE_REVISIONS
from curbside.knowledge.postgres_terms import rare_terms, refresh_lexeme_stats
from curbside.knowledge.sqlite_store import fts_query
from curbside.knowledge.store import LicenceCount, PassageRecord, ScoredPassage, SearchFilters, SourceCount, UnitWrite
from curbside.postgres_connections import PostgresThreadConnections
from curbside.schema.revisions import upgrade

# Filtered vector searches keep walking the HNSW graph until ``limit`` rows pass the filter
# (pgvector 0.8 iterative scans) instead of returning the few of the first ef_search that do.
SESSION_SETTINGS = ("SET hnsw.ef_search = 100", "SET hnsw.iterative_scan = strict_order")
PASSAGE_COLUMNS = (
    "passage_id, source_id, ordinal, heading_path, text, grade, grade_meaning, question, question_type,"
    " section_number, embedding, note_kind, search_heading, search_title"
)
DOCUMENT_COLUMNS = (
    "source_id", "unit_key", "source", "kind", "organization", "title", "year", "url", "licence", "drugs",
    "conditions", "population", "metadata", "licence_class", "use_terms",
)  # fmt: skip
# An HNSW build that fits in memory is several times faster than one that spills to disk.
BULK_BUILD_MEMORY = "1GB"
_INDEX_LOCK = 4242002  # advisory lock id: one worker at a time creates an HNSW index


def vector_literal(vector: npt.NDArray[np.float32]) -> str:
    """pgvector's text form, ``[0.1,0.2,…]`` (what COPY and a ``::vector`` cast read)."""
    return "[" + ",".join(f"{value:.7g}" for value in vector.tolist()) + "]"


def query_terms(text: str) -> list[str]:
    """The same distinct content words as the SQLite store builds its query from."""
    query = fts_query(text)
    return [] if query is None else [term.strip('"') for term in query.split(" OR ")]


class PostgresStore:
    """PostgreSQL implementation of the Store protocol (thread-safe: one connection per thread)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._connections = PostgresThreadConnections(url, SESSION_SETTINGS)
        upgrade(KNOWLEDGE_REVISIONS, url)
        # A bulk load stopped hard (SIGKILL) leaves the lexical index dropped: restore it.
        self._connection().execute("CREATE INDEX IF NOT EXISTS passages_search ON passages USING gin(search)")
        self._indexed_widths = self._hnsw_widths()
        self._deferred_widths: set[int] | None = None  # set while a bulk load defers the indexes

    def _connection(self) -> psycopg.Connection[Any]:
        return self._connections.get()

    def _rows(self, statement: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._connection().cursor(row_factory=dict_row) as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()

    @property
    def vector_index_state(self) -> str:
        return "pgvector hnsw (" + ", ".join(f"{w} dims" for w in sorted(self._indexed_widths)) + ")"

    # -- writing -----------------------------------------------------------------------

    def unit_hashes(self, source: str | None = None) -> dict[str, str]:
        where = " WHERE source = %s" if source else ""
        return {r["key"]: r["content_hash"] for r in self._rows("SELECT key, content_hash FROM units" + where,
                                                                 (source,) if source else ())}  # fmt: skip

    def write_units(self, writes: Sequence[UnitWrite]) -> None:
        widths = {int(w.vectors.shape[1]) for w in writes if len(w.vectors)}
        if self._deferred_widths is not None:
            self._deferred_widths |= widths
        for width in widths - self._indexed_widths if self._deferred_widths is None else ():
            self._create_hnsw_index(width)
        connection = self._connection()
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM units WHERE key = ANY(%s)", ([w.key for w in writes],))
            cursor.executemany(
                "INSERT INTO units(key, source, content_hash) VALUES (%s, %s, %s)",
                [(w.key, w.source, w.content_hash) for w in writes],
            )
            documents, terms, passages, interactions, glossary = [], [], [], [], []
            for write in writes:
                row = 0
                for document in write.loaded.documents:
                    documents.append(records.document_row(document, write.key))
                    facets = [("drug", d) for d in document.drugs] + [("condition", c) for c in document.conditions]
                    terms += [(document.source_id, facet, term.lower()) for facet, term in facets]
                    for passage in document.passages:
                        vector = vector_literal(write.vectors[row]) if row < len(write.vectors) else None
                        row += 1
                        fields = records.passage_row(passage, document.source_id, None)
                        passages.append(
                            (*fields[:10], vector, fields[11], records.search_heading(passage), document.title)
                        )
                interactions += [records.interaction_row(r, write.key) for r in write.loaded.interactions]
                glossary += [(write.key, e.glossary, e.term, e.plain) for e in write.loaded.glossary]
            # Several documents of a batch may share an id (a label re-issued); the last one wins,
            # as with SQLite's INSERT OR REPLACE.
            cursor.executemany(
                f"INSERT INTO documents VALUES ({','.join(['%s'] * 15)}) ON CONFLICT (source_id) DO UPDATE SET "
                + ", ".join(f"{column} = excluded.{column}" for column in DOCUMENT_COLUMNS[1:]),
                documents,
            )
            cursor.executemany("INSERT INTO document_terms(source_id, facet, term) VALUES (%s, %s, %s)", terms)
            with cursor.copy(f"COPY passages ({PASSAGE_COLUMNS}) FROM STDIN") as copy:
                for passage_fields in passages:
                    copy.write_row(passage_fields)
            cursor.executemany(
                "INSERT INTO interactions(unit_key, list_name, source_id, drug_a, drug_b, drug_a_norm, drug_b_norm,"
                f" severity, description, interaction_type, sentence, drug_a_ids, drug_b_ids)"
                f" VALUES ({','.join(['%s'] * 13)})",
                interactions,
            )
            cursor.executemany(
                "INSERT INTO glossary(unit_key, glossary, term, plain) VALUES (%s, %s, %s, %s)", glossary
            )

    def _hnsw_widths(self) -> set[int]:
        rows = self._rows("SELECT indexname FROM pg_indexes WHERE tablename = 'passages' AND indexname LIKE %s",
                          ("passages_hnsw_%",))  # fmt: skip
        return {int(r["indexname"].rsplit("_", 1)[1]) for r in rows}

    def _create_hnsw_index(self, width: int) -> None:
        """An HNSW index over the embeddings of one width (partial: an index needs a fixed width)."""
        connection = self._connection()
        with connection.transaction():
            connection.execute(f"SELECT pg_advisory_xact_lock({_INDEX_LOCK})")
            connection.execute(
                f"CREATE INDEX IF NOT EXISTS passages_hnsw_{width} ON passages USING hnsw"
                f" ((embedding::vector({width})) vector_cosine_ops) WHERE vector_dims(embedding) = {width}"
            )
        self._indexed_widths.add(width)

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Write many units with the GIN and HNSW indexes dropped, then build each once: inserting
        into an HNSW graph row by row costs far more than one build over the loaded rows. Searches
        stay correct meanwhile (sequential scans), only slower: load while nobody is served."""
        connection = self._connection()
        self._deferred_widths = set(self._indexed_widths)
        connection.execute("DROP INDEX IF EXISTS passages_search")
        for width in self._indexed_widths:
            connection.execute(f"DROP INDEX IF EXISTS passages_hnsw_{width}")
        self._indexed_widths = set()
        try:
            yield
        finally:
            widths, self._deferred_widths = self._deferred_widths, None
            connection.execute(f"SET maintenance_work_mem = '{BULK_BUILD_MEMORY}'")
            connection.execute("CREATE INDEX IF NOT EXISTS passages_search ON passages USING gin(search)")
            for width in sorted(widths):
                self._create_hnsw_index(width)
            connection.execute("RESET maintenance_work_mem")
            refresh_lexeme_stats(connection)

    def remove_units(self, keys: Iterable[str]) -> int:
        connection = self._connection()
        with connection.transaction():
            deleted = connection.execute("DELETE FROM units WHERE key = ANY(%s) RETURNING key", (list(keys),))
            return len(deleted.fetchall())

    def save_vector_index(self) -> None:
        """No index to persist (PostgreSQL keeps HNSW and GIN in step with every write); the
        word counts the lexical search prunes by are refreshed (ingest calls this per source)."""
        refresh_lexeme_stats(self._connection())

    # -- searching ---------------------------------------------------------------------

    def lexical_search(self, text: str, limit: int, filters: SearchFilters = SearchFilters()) -> list[ScoredPassage]:
        terms = query_terms(text)
        if not terms or limit <= 0:
            return []
        # OR-ed for websearch_to_tsquery, which never raises on syntax (and the words carry no
        # punctuation anyway); common words dropped first (see postgres_terms).
        query = " or ".join(rare_terms(self._connection(), terms))
        where, params = filter_clause(filters, mark="%s", like="ILIKE")
        join = " JOIN documents d ON d.source_id = p.source_id" if where else ""
        rows = self._rows(
            "SELECT p.passage_id, ts_rank(p.search, q, 1) AS score"
            f" FROM websearch_to_tsquery('english', %s) q, passages p{join}"
            f" WHERE p.search @@ q{' AND ' + where if where else ''} ORDER BY score DESC, p.id LIMIT %s",
            [query, *params, limit],
        )
        return [ScoredPassage(r["passage_id"], float(r["score"]), rank) for rank, r in enumerate(rows, 1)]

    def dense_search(
        self, vector: npt.NDArray[np.float32], limit: int, filters: SearchFilters = SearchFilters()
    ) -> list[ScoredPassage]:
        width = int(vector.shape[-1])
        if limit <= 0 or width not in self._indexed_widths:
            return []
        where, params = filter_clause(filters, mark="%s", like="ILIKE")
        join = " JOIN documents d ON d.source_id = p.source_id" if where else ""
        # The width is written into the SQL (not a parameter) so the planner matches the partial index.
        distance = f"p.embedding::vector({width}) <=> %s::vector({width})"
        rows = self._rows(
            f"SELECT p.passage_id, 1 - ({distance}) AS score FROM passages p{join}"
            f" WHERE vector_dims(p.embedding) = {width}{' AND ' + where if where else ''}"
            f" ORDER BY {distance} LIMIT %s",
            [vector_literal(vector.reshape(-1)), *params, vector_literal(vector.reshape(-1)), limit],
        )
        return [ScoredPassage(r["passage_id"], float(r["score"]), rank) for rank, r in enumerate(rows, 1)]

    # -- reading -----------------------------------------------------------------------

    def passages(self, passage_ids: Sequence[str]) -> list[PassageRecord]:
        if not passage_ids:
            return []
        rows = self._rows(
            "SELECT p.*, d.* FROM passages p JOIN documents d ON d.source_id = p.source_id"
            " WHERE p.passage_id = ANY(%s)",
            (list(passage_ids),),
        )
        by_id = {row["passage_id"]: row for row in rows}
        return [
            PassageRecord(records.document_from_row(by_id[pid]), records.passage_from_row(by_id[pid]))
            for pid in passage_ids
            if pid in by_id
        ]

    def document(self, source_id: str) -> Document | None:
        found = self._rows("SELECT * FROM documents WHERE source_id = %s", (source_id,))
        if not found:
            return None
        passage_rows = self._rows("SELECT * FROM passages WHERE source_id = %s ORDER BY ordinal", (source_id,))
        return records.document_from_row(found[0], tuple(records.passage_from_row(p) for p in passage_rows))

    def documents(self, kind: str | None = None) -> list[Document]:
        sql = "SELECT * FROM documents" + (" WHERE kind = %s" if kind else "") + " ORDER BY source_id"
        return [records.document_from_row(r) for r in self._rows(sql, (kind,) if kind else ())]

    def interactions(self, drug_names: Iterable[str]) -> list[InteractionRecord]:
        names = sorted({records.normalise_drug(n) for n in drug_names if n.strip()})
        if not names:
            return []
        rows = self._rows(
            "SELECT * FROM interactions WHERE drug_a_norm = ANY(%s) OR drug_b_norm = ANY(%s) ORDER BY id",
            (names, names),
        )
        return [records.interaction_from_row(row) for row in rows]

    def interactions_in_list(self, list_name: str) -> list[InteractionRecord]:
        rows = self._rows("SELECT * FROM interactions WHERE list_name = %s ORDER BY id", (list_name,))
        return [records.interaction_from_row(row) for row in rows]

    def glossary(self) -> list[GlossaryEntry]:
        rows = self._rows("SELECT glossary, term, plain FROM glossary ORDER BY id")
        return [GlossaryEntry(row["glossary"], row["term"], row["plain"]) for row in rows]

    def question_pairs(self) -> list[tuple[str, str]]:
        rows = self._rows(
            "SELECT DISTINCT question, question_type FROM passages"
            " WHERE question IS NOT NULL AND question_type IS NOT NULL"
        )
        return [(row["question"], row["question_type"]) for row in rows]

    def related_questions(self, topics: Sequence[str], limit: int) -> list[tuple[str, str]]:
        names = sorted({t.lower().strip() for t in topics if t.strip()})
        if not names or limit <= 0:
            return []
        rows = self._rows(
            "SELECT p.question, d.source_id, MIN(p.ordinal) AS first FROM passages p"
            " JOIN documents d ON d.source_id = p.source_id"
            " WHERE p.question IS NOT NULL AND (LOWER(d.title) = ANY(%s) OR d.source_id IN"
            "  (SELECT source_id FROM document_terms WHERE facet = 'condition' AND term = ANY(%s)))"
            " GROUP BY p.question, d.source_id ORDER BY d.source_id, first LIMIT %s",
            (names, names, limit),
        )
        return [(row["question"], row["source_id"]) for row in rows]

    def source_counts(self) -> list[SourceCount]:
        counts = []
        for row in self._rows(
            "SELECT d.source, d.kind, COUNT(*) AS documents, MIN(d.year) AS year_min, MAX(d.year) AS year_max,"
            " (SELECT COUNT(*) FROM passages p JOIN documents d2 ON d2.source_id = p.source_id"
            "   WHERE d2.source = d.source AND d2.kind = d.kind) AS passages, MIN(d.licence) AS licence"
            " FROM documents d GROUP BY d.source, d.kind ORDER BY d.source, d.kind"
        ):
            organizations = tuple(
                r["organization"]
                for r in self._rows(
                    "SELECT organization FROM documents WHERE source = %s AND kind = %s GROUP BY organization"
                    " ORDER BY COUNT(*) DESC, organization LIMIT 12",
                    (row["source"], row["kind"]),
                )
            )
            counts.append(
                SourceCount(row["source"], row["kind"], row["documents"], row["passages"], organizations=organizations,
                            year_min=row["year_min"], year_max=row["year_max"], licence=row["licence"])
            )  # fmt: skip
        for row in self._rows(
            "SELECT u.source, COUNT(*) AS n FROM interactions i JOIN units u ON u.key = i.unit_key GROUP BY u.source"
        ):
            counts.append(SourceCount(row["source"], "interactions", 0, 0, interactions=row["n"]))
        for row in self._rows("SELECT glossary, COUNT(*) AS n FROM glossary GROUP BY glossary"):
            counts.append(SourceCount(row["glossary"], "glossary", 0, 0, glossary_terms=row["n"]))
        return counts

    def licence_counts(self) -> list[LicenceCount]:
        rows = self._rows(
            "SELECT d.source, d.licence_class, COUNT(DISTINCT d.source_id) AS documents, COUNT(p.id) AS passages"
            " FROM documents d LEFT JOIN passages p ON p.source_id = d.source_id"
            " GROUP BY d.source, d.licence_class ORDER BY d.source, d.licence_class"
        )
        return [LicenceCount(r["source"], r["licence_class"], r["documents"], r["passages"]) for r in rows]

    def get_blob(self, name: str) -> bytes | None:
        rows = self._rows("SELECT value FROM blobs WHERE name = %s", (name,))
        return None if not rows else bytes(rows[0]["value"])

    def put_blob(self, name: str, value: bytes) -> None:
        with self._connection().transaction():
            self._connection().execute(
                "INSERT INTO blobs(name, value) VALUES (%s, %s) ON CONFLICT(name) DO UPDATE"
                " SET value = excluded.value, updated_at = now()",
                (name, value),
            )

    def close(self) -> None:
        self._connections.close()
