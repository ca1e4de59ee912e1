"""Warm ``ask`` latency and CPU per answer in one process, and what each answer said.

Opens the pipeline once, warms it on questions from ``--warm`` (never the timed ones, so no
per-question cache helps), then asks every question of ``--questions`` and records wall time
(``perf_counter``), CPU time of the process (``process_time``, all threads), each stage's
timing, and the answer's fingerprint (title, bottom line, cited passage ids, alert titles), so
two code versions can be compared for speed *and* for unchanged answers.

Usage: python scripts/warm_latency.py --data-dir DIR --embedder onnx --questions FILE.jsonl
       [--warm FILE.jsonl] [--n N] [--out FILE.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from curbside.pipeline import Curbside
from curbside.settings import Settings


def _questions(path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [str(r.get("question") or r.get("text")) for r in rows]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--embedder", default="onnx")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora"))
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--warm", type=Path, help="questions to warm up on (default: none)")
    parser.add_argument("--n", type=int, default=0, help="only the first N questions (0: all)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    texts = _questions(args.questions)[: args.n or None]
    curbside = Curbside.open(Settings(corpus_dir=args.corpus, data_dir=args.data_dir, embedder=args.embedder))
    for text in _questions(args.warm)[:5] if args.warm else []:
        curbside.ask(text)
    walls, cpus, stages, answers = [], [], dict[str, list[float]](), []
    for text in texts:
        wall, cpu = time.perf_counter(), time.process_time()
        article = curbside.ask(text).article
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        for stage, ms in (article.timings_ms or {}).items():
            stages.setdefault(stage, []).append(ms)
        answers.append(
            {
                "question": text,
                "title": article.title,
                "bottom_line": article.bottom_line.text if article.bottom_line else None,
                "citations": [r.passage_id for r in article.references],
                "alerts": [f"{a.kind}:{a.severity}:{a.text}" for a in article.alerts],
                "related": [r.question for r in article.related_questions],
            }
        )
    report = {
        "n": len(walls),
        "load_average": os.getloadavg(),
        "wall_p50_ms": round(statistics.median(walls), 1),
        "wall_p95_ms": round(_percentile(walls, 0.95), 1),
        "cpu_p50_ms": round(statistics.median(cpus), 1),
        "cpu_p95_ms": round(_percentile(cpus, 0.95), 1),
        "stage_median_ms": {k: round(statistics.median(v), 1) for k, v in stages.items()},
    }
    print(json.dumps(report, indent=1))
    if args.out:
        args.out.write_text(json.dumps({**report, "answers": answers}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
