"""The numpy intent model predicts exactly what the fitted scikit-learn pipeline predicts."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from curbside.understanding.intent import build_pipeline
from curbside.understanding.intent_model import LinearTfidfModel, char_wb_ngrams, probabilities_for, word_ngrams

from .conftest import SMALL_TRAINING_SET

#: Odd text on purpose: unknown words, punctuation, accents, digits, runs of spaces, short words.
TEXTS = (
    "What are the treatments for eczema ?",
    "what causes GOUT",
    "How to   prevent\tasthma?? a b",
    "Café-au-lait spots: outlook?",
    "",
    "   ",
    "x",
    "Is 500 mg of naproxen twice daily too much for a 70-year-old's kidneys?",
    "Über große Straße — naïve résumé",
    "symptoms symptoms symptoms of anemia anemia",
)


def _fitted():  # type: ignore[no-untyped-def]
    texts, labels = zip(*SMALL_TRAINING_SET, strict=True)
    return build_pipeline().fit(list(texts), list(labels))


@pytest.mark.parametrize("text", TEXTS)
def test_analyzers_match_scikit_learn(text: str) -> None:
    assert word_ngrams(text, 1, 2) == TfidfVectorizer(ngram_range=(1, 2)).build_analyzer()(text)
    for low, high in ((2, 5), (1, 3), (3, 3)):
        expected = TfidfVectorizer(analyzer="char_wb", ngram_range=(low, high)).build_analyzer()(text)
        assert char_wb_ngrams(text, low, high) == expected


def test_probabilities_match_the_fitted_pipeline() -> None:
    pipeline = _fitted()
    model = LinearTfidfModel.from_pipeline(pipeline)
    assert model.classes == tuple(pipeline.classes_)
    probabilities = probabilities_for(model, TEXTS)
    np.testing.assert_allclose(probabilities, pipeline.predict_proba(list(TEXTS)), rtol=1e-9, atol=1e-12)


def test_binary_model_matches() -> None:
    pairs = [(q, "a" if "treat" in q else "b") for q, _ in SMALL_TRAINING_SET]
    pipeline = build_pipeline().fit([q for q, _ in pairs], [label for _, label in pairs])
    model = LinearTfidfModel.from_pipeline(pipeline)
    np.testing.assert_allclose(probabilities_for(model, TEXTS), pipeline.predict_proba(list(TEXTS)), atol=1e-12)


def test_unsupported_vectorizer_options_are_refused() -> None:
    pipeline = _fitted()
    pipeline.named_steps["features"].transformer_list[0][1].set_params(stop_words=["the"])
    with pytest.raises(ValueError, match="does not reproduce"):
        LinearTfidfModel.from_pipeline(pipeline)


def test_predicting_does_not_import_scikit_learn() -> None:
    code = (
        "import sys, pickle; from curbside.understanding.intent_model import LinearTfidfModel; "
        "model = pickle.loads(sys.stdin.buffer.read()); model.predict_proba('what causes gout'); "
        "print('sklearn' in sys.modules)"
    )
    import pickle

    payload = pickle.dumps(LinearTfidfModel.from_pipeline(_fitted()))
    result = subprocess.run([sys.executable, "-c", code], input=payload, capture_output=True, check=True)
    assert result.stdout.decode().strip() == "False"
