"""Which query words the PostgreSQL lexical search keeps: the ones rare enough to rank on.

``ts_rank`` is computed for every passage that matches, so an OR of forty words from a long
question ranked almost the whole table: 435 ms p50 over 146k passages, against 11 ms for
SQLite's FTS5, which skips through its index (measured, docs/deployment.md). Words found in a
large share of passages carry almost no weight in the ranking (BM25's IDF for them is near
zero), so the search drops them before matching, and the matching rows shrink to those holding
a rare word. ``lexeme_stats`` (word → passages holding it) is refreshed after each ingest of a
source (``save_vector_index``) and after a bulk load; while it is empty every word is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

#: A word in more than this share of passages (and more than COMMON_FLOOR of them) is dropped.
COMMON_SHARE = 0.02
COMMON_FLOOR = 2000
#: When every word is common, the rarest few still rank (a question of only common words).
KEEP_AT_LEAST = 3


def refresh_lexeme_stats(connection: psycopg.Connection[Any]) -> None:
    """Recount, per stemmed word, how many passages hold it (one pass over the tsvectors)."""
    with connection.transaction():
        connection.execute("DELETE FROM lexeme_stats")
        connection.execute(
            "INSERT INTO lexeme_stats(word, ndoc) SELECT word, ndoc FROM ts_stat('SELECT search FROM passages')"
        )


def rare_terms(connection: psycopg.Connection[Any], terms: Sequence[str]) -> list[str]:
    """``terms`` without the common ones (order kept); all of them when nothing is counted."""
    rows = connection.execute(
        "SELECT t.term, t.ord, max(s.ndoc) AS ndoc, (SELECT reltuples FROM pg_class WHERE relname = 'passages')"
        " FROM unnest(%s::text[]) WITH ORDINALITY AS t(term, ord)"
        " LEFT JOIN lexeme_stats s ON s.word = ANY(tsvector_to_array(to_tsvector('english', t.term)))"
        " GROUP BY t.term, t.ord ORDER BY t.ord",
        (list(terms),),
    ).fetchall()
    total = max(float(rows[0][3] or 0), 0.0) if rows else 0.0
    limit = max(COMMON_FLOOR, COMMON_SHARE * total)
    kept = [term for term, _, ndoc, _ in rows if ndoc is None or ndoc <= limit]
    if kept:
        return kept
    rarest = {row[0] for row in sorted(rows, key=lambda row: row[2])[:KEEP_AT_LEAST]}
    return [term for term, _, _, _ in rows if term in rarest]
