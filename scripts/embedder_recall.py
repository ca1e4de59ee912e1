"""Does the int8 ONNX embedder find what the torch MiniLM embedder finds? recall@10 on a sample.

Re-embedding the whole corpus with both models costs CPU-hours here, so both embed the same
sample of passages from an existing knowledge base: ``--random`` passages drawn with a fixed seed
plus, per question, the BM25 top ``--bm25`` (a neighbourhood neither embedder chose, so the
sample holds passages each question could be about). Passages are embedded as ingest embeds
them (heading, then text, cut to the same length). For every question, the dense top 10 over the
sample by each model; recall@10 = |ONNX top 10 ∩ torch top 10| / 10 (torch is the reference:
it is the model the ONNX file was exported from). Also: the cosine between the two models'
vectors of the same passage, and the embedding CPU-seconds of each.

Usage: python scripts/embedder_recall.py --data-dir DIR --questions FILE.jsonl [FILE.jsonl …]
       [--random 6000] [--bm25 30] [--out FILE.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import time
from pathlib import Path

import numpy as np

from curbside.backends import create_embedder
from curbside.knowledge.ingest import EMBED_TEXT_CHARS, search_heading
from curbside.knowledge.sqlite_store import SqliteStore

K = 10


def _questions(paths: list[Path]) -> list[str]:
    texts = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append(str(row.get("question") or row.get("text")))
    return list(dict.fromkeys(texts))


def _sample_ids(database: Path, store: SqliteStore, questions: list[str], count: int, per_question: int) -> list[str]:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    all_ids = [row[0] for row in connection.execute("SELECT passage_id FROM passages ORDER BY rowid")]
    chosen = dict.fromkeys(random.Random(0).sample(all_ids, min(count, len(all_ids))))
    for question in questions:
        chosen.update((hit.passage_id, None) for hit in store.lexical_search(question, per_question))
    return list(chosen)


def _embed(name: str, texts: list[str]) -> tuple[np.ndarray, float]:
    embedder = create_embedder(name, threads=1)
    started = time.process_time()
    vectors = np.vstack([embedder.embed(texts[i : i + 256]) for i in range(0, len(texts), 256)])
    return vectors, time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, nargs="+", required=True)
    parser.add_argument("--random", type=int, default=6000)
    parser.add_argument("--bm25", type=int, default=30)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    database = args.data_dir / "curbside.sqlite3"
    store = SqliteStore(database, "exact")
    questions = _questions(args.questions)
    ids = _sample_ids(database, store, questions, args.random, args.bm25)
    records = store.passages(ids)
    texts = [f"{search_heading(r.passage)}: {r.passage.text}"[:EMBED_TEXT_CHARS] for r in records]
    onnx_passages, onnx_cpu = _embed("onnx", texts)
    torch_passages, torch_cpu = _embed("minilm", texts)
    onnx_queries, _ = _embed("onnx", questions)
    torch_queries, _ = _embed("minilm", questions)
    recalls = []
    for onnx_query, torch_query in zip(onnx_queries, torch_queries, strict=True):
        onnx_top = set(np.argsort(-(onnx_passages @ onnx_query), kind="stable")[:K].tolist())
        torch_top = set(np.argsort(-(torch_passages @ torch_query), kind="stable")[:K].tolist())
        recalls.append(len(onnx_top & torch_top) / K)
    cosines = np.sum(onnx_passages * torch_passages, axis=1)
    report = {
        "passages": len(records),
        "questions": len(questions),
        "recall_at_10": round(statistics.mean(recalls), 4),
        "recall_at_10_min": min(recalls),
        "questions_with_recall_below_0_8": sum(r < 0.8 for r in recalls),
        "passage_cosine_mean": round(float(cosines.mean()), 4),
        "passage_cosine_min": round(float(cosines.min()), 4),
        "embed_cpu_s": {"onnx": round(onnx_cpu, 1), "minilm": round(torch_cpu, 1)},
        "load_average": os.getloadavg(),
    }
    print(json.dumps(report, indent=1))
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
