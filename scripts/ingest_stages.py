"""Ingest CPU per stage on a sample of NGC guideline files, and an honest extrapolation.

A full ingest costs CPU-hours on this shared 2-core machine, so a seeded random sample of
``--files`` guideline summaries is ingested into a fresh temporary knowledge base by the real
``ingest`` code, with each stage's calls wrapped to add up their CPU time (``process_time``, all
threads): unit hashing and loading (XML parsing into passages), embedding, the SQLite write
(rows + FTS5), and the dense index (hnswlib add + save). Passages/s per stage then extrapolate
to the full corpus's passage count (``--full-passages``; the NGC share and the rest are
reported apart, since only NGC loading is measured).

Usage: python scripts/ingest_stages.py [--corpus DIR] [--files 50] [--embedder onnx]
       [--full-passages N] [--ngc-passages N] [--out FILE.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from curbside.knowledge import ingest as ingest_module
from curbside.knowledge.embedding import create_embedder
from curbside.knowledge.hnsw_index import HnswVectorIndex
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.sources.ngc import SUBDIR, NgcGuidelineLoader
from curbside.sources.registry import create_loaders

CPU: dict[str, float] = defaultdict(float)


def _timed(stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            CPU[stage] += time.process_time() - started

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora"))
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--embedder", default="onnx")
    parser.add_argument("--full-passages", type=int, default=0, help="passages of the full corpus")
    parser.add_argument("--ngc-passages", type=int, default=0, help="of which NGC guidelines")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    every = sorted((args.corpus / SUBDIR).glob("ngc-*.xml"))
    chosen = random.Random(0).sample(every, min(args.files, len(every)))
    embedder = create_embedder(args.embedder)
    embedder.embed(["warm-up"])  # model load is start-up, not throughput
    NgcGuidelineLoader.load = _timed("load", NgcGuidelineLoader.load)  # type: ignore[method-assign]
    ingest_module.unit_hash = _timed("hash", ingest_module.unit_hash)
    embedder.embed = _timed("embed", embedder.embed)  # type: ignore[method-assign]
    # The store adds rows to the dense index inside write_units: that share is reported as
    # "index add" and taken out of "write", so no CPU second is counted twice.
    SqliteStore.write_units = _timed("write", SqliteStore.write_units)  # type: ignore[method-assign]
    HnswVectorIndex.add = _timed("index add", HnswVectorIndex.add)  # type: ignore[method-assign]
    HnswVectorIndex.save = _timed("index save", HnswVectorIndex.save)  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory(prefix="curbside-ingest-stages-") as tmp:
        corpus = Path(tmp) / "corpus" / SUBDIR
        corpus.mkdir(parents=True)
        for path in chosen:
            (corpus / path.name).symlink_to(path.resolve())
        store = SqliteStore(Path(tmp) / "data" / "curbside.sqlite3")
        wall, cpu = time.perf_counter(), time.process_time()
        report = ingest_module.ingest(store, embedder, create_loaders(["ngc"]), corpus.parent)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        store.close()
    passages = sum(r.passages for r in report.sources.values())
    CPU["write"] -= CPU.get("index add", 0.0)
    stages = {stage: round(seconds, 2) for stage, seconds in CPU.items()}
    stages["other"] = round(cpu - sum(CPU.values()), 2)
    result: dict[str, Any] = {
        "files": len(chosen),
        "passages": passages,
        "embedded": report.embedded,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "cpu_s_per_stage": stages,
        "passages_per_cpu_s_per_stage": {k: round(passages / v, 1) for k, v in stages.items() if v > 0},
        "load_average": os.getloadavg(),
    }
    if args.full_passages:
        per_passage = cpu / passages
        result["extrapolated_full_corpus_cpu_s"] = round(per_passage * args.full_passages)
        result["extrapolated_full_corpus_wall_min_on_2_idle_cores"] = round(
            per_passage * args.full_passages / 2 / 60, 1
        )
        result["note"] = (
            f"all stages at the NGC sample's CPU per passage; NGC is {args.ngc_passages} of "
            f"{args.full_passages} passages, other sources' loading was not measured"
        )
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
