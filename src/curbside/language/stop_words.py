"""English stop words (function words that carry no topic), read from a versioned data file.

The list is scikit-learn's ``ENGLISH_STOP_WORDS``; it is kept as package data (provenance in the
file) so that serving code need not import scikit-learn, whose import (with scipy) costs more
CPU than the rest of a fresh ``curbside ask``.
"""

from __future__ import annotations

import json
from importlib import resources

_FILE = "english_stop_words.json"


def load_stop_words(text: str) -> frozenset[str]:
    """The words of a stop-word file's JSON ``text``; ValueError when it is malformed."""
    data = json.loads(text)
    words = data.get("words") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not data.get("provenance") or not isinstance(words, list):
        raise ValueError(f"{_FILE}: expected an object with 'provenance' and a 'words' list")
    if not words or not all(isinstance(w, str) and w and w == w.strip().lower() for w in words):
        raise ValueError(f"{_FILE}: every word must be a non-empty lower-case string")
    return frozenset(words)


ENGLISH_STOP_WORDS: frozenset[str] = load_stop_words(
    resources.files("curbside.language").joinpath("data", _FILE).read_text(encoding="utf-8")
)
