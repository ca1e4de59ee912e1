"""The BERT encoder of all-MiniLM-L6-v2 as a few torch modules, read straight from the package's
``config.json`` and ``model.safetensors``.

Why not ``transformers.AutoModel``: importing the transformers BERT module costs about 7 s of a
fresh process here (on top of torch's 4 s), which was most of a newcomer's first ``curbside ask``.
This is the same computation (post-LayerNorm BERT: embeddings, self-attention, GELU feed-forward),
checked against transformers' output in ``tests/knowledge/test_bert_encoder.py``.

Example::

    encoder = load_bert_encoder(model_dir)
    hidden = encoder(ids, mask)  # (batch, tokens, hidden) last hidden states
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file
from torch import nn


class _Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, intermediate: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attention_out = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = nn.Linear(hidden, intermediate)
        self.output = nn.Linear(intermediate, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, additive_mask: torch.Tensor) -> torch.Tensor:
        batch, tokens, hidden = x.shape
        size = hidden // self.heads

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, tokens, self.heads, size).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(size) + additive_mask
        context = (scores.softmax(dim=-1) @ v).transpose(1, 2).reshape(batch, tokens, hidden)
        x = self.attention_norm(self.attention_out(context) + x)
        return self.output_norm(self.output(nn.functional.gelu(self.intermediate(x))) + x)


class BertEncoder(nn.Module):
    """Last hidden states for word-piece ids (token type 0 throughout, absolute positions)."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        hidden, eps = int(config["hidden_size"]), float(config["layer_norm_eps"])
        self.words = nn.Embedding(int(config["vocab_size"]), hidden)
        self.positions = nn.Embedding(int(config["max_position_embeddings"]), hidden)
        self.token_types = nn.Embedding(int(config["type_vocab_size"]), hidden)
        self.embedding_norm = nn.LayerNorm(hidden, eps=eps)
        self.layers = nn.ModuleList(
            _Layer(hidden, int(config["num_attention_heads"]), int(config["intermediate_size"]), eps)
            for _ in range(int(config["num_hidden_layers"]))
        )

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(ids.shape[1])[None, :]
        x = self.words(ids) + self.positions(positions) + self.token_types(torch.zeros_like(ids))
        x = self.embedding_norm(x)
        # Padding is masked with the dtype's most negative value, as transformers does.
        additive = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.layers:
            x = layer(x, additive)
        return x


# Checkpoint name → this module's name, per part of a layer.
_LAYER_NAMES = {
    "attention.self.query": "query",
    "attention.self.key": "key",
    "attention.self.value": "value",
    "attention.output.dense": "attention_out",
    "attention.output.LayerNorm": "attention_norm",
    "intermediate.dense": "intermediate",
    "output.dense": "output",
    "output.LayerNorm": "output_norm",
}
_EMBEDDING_NAMES = {
    "embeddings.word_embeddings": "words",
    "embeddings.position_embeddings": "positions",
    "embeddings.token_type_embeddings": "token_types",
    "embeddings.LayerNorm": "embedding_norm",
}


def _rename(key: str) -> str | None:
    """This module's parameter name for a checkpoint key (None: not used, e.g. the pooler)."""
    stem, _, leaf = key.rpartition(".")
    if stem in _EMBEDDING_NAMES:
        return f"{_EMBEDDING_NAMES[stem]}.{leaf}"
    if stem.startswith("encoder.layer."):
        index, _, part = stem.removeprefix("encoder.layer.").partition(".")
        if part in _LAYER_NAMES:
            return f"layers.{index}.{_LAYER_NAMES[part]}.{leaf}"
    return None


def load_bert_encoder(model_dir: Path) -> BertEncoder:
    """The encoder with the checkpoint's weights, in eval mode.

    Raises:
        ValueError: the checkpoint lacks a weight the encoder needs (a different architecture).
    """
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    encoder = BertEncoder(config)
    weights = {new: tensor for key, tensor in load_file(str(model_dir / "model.safetensors")).items()
               if (new := _rename(key)) is not None}  # fmt: skip
    try:
        missing, unexpected = encoder.load_state_dict(weights, strict=False)
    except RuntimeError as error:  # a weight of another shape
        raise ValueError(f"{model_dir}: checkpoint does not fit the BERT encoder ({error})") from error
    if missing or unexpected:
        raise ValueError(f"{model_dir}: checkpoint does not fit the BERT encoder (missing {missing[:3]})")
    return encoder.eval()
