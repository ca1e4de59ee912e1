"""Verification cost per answered article and per statement, on a knowledge base of your choice.

PYTHONPATH=src python scripts/verify_cost.py N OUT.json --data-dir /tmp/kb [--embedder onnx]

Asks the first N LiveQA training questions (file order, one unmeasured warm-up) in one process and reads each
article's ``timings_ms["verify"]``; prints p50/p95 of ask, verify per article and verify per statement (bottom
line included; abstentions verify nothing and are left out). ``curbside bench`` reports the same as ``verify.*``;
this script runs only the asks, so it fits a busy machine. Running it with another tree's ``src`` on the path
(e.g. main's) gives the "before" figure with the same questions.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(v) - 1)
    return round(v[low] + (v[high] - v[low]) * (k - low), 1)


def main() -> int:
    parser = argparse.ArgumentParser(description="Verification cost per article and per statement.")
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--embedder", default="onnx")
    parser.add_argument("--eval-dir", type=Path, default=Path("../shared/eval"))
    args = parser.parse_args()

    from curbside.evaluation.datasets import liveqa_paths, read_liveqa
    from curbside.pipeline import Curbside
    from curbside.settings import Settings

    settings = Settings.from_env().with_overrides(data_dir=args.data_dir, embedder=args.embedder)
    curbside = Curbside.open(settings)
    questions = [" ".join(i.question.split())[:2000] for i in read_liveqa(liveqa_paths(args.eval_dir))][: args.n]
    curbside.ask(questions[0])
    rows = []
    for question in questions:
        started = time.perf_counter()
        article = curbside.ask(question).article
        statements = sum(len(s.statements) for s in article.sections) + (article.bottom_line is not None)
        rows.append({"total_ms": (time.perf_counter() - started) * 1000,
                     "verify_ms": article.timings_ms.get("verify"), "statements": statements})  # fmt: skip
    args.out.write_text(json.dumps(rows), encoding="utf-8")
    verify = [r["verify_ms"] for r in rows if r["verify_ms"] is not None]
    per = [r["verify_ms"] / r["statements"] for r in rows if r["verify_ms"] is not None and r["statements"]]
    total = [r["total_ms"] for r in rows]
    print(json.dumps({"n": len(rows), "verified": len(verify), "ask_p50": _pct(total, 50), "ask_p95": _pct(total, 95),
                      "verify_p50": _pct(verify, 50), "verify_p95": _pct(verify, 95),
                      "per_statement_p50": _pct(per, 50), "per_statement_p95": _pct(per, 95)}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
