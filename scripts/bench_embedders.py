"""Benchmark the sentence-transformers MiniLM embedder against the int8 ONNX one.

Each embedder runs in its own fresh subprocess (imports, load and memory are then its own):
sentences/s at batch 64 for short (~15 word pieces) and passage-length (~64, ~128) texts, the
load time (imports + model open + first tiny batch), and the process RSS. The ONNX worker imports
only ``curbside.knowledge.onnx_embedding``, so its RSS is what a torch-free serving process pays.

Both embedders use a 128-token window here, so the ~128-token texts are embedded whole (the
serving default is 64). Throughput is the median of ``--repeats`` timed passes after a warm-up.
The load average and the busiest other processes are printed, because on a small shared machine
they matter as much as the numbers.

Usage::

    .venv/bin/python scripts/bench_embedders.py [--threads 2] [--repeats 3] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BATCH = 64
WINDOW = 128
# target word pieces (including [CLS] and [SEP]) -> number of texts to embed per pass
SIZES = {"short": (15, 1024), "64 tok": (64, 512), "128 tok": (128, 256)}
_VOCABULARY = (
    "patient adult child infant pregnancy chest pain fever cough dyspnoea hypertension diabetes "
    "metformin insulin statin aspirin warfarin apixaban amoxicillin doxycycline dose daily weekly "
    "renal hepatic impairment contraindicated recommended screening guideline evidence grade risk "
    "benefit harm trial randomised mortality stroke myocardial infarction heart failure asthma "
    "copd inhaler corticosteroid antibiotic infection sepsis vaccine influenza pneumonia urinary "
    "tract migraine depression anxiety osteoporosis fracture bisphosphonate thyroid levothyroxine "
    "monitoring blood pressure target years older women men should be offered for with and the of"
)
WORDS = _VOCABULARY.split()


def rss_mb() -> float:
    """Current resident set size of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_texts(tokenizer: Any, target: int, count: int, seed: int) -> list[str]:
    """Deterministic pseudo-clinical texts of about ``target`` word pieces each."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        words: list[str] = []
        while len(tokenizer.encode(" ".join(words)).ids) < target:
            words.append(rng.choice(WORDS))
        texts.append(" ".join(words))
    return texts


def worker(kind: str, threads: int, repeats: int, cache_dir: str | None) -> dict[str, Any]:
    """Run in a fresh process: load one embedder, time it, report JSON-able results."""
    started = time.perf_counter()
    embedder: Any
    if kind == "onnx":
        from curbside.knowledge.onnx_embedding import OnnxMiniLmEmbedder

        embedder = OnnxMiniLmEmbedder(batch_size=BATCH, threads=threads, max_tokens=WINDOW, cache_dir=cache_dir)
    else:
        from curbside.knowledge.embedding import MiniLmEmbedder

        embedder = MiniLmEmbedder(batch_size=BATCH, threads=threads, max_tokens=WINDOW)
    embedder.embed(["warm up"])
    load_s = time.perf_counter() - started

    from tokenizers import Tokenizer

    from curbside.knowledge.onnx_embedding import _model_dir

    tokenizer = Tokenizer.from_file(str(_model_dir() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    embedder.embed(make_texts(tokenizer, 15, BATCH, seed=99))
    serving_rss = rss_mb()

    throughput = {}
    for label, (target, count) in SIZES.items():
        texts = make_texts(tokenizer, target, count, seed=target)
        embedder.embed(texts[:BATCH])  # warm-up at this shape
        rates = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            embedder.embed(texts)
            rates.append(count / (time.perf_counter() - t0))
        throughput[label] = statistics.median(rates)
    heavy = sorted({m.split(".")[0] for m in sys.modules} & {"torch", "transformers", "sentence_transformers"})
    return {
        "load_s": load_s,
        "rss_after_load_mb": serving_rss,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "throughput": throughput,
        "heavy_modules": heavy,
    }


def ensure_onnx_model(cache_dir: str | None) -> float:
    """Build the cached ONNX model if missing (in its own process); returns seconds spent."""
    from curbside.knowledge.onnx_embedding import OnnxMiniLmEmbedder, default_cache_dir

    embedder = OnnxMiniLmEmbedder(cache_dir=cache_dir or default_cache_dir())
    if embedder.model_path.exists():
        return 0.0
    started = time.perf_counter()
    embedder.load()
    return time.perf_counter() - started


def run_subprocess(args: list[str]) -> Any:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def other_load() -> str:
    """The busiest other processes, so the reader can judge the numbers."""
    ps = subprocess.run(
        ["ps", "-eo", "pcpu,rss,args", "--sort=-pcpu", "--no-headers"], capture_output=True, text=True
    ).stdout
    # Leave out this benchmark (parent and workers) and the ps call itself.
    lines = [line.strip()[:110] for line in ps.splitlines() if "bench_embedders" not in line and "ps -eo" not in line]
    lines = lines[:4]
    return "\n".join(f"    {line}" for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--worker", choices=["onnx", "minilm"], help=argparse.SUPPRESS)
    parser.add_argument("--ensure-onnx", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.threads, args.repeats, args.cache_dir)))
        return
    if args.ensure_onnx:
        print(json.dumps(ensure_onnx_model(args.cache_dir)))
        return

    common = ["--threads", str(args.threads), "--repeats", str(args.repeats)]
    if args.cache_dir:
        common += ["--cache-dir", args.cache_dir]
    build_s = run_subprocess(["--ensure-onnx", *common])
    print(f"cpus={os.cpu_count()} threads={args.threads} batch={BATCH} window={WINDOW} repeats={args.repeats}")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print("busiest processes before:\n" + other_load())
    results = {kind: run_subprocess(["--worker", kind, *common]) for kind in ("minilm", "onnx")}
    print("load average after:  {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if build_s:
        print(f"onnx model built (one-time export + quantisation): {build_s:.1f} s")

    header = f"{'embedder':<8} {'load s':>7} {'RSS MB':>7} {'peak MB':>8} " + " ".join(
        f"{label + ' /s':>11}" for label in SIZES
    )
    print("\n" + header + "\n" + "-" * len(header))
    for kind, r in results.items():
        rates = " ".join(f"{r['throughput'][label]:>11.0f}" for label in SIZES)
        print(f"{kind:<8} {r['load_s']:>7.2f} {r['rss_after_load_mb']:>7.0f} {r['peak_rss_mb']:>8.0f} {rates}")
    onnx_heavy = results["onnx"]["heavy_modules"]
    print(f"\nonnx process imported torch/transformers: {onnx_heavy or 'no'}")
    print("RSS MB = after load + one short batch; peak MB = max RSS over the whole benchmark.")


if __name__ == "__main__":
    main()
