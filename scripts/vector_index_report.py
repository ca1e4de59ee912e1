"""Approximate (hnsw) vs exact dense search on a knowledge base: recall@10, latency, build cost.

Queries are real questions from the dev sets (LiveQA, MedicationQA, K-QA), embedded with the
knowledge base's embedder; the exact index over the same vectors is the reference.
Filtered runs use the condition/drug filters the retrieval stage sends (documents naming the
question's first word of five or more letters as a condition), to show they stay exact.

Usage: .venv/bin/python scripts/vector_index_report.py --data-dir /tmp/kb --embedder onnx [--queries N]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np

from curbside.evaluation.common import latency_summary
from curbside.evaluation.datasets import liveqa_paths, read_kqa, read_liveqa, read_medicationqa_items
from curbside.knowledge.embedding import create_embedder
from curbside.knowledge.hnsw_index import HnswVectorIndex
from curbside.knowledge.sqlite_connections import ThreadConnections
from curbside.knowledge.sqlite_vectors import fill_from_database
from curbside.knowledge.vector_index import ExactVectorIndex

K = 10


def questions(eval_dir: Path, limit: int) -> list[str]:
    texts = [item.question for item in read_liveqa(liveqa_paths(eval_dir))]
    medication = eval_dir / "medicationqa" / "medicationqa.dev.jsonl"
    if medication.exists():
        texts += [item.question for item in read_medicationqa_items(medication)]
    kqa = eval_dir / "kqa" / "questions_w_answers.dev.jsonl"
    if kqa.exists():
        texts += [item.question for item in read_kqa(kqa)]
    unique = list(dict.fromkeys(t for t in texts if t.strip()))
    # Every n-th question: a spread over the sets rather than the first file only.
    step = max(1, len(unique) // limit)
    return unique[::step][:limit]


def timed(build):  # type: ignore[no-untyped-def]
    cpu, wall = time.process_time(), time.perf_counter()
    value = build()
    return value, round(time.process_time() - cpu, 2), round(time.perf_counter() - wall, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--embedder", default="onnx")
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--ef", default="", help="comma-separated search beams to sweep (default: the shipped one)")
    args = parser.parse_args()
    connection = ThreadConnections(args.data_dir / "curbside.sqlite3").get()
    dim = (
        int(connection.execute("SELECT length(embedding) FROM passages WHERE embedding IS NOT NULL").fetchone()[0]) // 4
    )
    exact, exact_cpu, exact_wall = timed(lambda: fill_from_database(ExactVectorIndex(dim), connection))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    hnsw, hnsw_cpu, hnsw_wall = timed(lambda: fill_from_database(HnswVectorIndex(dim), connection))
    embedder = create_embedder(args.embedder, threads=1)
    texts = questions(args.eval, args.queries)
    vectors = embedder.embed(texts)
    truths, exact_ms = [], []
    for vector in vectors:
        started = time.perf_counter()
        truths.append(set(exact.search(vector, K)[0].tolist()))
        exact_ms.append((time.perf_counter() - started) * 1000)
    sweep = {}
    for ef in [int(value) for value in args.ef.split(",") if value] or [hnsw._ef]:
        hnsw._ef = ef
        recalls, hnsw_ms = [], []
        for vector, truth in zip(vectors, truths, strict=True):
            started = time.perf_counter()
            found = set(hnsw.search(vector, K)[0].tolist())
            hnsw_ms.append((time.perf_counter() - started) * 1000)
            recalls.append(len(truth & found) / K)
        sweep[ef] = {
            "recall_at_10": round(float(np.mean(recalls)), 4),
            "min": min(recalls),
            "ms": latency_summary(hnsw_ms),
        }
    # Filtered: a random 2 % of the rows (a large condition's share) stays on the exact path.
    rng = np.random.default_rng(0)
    labels = np.asarray(connection.execute("SELECT rowid FROM passages WHERE embedding IS NOT NULL").fetchall())[:, 0]
    allowed = rng.choice(labels, size=max(1, len(labels) // 50), replace=False)
    filtered = [
        len(set(exact.search(v, K, allowed)[0].tolist()) & set(hnsw.search(v, K, allowed)[0].tolist())) / K
        for v in vectors[:50]
    ]
    print(
        json.dumps(
            {
                "rows": len(exact),
                "queries": len(texts),
                "hnsw_by_ef": sweep,
                "filtered_recall_at_10": round(float(np.mean(filtered)), 4),
                "exact_ms": latency_summary(exact_ms),
                "exact_load": {"cpu_s": exact_cpu, "wall_s": exact_wall},
                "hnsw_build": {"cpu_s": hnsw_cpu, "wall_s": hnsw_wall},
                "peak_rss_mb_before_hnsw": round(rss_before / 1024, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
