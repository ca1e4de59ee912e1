"""Regenerate docs/results.md: every eval suite and the bench, measured now, on this machine.

Usage (``make results``)::

    .venv/bin/python scripts/make_results.py [--data DIR] [--out docs/results.md] [--quick]

The limits below keep a full regeneration near ten minutes on a 2-core machine; they are
written into the file so nobody mistakes a sample for the whole set. The suites' JSON
(per-item rows) goes to ``<data_dir>/eval/<suite>.json`` and charts to ``<data_dir>/eval/plots``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from curbside.evaluation import SUITES, run_suite
from curbside.evaluation.bench import BenchConfig, run_bench
from curbside.evaluation.common import locate_eval_data, write_json
from curbside.evaluation.datasets import liveqa_paths, read_liveqa
from curbside.evaluation.report import bench_markdown, suite_markdown, write_plots
from curbside.pipeline import Curbside
from curbside.settings import Settings

REPO = Path(__file__).resolve().parent.parent
LIMITS: dict[str, int | None] = {"liveqa": None, "kqa": None, "medicationqa": None, "healthver": None, "probes": None}
QUICK_LIMITS: dict[str, int | None] = {"liveqa": 3, "kqa": 2, "medicationqa": 3, "healthver": 50, "probes": 5}
BENCH = BenchConfig(questions=30, clients=(1, 4, 8), seconds=20, max_requests=120, ingest_files=10)
QUICK_BENCH = BenchConfig(questions=2, clients=(1, 2), seconds=3, max_requests=2, ingest_files=1)


def machine() -> list[str]:
    """One line each: CPU model, cores, memory, Python, OS (from /proc where available)."""
    model, memory = "unknown", "unknown"
    cpuinfo, meminfo = Path("/proc/cpuinfo"), Path("/proc/meminfo")
    if cpuinfo.exists():
        model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines()
                      if ln.startswith("model name")), model)  # fmt: skip
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [f"CPU: {model}", f"cores available (nproc): {cores}", f"memory: {memory}",
            f"Python: {platform.python_version()} ({platform.python_implementation()})",
            f"OS: {platform.system()} {platform.release()}"]  # fmt: skip


def git_commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD") or "unknown"
    dirty = " (with uncommitted changes in the working tree)" if git("status", "--porcelain") else ""
    return commit + dirty


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="dev-set folder (default ../shared/eval)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "results.md")
    parser.add_argument("--quick", action="store_true", help="tiny limits (a smoke run, not results)")
    parser.add_argument(
        "--bench-json",
        type=Path,
        help="only replace the Bench section of --out with this `curbside bench --json` result (dated, with the load)",
    )
    parser.add_argument(
        "--bench-note", default="", help="with --bench-json: what was measured (knowledge base, embedder)"
    )
    args = parser.parse_args(argv)
    if args.bench_json:
        bench_only = json.loads(args.bench_json.read_text(encoding="utf-8"))
        args.out.write_text(replace_bench(args.out.read_text(encoding="utf-8"), bench_only, args.bench_note), "utf-8")
        print(f"replaced the Bench section of {args.out}", file=sys.stderr)
        return 0
    limits, bench_config = (QUICK_LIMITS, QUICK_BENCH) if args.quick else (LIMITS, BENCH)
    settings = Settings.from_env()
    data = locate_eval_data(args.data)
    started = time.perf_counter()
    curbside = Curbside.open(settings)
    sections, results = [], []
    for name in SUITES:
        mark = time.perf_counter()
        result = run_suite(name, curbside, data, limits[name])
        write_json(result.to_json(), settings.data_dir / "eval" / f"{name}.json")
        results.append(result)
        sections.append(suite_markdown(result) + f"\n_wall time: {time.perf_counter() - mark:.0f} s_\n")
        print(f"{name}: {dict(result.summary)}", file=sys.stderr)
    write_plots(results, settings.data_dir / "eval" / "plots")
    questions = [item.question for item in read_liveqa(liveqa_paths(data))]
    bench = run_bench(curbside, settings, questions, bench_config).to_json()
    write_json(bench, settings.data_dir / "eval" / "bench.json")
    args.out.write_text(render(sections, bench, limits, bench_config, time.perf_counter() - started), "utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def replace_bench(text: str, bench: dict[str, object], what: str = "") -> str:
    """``text`` (a results file) with its Bench section re-rendered from ``bench``, saying when,
    at which commit and under what machine load it was measured (the suites keep their date)."""
    head, rest = text.split("## Bench\n", 1)
    tail = rest[rest.index("## Probe file format") :]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    note = (
        f"_Bench section measured alone on {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} at commit "
        f"`{git_commit()}` (load average when written: {load}; the machine was shared, so wall-clock figures are "
        f"inflated){'; ' + what if what else ''}; the suites above keep the date in the header._\n"
    )
    return f"{head}## Bench\n\n{note}\n{bench_markdown(bench)}{tail}"


def render(sections: list[str], bench: dict[str, object], limits: dict[str, int | None], config: BenchConfig,
           seconds: float) -> str:  # fmt: skip
    limit_text = ", ".join(f"{k}: {'all' if v is None else f'first {v}'}" for k, v in limits.items())
    return "\n".join([
        "# Results",
        "",
        "Generated by `make results` (`scripts/make_results.py`); do not edit by hand.",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- commit measured: `{git_commit()}`",
        *(f"- {line}" for line in machine()),
        f"- limits: {limit_text}; items are taken in file order (no selection)",
        f"- bench: {config.questions} questions, clients {config.clients}, {config.seconds:g} s or "
        f"{config.max_requests} requests per phase, {config.ingest_files} NGC files re-ingested",
        f"- total regeneration time: {seconds / 60:.1f} min",
        "",
        "How each metric is defined: the suite modules' docstrings in `curbside.evaluation` (liveqa: `consumer_questions`, kqa: `kqa`, medicationqa: `medication_questions`, healthver: `claim_verification`, probes: `probe_suite`); probe format below.",
        "",
        "## Suites",
        "",
        *sections,
        "## Bench",
        "",
        bench_markdown(bench),
        PROBE_FORMAT,
    ])  # fmt: skip


PROBE_FORMAT = """## Probe file format

`curbside eval probes [--probes FILE]` reads JSONL (blank lines and `#` comments skipped), one probe per line:

```json
{"id": "unique-id", "question": "…", "note": "optional, why",
 "expect": {"abstain": true,
            "alert_kind": "interaction", "alert_severity_at_least": "major",
            "must_not_alert_kind": "emergency",
            "must_cite_kind": "guideline", "must_cite_org": "Preventive Services Task Force",
            "must_mention": ["aneurysm"], "must_not_cite_title_contains": ["irritable bowel"]}}
```

Every `expect` key is optional but at least one is required. Severities, most severe first:
emergency > contraindicated > major > moderate > minor > info. String matching is case-insensitive;
`must_mention` looks in the bottom line, statements and alert texts. Unknown keys, wrong types and
duplicate ids stop the run with `<file>:<line>: <problem>`. The shipped probes are
`src/curbside/evaluation/probes/default.jsonl`.
"""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
