"""The packaged stop-word list: the same words scikit-learn uses, and malformed files refused."""

from __future__ import annotations

import json

import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as SKLEARN_STOP_WORDS

from curbside.language.stop_words import ENGLISH_STOP_WORDS, load_stop_words


def test_same_words_as_scikit_learn() -> None:
    assert ENGLISH_STOP_WORDS == SKLEARN_STOP_WORDS


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        json.dumps(["the", "a"]),
        json.dumps({"words": ["the"]}),
        json.dumps({"provenance": "x", "words": "the"}),
        json.dumps({"provenance": "x", "words": []}),
        json.dumps({"provenance": "x", "words": ["the", 3]}),
        json.dumps({"provenance": "x", "words": ["The"]}),
        json.dumps({"provenance": "x", "words": [" the"]}),
    ],
)
def test_malformed_file_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        load_stop_words(text)
