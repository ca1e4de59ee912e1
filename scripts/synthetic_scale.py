"""SYNTHETIC scale run: the knowledge base replicated to ~1M passages in PostgreSQL.

The passages are NOT real sources: copy 0 is the real knowledge base; copies 1…k repeat every
real passage with its words rotated and every ninth word dropped, under documents titled
"[synthetic copy k] …" (source "synthetic"), with the real vector plus Gaussian noise
(σ = 0.02 per dimension, renormalised). The point is cost against size, never answers.

Measures, at the real size and at the synthetic size: load time (COPY), GIN and HNSW build
times, index sizes, and lexical / dense search latency p50/p95 over LiveQA training questions
(embedded with the knowledge base's embedder; ``PostgresStore.lexical_search`` and
``dense_search`` with limit 10). ``lexeme_stats`` is refreshed after the GIN build, as ingest
does, so the lexical search drops common words (``curbside.knowledge.postgres_terms``).
``--lexical-only`` loads no vectors and builds no HNSW index (lexical cost alone, far cheaper).

Usage: .venv/bin/python scripts/synthetic_scale.py --data-dir /tmp/kb-copy [--passages 1000000]
       [--queries 50] [--hnsw-minutes 30] [--lexical-only] [--low-priority] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

from curbside.evaluation.common import latency_summary, locate_eval_data
from curbside.evaluation.datasets import liveqa_paths, read_liveqa
from curbside.knowledge.embedding import create_embedder
from curbside.knowledge.postgres_store import PostgresStore
from curbside.knowledge.postgres_terms import refresh_lexeme_stats
from curbside.testing.postgres_server import LocalPostgresServer

HNSW = (
    "CREATE INDEX passages_hnsw_{w} ON passages USING hnsw ((embedding::vector({w})) vector_cosine_ops)"
    " WHERE vector_dims(embedding) = {w}"
)
GIN = "CREATE INDEX passages_search ON passages USING gin(search)"


def real_passages(path: Path) -> list[tuple[str, str, str, str, bytes]]:
    """(source_id, heading_path, text, title, embedding) of every embedded real passage."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = connection.execute(
        "SELECT p.source_id, p.heading_path, p.text, d.title, p.embedding FROM passages p"
        " JOIN documents d ON d.source_id = p.source_id WHERE p.embedding IS NOT NULL ORDER BY p.rowid"
    ).fetchall()
    connection.close()
    return rows


def perturb(text: str, copy: int) -> str:
    words = text.split()
    if not words:
        return text
    shift = copy % len(words)
    rotated = words[shift:] + words[:shift]
    return " ".join(w for i, w in enumerate(rotated) if (i + copy) % 9)


def load_copy(connection: Any, rows: list[Any], copy: int, rng: np.random.Generator | None) -> int:
    """COPY one replica (a unit, its documents, its passages; no vectors without ``rng``);
    return passages written."""
    key = f"synthetic/copy-{copy}"
    connection.execute("INSERT INTO units(key, source, content_hash) VALUES (%s, 'synthetic', %s)", (key, key))
    documents = sorted({(r[0], r[3]) for r in rows})
    with connection.cursor() as cursor:
        with cursor.copy("COPY documents (source_id, unit_key, source, kind, organization, title, url, licence,"
                         " drugs, conditions, metadata) FROM STDIN") as out:  # fmt: skip
            for source_id, title in documents:
                out.write_row((f"syn{copy}:{source_id}", key, "synthetic", "guideline", "SYNTHETIC",
                               f"[synthetic copy {copy}] {title}", "https://example.invalid", "synthetic", "[]", "[]",
                               "{}"))  # fmt: skip
        noisy = None
        if rng is not None:
            vectors = np.frombuffer(b"".join(r[4] for r in rows), dtype=np.float32).reshape(len(rows), -1)
            noisy = vectors + rng.normal(0, 0.02, vectors.shape).astype(np.float32)
            noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        with cursor.copy("COPY passages (passage_id, source_id, ordinal, heading_path, text, embedding,"
                         " search_heading, search_title) FROM STDIN") as out:  # fmt: skip
            for i, (source_id, heading, text, title, _) in enumerate(rows):
                literal = None if noisy is None else "[" + ",".join(f"{v:.5f}" for v in noisy[i].tolist()) + "]"
                out.write_row((f"syn{copy}:{i}", f"syn{copy}:{source_id}", i, heading, perturb(text, copy), literal,
                               " ".join(json.loads(heading)), f"[synthetic copy {copy}] {title}"))  # fmt: skip
    return len(rows)


def timed(connection: Any, statement: str) -> float:
    started = time.perf_counter()
    connection.execute(statement)
    return round(time.perf_counter() - started, 1)


def sizes(connection: Any) -> dict[str, float]:
    rows = connection.execute(
        "SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relname IN ('passages', 'passages_search')"
        " OR relname LIKE 'passages_hnsw_%'"
    ).fetchall()
    out = {name: round(size / 2**20, 1) for name, size in rows}
    total = connection.execute("SELECT pg_database_size(current_database())").fetchone()
    out["database"] = round(total[0] / 2**20, 1)
    return out


def search_latency(url: str, questions: list[str], vectors: np.ndarray | None) -> dict[str, Any]:
    store = PostgresStore(url)
    store.lexical_search(questions[0], 10)  # warm the connection and caches once
    lexical, dense = [], []
    for i, question in enumerate(questions):
        started = time.perf_counter()
        store.lexical_search(question, 10)
        lexical.append((time.perf_counter() - started) * 1000)
        if vectors is not None:
            started = time.perf_counter()
            store.dense_search(vectors[i], 10)
            dense.append((time.perf_counter() - started) * 1000)
    store.close()
    return {"lexical_ms": latency_summary(lexical), **({"dense_ms": latency_summary(dense)} if dense else {})}


def stage(connection: Any, url: str, width: int, hnsw_minutes: float, probe: tuple[list[str], Any]) -> dict[str, Any]:
    connection.execute("SET maintenance_work_mem = '4GB'")
    connection.execute(f"SET statement_timeout = '{int(hnsw_minutes)}min'")
    result: dict[str, Any] = {"gin_build_s": timed(connection, GIN)}
    started = time.perf_counter()
    refresh_lexeme_stats(connection)
    result["lexeme_stats_s"] = round(time.perf_counter() - started, 1)
    try:
        if probe[1] is not None:
            result["hnsw_build_s"] = timed(connection, HNSW.format(w=width))
    except psycopg.errors.QueryCanceled:
        result["hnsw_build_s"] = f"not finished within {hnsw_minutes:g} min"
    connection.execute("SET statement_timeout = 0")
    connection.execute("ANALYZE passages")
    result["passages"] = connection.execute("SELECT count(*) FROM passages").fetchone()[0]
    result["sizes_mb"] = sizes(connection)
    result.update(search_latency(url, *probe))
    connection.execute("DROP INDEX passages_search")
    connection.execute(f"DROP INDEX IF EXISTS passages_hnsw_{width}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="a COPY of a built knowledge base")
    parser.add_argument("--embedder", default="onnx")
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--hnsw-minutes", type=float, default=30)
    parser.add_argument("--lexical-only", action="store_true", help="no vectors, no HNSW: lexical search only")
    parser.add_argument(
        "--low-priority", action="store_true", help="run the server at nice 19 (its own session's autogroup)"
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = real_passages(args.data_dir / "curbside.sqlite3")
    questions = [" ".join(i.question.split())[:2000] for i in read_liveqa(liveqa_paths(locate_eval_data(None)))]
    questions = questions[: args.queries]
    vectors = None if args.lexical_only else create_embedder(args.embedder, 1).embed(questions)
    copies = -(-args.passages // len(rows))
    report: dict[str, Any] = {"label": "SYNTHETIC replicas of the real passages", "real_passages": len(rows)}
    rng = None if args.lexical_only else np.random.default_rng(0)
    width = 0 if vectors is None else vectors.shape[1]
    report["lexical_only"] = args.lexical_only
    with LocalPostgresServer.started() as server:
        if args.low_priority:
            lower_priority(server.data_dir)
        url = server.create_database("scale")
        PostgresStore(url).close()  # the schema, through the real migrations
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("DROP INDEX IF EXISTS passages_search")
            started = time.perf_counter()
            load_copy(connection, rows, 0, rng)
            report["real"] = {"load_s": round(time.perf_counter() - started, 1)}
            report["real"].update(stage(connection, url, width, args.hnsw_minutes, (questions, vectors)))
            save(report, args.out)  # partial results survive a run stopped during the long stage
            started = time.perf_counter()
            for copy in range(1, copies):
                load_copy(connection, rows, copy, rng)
            report["synthetic"] = {"load_s": round(time.perf_counter() - started, 1)}
            report["synthetic"].update(stage(connection, url, width, args.hnsw_minutes, (questions, vectors)))
    print(json.dumps(report, indent=2))
    save(report, args.out)


def lower_priority(data_dir: Path) -> None:
    """pg_ctl starts the server in a session of its own, so the caller's nice does not reach it."""
    pid = (data_dir / "postmaster.pid").read_text().split()[0]
    Path(f"/proc/{pid}/autogroup").write_text("19")


def save(report: dict[str, Any], out: Path | None) -> None:
    if out:
        out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
