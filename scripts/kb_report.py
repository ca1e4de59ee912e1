"""Print the knowledge-base numbers: counts per source, retrieval recall@10 and search latency.

Usage: .venv/bin/python scripts/kb_report.py [--data-dir var] [--eval ../shared/eval] [--limit N]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from curbside.evaluation.retrieval_recall import evaluate_retrieval
from curbside.knowledge.build import open_store
from curbside.knowledge.embedding import create_embedder
from curbside.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("var"))
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir)
    store = open_store(settings)
    counts = [asdict(c) for c in store.source_counts()]
    report = evaluate_retrieval(store, create_embedder(settings.embedder, threads=1), args.eval, args.limit)
    print(
        json.dumps(
            {"counts": counts, "retrieval": {k: v for k, v in asdict(report).items() if k != "misses"}}, indent=2
        )
    )


if __name__ == "__main__":
    main()
