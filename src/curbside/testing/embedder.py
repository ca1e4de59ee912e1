"""Contract suite for embedders (:class:`curbside.protocols.Embedder`)."""

from __future__ import annotations

import numpy as np

from curbside.protocols import Embedder

TEXTS = ["chest pain on exertion", "a sentence about something else", "short"]


class EmbedderContract:
    """Provide an ``embedder`` fixture."""

    def test_it_satisfies_the_protocol(self, embedder: Embedder) -> None:
        assert isinstance(embedder, Embedder) and embedder.name and embedder.dim > 0

    def test_shape_dtype_and_unit_rows(self, embedder: Embedder) -> None:
        vectors = embedder.embed(TEXTS)
        assert vectors.shape == (len(TEXTS), embedder.dim) and vectors.dtype == np.float32
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)

    def test_empty_input_gives_zero_rows(self, embedder: Embedder) -> None:
        assert embedder.embed([]).shape == (0, embedder.dim)

    def test_deterministic_and_independent_of_batching(self, embedder: Embedder) -> None:
        together = embedder.embed(TEXTS)
        alone = np.vstack([embedder.embed([text]) for text in TEXTS])
        assert np.allclose(together, alone, atol=1e-4)
        assert np.allclose(embedder.embed(TEXTS), together, atol=1e-6)
