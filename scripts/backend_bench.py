"""The same ask benchmark on SQLite and on PostgreSQL, over one knowledge base.

Starts a loopback PostgreSQL 16 + pgvector server (``curbside.testing.postgres_server``),
copies the SQLite knowledge base into it without re-embedding (``curbside.knowledge.transfer``,
timed: the COPY ingest rate), then for each backend opens the pipeline once and measures warm
``ask`` latency, hybrid search and the BM25 floor (``curbside.evaluation.bench``), and answers
per second with 1, 4 and 8 concurrent HTTP clients against the real app served by uvicorn on
127.0.0.1 (``curbside.evaluation.server_load.measure_qps``; bounded in seconds and requests).
Questions: the first N LiveQA training questions in file order (as ``curbside bench``).

Usage: .venv/bin/python scripts/backend_bench.py --data-dir /tmp/kb-copy --embedder onnx [--questions 20]
       [--clients 1,4,8] [--seconds 20] [--max-requests 40] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from curbside.evaluation.bench import time_asks, time_bm25, time_search
from curbside.evaluation.common import latency_summary, locate_eval_data
from curbside.evaluation.datasets import liveqa_paths, read_liveqa
from curbside.evaluation.server_load import free_port, measure_qps
from curbside.knowledge.postgres_store import PostgresStore
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.knowledge.transfer import copy_knowledge_base
from curbside.pipeline import Curbside
from curbside.settings import Settings
from curbside.testing.postgres_server import LocalPostgresServer
from curbside.web.app import create_app


def serve_and_measure(settings: Settings, curbside: Curbside, questions: list[str], args: Any) -> dict[str, Any]:
    """Answers/s per client count against the app on a loopback uvicorn (in a thread)."""
    port = free_port()
    config = uvicorn.Config(create_app(settings, curbside), host="127.0.0.1", port=port, log_level="warning",
                            access_log=False)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    results: dict[str, Any] = {}
    try:
        for clients in args.clients:
            qps, done, errors = measure_qps(
                f"http://127.0.0.1:{port}", "ask", questions, clients, args.seconds, args.max_requests
            )
            results[str(clients)] = {"answers_per_s": qps, "completed": done, "errors": errors}
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    return results


def measure(settings: Settings, questions: list[str], args: Any) -> dict[str, Any]:
    started = time.perf_counter()
    curbside = Curbside.open(settings)
    opened = round(time.perf_counter() - started, 1)
    result = {
        "open_s": opened,
        "ask_ms": latency_summary(time_asks(curbside, questions, 600)),
        "search_ms": latency_summary(time_search(curbside, questions, 3)),
        "bm25_ms": latency_summary(time_bm25(curbside, questions, 3)),
        "qps": serve_and_measure(settings, curbside, questions, args),
    }
    curbside.store.close()
    return result


def postgres_sizes(url: str) -> dict[str, float]:
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relname IN"
            " ('passages', 'passages_search') OR relname LIKE 'passages_hnsw_%'"
        ).fetchall()
        total = connection.execute("SELECT pg_database_size(current_database())").fetchone()
    sizes = {name: round(size / 2**20, 1) for name, size in rows}
    sizes["database"] = round((total[0] if total else 0) / 2**20, 1)
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="a COPY of a built knowledge base")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora"))
    parser.add_argument("--embedder", default="onnx")
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--clients", type=lambda v: [int(c) for c in v.split(",")], default=[1, 4, 8])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=40)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    items = read_liveqa(liveqa_paths(locate_eval_data(None)))
    questions = [" ".join(i.question.split())[:2000] for i in items[: args.questions]]
    report: dict[str, Any] = {"questions": len(questions), "clients": args.clients, "seconds": args.seconds}
    sqlite = SqliteStore(args.data_dir / "curbside.sqlite3")
    sqlite.save_vector_index()  # build the HNSW files if the copy has none, as `ingest` would
    report["sqlite_vector_index"] = sqlite.vector_index_state
    passages = sum(c.passages for c in sqlite.source_counts())
    sqlite.close()
    report["passages"] = passages
    with LocalPostgresServer.started() as server, tempfile.TemporaryDirectory() as tmp:
        url = server.create_database("bench")
        target = PostgresStore(url)
        started = time.perf_counter()
        units = copy_knowledge_base(args.data_dir / "curbside.sqlite3", target)
        seconds = time.perf_counter() - started
        report["postgres_copy"] = {"units": units, "seconds": round(seconds, 1),
                                   "passages_per_s": round(passages / seconds, 1)}  # fmt: skip
        target.close()
        report["postgres_sizes_mb"] = postgres_sizes(url)
        report["sqlite_file_mb"] = round((args.data_dir / "curbside.sqlite3").stat().st_size / 2**20, 1)
        base = Settings(corpus_dir=args.corpus, data_dir=args.data_dir, embedder=args.embedder, secure_cookies=False)
        save(report, args.out)
        on_postgres = base.with_overrides(database_url=url, store="postgres", article_store="postgres")
        report["postgres"] = measure(on_postgres, questions, args)
        save(report, args.out)  # partial results survive a run stopped during the next part
        report["sqlite"] = measure(base.with_overrides(review_db=Path(tmp) / "review.sqlite3"), questions, args)
    save(report, args.out)
    print(json.dumps(report, indent=2))


def save(report: dict[str, Any], out: Path | None) -> None:
    if out:
        out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
