"""Warm ask latency in one process: open once, ask a few other questions to warm it, then
time ``Curbside.ask`` with ``time.perf_counter`` and print p50 / p90 and the median of each
stage's timing.

Usage: .venv/bin/python scripts/ask_latency.py --data-dir DIR --embedder onnx --questions FILE [--n 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from curbside.pipeline import Curbside
from curbside.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("var"))
    parser.add_argument("--embedder", default="onnx")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora"))
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--cold", action="store_true", help="time the first ask of each question (no warm-up)")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    every = [r.get("question") or r.get("text") for r in rows]
    # Warm the process on other questions than the timed ones: per-question caches must not help.
    texts, warm = every[: args.n], every[args.n :][:5] or every[:2]
    curbside = Curbside.open(Settings(corpus_dir=args.corpus, data_dir=args.data_dir, embedder=args.embedder))
    if not args.cold:
        for text in warm:
            curbside.ask(text)
    totals, stages = [], {}
    for text in texts:
        started = time.perf_counter()
        article = curbside.ask(text).article
        totals.append((time.perf_counter() - started) * 1000)
        for stage, ms in (article.timings_ms or {}).items():
            stages.setdefault(stage, []).append(ms)
    totals.sort()
    print(
        json.dumps(
            {
                "n": len(totals),
                "p50_ms": round(statistics.median(totals), 1),
                "p90_ms": round(totals[int(0.9 * (len(totals) - 1))], 1),
                "stage_median_ms": {k: round(statistics.median(v), 1) for k, v in stages.items()},
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
